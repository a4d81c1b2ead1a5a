// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen_lu_sim.ko: the SIMULATED live-update hypervisor of the test suite.
 * Module init and exit, the exported xen_lu_sim_ops, and debugfs under
 * /sys/kernel/debug/xen_lu_sim/: fault injection, the deferred exec, and
 * what the simulated hypervisor did (status, stream, breadcrumb).
 *
 * Test only: never part of a production build
 * (Documentation/dev-tools/xen-liveupdate-simulator.rst).
 */

#define pr_fmt(fmt) "xen_lu_sim: SIMULATED: " fmt

#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/panic.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <xen/xen.h>
#include <xen/xenbus.h>

#include "sim.h"

static unsigned int window_mb = 64;
module_param(window_mb, uint, 0444);
MODULE_PARM_DESC(window_mb,
		 "size of the simulated live-update window in MiB, even (2 MiB aligned); default 64");

/*
 * Y while a xen_liveupdate test build sends its live-update hypercalls
 * here (from its load to its unload): what lu-ctl status and the
 * selftests read to say "simulated".  Written only through
 * xen_lu_sim_ops.attached, which xen_liveupdate calls at its init and
 * exit, one at a time.
 */
static bool attached;
module_param(attached, bool, 0444);
MODULE_PARM_DESC(attached,
		 "Y while xen_liveupdate's live-update hypercalls come here (read-only)");

static void sim_attached(bool yes)
{
	WRITE_ONCE(attached, yes);
	pr_info("%s xen_liveupdate\n", yes ? "attached to" : "detached from");
}

struct sim_state sim = {
	.lock = __MUTEX_INITIALIZER(sim.lock),
	.last_op = "none",
};

/*
 * touch_loads=N: each of the next N loads that go through writes the
 * xenstore node named in touch_node, with the number of the write (1, 2,
 * ...): a change that arrives while xen_liveupdate reloads the image
 * during COMMIT, after it looked at what changed.
 */
static void sim_load_touch(void)
{
	char node[sizeof(sim.touch_node)], val[16];
	unsigned int n = 0;
	int rc;

	mutex_lock(&sim.lock);
	if (sim.knob[SIM_TOUCH_LOADS] && sim.touch_node[0]) {
		sim.knob[SIM_TOUCH_LOADS]--;
		n = ++sim.touches;
		strscpy(node, sim.touch_node, sizeof(node));
	}
	mutex_unlock(&sim.lock);
	if (!n)
		return;
	snprintf(val, sizeof(val), "%u", n);
	rc = xenbus_write(XBT_NIL, node, "", val);
	pr_info("load: wrote %s = %s: %d (touch_loads)\n", node, val, rc);
}

/*
 * fail_load_after=N: N loads from the knob's write on go through, every
 * later one fails with EIO (a reload that works and the load after it
 * that does not).
 */
static int sim_load_counted(const struct xen_kexec_segment *segs,
			    unsigned int nr, u64 entry)
{
	int after, rc;

	mutex_lock(&sim.lock);
	after = sim.knob[SIM_FAIL_LOAD_AFTER];
	if (after && sim.loads_counted++ >= after) {
		sim.last_op = "load";
		sim.last_rc = -EIO;
		mutex_unlock(&sim.lock);
		pr_info("load: injected %pe (fail_load_after=%d)\n",
			ERR_PTR(-EIO), after);
		return -EIO;
	}
	mutex_unlock(&sim.lock);
	rc = sim_load(segs, nr, entry);
	if (!rc)
		sim_load_touch();
	return rc;
}

const struct xen_lu_sim_ops xen_lu_sim_ops = {
	.name = "simulated live-update hypervisor (xen_lu_sim, test only)",
	.get_range = sim_get_range,
	.load = sim_load_counted,
	.unload = sim_unload,
	.exec = sim_exec,
	.identity = sim_identity,
	.attached = sim_attached,
};
EXPORT_SYMBOL_GPL(xen_lu_sim_ops);

/**
 * xen_lu_sim_selftest_inject_libxc() - set inject_libxc, for the selftest
 * @v: an enum sim_inject_libxc, as the debugfs file takes it
 *
 * xen_lu_sim_selftest.ko reaches the knob this way (with symbol_get()) to
 * show xen#2's libxc record rules.
 *
 * Return: the previous value, or -EINVAL.
 */
int xen_lu_sim_selftest_inject_libxc(int v)
{
	int old;

	if (v < 0 || v > SIM_LIBXC_MAX)
		return -EINVAL;
	mutex_lock(&sim.lock);
	old = sim.knob[SIM_INJECT_LIBXC];
	sim.knob[SIM_INJECT_LIBXC] = v;
	mutex_unlock(&sim.lock);
	return old;
}
EXPORT_SYMBOL_GPL(xen_lu_sim_selftest_inject_libxc);

