/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Handing dom0's records to the hypervisor with the live-update image.
 */
#ifndef _XEN_LIVEUPDATE_HANDOVER_H
#define _XEN_LIVEUPDATE_HANDOVER_H

#include <linux/types.h>

struct xen_lu_image;
struct xen_lu_range;
struct xen_lu_rec_buf;

int xen_lu_handover_load(const struct xen_lu_image *img,
			 const struct xen_lu_range *lu,
			 const struct xen_lu_rec_buf *records, u64 generation,
			 u64 *dest, u32 *check);

#endif /* _XEN_LIVEUPDATE_HANDOVER_H */
