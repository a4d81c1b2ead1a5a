// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_LU_IOCTL_COMMIT: freeze, hand over what changed, exec, and tell
 * what happened; and the cold exec of a staged cold image.
 *
 * The participants' commit() runs before the freeze (UAPI "Participants
 * and the freeze"), then the precopy rounds (DOC: Precopy below) hand
 * over what changed since PREPARE while dom0 still runs.  The frozen
 * window holds only what changed during the last round, never what grows
 * with the number of devices: the tracker's snapshot, dom0's event
 * channels, the re-reads of devices changed meanwhile (delta.c), a
 * reload of the image when the records changed, and the exec.  Any
 * failure before or in the exec thaws dom0 and leaves the device
 * PREPARED with the records handed over before the COMMIT; the image
 * stays staged.
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
#include "trace.h"
#include "tracker.h"

/* Precopy rounds at most, before the freeze. */
#define XEN_LU_PRECOPY_ROUNDS	8

/**
 * struct xen_lu_commit_run - one COMMIT, worked on without the device lock
 * @arg: the ioctl's argument.
 * @participants: the participants' records, gathered before the freeze.
 * @evtchns: dom0's event channels, read in the last step.
 * @next: the records loaded with the image in this COMMIT, when
 *	@reloaded; they become the ones handed over once executed.
 * @generation: @next's generation.
 * @sections: the event-channel and participant sections of the records
 *	the hypervisor holds now (@next, or the device's).
 * @taken: every change taken from the tracker in this COMMIT; given back
 *	when the COMMIT fails with the previous records handed over.
 * @rounds: precopy rounds that re-read or reloaded.
 * @nr_precopy: records re-read before the freeze.
 * @reloads: image reloads in this COMMIT.
 * @who: the participant or collection that failed, if one did.
 * @reloaded: the image holds @next.
 * @reindexed: the tracker was indexed with @next.
 * @frozen_ns: the frozen window, frozen -> exec issued, for the log.
 */
struct xen_lu_commit_run {
	struct xen_lu_commit *arg;
	struct xen_lu_rec_buf participants;
	struct xen_lu_rec_buf evtchns;
	struct xen_lu_rec_buf next;
	u64 generation;
	struct xen_lu_rec_sections sections;
	struct xen_lu_changes taken;
	unsigned int rounds;
	unsigned int nr_precopy;
	unsigned int reloads;
	char who[XEN_LU_PARTICIPANT_NAME_LEN];
	bool reloaded;
	bool reindexed;
	u64 frozen_ns;
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

/* The records the hypervisor holds now. */
static const struct xen_lu_rec_buf *
xen_lu_commit_current(const struct xen_lu_commit_run *run)
{
	return run->reloaded ? &run->next : &xen_lu_dev.update.records;
}

/* Take what changed since the last take, adding it to @run->taken. */
static int xen_lu_commit_take(struct xen_lu_commit_run *run,
			      struct xen_lu_changes *ch)
{
	struct xen_lu_changes *all = &run->taken;
	int rc;

