// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device's state and the live-update sequence's common parts: which
 * errno a command gets in the wrong state (UAPI "State rules"), freezing
 * and thawing dom0 with the participants parked, the freeze watchdog, and
 * ending an update, finished or not.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "freeze.h"
#include "liveupdate.h"
#include "participant.h"
#include "tracker.h"

/* UAPI "Freeze watchdog". */
static unsigned int freeze_timeout_ms = 120000;
module_param(freeze_timeout_ms, uint, 0644);
MODULE_PARM_DESC(freeze_timeout_ms,
		 "thaw dom0's backends this long after a COMMIT left them frozen (0: never; default 120000)");

/* The one device; see struct xen_lu_device for its lock. */
struct xen_lu_device xen_lu_dev = {
	.lock = __MUTEX_INITIALIZER(xen_lu_dev.lock),
	.state = XEN_LU_STATE_IDLE,
};

static void xen_lu_watchdog_fire(struct work_struct *work);
static DECLARE_DELAYED_WORK(xen_lu_watchdog, xen_lu_watchdog_fire);

/**
 * xen_lu_state_errno() - the errno of a command called in the wrong state
 * @from: the state the command starts from
 * @to: the state it leads to
 *
 * Called with xen_lu_dev.lock held, when the device is not in @from.
 *
 * Return: -ENOENT, -EBUSY, -EPROTO or -EALREADY, as "State rules" says.
 */
int xen_lu_state_errno(enum xen_lu_state from, enum xen_lu_state to)
{
	enum xen_lu_state now = xen_lu_dev.state;

	lockdep_assert_held(&xen_lu_dev.lock);
	if (now == XEN_LU_STATE_IDLE)
		return -ENOENT;
	if (now == XEN_LU_STATE_COMMITTING)
		return -EBUSY;
	if (now < from)
		return -EPROTO;
	if (now == to)
		return -EALREADY;
	return -EBUSY;
}

/**
 * xen_lu_update_freeze() - park the participants, then freeze dom0
 *
 * Called by COMMIT (COMMITTING, without xen_lu_dev.lock).
 *
 * Return: 0, or the freeze's errno; nothing is frozen or parked then.
 */
int xen_lu_update_freeze(void)
{
	struct xen_lu_update *u = &xen_lu_dev.update;
	int rc;

	xen_lu_participants_park();
	rc = xen_lu_freeze();
	if (rc) {
		xen_lu_participants_unpark();
		return rc;
	}
	mutex_lock(&xen_lu_dev.lock);
	u->frozen = true;
	u->frozen_at = jiffies;
	mutex_unlock(&xen_lu_dev.lock);
	return 0;
}

/**
 * xen_lu_update_thaw_locked() - thaw dom0, then unpark the participants
 *
 * Called with xen_lu_dev.lock held; nothing happens when not frozen.
 */
void xen_lu_update_thaw_locked(void)
{
	struct xen_lu_update *u = &xen_lu_dev.update;

	lockdep_assert_held(&xen_lu_dev.lock);
	if (!u->frozen)
		return;
	xen_lu_thaw();
	xen_lu_participants_unpark();
	u->frozen = false;
	cancel_delayed_work(&xen_lu_watchdog);
}

/**
 * xen_lu_watchdog_arm() - start counting a freeze that outlives COMMIT
 *
 * Called with xen_lu_dev.lock held, the device COMMITTED.
 */
void xen_lu_watchdog_arm(void)
{
	unsigned int ms = READ_ONCE(freeze_timeout_ms);

	lockdep_assert_held(&xen_lu_dev.lock);
	if (ms && xen_lu_dev.update.frozen)
		mod_delayed_work(system_wq, &xen_lu_watchdog,
				 msecs_to_jiffies(ms));
}

static void xen_lu_watchdog_fire(struct work_struct *work)
{
	struct xen_lu_update *u = &xen_lu_dev.update;
	unsigned int ms = READ_ONCE(freeze_timeout_ms);

	mutex_lock(&xen_lu_dev.lock);
	/* A freeze younger than the timeout is a later one: not ours. */
	if (xen_lu_dev.state == XEN_LU_STATE_COMMITTED && u->frozen && ms &&
	    time_after_eq(jiffies, u->frozen_at + msecs_to_jiffies(ms))) {
		xen_lu_update_thaw_locked();
		u->watchdog_thawed = true;
		pr_warn("freeze watchdog: dom0's backends were frozen for %u ms after COMMIT without FINISH or CANCEL; thawed, the update stays committed\n",
			jiffies_to_msecs(jiffies - u->frozen_at));
	}
	mutex_unlock(&xen_lu_dev.lock);
}

/**
 * xen_lu_update_exit() - module unload: no watchdog left running
 *
 * Called without xen_lu_dev.lock, once no ioctl can run.
 */
void xen_lu_update_exit(void)
{
	cancel_delayed_work_sync(&xen_lu_watchdog);
}

/**
 * xen_lu_update_end() - leave PREPARED or COMMITTED
 * @finished: FINISH (participants' finish()) rather than a cancel
 *
 * Thaws dom0's backends, stops tracking, tells every participant and drops
 * the records.  The staged image and the state are the caller's business.
 * Called with xen_lu_dev.lock held.
 */
void xen_lu_update_end(bool finished)
{
	struct xen_lu_update *u = &xen_lu_dev.update;

	lockdep_assert_held(&xen_lu_dev.lock);
	if (u->frozen) {
		xen_lu_update_thaw_locked();
		pr_info("dom0's backends thawed\n");
	}
	xen_lu_tracker_stop(u->tracker);
	xen_lu_participants_end(finished);
	xen_lu_rec_buf_free(&u->records);
	memset(u, 0, sizeof(*u));
}
