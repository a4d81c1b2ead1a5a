// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live-update sequence's common parts: which errno a command gets in
 * the wrong state (UAPI "State rules"), and ending an update, finished or
 * not.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/string.h>

#include "freeze.h"
#include "liveupdate.h"
#include "participant.h"
#include "tracker.h"

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
		xen_lu_thaw();
		u->frozen = false;
		pr_info("dom0's backends thawed\n");
	}
	xen_lu_tracker_stop(u->tracker);
	xen_lu_participants_end(finished);
	xen_lu_rec_buf_free(&u->records);
	memset(u, 0, sizeof(*u));
}
