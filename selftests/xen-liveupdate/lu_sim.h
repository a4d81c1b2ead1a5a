/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Does the test suite's SIMULATED live-update hypervisor answer the
 * live-update hypercalls?  The simulator says so itself
 * (Documentation/dev-tools/xen-liveupdate-simulator.rst); GET_INFO does
 * not since ABI 6.
 */
#ifndef LU_SIM_H
#define LU_SIM_H

#include <stdbool.h>
#include <stdio.h>

#define LU_SIM_ATTACHED "/sys/module/xen_lu_sim/parameters/attached"

static inline bool lu_simulated(void)
{
	FILE *f = fopen(LU_SIM_ATTACHED, "re");
	int c;

	if (!f)
		return false;
	c = fgetc(f);
	fclose(f);
	return c == 'Y';
}

#endif /* LU_SIM_H */
