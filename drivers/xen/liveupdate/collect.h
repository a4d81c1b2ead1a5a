/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The collection engine and the module's own collectors: dom0's records as
 * a records dump, the built-in collections first (domains, backends, event
 * channels), then every registered participant's.
 */
#ifndef _XEN_LIVEUPDATE_COLLECT_H
#define _XEN_LIVEUPDATE_COLLECT_H

#include <linux/types.h>

#include <xen/xen-liveupdate-participant.h>

struct xen_lu_rec_buf;

/* The built-in collections' names: no registered participant takes one. */
#define XEN_LU_COLLECT_DOMAINS		"domains"
#define XEN_LU_COLLECT_BACKENDS		"backends"
#define XEN_LU_COLLECT_EVTCHNS		"evtchns"

int xen_lu_records_collect(struct xen_lu_rec_buf *buf, char *who,
			   bool builtin_only);
const char *xen_lu_collect_builtin_name(u32 type);

int xen_lu_collect_domains(struct xen_lu_participant *p,
			   struct xen_lu_rec_buf *buf);
int xen_lu_collect_backends(struct xen_lu_participant *p,
			    struct xen_lu_rec_buf *buf);
int xen_lu_collect_evtchns(struct xen_lu_participant *p,
			   struct xen_lu_rec_buf *buf);

#endif /* _XEN_LIVEUPDATE_COLLECT_H */
