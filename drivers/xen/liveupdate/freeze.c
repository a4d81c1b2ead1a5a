// SPDX-License-Identifier: GPL-2.0-only
/*
 * Freezing dom0's backends between the final collection and the exec.
 */

/**
 * DOC: Freeze
 *
 * dom0's backend drivers (blkback, netback, ...) change a device's
 * XenbusState only from xenbus watch callbacks: the frontend's state
 * changed, the hotplug script finished, a device appeared.  Every watch
 * callback runs in the one "xenwatch" kernel thread, one at a time, in the
 * order xenstored sent the events.  So the backends are frozen by parking
 * xenwatch in a callback of our own, and thawed by letting it go; events
 * queue up meanwhile and are handled after the thaw.  Rings and event
 * channels keep working: the data path is not xenwatch.
 *
 * To get xenwatch into our callback the module writes a node it watches,
 * <home>/xen-liveupdate/freeze.  The same write without parking is a
 * barrier: once our callback has seen it, every event xenstored sent
 * before it has been handled (the tracker relies on this).  The cost of
 * either is one xenstore write and one event, whatever the number of
 * devices.
 *
 * What this does not stop: a toolstack in dom0 user space writing a
 * backend's state node itself.  Such a change is seen by FINISH's
 * verification.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include <xen/liveupdate.h>
#include <xen/xenbus.h>

#include "freeze.h"
#include "xenstore.h"

#define XEN_LU_FREEZE_DIR	"xen-liveupdate"
#define XEN_LU_FREEZE_NODE	"freeze"

enum xen_lu_park {
	XEN_LU_PARK_NONE,
	XEN_LU_PARK_REQUESTED,	/* xenwatch parks at event @target */
	XEN_LU_PARK_PARKED,	/* xenwatch waits in our callback */
};

/**
 * struct xen_lu_freezer - the xenwatch parking place
 * @lock: protects @sent, @seen, @park, @target and @thaws.
 * @watch: on @node.
 * @node: <home>/xen-liveupdate/freeze.
 * @dir: <home>/xen-liveupdate.
 * @sent: writes of @node (plus the event xenstored sends at registration).
 * @seen: events our callback has handled.
 * @park: an enum xen_lu_park.
 * @target: the event at which xenwatch parks.
 * @thaws: thaws so far; a parked callback leaves when it changes, so a
 *	freeze that follows a thaw at once cannot keep the earlier park.
 * @event: wakes waiters of @seen.
 * @parked: completed when xenwatch parked.
 * @thaw: where xenwatch waits, TASK_IDLE (a long freeze is not a hang).
 * @registered: @watch is registered.
 *
 * Used from one ioctl at a time (the device's state machine), with the
 * callback in xenwatch concurrently.
 */
struct xen_lu_freezer {
	spinlock_t lock;	/* see above */
	struct xenbus_watch watch;
	char node[64];
	char dir[48];
	u64 sent;
	u64 seen;
	enum xen_lu_park park;
	u64 target;
	u64 thaws;
	wait_queue_head_t event;
	struct completion parked;
	wait_queue_head_t thaw;
	bool registered;
};

static struct xen_lu_freezer xen_lu_fz = {
	.lock = __SPIN_LOCK_UNLOCKED(xen_lu_fz.lock),
	.event = __WAIT_QUEUE_HEAD_INITIALIZER(xen_lu_fz.event),
	.parked = COMPLETION_INITIALIZER(xen_lu_fz.parked),
	.thaw = __WAIT_QUEUE_HEAD_INITIALIZER(xen_lu_fz.thaw),
};

static void xen_lu_freeze_event(struct xenbus_watch *watch, const char *path,
				const char *token)
{
	struct xen_lu_freezer *fz = &xen_lu_fz;
	u64 thaws = 0;
	bool park;

	spin_lock(&fz->lock);
	fz->seen++;
	park = fz->park == XEN_LU_PARK_REQUESTED && fz->seen >= fz->target;
	if (park) {
		fz->park = XEN_LU_PARK_PARKED;
		thaws = fz->thaws;
	}
	spin_unlock(&fz->lock);
	wake_up_all(&fz->event);
	if (!park)
		return;

	complete(&fz->parked);
	wait_event_idle(fz->thaw, READ_ONCE(fz->thaws) != thaws);
}

