// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_LU_IOCTL_COMMIT: freeze, hand over what changed, exec, and tell
 * what happened.
 *
 * The frozen window (freeze.c) holds only what grows with the changes
 * since PREPARE, never with the number of devices: the tracker's snapshot,
 * the re-reads of changed devices (delta.c), a reload of the image when
 * the records changed, and the exec.  Any failure before or in the exec
 * thaws dom0 and leaves the device PREPARED with the records the
 * hypervisor holds; the image stays staged.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/string.h>

#include "delta.h"
#include "freeze.h"
#include "handover.h"
#include "image.h"
#include "liveupdate.h"
#include "participant.h"
#include "tracker.h"
#include "xen-kexec.h"

/**
 * struct xen_lu_commit_run - one COMMIT, worked on without the device lock
 * @arg: the ioctl's argument.
 * @next: the records to hand over, when they changed.
 * @who: the participant that failed, if one did.
 * @reloaded: the image now holds @next.
 */
struct xen_lu_commit_run {
	struct xen_lu_commit *arg;
	struct xen_lu_rec_buf next;
	const char *who;
	bool reloaded;
};

static int xen_lu_commit_fail(struct xen_lu_commit_run *run, u32 check,
			      int rc)
{
	run->arg->out_check = check;
	return rc;
}

/* Frozen: re-read what changed and hand it over. */
static int xen_lu_commit_delta(struct xen_lu_commit_run *run)
{
	struct xen_lu_update *u = &xen_lu_dev.update;
	struct xen_lu_commit *arg = run->arg;
	struct xen_lu_delta_stats st = {};
	struct xen_lu_changes ch = {};
	u32 check = XEN_LU_CHECK_NONE;
	u64 dest;
	int rc;

	rc = xen_lu_tracker_changes(u->tracker, &ch);
	if (rc)
		return rc;
	arg->out_changed_domains = ch.domains;
	arg->out_changed_backends = ch.rescan ? u->records.nr_backends :
						ch.nr_dirty;
	/* Nothing seen and nobody to ask: the records handed over stand. */
	if (!ch.nr_dirty && !ch.domains && !ch.rescan &&
	    !xen_lu_participants_commit_wanted()) {
		bitmap_free(ch.dirty);
		return 0;
	}
	rc = xen_lu_delta_build(&u->records, &ch, &run->next, &st, &run->who);
	bitmap_free(ch.dirty);
	arg->out_nr_changes = st.nr_reread;
	if (rc)
		return xen_lu_commit_fail(run, st.check, rc);
	if (!st.changed)
		return 0;

	rc = xen_lu_handover_load(xen_lu_dev.image, &xen_lu_dev.staged.lu,
				  &run->next, u->generation + 1, &dest, &check);
	if (rc) {
		xen_lu_rec_buf_free(&run->next);
		return xen_lu_commit_fail(run, check, rc);
	}
	run->reloaded = true;
	arg->out_reloaded = 1;
	return 0;
}

/* Put PREPARE's records back after a failure that followed a reload. */
static void xen_lu_commit_unload_delta(struct xen_lu_commit_run *run)
{
	struct xen_lu_update *u = &xen_lu_dev.update;
	u32 check;
	u64 dest;

	if (!run->reloaded)
		return;
	if (!xen_lu_handover_load(xen_lu_dev.image, &xen_lu_dev.staged.lu,
				  &u->records, u->generation, &dest, &check)) {
		xen_lu_rec_buf_free(&run->next);
		return;
	}
	/* The hypervisor keeps the new records: so do we. */
	pr_err("could not hand the previous records back; generation %llu stays\n",
	       u->generation + 1);
	xen_lu_rec_buf_free(&u->records);
	u->records = run->next;
	u->generation++;
	memset(&run->next, 0, sizeof(run->next));
}

/*
 * The device is COMMITTING: only this function touches the update, and
 * GET_INFO reads it under the lock, which is taken for every change.
 */
