/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The interface between xen_liveupdate, when built with XEN_LU_SIMULATOR=y,
 * and the test suite's SIMULATED live-update hypervisor, xen_lu_sim.ko
 * (tests/simulator/, Documentation/dev-tools/xen-liveupdate-simulator.rst).
 *
 * No Xen that runs on the test machines implements the live-update
 * hypercalls.  The simulator answers exactly those, and only those:
 * get_range(KEXEC_RANGE_MA_LIVEUPDATE) and load, unload and exec of
 * KEXEC_TYPE_LIVE_UPDATE, plus the hypervisor identity it presents once
 * it has "updated".  Everything else still goes to the real Xen.
 *
 * xen_lu_sim.ko exports xen_lu_sim_ops and depends on nothing of ours;
 * xen_liveupdate takes it with symbol_get() at load time when it is there,
 * so xen_liveupdate can be unloaded at any point of a sequence while the
 * simulator stays.  Production builds contain none of this.
 *
 * This header is the whole of that interface: the simulator includes it
 * and no other header of the driver, and it includes only public ones
 * (the UAPI and Xen's kexec ABI).  It holds what both sides speak: the
 * hypervisor's answers (struct xen_lu_range, struct xen_lu_identity) and
 * the simulated hypercalls (struct xen_lu_sim_ops).  The live-update
 * values KEXEC_TYPE_LIVE_UPDATE and KEXEC_RANGE_MA_LIVEUPDATE are not
 * part of it: the module routes those calls to the simulator, which never
 * sees them.
 */
#ifndef _XEN_LIVEUPDATE_HYPERVISOR_SIM_H
#define _XEN_LIVEUPDATE_HYPERVISOR_SIM_H

#include <linux/types.h>

#include <xen/liveupdate.h>
#include <xen/interface/kexec.h>

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

/**
 * struct xen_lu_sim_ops - the simulated live-update hypercalls
 * @name: how logs and lu-ctl status name it; contains "simulated".
 * @get_range: KEXEC_CMD_kexec_get_range(KEXEC_RANGE_MA_LIVEUPDATE).
 * @load: KEXEC_CMD_kexec_load(KEXEC_TYPE_LIVE_UPDATE): @segs' buffers are
 *	kernel memory for the call; replaces the loaded image only when all
 *	of it is accepted.  Return 0 or Xen's negative errno.
 * @unload: KEXEC_CMD_kexec_unload(KEXEC_TYPE_LIVE_UPDATE); 0 when empty.
 * @exec: KEXEC_CMD_kexec(KEXEC_TYPE_LIVE_UPDATE): the handover.  0 when it
 *	returned (updated, or deferred), else a negative errno and nothing
 *	changed, the image still loaded.
 * @identity: called after the real XENVER_* reads; rewrites @id into the
 *	identity of the simulated xen#2 once an update has completed.
 * @attached: told true when xen_liveupdate starts sending the live-update
 *	hypercalls here (its load), false when it stops (its unload): the
 *	simulator, not xen_liveupdate's ABI, says whether updates are
 *	simulated (/sys/module/xen_lu_sim/parameters/attached).
 */
struct xen_lu_sim_ops {
	const char *name;
	int (*get_range)(struct xen_lu_range *out);
	int (*load)(const struct xen_kexec_segment *segs, unsigned int nr,
		    u64 entry);
	int (*unload)(void);
	int (*exec)(void);
	void (*identity)(struct xen_lu_identity *id);
	void (*attached)(bool attached);
};

extern const struct xen_lu_sim_ops xen_lu_sim_ops;

#endif /* _XEN_LIVEUPDATE_HYPERVISOR_SIM_H */