static int xen_lu_freeze_write(u64 *target)
{
	struct xen_lu_freezer *fz = &xen_lu_fz;
	char val[24];
	int rc;

	spin_lock(&fz->lock);
	*target = ++fz->sent;
	spin_unlock(&fz->lock);
	snprintf(val, sizeof(val), "%llu", *target);
	rc = xenbus_write(XBT_NIL, fz->node, "", val);
	if (rc) {
		spin_lock(&fz->lock);
		fz->sent--;
		spin_unlock(&fz->lock);
	}
	return rc;
}

/**
 * xen_lu_freeze_start() - set up the parking place (PREPARE)
 *
 * Return: 0, or the errno of a xenstore write or watch.
 */
int xen_lu_freeze_start(void)
{
	struct xen_lu_freezer *fz = &xen_lu_fz;
	char home[32];
	int rc;

	if (fz->registered)
		return 0;
	xen_lu_dom0_home(home, sizeof(home));
	snprintf(fz->dir, sizeof(fz->dir), "%s/%s", home, XEN_LU_FREEZE_DIR);
	snprintf(fz->node, sizeof(fz->node), "%s/%s", fz->dir,
		 XEN_LU_FREEZE_NODE);
	rc = xenbus_write(XBT_NIL, fz->node, "", "0");
	if (rc)
		return rc;

	spin_lock(&fz->lock);
	/* xenstored fires every new watch once. */
	fz->sent = 1;
	fz->seen = 0;
	fz->park = XEN_LU_PARK_NONE;
	spin_unlock(&fz->lock);
	fz->watch = (struct xenbus_watch){
		.node = fz->node,
		.callback = xen_lu_freeze_event,
	};
	rc = register_xenbus_watch(&fz->watch);
	if (rc) {
		xenbus_rm(XBT_NIL, fz->dir, "");
		return rc;
	}
	fz->registered = true;
	return 0;
}

/**
 * xen_lu_freeze_stop() - remove the parking place; xenwatch must be thawed
 */
void xen_lu_freeze_stop(void)
{
	struct xen_lu_freezer *fz = &xen_lu_fz;

	if (!fz->registered)
		return;
	unregister_xenbus_watch(&fz->watch);
	xenbus_rm(XBT_NIL, fz->dir, "");
	fz->registered = false;
}

/**
 * xen_lu_freeze_sync() - wait until xenwatch handled every earlier event
 *
 * Return: 0, -ETIMEDOUT, or the errno of the xenstore write.
 */
int xen_lu_freeze_sync(void)
{
	struct xen_lu_freezer *fz = &xen_lu_fz;
	long left;
	u64 target;
	int rc;

	rc = xen_lu_freeze_write(&target);
	if (rc)
		return rc;
	left = wait_event_timeout(fz->event, READ_ONCE(fz->seen) >= target,
				  msecs_to_jiffies(XEN_LU_FREEZE_TIMEOUT_MS));
	return left ? 0 : -ETIMEDOUT;
}

/**
 * xen_lu_freeze() - park xenwatch: dom0's backends stop changing state
 *
 * Every event xenstored sent before has been handled when this returns 0.
 *
 * Return: 0, -ETIMEDOUT (nothing is frozen), or the errno of the write.
 */
int xen_lu_freeze(void)
{
	struct xen_lu_freezer *fz = &xen_lu_fz;
	unsigned long left;
	u64 target;
	int rc;

	reinit_completion(&fz->parked);
	spin_lock(&fz->lock);
	fz->park = XEN_LU_PARK_REQUESTED;
	fz->target = fz->sent + 1;
	spin_unlock(&fz->lock);

	rc = xen_lu_freeze_write(&target);
	if (!rc) {
		left = wait_for_completion_timeout(&fz->parked,
						   msecs_to_jiffies(XEN_LU_FREEZE_TIMEOUT_MS));
		if (left)
			return 0;
		rc = -ETIMEDOUT;
	}

	spin_lock(&fz->lock);
	if (fz->park == XEN_LU_PARK_PARKED)
		rc = 0;		/* parked just now after all */
	else
		fz->park = XEN_LU_PARK_NONE;
	spin_unlock(&fz->lock);
	if (rc)
		pr_notice("could not freeze dom0's backends: %pe\n",
			  ERR_PTR(rc));
	return rc;
}

/**
 * xen_lu_thaw() - let xenwatch go; queued events are handled now
 */
void xen_lu_thaw(void)
{
	struct xen_lu_freezer *fz = &xen_lu_fz;

	spin_lock(&fz->lock);
	fz->park = XEN_LU_PARK_NONE;
	WRITE_ONCE(fz->thaws, fz->thaws + 1);
	spin_unlock(&fz->lock);
	wake_up_all(&fz->thaw);
}
