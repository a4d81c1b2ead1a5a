/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A growing buffer of records in the UAPI "dom0 records" format, and the
 * collectors that fill it.
 */
#ifndef _XEN_LIVEUPDATE_RECORDS_H
#define _XEN_LIVEUPDATE_RECORDS_H

#include <linux/types.h>

#include <xen/liveupdate.h>
#include <xen/xen-liveupdate-participant.h>

/**
 * struct xen_lu_rec_buf - records being written
 * @data: kvmalloc'd bytes.
 * @len: bytes written.
 * @cap: bytes allocated.
 * @nr_domains: records of each kind written so far, for the header.
 * @nr_backends: see @nr_domains.
 * @nr_evtchns: see @nr_domains.
 * @nr_participants: see @nr_domains.
 */
struct xen_lu_rec_buf {
	u8 *data;
	size_t len;
	size_t cap;
	u32 nr_domains;
	u32 nr_backends;
	u32 nr_evtchns;
	u32 nr_participants;
};

void *xen_lu_rec_reserve(struct xen_lu_rec_buf *buf, u32 type, size_t len);
int xen_lu_rec_add(struct xen_lu_rec_buf *buf, u32 type, const void *body,
		   size_t len);
void xen_lu_rec_buf_free(struct xen_lu_rec_buf *buf);
void xen_lu_xs_read_string(const char *dir, const char *node, char *out,
			   size_t len);
int xen_lu_xs_numeric_dir(const char *dir, u32 max, u32 **ids,
			  unsigned int *nr);

int xen_lu_records_collect(struct xen_lu_rec_buf *buf);

int xen_lu_collect_domains(struct xen_lu_participant *p,
			   struct xen_lu_rec_buf *buf);
int xen_lu_collect_backends(struct xen_lu_participant *p,
			    struct xen_lu_rec_buf *buf);
int xen_lu_collect_evtchns(struct xen_lu_participant *p,
			   struct xen_lu_rec_buf *buf);

#endif /* _XEN_LIVEUPDATE_RECORDS_H */
