/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * COMMIT's records: those handed over so far, with what changed since
 * re-read; and what the delta reads, which the built-in collectors
 * provide without going through the participant API.
 */
#ifndef _XEN_LIVEUPDATE_DELTA_H
#define _XEN_LIVEUPDATE_DELTA_H

#include <linux/types.h>

struct xen_lu_changes;
struct xen_lu_rec_buf;

/**
 * struct xen_lu_delta_stats - what a delta cost and found
 * @nr_reread: records read again from xenstore or the hypervisor.
 * @changed: the new records differ from those handed over.
 * @failed: on failure, the %XEN_LU_REC_* kind whose reading failed, or
 *	%XEN_LU_REC_END when it was none of them (the buffer).
 */
struct xen_lu_delta_stats {
	unsigned int nr_reread;
	bool changed;
	u32 failed;
};

int xen_lu_delta_build(const struct xen_lu_rec_buf *old,
		       const struct xen_lu_changes *ch,
		       const struct xen_lu_rec_buf *evtchns,
		       const struct xen_lu_rec_buf *participants,
		       struct xen_lu_rec_buf *out,
		       struct xen_lu_delta_stats *st);

/*
 * What the delta reads afresh.  Each appends records of one kind to
 * @buf, in record order, and counts them; 0 or a negative errno.
 */
int xen_lu_domains_read(struct xen_lu_rec_buf *buf);
int xen_lu_backends_read(struct xen_lu_rec_buf *buf);
int xen_lu_evtchns_read(struct xen_lu_rec_buf *buf);

/**
 * struct xen_lu_backend_slot - one backend device to read again
 * @type: the key under backend/.
 * @domid: the frontend domain, the key under the type.
 * @devid: the device, the key under the domain.
 * @body: after the read, its record body (kvmalloc'd), or NULL when the
 *	device is gone or incomplete.
 * @len: bytes of @body.
 */
struct xen_lu_backend_slot {
	const char *type;
	u32 domid;
	u32 devid;
	void *body;
	size_t len;
};

int xen_lu_backends_reread(struct xen_lu_backend_slot *set, unsigned int nr);
int xen_lu_backends_emit(const struct xen_lu_backend_slot *slot,
			 struct xen_lu_rec_buf *buf);
void xen_lu_backends_release(struct xen_lu_backend_slot *set,
			     unsigned int nr);

#endif /* _XEN_LIVEUPDATE_DELTA_H */
