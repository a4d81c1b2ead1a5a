// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test builds only (XEN_LU_SIMULATOR=y): route the live-update hypercalls
 * to the SIMULATED live-update hypervisor when xen_lu_sim.ko is loaded
 * (hypervisor-sim.h).
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/panic.h>

#include "hypervisor.h"

/* Set at module init, cleared at exit; read-only in between. */
static const struct xen_lu_sim_ops *xen_lu_sim;

/**
 * xen_lu_hv_sim() - the simulator, if this build uses one
 *
 * Return: the simulated live-update hypercalls, or NULL: use Xen's.
 */
const struct xen_lu_sim_ops *xen_lu_hv_sim(void)
{
	return xen_lu_sim;
}

void xen_lu_hv_sim_attach(void)
{
	xen_lu_sim = symbol_get(xen_lu_sim_ops);
	if (!xen_lu_sim) {
		pr_info("test build: no simulator loaded, live-update hypercalls go to Xen\n");
		return;
	}
	add_taint(TAINT_TEST, LOCKDEP_STILL_OK);
	xen_lu_sim->attached(true);
	pr_warn("SIMULATED live-update hypervisor attached (%s): live-update hypercalls are simulated\n",
		xen_lu_sim->name);
}

void xen_lu_hv_sim_detach(void)
{
	if (!xen_lu_sim)
		return;
	xen_lu_sim->attached(false);
	xen_lu_sim = NULL;
	symbol_put(xen_lu_sim_ops);
}
