/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What changed in xenstore since PREPARE, device by device.
 */
#ifndef _XEN_LIVEUPDATE_TRACKER_H
#define _XEN_LIVEUPDATE_TRACKER_H

#include <linux/types.h>

struct xen_lu_tracker;
struct xen_lu_rec_buf;

/**
 * struct xen_lu_changes - a snapshot of what the tracker saw
 * @dirty: one bit per backend record indexed, in record order.
 * @nr_bits: bits in @dirty: the backend records the index was built from.
 * @nr_dirty: bits set in @dirty.
 * @domains: a domain appeared, went away or was renamed.
 * @rescan: a change that cannot be pinned on one known device (a new
 *	device, a removed directory): every backend must be re-read.
 */
struct xen_lu_changes {
	unsigned long *dirty;
	unsigned int nr_bits;
	unsigned int nr_dirty;
	bool domains;
	bool rescan;
};

struct xen_lu_tracker *xen_lu_tracker_start(void);
int xen_lu_tracker_index(struct xen_lu_tracker *t,
			 const struct xen_lu_rec_buf *records);
int xen_lu_tracker_take(struct xen_lu_tracker *t, struct xen_lu_changes *out);
void xen_lu_tracker_give_back(struct xen_lu_tracker *t,
			      const struct xen_lu_changes *ch);
int xen_lu_tracker_reindex(struct xen_lu_tracker *t,
			   const struct xen_lu_rec_buf *records);
void xen_lu_tracker_rescan(struct xen_lu_tracker *t);
void xen_lu_tracker_stop(struct xen_lu_tracker *t);

#endif /* _XEN_LIVEUPDATE_TRACKER_H */
