// SPDX-License-Identifier: GPL-2.0-only
/*
 * dom0's event channels as the hypervisor sees them: EVTCHNOP_status for
 * every port until Xen says the port is out of range, one
 * XEN_LU_REC_DOM0_EVTCHN record per open port.
 */

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/sched.h>

#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>
#include <asm/xen/hypercall.h>

#include "collect.h"
#include "delta.h"
#include "records.h"

/* The FIFO ABI's limit; the 2-level ABI ends far below. */
#define XEN_LU_MAX_PORTS	BIT(17)

static void xen_lu_evtchn_fill(struct xen_lu_rec_dom0_evtchn *rec,
			       const struct evtchn_status *st)
{
	rec->port = st->port;
	rec->status = st->status;
	rec->vcpu = st->vcpu;
	switch (st->status) {
	case EVTCHNSTAT_unbound:
		rec->remote_domid = st->u.unbound.dom;
		break;
	case EVTCHNSTAT_interdomain:
		rec->remote_domid = st->u.interdomain.dom;
		rec->remote_port = st->u.interdomain.port;
		break;
	case EVTCHNSTAT_pirq:
		rec->irq = st->u.pirq;
		break;
	case EVTCHNSTAT_virq:
		rec->irq = st->u.virq;
		break;
	}
}

int xen_lu_evtchns_read(struct xen_lu_rec_buf *buf)
{
	struct xen_lu_rec_dom0_evtchn *rec;
	struct evtchn_status st;
	evtchn_port_t port;
	int rc;

	/* Port 0 is never used. */
	for (port = 1; port < XEN_LU_MAX_PORTS; port++) {
		st = (struct evtchn_status){ .dom = DOMID_SELF, .port = port };
		rc = HYPERVISOR_event_channel_op(EVTCHNOP_status, &st);
		if (rc == -EINVAL)
			break;		/* past the last valid port */
		if (rc)
			return rc;
		if (st.status == EVTCHNSTAT_closed)
			continue;
		rec = xen_lu_rec_reserve(buf, XEN_LU_REC_DOM0_EVTCHN,
					 sizeof(*rec));
		if (IS_ERR(rec))
			return PTR_ERR(rec);
		xen_lu_evtchn_fill(rec, &st);
		cond_resched();
	}
	return 0;
}

int xen_lu_collect_evtchns(struct xen_lu_participant *p,
			   struct xen_lu_rec_buf *buf)
{
	return xen_lu_evtchns_read(buf);
}
