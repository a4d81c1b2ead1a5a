// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_LU_IOCTL_PREPARE and its undo, XEN_LU_IOCTL_CANCEL.
 *
 * PREPARE runs the pre-flight checks, starts the change tracker, collects
 * dom0's records, asks every participant, and hands the records over with
 * the image (handover.c).  Each step's failure undoes the ones before it,
 * so a refused PREPARE leaves the device STAGED with the image as staged.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/string.h>

#include <xen/xenbus.h>

#include "collect.h"
#include "handover.h"
#include "image.h"
#include "liveupdate.h"
#include "participant.h"
#include "trace.h"
#include "tracker.h"

/* A XenbusState a device passes through rather than rests in. */
static bool xen_lu_transitional(u32 state)
{
	switch (state) {
	case XenbusStateInitWait:
	case XenbusStateInitialised:
	case XenbusStateClosing:
	case XenbusStateReconfiguring:
	case XenbusStateReconfigured:
		return true;
	default:
		return false;
	}
}

/* Count the unrecordable backends; name the first. */
static void xen_lu_prepare_unrecordable(const struct xen_lu_rec_buf *rec,
					struct xen_lu_prepare *arg)
{
	const struct xen_lu_rec_dom0_backend *b;
	struct xen_lu_rec_iter it;

	xen_lu_rec_for_each(&it, rec) {
		if (it.hdr->type != XEN_LU_REC_DOM0_BACKEND)
			continue;
		b = it.body;
		if (!(b->flags & XEN_LU_BACKEND_UNRECORDABLE))
			continue;
		if (!arg->out_nr_unrecordable++) {
			arg->out_unrecordable_domid = b->frontend_domid;
			arg->out_unrecordable_devid = b->devid;
			arg->out_unrecordable_reason = b->unrecordable;
			memcpy(arg->out_unrecordable_type, b->type,
			       sizeof(arg->out_unrecordable_type));
		}
	}
}

/* Count the backends in a transitional state; name the first. */
static unsigned int xen_lu_prepare_unstable(const struct xen_lu_rec_buf *rec,
					    struct xen_lu_prepare *arg)
{
	const struct xen_lu_rec_dom0_backend *b;
	struct xen_lu_rec_iter it;
	unsigned int nr = 0;

	xen_lu_rec_for_each(&it, rec) {
		if (it.hdr->type != XEN_LU_REC_DOM0_BACKEND)
			continue;
		b = it.body;
		if (!xen_lu_transitional(b->backend_state) &&
		    !xen_lu_transitional(b->frontend_state))
			continue;
		if (!nr++) {
			arg->out_backend_frontend_domid = b->frontend_domid;
			arg->out_backend_devid = b->devid;
			arg->out_backend_state = b->backend_state;
			arg->out_frontend_state = b->frontend_state;
			memcpy(arg->out_backend_type, b->type,
			       sizeof(arg->out_backend_type));
		}
	}
	return nr;
}

/* The checks that need no collection: image type, capability, range. */
static int xen_lu_prepare_preflight(struct xen_lu_prepare *arg)
{
	const struct xen_lu_staged *st = &xen_lu_dev.staged;
	struct xen_lu_range lu;
	int rc;

	if (st->type != XEN_LU_IMAGE_LIVE_UPDATE) {
		arg->out_check = XEN_LU_CHECK_IMAGE_TYPE;
		return -EINVAL;
	}
	rc = xen_lu_hv_get_range(KEXEC_RANGE_MA_LIVEUPDATE, &lu);
	if (rc || !lu.size) {
		arg->out_check = XEN_LU_CHECK_CAPABILITY;
		return -EOPNOTSUPP;
	}
	if (lu.start != st->lu.start || lu.size != st->lu.size) {
		arg->out_check = XEN_LU_CHECK_RANGE;
		return -ESTALE;
	}
	return 0;
}

/*
 * Called with xen_lu_dev.lock held and the device STAGED; on success the
 * device is PREPARED.
 */