	rc = xen_lu_tracker_take(xen_lu_dev.update.tracker, ch);
	if (rc)
		return xen_lu_commit_fail_in(run, "tracker", rc);
	all->domains |= ch->domains;
	all->rescan |= ch->rescan;
	if (!all->dirty) {
		all->dirty = bitmap_zalloc(max(ch->nr_bits, 1U), GFP_KERNEL);
		all->nr_bits = ch->nr_bits;
		if (!all->dirty)
			all->rescan = true;
	}
	if (all->dirty && all->nr_bits == ch->nr_bits) {
		bitmap_or(all->dirty, all->dirty, ch->dirty, ch->nr_bits);
		all->nr_dirty = bitmap_weight(all->dirty, all->nr_bits);
	} else if (ch->nr_dirty) {
		all->rescan = true;
	}
	return 0;
}

/* Nothing seen by the tracker, and the same event channels and participants. */
static bool xen_lu_commit_unchanged(struct xen_lu_commit_run *run,
				    const struct xen_lu_changes *ch)
{
	const struct xen_lu_rec_buf *cur = xen_lu_commit_current(run);

	return !ch->nr_dirty && !ch->domains && !ch->rescan &&
	       xen_lu_rec_section_equal(cur, &run->sections.evtchns,
					&run->evtchns) &&
	       xen_lu_rec_section_equal(cur, &run->sections.participants,
					&run->participants);
}

/*
 * One delta: re-read what @ch says changed and dom0's event channels,
 * and reload the image when the records changed.  @nr_reread counts the
 * records re-read.
 */
static int xen_lu_commit_step(struct xen_lu_commit_run *run,
			      const struct xen_lu_changes *ch,
			      unsigned int *nr_reread)
{
	const struct xen_lu_rec_buf *cur = xen_lu_commit_current(run);
	struct xen_lu_delta_stats st = { .failed = XEN_LU_REC_END };
	struct xen_lu_rec_buf next = {};
	u32 check = XEN_LU_CHECK_NONE;
	u64 dest;
	int rc;

	xen_lu_rec_buf_free(&run->evtchns);
	rc = xen_lu_evtchns_read(&run->evtchns);
	if (rc)
		return xen_lu_commit_fail_in(run,
				xen_lu_collect_builtin_name(XEN_LU_REC_DOM0_EVTCHN),
				rc);
	if (xen_lu_commit_unchanged(run, ch))
		return 0;
	rc = xen_lu_delta_build(cur, ch, &run->evtchns, &run->participants,
				&next, &st);
	*nr_reread += st.nr_reread;
	if (rc)
		return xen_lu_commit_fail_in(run,
				xen_lu_collect_builtin_name(st.failed) ?: "records",
				rc);
	if (!st.changed)
		return 0;

	rc = xen_lu_handover_load(xen_lu_dev.image, &xen_lu_dev.staged.lu,
				  &next, run->generation + 1, &dest, &check);
	if (rc) {
		xen_lu_rec_buf_free(&next);
		return xen_lu_commit_fail(run, check, rc);
	}
	xen_lu_rec_buf_free(&run->next);
	run->next = next;
	run->generation++;
	run->reloaded = true;
	run->reloads++;
	xen_lu_rec_sections(&run->next, &run->sections);
	return 0;
}

/* How many records @ch makes a delta re-read, at most. */
static unsigned int xen_lu_commit_dirt(struct xen_lu_commit_run *run,
				       const struct xen_lu_changes *ch)
{
	const struct xen_lu_rec_buf *cur = xen_lu_commit_current(run);

	if (ch->rescan || cur->nr_backends != ch->nr_bits)
		return cur->nr_domains + cur->nr_backends;
	return ch->nr_dirty + (ch->domains ? cur->nr_domains : 0);
}

/**
 * DOC: Precopy
 *
 * Before freezing, COMMIT runs delta rounds as a live migration copies
 * memory: each round takes what the tracker saw change since the last
 * one, re-reads it (and dom0's event channels), and reloads the image
 * when the records changed.  Rounds end when a round finds nothing, when
 * what a round re-read is no smaller than what the round before it
 * re-read (a guest that keeps writing), or after %XEN_LU_PRECOPY_ROUNDS.
 * Then dom0 freezes, and the frozen window re-reads only what changed
 * during the last round.  A round whose records no longer match the
 * tracker's index (a device came or went) re-indexes it, outside the
 * window.  If the COMMIT fails, the records of before it are handed over
 * again and every change it took goes back to the tracker.
 */
static int xen_lu_commit_precopy(struct xen_lu_commit_run *run)
{
	struct xen_lu_update *u = &xen_lu_dev.update;
	unsigned int prev = UINT_MAX, dirt, nr, reloads, i;
	struct xen_lu_changes ch = {};
	int rc = 0;

	for (i = 0; !rc && i < XEN_LU_PRECOPY_ROUNDS; i++) {
		rc = xen_lu_commit_take(run, &ch);
		if (rc)
			break;
		dirt = xen_lu_commit_dirt(run, &ch);
		/* The first round also looks at event channels, participants. */
		if (i && !dirt)
			break;
		nr = 0;
		reloads = run->reloads;
		rc = xen_lu_commit_step(run, &ch, &nr);
		run->nr_precopy += nr;
		if (!rc && (nr || run->reloads != reloads))
			run->rounds++;
		if (!rc && run->reloaded &&
		    (ch.rescan || run->next.nr_backends != ch.nr_bits)) {
			/* Positions moved: index the records loaded. */
			rc = xen_lu_tracker_reindex(u->tracker, &run->next);
			run->reindexed = true;
			if (rc)
				rc = xen_lu_commit_fail_in(run, "tracker", rc);
		}
		bitmap_free(ch.dirty);
		ch.dirty = NULL;
		if (dirt >= prev)
			break;		/* not shrinking: leave it to the freeze */
		prev = dirt;
	}
	bitmap_free(ch.dirty);
	return rc;
}

/* Frozen: re-read what changed during the last round, and hand it over. */
static int xen_lu_commit_frozen(struct xen_lu_commit_run *run)
{
	struct xen_lu_changes ch = {};
	unsigned int nr = 0;
	int rc;

	rc = xen_lu_commit_take(run, &ch);
	if (!rc)
		rc = xen_lu_commit_step(run, &ch, &nr);
	run->arg->out_nr_changes += nr;
	bitmap_free(ch.dirty);
	pr_info("commit: %u precopy round(s) re-read %u record(s) before the freeze, %u in the frozen window; %u reload(s)\n",
		run->rounds, run->nr_precopy, nr, run->reloads);
	return rc;
}

/* Make @run->next the records handed over; with xen_lu_dev.lock held. */
static void xen_lu_commit_publish_locked(struct xen_lu_commit_run *run)
{
	struct xen_lu_update *u = &xen_lu_dev.update;

	lockdep_assert_held(&xen_lu_dev.lock);
	xen_lu_rec_buf_free(&u->records);
	u->records = run->next;
	u->generation = run->generation;
	xen_lu_rec_sections(&u->records, &u->sections);
	memset(&run->next, 0, sizeof(run->next));
	run->reloaded = false;
}

/*
 * A failed COMMIT: hand the records of before it back, and the changes it
 * took back to the tracker.
 */
static void xen_lu_commit_undo(struct xen_lu_commit_run *run)
{
	struct xen_lu_update *u = &xen_lu_dev.update;
	u32 check;
	u64 dest;

	if (run->reloaded &&
	    xen_lu_handover_load(xen_lu_dev.image, &xen_lu_dev.staged.lu,
				 &u->records, u->generation, &dest, &check)) {
		/*
		 * The hypervisor keeps the new records: so do we.  The
		 * tracker's index may be of the old ones: it re-reads all.
		 */
		pr_err("could not hand the previous records back; generation %llu stays\n",
		       run->generation);
		mutex_lock(&xen_lu_dev.lock);
		xen_lu_commit_publish_locked(run);
		mutex_unlock(&xen_lu_dev.lock);
		xen_lu_tracker_rescan(u->tracker);
		return;
	}
	xen_lu_rec_buf_free(&run->next);
	run->reloaded = false;
	if (run->reindexed && xen_lu_tracker_reindex(u->tracker, &u->records))
		pr_notice("commit: the change tracker re-reads everything from now on\n");
	xen_lu_tracker_give_back(u->tracker, &run->taken);
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

	run->generation = u->generation;
	run->sections = u->sections;
	rc = xen_lu_commit_precopy(run);
	arg->out_nr_changes = run->nr_precopy;
	if (rc)
		goto undo;

	t0 = ktime_get();
	rc = xen_lu_update_freeze();
	t1 = ktime_get();
	trace_xen_lu_freeze(rc, ktime_to_ns(ktime_sub(t1, t0)));
	if (rc) {
		xen_lu_commit_fail(run, XEN_LU_CHECK_FREEZE, rc);
		goto undo;
	}

	rc = xen_lu_commit_frozen(run);
	if (rc)
		goto thaw;

	t2 = ktime_get();
	run->frozen_ns = ktime_to_ns(ktime_sub(t2, t1));
	rc = xen_lu_hv_kexec_exec(KEXEC_TYPE_LIVE_UPDATE);
	trace_xen_lu_exec(rc, run->reloaded, run->frozen_ns,
			  ktime_to_ns(ktime_sub(ktime_get(), t2)));
	if (rc) {
		pr_notice("the hypervisor's live-update exec failed: %pe\n",
			  ERR_PTR(rc));
		xen_lu_commit_fail(run, XEN_LU_CHECK_EXEC, rc);
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
undo:
	xen_lu_commit_undo(run);
	return rc;
}

/* What the COMMIT found changed since PREPARE, for its outputs. */
static void xen_lu_commit_changes(struct xen_lu_commit_run *run)
{
	struct xen_lu_commit *arg = run->arg;
	const struct xen_lu_changes *all = &run->taken;

	arg->out_changed_domains = all->domains;
	arg->out_changed_backends = all->rescan ?
				    xen_lu_dev.update.records.nr_backends :
				    all->nr_dirty;
	arg->out_reloaded = run->reloads > 0;
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
	xen_lu_commit_changes(&run);
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
	bitmap_free(run.taken.dirty);

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
			arg->out_generation, run.frozen_ns);
	return xen_lu_ucmd_respond(ucmd, sizeof(*arg)) ?: rc;
}
