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

/* A machine address range answered by KEXEC_CMD_kexec_get_range. */
struct xen_lu_range {
	u64 start;
	u64 size;
};

/* What the running hypervisor says it is. */
struct xen_lu_identity {
	u32 major;
	u32 minor;
	char extraversion[XEN_LU_EXTRAVERSION_LEN];
	char changeset[XEN_LU_CHANGESET_LEN];
	u32 build_id_len;	/* 0: no build id, see build_id_err */
	int build_id_err;	/* negative errno of XENVER_build_id, or 0 */
	u8 build_id[XEN_LU_BUILD_ID_MAX];
};

struct xen_kexec_segment;

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

struct xen_lu_sim_ops;
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
