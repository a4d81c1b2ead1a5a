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
 *  - collect_calls, prepare_calls, commit_calls, finish_calls,
 *    cancel_calls (ro): how often each callback ran.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": test participant: " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

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
	collect_calls++;
	return test_add(p, buf, READ_ONCE(value));
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

static void test_cancel(struct xen_lu_participant *p)
{
	cancel_calls++;
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

static int __init test_participant_init(void)
{
	int rc = xen_lu_participant_register(&test_participant);

	if (rc)
		pr_err("register failed: %pe\n", ERR_PTR(rc));
	else
		pr_info("registered (test only)\n");
	return rc;
}

static void __exit test_participant_exit(void)
{
	xen_lu_participant_unregister(&test_participant);
}

module_init(test_participant_init);
module_exit(test_participant_exit);

MODULE_DESCRIPTION("xen_liveupdate participant for the participant tests (test only)");
MODULE_LICENSE("GPL");