/* Set at init, removed at exit. */
static struct dentry *sim_debugfs;

struct sim_knob_desc {
	const char *name;
	int max;	/* MAX_ERRNO: an errno; 1: a switch; else a count */
};

static const struct sim_knob_desc sim_knobs[SIM_NR_KNOBS] = {
	[SIM_FAIL_GET_RANGE]	= { "fail_get_range", MAX_ERRNO },
	[SIM_FAIL_LOAD]		= { "fail_load", MAX_ERRNO },
	[SIM_FAIL_UNLOAD]	= { "fail_unload", MAX_ERRNO },
	[SIM_FAIL_EXEC]		= { "fail_exec", MAX_ERRNO },
	[SIM_INJECT_MANDATORY]	= { "inject_mandatory", 1 },
	[SIM_DEFER]		= { "defer", 1 },
	[SIM_INJECT_LIBXC]	= { "inject_libxc", SIM_LIBXC_MAX },
	[SIM_FAIL_LOAD_AFTER]	= { "fail_load_after", 1000 },
	[SIM_TOUCH_LOADS]	= { "touch_loads", 1000 },
};

static ssize_t sim_knob_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	const struct sim_knob_desc *d = file->private_data;
	char buf[16];
	int len;

	mutex_lock(&sim.lock);
	len = scnprintf(buf, sizeof(buf), "%d\n", sim.knob[d - sim_knobs]);
	mutex_unlock(&sim.lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

/* An errno knob takes "5" or "-5" (EIO); a switch takes 0 or 1. */
static ssize_t sim_knob_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	const struct sim_knob_desc *d = file->private_data;
	int v, rc;

	rc = kstrtoint_from_user(ubuf, count, 0, &v);
	if (rc)
		return rc;
	if (d->max == MAX_ERRNO && v < 0)
		v = -v;
	if (v < 0 || v > d->max)
		return -EINVAL;
	mutex_lock(&sim.lock);
	sim.knob[d - sim_knobs] = v;
	if (d == &sim_knobs[SIM_FAIL_LOAD_AFTER])
		sim.loads_counted = 0;
	if (d == &sim_knobs[SIM_TOUCH_LOADS])
		sim.touches = 0;
	mutex_unlock(&sim.lock);
	pr_info("debugfs: %s = %d%s\n", d->name, v, v ? " (armed)" : "");
	return count;
}

static const struct file_operations sim_knob_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_knob_read,
	.write = sim_knob_write,
	.llseek = default_llseek,
};

/* "1": perform the deferred handover now; "0": drop it. */
static ssize_t sim_run_deferred_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	bool run;
	int rc;

	rc = kstrtobool_from_user(ubuf, count, &run);
	if (!rc)
		rc = sim_run_deferred(run);
	return rc ? rc : count;
}

static const struct file_operations sim_run_deferred_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = sim_run_deferred_write,
	.llseek = no_llseek,
};

/* The node touch_loads writes: a xenstore path, "" for none. */
static ssize_t sim_touch_node_write(struct file *file,
				    const char __user *ubuf, size_t count,
				    loff_t *ppos)
{
	char node[sizeof(sim.touch_node)];

	if (count >= sizeof(node))
		return -EINVAL;
	if (copy_from_user(node, ubuf, count))
		return -EFAULT;
	node[count] = '\0';
	mutex_lock(&sim.lock);
	strscpy(sim.touch_node, strim(node), sizeof(sim.touch_node));
	mutex_unlock(&sim.lock);
	return count;
}

static const struct file_operations sim_touch_node_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = sim_touch_node_write,
	.llseek = no_llseek,
};

static ssize_t sim_stream_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	ssize_t rc;

	mutex_lock(&sim.lock);
	rc = simple_read_from_buffer(ubuf, count, ppos, sim.stream,
				     sim.stream_len);
	mutex_unlock(&sim.lock);
	return rc;
}

static const struct file_operations sim_stream_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_stream_read,
	.llseek = default_llseek,
};

static ssize_t sim_breadcrumb_read(struct file *file, char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	u8 crumb[SIM_BREADCRUMB_LEN];

	mutex_lock(&sim.lock);
	memcpy(crumb, sim.win, sizeof(crumb));
	mutex_unlock(&sim.lock);
	return simple_read_from_buffer(ubuf, count, ppos, crumb, sizeof(crumb));
}

static const struct file_operations sim_breadcrumb_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_breadcrumb_read,
	.llseek = default_llseek,
};

