/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * FINISH's comparison of the records handed over with those of now.
 */
#ifndef _XEN_LIVEUPDATE_VERIFY_H
#define _XEN_LIVEUPDATE_VERIFY_H

#include <linux/types.h>

#include <xen/liveupdate.h>

struct xen_lu_rec_buf;

/**
 * struct xen_lu_verify - differences being gathered
 * @out: room for @max differences.
 * @max: entries at @out.
 * @nr: differences found, also past @max.
 * @nr_connected: backends Connected then and now.
 */
struct xen_lu_verify {
	struct xen_lu_difference *out;
	u32 max;
	u32 nr;
	u32 nr_connected;
};

void xen_lu_verify_unverified(struct xen_lu_verify *v, int err);
int xen_lu_verify_records(struct xen_lu_verify *v,
			  const struct xen_lu_rec_buf *expected,
			  const struct xen_lu_rec_buf *now);

#endif /* _XEN_LIVEUPDATE_VERIFY_H */
