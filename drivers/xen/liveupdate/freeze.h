/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Freezing dom0's backends, and the xenwatch barrier it is built on.
 */
#ifndef _XEN_LIVEUPDATE_FREEZE_H
#define _XEN_LIVEUPDATE_FREEZE_H

int xen_lu_freeze_start(void);
void xen_lu_freeze_stop(void);
int xen_lu_freeze_sync(void);
int xen_lu_freeze(void);
void xen_lu_thaw(void);

#endif /* _XEN_LIVEUPDATE_FREEZE_H */
