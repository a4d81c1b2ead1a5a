/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Handing dom0's records to the hypervisor with the live-update image.
 */
#ifndef _XEN_LIVEUPDATE_HANDOVER_H
#define _XEN_LIVEUPDATE_HANDOVER_H

#include <linux/types.h>

struct xen_kexec_segment;
struct xen_lu_image;
struct xen_lu_range;
struct xen_lu_rec_buf;

void xen_lu_image_kexec_segments(const struct xen_lu_image *img,
				 struct xen_kexec_segment *segs);
int xen_lu_handover_load(const struct xen_lu_image *img,
			 const struct xen_lu_range *lu,
			 const struct xen_lu_rec_buf *records, u64 generation,
			 u64 *dest, u32 *check);
int xen_lu_handover_restore(const struct xen_lu_image *img);

#endif /* _XEN_LIVEUPDATE_HANDOVER_H */
