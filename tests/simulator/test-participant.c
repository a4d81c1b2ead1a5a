// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen_lu_test_participant.ko: a participant of xen_liveupdate for the
 * participant tests (test only).  It registers "test-participant",
 * version 1, whose record is one small counter; prepare() and commit()
 * fail on demand; every callback is counted so tests can tell that
 * cancel() or finish() ran.
 *
 * Module parameters:
 *  - fail_prepare, fail_commit (rw): an errno (5 or -5) the callback
 *    returns, 0 to succeed.
 *  - value (rw): the counter the record carries; commit() hands over a
 *    replacement record when it changed since prepare().
 *  - registered (rw): 1 while registered; writing 0 unregisters (which,
 *    during an update, cancels the participant first and, while dom0 is
 *    frozen, waits for the thaw), writing 1 registers again.  A module
 *    reference is held from prepare() to the update's end, so rmmod
 *    cannot do this mid-update.
 *  - cancel_waits_xenwatch (rw): when 1, cancel() registers and
 *    unregisters a xenbus watch; unregister_xenbus_watch() waits for
 *    xenwatch, so cancel() would deadlock if it ran while dom0's xenwatch
 *    is parked.
 *  - wrong_lock_order (rw): writing 1 takes the module's order lock and,
 *    under it, unregisters and registers again (xen_liveupdate's
 *    participant lock inside the order lock); from then on collect(),
 *    which xen_liveupdate calls under its participant lock, takes the
 *    order lock too: the reverse order.  A deliberate locking bug, for
 *    the debug kernel's lockdep to report (make check-debug's own test,
 *    ludebug=lockorder).
 *  - collect_calls, prepare_calls, commit_calls, finish_calls,
 *    cancel_calls, cancel_watches (ro): how often each callback ran, and
 *    how many watches cancel() registered and unregistered.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": test participant: " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include <xen/xenbus.h>
#include <xen/xen-liveupdate-participant.h>

static int fail_prepare;
module_param(fail_prepare, int, 0644);
MODULE_PARM_DESC(fail_prepare, "errno prepare() returns, 0: succeed");

static int fail_commit;
module_param(fail_commit, int, 0644);
MODULE_PARM_DESC(fail_commit, "errno commit() returns, 0: succeed");

static ulong value = 1;
module_param(value, ulong, 0644);
MODULE_PARM_DESC(value, "the counter in the participant's record");

/*
 * Callback counters.  Callbacks run one at a time (xen_liveupdate holds
 * its participant list locked around each); sysfs reads them as they are.
 */
static uint collect_calls;
module_param(collect_calls, uint, 0444);
static uint prepare_calls;
module_param(prepare_calls, uint, 0444);
static uint commit_calls;
module_param(commit_calls, uint, 0444);
static uint finish_calls;
module_param(finish_calls, uint, 0444);
static uint cancel_calls;
module_param(cancel_calls, uint, 0444);
static uint cancel_watches;
module_param(cancel_watches, uint, 0444);

static bool cancel_waits_xenwatch;
module_param(cancel_waits_xenwatch, bool, 0644);
MODULE_PARM_DESC(cancel_waits_xenwatch,
		 "cancel() registers and unregisters a xenbus watch (waits for xenwatch)");

/*
 * The order lock of wrong_lock_order: taken around a re-registration
 * (outside xen_liveupdate's participant lock) and by collect() (inside
 * it) once wrong_lock_order is set.  It protects nothing: it exists to
 * be taken in both orders.
 */
static DEFINE_MUTEX(test_order_lock);
static bool wrong_lock_order;

/* The value prepare() saw; only callbacks use it (serialised, see above). */
static ulong prepared_value;

/* The participant's record data, version 1. */
struct test_participant_data {
	__le64 value;
};

static int test_errno(int v)
{
	return v > 0 ? -v : v;
}

static int test_add(struct xen_lu_participant *p, struct xen_lu_rec_buf *buf,
		    ulong v)
{
	struct test_participant_data d = { .value = cpu_to_le64(v) };

	return xen_lu_rec_add_data(buf, p, &d, sizeof(d));
}

static int test_collect(struct xen_lu_participant *p,
			struct xen_lu_rec_buf *buf)
{
	int rc;

	collect_calls++;
	if (!READ_ONCE(wrong_lock_order))
		return test_add(p, buf, READ_ONCE(value));
	mutex_lock(&test_order_lock);
	rc = test_add(p, buf, READ_ONCE(value));
	mutex_unlock(&test_order_lock);
	return rc;
}