static void sim_status_segments(struct seq_file *m)
{
	unsigned int i;

	for (i = 0; i < sim.nr; i++)
		seq_printf(m, "  segment %u: dest %#llx dest_size %#llx buf_size %#llx -> %s\n",
			   i, sim.seg[i].dest, sim.seg[i].dest_size,
			   sim.seg[i].buf_size,
			   sim_region_name(sim.seg[i].region));
}

static int sim_status_show(struct seq_file *m, void *unused)
{
	unsigned int i, armed = 0;

	mutex_lock(&sim.lock);
	seq_puts(m, "simulated live-update hypervisor (xen_lu_sim, test only): nothing here is a real Xen live update\n");
	seq_printf(m, "window: %#llx-%#llx (%llu MiB, simulated store; first page: breadcrumb)\n",
		   sim.win_start, sim.win_start + sim.win_size - 1,
		   sim.win_size >> 20);
	seq_printf(m, "xen#1 region: %#llx-%#llx (real KEXEC_RANGE_MA_XEN, simulated store)\n",
		   sim.xen_start, sim.xen_start + sim.xen_size - 1);
	seq_printf(m, "image loaded: %s\n", sim.loaded ? "y" : "n");
	if (sim.loaded)
		seq_printf(m, "entry: %#llx\n", sim.entry);
	seq_printf(m, "segments: %u\n", sim.nr);
	sim_status_segments(m);
	seq_printf(m, "deferred exec pending: %s\n", sim.deferred ? "y" : "n");
	seq_printf(m, "updates done: %llu\n", sim.updates);
	seq_printf(m, "last result: %s %d\n", sim.last_op, sim.last_rc);
	seq_printf(m, "last stream bytes: %zu (%u pages, %u domains, %zu bytes of dom0 records%s)\n",
		   sim.stats.bytes, sim.stats.pages, sim.stats.domains,
		   sim.stats.dom0_bytes,
		   sim.stats.injected ? ", injected mandatory record" : "");
	seq_puts(m, "faults armed:");
	for (i = 0; i < SIM_NR_KNOBS; i++) {
		if (!sim.knob[i])
			continue;
		seq_printf(m, " %s=%d", sim_knobs[i].name, sim.knob[i]);
		armed++;
	}
	seq_puts(m, armed ? "\n" : " none\n");
	mutex_unlock(&sim.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_status);

static void sim_debugfs_init(void)
{
	unsigned int i;

	sim_debugfs = debugfs_create_dir("xen_lu_sim", NULL);
	for (i = 0; i < SIM_NR_KNOBS; i++)
		debugfs_create_file(sim_knobs[i].name, 0600, sim_debugfs,
				    (void *)&sim_knobs[i], &sim_knob_fops);
	debugfs_create_file("run_deferred", 0200, sim_debugfs, NULL,
			    &sim_run_deferred_fops);
	debugfs_create_file("touch_node", 0200, sim_debugfs, NULL,
			    &sim_touch_node_fops);
	debugfs_create_file("status", 0400, sim_debugfs, NULL,
			    &sim_status_fops);
	debugfs_create_file("stream", 0400, sim_debugfs, NULL,
			    &sim_stream_fops);
	debugfs_create_file("breadcrumb", 0400, sim_debugfs, NULL,
			    &sim_breadcrumb_fops);
}

static int __init sim_init(void)
{
	int rc;

	if (!xen_initial_domain() || !xen_pv_domain()) {
		pr_info("needs a PV dom0 of a real Xen (kexec_op is PV-only)\n");
		return -ENODEV;
	}
	if (!window_mb || window_mb % 2 || window_mb > 2048) {
		pr_err("window_mb=%u: must be even, 2 to 2048\n", window_mb);
		return -EINVAL;
	}
	rc = sim_stores_init(window_mb);
	if (rc)
		return rc;
	sim_debugfs_init();
	add_taint(TAINT_TEST, LOCKDEP_STILL_OK);
	pr_warn("loaded (test only): window %#llx-%#llx (%u MiB, a simulated store), xen#1 region %#llx-%#llx\n",
		sim.win_start, sim.win_start + sim.win_size - 1, window_mb,
		sim.xen_start, sim.xen_start + sim.xen_size - 1);
	return 0;
}

static void __exit sim_exit(void)
{
	debugfs_remove_recursive(sim_debugfs);
	kvfree(sim.stream);
	sim_stores_exit();
	pr_info("unloaded after %llu simulated live updates\n", sim.updates);
}

module_init(sim_init);
module_exit(sim_exit);

MODULE_DESCRIPTION("SIMULATED Xen live-update hypervisor for xen_liveupdate's tests (test only)");
MODULE_LICENSE("GPL");
