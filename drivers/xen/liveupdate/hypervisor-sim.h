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
 */
#ifndef _XEN_LIVEUPDATE_HYPERVISOR_SIM_H
#define _XEN_LIVEUPDATE_HYPERVISOR_SIM_H

#include "hypervisor.h"
#include "xen-kexec.h"

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
 */
struct xen_lu_sim_ops {
	const char *name;
	int (*get_range)(struct xen_lu_range *out);
	int (*load)(const struct xen_kexec_segment *segs, unsigned int nr,
		    u64 entry);
	int (*unload)(void);
	int (*exec)(void);
	void (*identity)(struct xen_lu_identity *id);
};

extern const struct xen_lu_sim_ops xen_lu_sim_ops;

#endif /* _XEN_LIVEUPDATE_HYPERVISOR_SIM_H */