static int xen_lu_commit_run(struct xen_lu_commit_run *run)
{
	struct xen_lu_update *u = &xen_lu_dev.update;
	struct xen_lu_commit *arg = run->arg;
	struct xen_lu_identity after;
	ktime_t t0, t1, t2;
	int rc;

	t0 = ktime_get();
	rc = xen_lu_freeze();
	t1 = ktime_get();
	arg->out_freeze_ns = ktime_to_ns(ktime_sub(t1, t0));
	if (rc)
		return xen_lu_commit_fail(run, XEN_LU_CHECK_FREEZE, rc);
	u->frozen = true;

	rc = xen_lu_commit_delta(run);
	if (rc)
		goto thaw;

	t2 = ktime_get();
	arg->out_frozen_ns = ktime_to_ns(ktime_sub(t2, t1));
	rc = xen_lu_hv_kexec_exec(KEXEC_TYPE_LIVE_UPDATE);
	arg->out_exec_ns = ktime_to_ns(ktime_sub(ktime_get(), t2));
	if (rc) {
		pr_notice("the hypervisor's live-update exec failed: %pe\n",
			  ERR_PTR(rc));
		xen_lu_commit_fail(run, XEN_LU_CHECK_EXEC, rc);
		xen_lu_commit_unload_delta(run);
		goto thaw;
	}

	if (run->reloaded) {
		xen_lu_rec_buf_free(&u->records);
		u->records = run->next;
		u->generation++;
		memset(&run->next, 0, sizeof(run->next));
	}
	rc = xen_lu_hv_identity(&after);
	if (rc) {
		/* Executed: there is no going back; FINISH decides. */
		return xen_lu_commit_fail(run, XEN_LU_CHECK_IDENTITY, rc);
	}
	arg->out_result = xen_lu_hv_identity_equal(&u->before, &after) ?
			  XEN_LU_COMMIT_SCHEDULED : XEN_LU_COMMIT_UPDATED;
	return 0;

thaw:
	xen_lu_thaw();
	u->frozen = false;
	return rc;
}

long xen_lu_ioctl_commit(struct file *file, struct xen_lu_ucmd *ucmd)
{
	struct xen_lu_commit_run run = { .arg = ucmd->cmd };
	struct xen_lu_commit *arg = ucmd->cmd;
	struct xen_lu_update *u = &xen_lu_dev.update;
	int rc;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (arg->flags)
		return -EINVAL;
	xen_lu_clear_outputs(arg, sizeof(*arg),
			     offsetof(struct xen_lu_commit, out_result));

	rc = mutex_lock_killable(&xen_lu_dev.lock);
	if (rc)
		return rc;
	if (xen_lu_dev.state != XEN_LU_STATE_PREPARED) {
		rc = xen_lu_state_errno(XEN_LU_STATE_PREPARED,
					XEN_LU_STATE_COMMITTED);
		mutex_unlock(&xen_lu_dev.lock);
		return xen_lu_ucmd_respond(ucmd, sizeof(*arg)) ?: rc;
	}
	xen_lu_dev.state = XEN_LU_STATE_COMMITTING;
	mutex_unlock(&xen_lu_dev.lock);

	rc = xen_lu_commit_run(&run);

	mutex_lock(&xen_lu_dev.lock);
	if (!rc || arg->out_check == XEN_LU_CHECK_IDENTITY) {
		xen_lu_dev.state = XEN_LU_STATE_COMMITTED;
		u->commit_result = arg->out_result;
	} else {
		xen_lu_dev.state = XEN_LU_STATE_PREPARED;
	}
	arg->out_generation = u->generation;
	arg->out_records_len = u->records.len;
	if (run.who)
		strscpy_pad(arg->out_participant, run.who,
			    sizeof(arg->out_participant));
	mutex_unlock(&xen_lu_dev.lock);

	if (rc && arg->out_check == XEN_LU_CHECK_IDENTITY)
		pr_notice("commit: executed, but the hypervisor's identity is unreadable (%pe); finish decides\n",
			  ERR_PTR(rc));
	else if (rc)
		pr_notice("commit failed (check %u): %pe; backends thawed, still prepared\n",
			  arg->out_check, ERR_PTR(rc));
	else
		pr_info("commit: %s; generation %llu, frozen window %llu ns\n",
			arg->out_result == XEN_LU_COMMIT_UPDATED ?
			"updated" : "scheduled",
			arg->out_generation, arg->out_frozen_ns);
	return xen_lu_ucmd_respond(ucmd, sizeof(*arg)) ?: rc;
}
