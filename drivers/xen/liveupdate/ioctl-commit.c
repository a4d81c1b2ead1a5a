// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_LU_IOCTL_COMMIT: freeze, hand over what changed, exec, and tell
 * what happened; and the cold exec of a staged cold image.
 *
 * The participants' commit() runs before the freeze (UAPI "Participants
 * and the freeze").  The frozen window holds only what grows with the
 * changes since PREPARE, never with the number of devices: the tracker's
 * snapshot, dom0's event channels, the re-reads of changed devices
 * (delta.c), a reload of the image when the records changed, and the
 * exec.  Any failure before or in the exec thaws dom0 and leaves the
 * device PREPARED with the records the hypervisor holds; the image stays
 * staged.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/string.h>

#include "collect.h"
#include "delta.h"
#include "handover.h"
#include "image.h"
#include "liveupdate.h"
#include "participant.h"
#include "tracker.h"

/**
 * struct xen_lu_commit_run - one COMMIT, worked on without the device lock
 * @arg: the ioctl's argument.
 * @participants: the participants' records, gathered before the freeze.
 * @evtchns: dom0's event channels, read in the freeze.
 * @next: the records to hand over, when they changed.
 * @who: the participant or collection that failed, if one did.
 * @reloaded: the image now holds @next.
 */
struct xen_lu_commit_run {
	struct xen_lu_commit *arg;
	struct xen_lu_rec_buf participants;
	struct xen_lu_rec_buf evtchns;
	struct xen_lu_rec_buf next;
	char who[XEN_LU_PARTICIPANT_NAME_LEN];
	bool reloaded;
};

static int xen_lu_commit_fail(struct xen_lu_commit_run *run, u32 check,
			      int rc)
{
	run->arg->out_check = check;
	return rc;
}

static int xen_lu_commit_fail_in(struct xen_lu_commit_run *run,
				 const char *who, int rc)
{
	strscpy_pad(run->who, who, sizeof(run->who));
	return xen_lu_commit_fail(run, XEN_LU_CHECK_COLLECT, rc);
}

/* Nothing seen by the tracker, and the same event channels and participants. */
static bool xen_lu_commit_unchanged(struct xen_lu_commit_run *run,
				    const struct xen_lu_changes *ch)
{
	const struct xen_lu_update *u = &xen_lu_dev.update;

	return !ch->nr_dirty && !ch->domains && !ch->rescan &&
	       xen_lu_rec_section_equal(&u->records, &u->sections.evtchns,
					&run->evtchns) &&
	       xen_lu_rec_section_equal(&u->records,
					&u->sections.participants,
					&run->participants);
}

/* Frozen: re-read what changed and hand it over. */
static int xen_lu_commit_delta(struct xen_lu_commit_run *run)
{
	struct xen_lu_update *u = &xen_lu_dev.update;
	struct xen_lu_commit *arg = run->arg;
	struct xen_lu_delta_stats st = { .failed = XEN_LU_REC_END };
	struct xen_lu_changes ch = {};
	u32 check = XEN_LU_CHECK_NONE;
	const char *who;
	u64 dest;
	int rc;

	rc = xen_lu_tracker_changes(u->tracker, &ch);
	if (rc)
		return xen_lu_commit_fail_in(run, "tracker", rc);
	arg->out_changed_domains = ch.domains;
	arg->out_changed_backends = ch.rescan ? u->records.nr_backends :
						ch.nr_dirty;
	rc = xen_lu_evtchns_read(&run->evtchns);
	if (rc) {
		who = xen_lu_collect_builtin_name(XEN_LU_REC_DOM0_EVTCHN);
		rc = xen_lu_commit_fail_in(run, who, rc);
		goto out;
	}
	if (xen_lu_commit_unchanged(run, &ch))
		goto out;
	rc = xen_lu_delta_build(&u->records, &ch, &run->evtchns,
				&run->participants, &run->next, &st);
	arg->out_nr_changes = st.nr_reread;
	if (rc) {
		who = xen_lu_collect_builtin_name(st.failed) ?: "records";
		rc = xen_lu_commit_fail_in(run, who, rc);
		goto out;
	}
	if (!st.changed)
		goto out;

	rc = xen_lu_handover_load(xen_lu_dev.image, &xen_lu_dev.staged.lu,
				  &run->next, u->generation + 1, &dest, &check);
	if (rc) {
		xen_lu_rec_buf_free(&run->next);
		rc = xen_lu_commit_fail(run, check, rc);
		goto out;
	}
	run->reloaded = true;
	arg->out_reloaded = 1;
out:
	bitmap_free(ch.dirty);
	return rc;
}

