/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * COMMIT's records: PREPARE's, with what changed since re-read.
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
 * @who: on failure, the built-in collection that failed, or NULL.
 */
struct xen_lu_delta_stats {
	unsigned int nr_reread;
	bool changed;
	const char *who;
};

int xen_lu_delta_build(const struct xen_lu_rec_buf *old,
		       const struct xen_lu_changes *ch,
		       const struct xen_lu_rec_buf *evtchns,
		       const struct xen_lu_rec_buf *participants,
		       struct xen_lu_rec_buf *out,
		       struct xen_lu_delta_stats *st);

#endif /* _XEN_LIVEUPDATE_DELTA_H */