static int test_prepare(struct xen_lu_participant *p)
{
	int rc = test_errno(READ_ONCE(fail_prepare));

	prepare_calls++;
	if (rc) {
		pr_info("prepare(): failing with %pe as asked\n", ERR_PTR(rc));
		return rc;
	}
	prepared_value = READ_ONCE(value);
	return 0;
}

static int test_commit(struct xen_lu_participant *p,
		       struct xen_lu_rec_buf *buf)
{
	int rc = test_errno(READ_ONCE(fail_commit));
	ulong v = READ_ONCE(value);

	commit_calls++;
	if (rc) {
		pr_info("commit(): failing with %pe as asked\n", ERR_PTR(rc));
		return rc;
	}
	return v == prepared_value ? 0 : test_add(p, buf, v);
}

static void test_finish(struct xen_lu_participant *p)
{
	finish_calls++;
}

/* The watch cancel() sets; its events need nothing. */
static void test_watch_event(struct xenbus_watch *w, const char *path,
			     const char *token)
{
}

static struct xenbus_watch test_watch = {
	.node = "control/xen-lu-test-participant",
	.callback = test_watch_event,
};

static void test_cancel(struct xen_lu_participant *p)
{
	int rc;

	cancel_calls++;
	if (!READ_ONCE(cancel_waits_xenwatch))
		return;
	rc = register_xenbus_watch(&test_watch);
	if (rc) {
		pr_err("cancel(): register_xenbus_watch: %pe\n", ERR_PTR(rc));
		return;
	}
	/* Waits for xenwatch to finish the callback it is running. */
	unregister_xenbus_watch(&test_watch);
	cancel_watches++;
}

static const struct xen_lu_participant_ops test_ops = {
	.collect = test_collect,
	.prepare = test_prepare,
	.commit = test_commit,
	.finish = test_finish,
	.cancel = test_cancel,
};

static struct xen_lu_participant test_participant = {
	.name = "test-participant",
	.version = 1,
	.ops = &test_ops,
	.owner = THIS_MODULE,
};

/*
 * Whether test_participant is registered.  Written by module init and
 * exit and by the set() of registered and wrong_lock_order, which the
 * module's parameter lock (kernel_param_lock) serialises; init and exit
 * run while no set() can (modprobe's parameters are set before init).
 */
static bool registered;

static int test_register(void)
{
	int rc = xen_lu_participant_register(&test_participant);

	if (rc) {
		pr_err("register failed: %pe\n", ERR_PTR(rc));
		return rc;
	}
	registered = true;
	pr_info("registered (test only)\n");
	return 0;
}

static void test_unregister(void)
{
	xen_lu_participant_unregister(&test_participant);
	registered = false;
	pr_info("unregistered\n");
}

static int test_registered_set(const char *val, const struct kernel_param *kp)
{
	bool want;
	int rc;

	rc = kstrtobool(val, &want);
	if (rc)
		return rc;
	if (want && !registered)
		return test_register();
	if (!want && registered)
		test_unregister();
	return 0;
}

static const struct kernel_param_ops test_registered_ops = {
	.set = test_registered_set,
	.get = param_get_bool,
};
module_param_cb(registered, &test_registered_ops, &registered, 0644);
MODULE_PARM_DESC(registered, "1: registered; write 0 to unregister, 1 to register again");

/*
 * Writing 1 to wrong_lock_order: the participant lock inside the order
 * lock, then collect() takes them the other way round.
 */
static int test_wrong_lock_order_set(const char *val,
				     const struct kernel_param *kp)
{
	bool want;
	int rc;

	rc = kstrtobool(val, &want);
	if (rc || !want)
		return rc ? rc : param_set_bool(val, kp);
	mutex_lock(&test_order_lock);
	if (registered)
		test_unregister();
	rc = test_register();
	mutex_unlock(&test_order_lock);
	if (!rc)
		WRITE_ONCE(wrong_lock_order, true);
	return rc;
}

static const struct kernel_param_ops test_wrong_lock_order_ops = {
	.set = test_wrong_lock_order_set,
	.get = param_get_bool,
};
module_param_cb(wrong_lock_order, &test_wrong_lock_order_ops,
		&wrong_lock_order, 0644);
MODULE_PARM_DESC(wrong_lock_order,
		 "1: take a lock in both orders around xen_liveupdate's participant lock (a deliberate lockdep report)");

static int __init test_participant_init(void)
{
	/* wrong_lock_order=1 on modprobe's line has registered it already. */
	return registered ? 0 : test_register();
}

static void __exit test_participant_exit(void)
{
	if (registered)
		test_unregister();
}

module_init(test_participant_init);
module_exit(test_participant_exit);

MODULE_DESCRIPTION("xen_liveupdate participant for the participant tests (test only)");
MODULE_LICENSE("GPL");