/* Make @run->next the records handed over; with xen_lu_dev.lock held. */
static void xen_lu_commit_publish_locked(struct xen_lu_commit_run *run)
{
	struct xen_lu_update *u = &xen_lu_dev.update;

	lockdep_assert_held(&xen_lu_dev.lock);
	xen_lu_rec_buf_free(&u->records);
	u->records = run->next;
	u->generation++;
	xen_lu_rec_sections(&u->records, &u->sections);
	memset(&run->next, 0, sizeof(run->next));
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
	/*
	 * The hypervisor keeps the new records: so do we.  The tracker's
	 * index was built from the old ones; from now on it re-reads all.
	 */
	pr_err("could not hand the previous records back; generation %llu stays\n",
	       u->generation + 1);
	mutex_lock(&xen_lu_dev.lock);
	xen_lu_commit_publish_locked(run);
	mutex_unlock(&xen_lu_dev.lock);
	xen_lu_tracker_rescan(u->tracker);
}

/*
 * The device is COMMITTING: no other command changes the update, and
 * readers read it under the lock, which every change here takes.
 */
static int xen_lu_commit_run(struct xen_lu_commit_run *run)
{
	struct xen_lu_update *u = &xen_lu_dev.update;
	struct xen_lu_commit *arg = run->arg;
	struct xen_lu_identity after;
	ktime_t t0, t1, t2;
	int rc;

	rc = xen_lu_participants_commit(&u->records, &run->participants,
					run->who);
	if (rc)
		return xen_lu_commit_fail(run, XEN_LU_CHECK_PARTICIPANT, rc);

	t0 = ktime_get();
	rc = xen_lu_update_freeze();
	t1 = ktime_get();
	arg->out_freeze_ns = ktime_to_ns(ktime_sub(t1, t0));
	if (rc)
		return xen_lu_commit_fail(run, XEN_LU_CHECK_FREEZE, rc);

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
		mutex_lock(&xen_lu_dev.lock);
		xen_lu_commit_publish_locked(run);
		mutex_unlock(&xen_lu_dev.lock);
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
	mutex_lock(&xen_lu_dev.lock);
	xen_lu_update_thaw_locked();
	mutex_unlock(&xen_lu_dev.lock);
	return rc;
}

/*
 * XEN_LU_COMMIT_COLD: execute the staged cold image.  Called with
 * xen_lu_dev.lock held; returns only when the hypervisor refused.
 */
static int xen_lu_commit_cold_locked(struct xen_lu_commit *arg)
{
	int rc;

	if (xen_lu_dev.state != XEN_LU_STATE_STAGED)
		return xen_lu_state_errno(XEN_LU_STATE_STAGED,
					  XEN_LU_STATE_COMMITTED);
	if (xen_lu_dev.staged.type != XEN_LU_IMAGE_COLD) {
		arg->out_check = XEN_LU_CHECK_IMAGE_TYPE;
		return -EINVAL;
	}
	pr_emerg("executing the staged cold image: the hypervisor is replaced, every domain is lost\n");
	rc = xen_lu_hv_kexec_exec(KEXEC_TYPE_DEFAULT);
	arg->out_check = XEN_LU_CHECK_EXEC;
	pr_err("the hypervisor refused the cold exec: %pe\n", ERR_PTR(rc));
	return rc;
}

long xen_lu_ioctl_commit(struct file *file, struct xen_lu_ucmd *ucmd)
{
	struct xen_lu_commit_run run = { .arg = ucmd->cmd };
	struct xen_lu_commit *arg = ucmd->cmd;
	struct xen_lu_update *u = &xen_lu_dev.update;
	int rc;

	rc = mutex_lock_killable(&xen_lu_dev.lock);
	if (rc)
		return rc;
	if (arg->flags & XEN_LU_COMMIT_COLD) {
		rc = xen_lu_commit_cold_locked(arg);
		mutex_unlock(&xen_lu_dev.lock);
		return xen_lu_ucmd_respond(ucmd, sizeof(*arg)) ?: rc;
	}
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
		xen_lu_watchdog_arm();
	} else {
		xen_lu_dev.state = XEN_LU_STATE_PREPARED;
	}
	arg->out_generation = u->generation;
	arg->out_records_len = u->records.len;
	memcpy(arg->out_participant, run.who, sizeof(arg->out_participant));
	mutex_unlock(&xen_lu_dev.lock);
	xen_lu_rec_buf_free(&run.participants);
	xen_lu_rec_buf_free(&run.evtchns);

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
