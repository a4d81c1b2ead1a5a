/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor interface: every hypercall the module makes goes through
 * here, so that what the module asked of Xen, and what Xen answered, is in
 * one place.
 */
#ifndef _XEN_LIVEUPDATE_HYPERVISOR_H
#define _XEN_LIVEUPDATE_HYPERVISOR_H

#include <linux/types.h>

#include <xen/liveupdate.h>
#include <xen/interface/kexec.h>

#include "hypervisor-sim.h"

/*
 * The live-update image type and range of the 2020 Xen live-update series,
 * which kexec-tools uses: no released Xen has them, and stock Xen answers
 * both with -EINVAL.
 */
#define KEXEC_TYPE_LIVE_UPDATE		2
#define KEXEC_RANGE_MA_LIVEUPDATE	7

int xen_lu_hv_get_range(int range, struct xen_lu_range *out);
int xen_lu_hv_kexec_load(u8 type, struct xen_kexec_segment *segs,
			 unsigned int nr, u64 entry);
int xen_lu_hv_kexec_unload(u8 type);
int xen_lu_hv_memory_map(struct xen_lu_mem_entry **map, unsigned int *nr);
int xen_lu_hv_kexec_exec(u8 type);
int xen_lu_hv_identity(struct xen_lu_identity *id);
bool xen_lu_hv_identity_equal(const struct xen_lu_identity *a,
			      const struct xen_lu_identity *b);
int xen_lu_hv_probe(void);

#ifdef XEN_LU_SIMULATOR
const struct xen_lu_sim_ops *xen_lu_hv_sim(void);
void xen_lu_hv_sim_attach(void);
void xen_lu_hv_sim_detach(void);
#else
static inline const struct xen_lu_sim_ops *xen_lu_hv_sim(void)
{
	return NULL;
}

static inline void xen_lu_hv_sim_attach(void)
{
}

static inline void xen_lu_hv_sim_detach(void)
{
}
#endif

#endif /* _XEN_LIVEUPDATE_HYPERVISOR_H */