static int xen_lu_prepare_locked(struct xen_lu_prepare *arg)
{
	struct xen_lu_update *u = &xen_lu_dev.update;
	struct xen_lu_rec_buf rec = {};
	struct xen_lu_tracker *t;
	u32 check = XEN_LU_CHECK_NONE;
	ktime_t t0 = ktime_get(), t1;
	int rc;

	rc = xen_lu_prepare_preflight(arg);
	if (rc)
		return rc;
	rc = xen_lu_hv_identity(&u->before);
	if (rc)
		return rc;

	t = xen_lu_tracker_start();
	if (IS_ERR(t)) {
		arg->out_check = XEN_LU_CHECK_COLLECT;
		strscpy_pad(arg->out_participant, "tracker",
			    sizeof(arg->out_participant));
		return PTR_ERR(t);
	}
	rc = xen_lu_records_collect(&rec, arg->out_participant, false);
	if (rc) {
		arg->out_check = XEN_LU_CHECK_COLLECT;
		goto stop;
	}
	xen_lu_prepare_unrecordable(&rec, arg);
	/* Reported, never refused: a guest sets its own frontend's state. */
	arg->out_nr_unstable = xen_lu_prepare_unstable(&rec, arg);
	rc = xen_lu_tracker_index(t, &rec);
	if (rc)
		goto free;
	rc = xen_lu_participants_prepare(arg->out_participant);
	if (rc) {
		arg->out_check = XEN_LU_CHECK_PARTICIPANT;
		goto free;
	}

	t1 = ktime_get();
	rc = xen_lu_handover_load(xen_lu_dev.image, &xen_lu_dev.staged.lu,
				  &rec, 1, &u->records_dest, &check);
	trace_xen_lu_prepare(rc, ktime_to_ns(ktime_sub(t1, t0)),
			     ktime_to_ns(ktime_sub(ktime_get(), t1)), rec.len);
	if (rc) {
		arg->out_check = check;
		xen_lu_participants_end(false);
		goto free;
	}

	u->records = rec;
	xen_lu_rec_sections(&u->records, &u->sections);
	u->generation = 1;
	u->tracker = t;
	xen_lu_dev.state = XEN_LU_STATE_PREPARED;
	arg->out_records_len = rec.len;
	arg->out_records_dest = u->records_dest;
	arg->out_nr_domains = rec.nr_domains;
	arg->out_nr_backends = rec.nr_backends;
	arg->out_nr_evtchns = rec.nr_evtchns;
	arg->out_nr_participants = rec.nr_participants;
	pr_info("prepared: %u domains, %u backends (%u transitional, %u unrecordable), %u event channels, %u participant records\n",
		rec.nr_domains, rec.nr_backends, arg->out_nr_unstable,
		arg->out_nr_unrecordable, rec.nr_evtchns,
		rec.nr_participants);
	return 0;

free:
	xen_lu_rec_buf_free(&rec);
stop:
	xen_lu_tracker_stop(t);
	memset(u, 0, sizeof(*u));
	return rc;
}

long xen_lu_ioctl_prepare(struct file *file, struct xen_lu_ucmd *ucmd)
{
	struct xen_lu_prepare *arg = ucmd->cmd;
	int rc;

	rc = mutex_lock_killable(&xen_lu_dev.lock);
	if (rc)
		return rc;
	if (xen_lu_dev.state == XEN_LU_STATE_STAGED)
		rc = xen_lu_prepare_locked(arg);
	else
		rc = xen_lu_state_errno(XEN_LU_STATE_STAGED,
					XEN_LU_STATE_PREPARED);
	mutex_unlock(&xen_lu_dev.lock);
	if (rc && arg->out_check)
		pr_notice("prepare refused (check %u): %pe\n", arg->out_check,
			  ERR_PTR(rc));
	return xen_lu_ucmd_respond(ucmd, sizeof(*arg)) ?: rc;
}

/*
 * PREPARED: the image as staged first; if Xen refuses, nothing changed.
 * COMMITTED: unload first, so a scheduled exec can no longer run.
 * Called with xen_lu_dev.lock held.
 */
static int xen_lu_cancel_locked(void)
{
	int rc;

	switch (xen_lu_dev.state) {
	case XEN_LU_STATE_PREPARED:
		rc = xen_lu_image_load(xen_lu_dev.image, NULL);
		if (rc) {
			pr_notice("hypervisor refused the staged image back: %pe\n",
				  ERR_PTR(rc));
			return rc;
		}
		xen_lu_update_end(false);
		xen_lu_dev.state = XEN_LU_STATE_STAGED;
		pr_info("update cancelled: the image is staged as it was\n");
		return 0;
	case XEN_LU_STATE_COMMITTED:
		rc = xen_lu_hv_kexec_unload(KEXEC_TYPE_LIVE_UPDATE);
		if (rc) {
			pr_notice("cancel: the hypervisor refused to unload the image: %pe; still committed\n",
				  ERR_PTR(rc));
			return rc;
		}
		xen_lu_update_end(false);
		xen_lu_image_forget_locked();
		pr_info("committed update cancelled: image unloaded, dom0 thawed\n");
		return 0;
	default:
		return xen_lu_state_errno(XEN_LU_STATE_PREPARED,
					  XEN_LU_STATE_STAGED);
	}
}

long xen_lu_ioctl_cancel(struct file *file, struct xen_lu_ucmd *ucmd)
{
	int rc;

	rc = mutex_lock_killable(&xen_lu_dev.lock);
	if (rc)
		return rc;
	rc = xen_lu_cancel_locked();
	mutex_unlock(&xen_lu_dev.lock);
	return rc;
}
