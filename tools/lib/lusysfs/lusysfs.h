/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What lu-ctl and the selftests read from sysfs: a one-line attribute,
 * and whether the test suite's SIMULATED live-update hypervisor answers
 * the live-update hypercalls.
 */
#ifndef LUSYSFS_H
#define LUSYSFS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The simulator says itself whether xen_liveupdate sends it the
 * live-update hypercalls: a property of the test setup, not of the
 * device's ABI (Documentation/dev-tools/xen-liveupdate-simulator.rst).
 */
#define LU_SIM_ATTACHED "/sys/module/xen_lu_sim/parameters/attached"

/* Read the one-line file @path into @buf without its newline; 0 or -errno. */
int lu_sysfs_read_line(const char *path, char *buf, size_t len);

/* Does the simulator answer the live-update hypercalls (LU_SIM_ATTACHED)? */
bool lu_simulated(void);

#endif
