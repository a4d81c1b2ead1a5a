// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_LU_IOCTL_FINISH: once xen#2 runs, check that dom0's view survived,
 * then thaw, tell the participants, and count the update.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "collect.h"
#include "image.h"
#include "liveupdate.h"
#include "trace.h"
#include "verify.h"

/* Differences gathered in the kernel at most; more are only counted. */
#define XEN_LU_MAX_DIFFERENCES	4096

/*
 * Is xen#2 running?  With XEN_LU_FINISH_UNCHANGED the operator says it
 * does not matter: the image is unloaded so that nothing runs later.
 */
static int xen_lu_finish_check_identity(const struct xen_lu_finish *arg)
{
	struct xen_lu_identity id;
	int rc;

	rc = xen_lu_hv_identity(&id);
	if (rc)
		return rc;
	if (!xen_lu_hv_identity_equal(&xen_lu_dev.update.before, &id))
		return 0;
	if (!(arg->flags & XEN_LU_FINISH_UNCHANGED))
		return -EAGAIN;
	rc = xen_lu_hv_kexec_unload(KEXEC_TYPE_LIVE_UPDATE);
	if (!rc)
		pr_notice("finish: the hypervisor is unchanged, finished on request; image unloaded\n");
	return rc;
}

/*
 * Called with xen_lu_dev.lock held and the device COMMITTED.  Once the
 * identity is settled FINISH always finishes: a collection that fails is
 * one difference, not a reason to stay frozen.  The collection is the
 * module's own (no participant runs while dom0 may be frozen).
 */
static int xen_lu_finish_locked(struct xen_lu_finish *arg,
				struct xen_lu_verify *v)
{
	struct xen_lu_update *u = &xen_lu_dev.update;
	struct xen_lu_rec_buf now = {};
	ktime_t t0 = ktime_get();
	int rc;

	rc = xen_lu_finish_check_identity(arg);
	if (rc)
		return rc;

	rc = xen_lu_records_collect(&now, NULL, true);
	if (!rc)
		rc = xen_lu_verify_records(v, &u->records, &now);
	if (rc)
		xen_lu_verify_unverified(v, rc);
	trace_xen_lu_finish(v->nr, ktime_to_ns(ktime_sub(ktime_get(), t0)));
	arg->out_nr_domains = now.nr_domains;
	arg->out_nr_backends = now.nr_backends;
	arg->out_nr_evtchns = now.nr_evtchns;
	xen_lu_rec_buf_free(&now);

	arg->out_nr_differences = v->nr;
	arg->out_nr_connected = v->nr_connected;
	arg->out_generation = u->generation;
	xen_lu_update_end(true);
	/* The exec consumed the image: the hypervisor's slot is empty. */
	xen_lu_image_forget_locked();
	arg->out_updates = ++xen_lu_dev.updates;
	pr_info("update %llu finished: %u differences, %u of the backends Connected before still are\n",
		xen_lu_dev.updates, v->nr, v->nr_connected);
	return 0;
}

long xen_lu_ioctl_finish(struct file *file, struct xen_lu_ucmd *ucmd)
{
	struct xen_lu_finish *arg = ucmd->cmd;
	struct xen_lu_verify v = {};
	int rc;

	v.max = min_t(u32, arg->max_differences, XEN_LU_MAX_DIFFERENCES);
	if (!arg->differences)
		v.max = 0;
	v.out = kvcalloc(max(v.max, 1U), sizeof(*v.out), GFP_KERNEL);
	if (!v.out)
		return -ENOMEM;

	rc = mutex_lock_killable(&xen_lu_dev.lock);
	if (rc) {
		kvfree(v.out);
		return rc;
	}
	if (xen_lu_dev.state == XEN_LU_STATE_COMMITTED)
		rc = xen_lu_finish_locked(arg, &v);
	else
		rc = xen_lu_state_errno(XEN_LU_STATE_COMMITTED,
					XEN_LU_STATE_IDLE);
	mutex_unlock(&xen_lu_dev.lock);

	/* Finished is finished: a bad buffer loses only the details. */
	if (!rc && v.max &&
	    copy_to_user(u64_to_user_ptr(arg->differences), v.out,
			 array_size(min(v.nr, v.max), sizeof(*v.out))))
		rc = -EFAULT;
	kvfree(v.out);
	return xen_lu_ucmd_respond(ucmd, sizeof(*arg)) ?: rc;
}
