// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/xen/liveupdate: the dom0 side of Xen hypervisor live update.
 *
 * The device core: module init and exit, the misc device, open/release with
 * the exclusivity rule, and the table-driven ioctl dispatcher.  Each ioctl
 * lives in a file of its own.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <xen/xen.h>

#include "hypervisor.h"
#include "image.h"
#include "liveupdate.h"

/**
 * DOC: Device
 *
 * The module registers ``/dev/xen/liveupdate`` (mode 0600).  Opening it
 * needs CAP_SYS_ADMIN; opening it for writing makes the file the
 * live-update controller, of which there is at most one.  Every command
 * that changes state also needs CAP_SYS_BOOT at the call, as kexec_load
 * does: holding a controller's file is not enough.
 */

static int xen_lu_open(struct inode *inode, struct file *file)
{
	int rc = 0;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;

	if (file->f_mode & FMODE_WRITE) {
		rc = mutex_lock_killable(&xen_lu_dev.lock);
		if (rc)
			return rc;
		if (xen_lu_dev.controller)
			rc = -EBUSY;
		else
			xen_lu_dev.controller = file;
		mutex_unlock(&xen_lu_dev.lock);
		if (rc)
			return rc;
	}

	return nonseekable_open(inode, file);
}

static int xen_lu_release(struct inode *inode, struct file *file)
{
	mutex_lock(&xen_lu_dev.lock);
	if (xen_lu_dev.controller == file)
		xen_lu_dev.controller = NULL;
	mutex_unlock(&xen_lu_dev.lock);
	return 0;
}

/**
 * xen_lu_clear_outputs() - zero an argument's outputs
 * @arg: the kernel copy of the argument
 * @size: its size
 * @first: offset of its first output; every byte from there on is one
 *
 * Outputs start from zero whatever user space left in them.
 */
static void xen_lu_clear_outputs(void *arg, size_t size, size_t first)
{
	memset((u8 *)arg + first, 0, size - first);
}

union xen_lu_ucmd_buffer {
	struct xen_lu_info info;
	struct xen_lu_memory_map memory_map;
	struct xen_lu_stage stage;
	struct xen_lu_unstage unstage;
	struct xen_lu_collect collect;
	struct xen_lu_prepare prepare;
	struct xen_lu_commit commit;
	struct xen_lu_finish finish;
	struct xen_lu_cancel cancel;
};

/* Every argument starts with these two fields. */
struct xen_lu_ucmd_head {
	u32 size;
	u32 flags;
};

/**
 * struct xen_lu_ioctl_op - what the dispatcher checks before a handler runs
 * @size: the kernel's structure size.
 * @min_size: the smallest size user space may give.
 * @ioctl_num: the command.
 * @valid_flags: the flags the command takes; EINVAL for any other.
 * @first_output: offset of the first ``out_`` field, zeroed before the
 *	handler runs; 0 when the handler fills every output itself.
 * @controller: the command changes state: the controller's file
 *	(EBADF) and CAP_SYS_BOOT (EPERM), in that order, after the flags.
 * @execute: the handler.
 */
struct xen_lu_ioctl_op {
	unsigned int size;
	unsigned int min_size;
	unsigned int ioctl_num;
	u32 valid_flags;
	unsigned int first_output;
	bool controller;
	long (*execute)(struct file *file, struct xen_lu_ucmd *ucmd);
};

/*
 * The table is indexed by command number minus XEN_LU_CMD_BASE; the
 * dispatcher checks ioctl_num, so an entry out of order is never called.
 */
#define XEN_LU_IOCTL_OP(_ioctl, _fn, _struct, _last, _flags, _out, _ctl) \
	{								\
		.size = sizeof(_struct) +				\
			BUILD_BUG_ON_ZERO(sizeof(union xen_lu_ucmd_buffer) < \
					  sizeof(_struct)) +		\
			BUILD_BUG_ON_ZERO(sizeof(_struct) >		\
					  XEN_LU_MAX_ARG_SIZE) +	\
			BUILD_BUG_ON_ZERO(offsetof(_struct, flags) !=	\
					  offsetof(struct xen_lu_ucmd_head, \
						   flags)),		\
		.min_size = offsetofend(_struct, _last),		\
		.ioctl_num = _ioctl,					\
		.valid_flags = _flags,					\
		.first_output = _out,					\
		.controller = _ctl,					\
		.execute = _fn,						\
	}

#define XEN_LU_READER	false
#define XEN_LU_CONTROL	true

/* Keep sorted by command number, without gaps. */
static const struct xen_lu_ioctl_op xen_lu_ioctl_ops[] = {
	XEN_LU_IOCTL_OP(XEN_LU_IOCTL_GET_INFO, xen_lu_ioctl_get_info,
			struct xen_lu_info, flags, 0, 0, XEN_LU_READER),
	XEN_LU_IOCTL_OP(XEN_LU_IOCTL_GET_MEMORY_MAP,
			xen_lu_ioctl_get_memory_map, struct xen_lu_memory_map,
			entries, 0, 0, XEN_LU_READER),
	/* STAGE checks its flags itself: the refusal names the rule. */
	XEN_LU_IOCTL_OP(XEN_LU_IOCTL_STAGE, xen_lu_ioctl_stage,
			struct xen_lu_stage, image_len, U32_MAX,
			offsetof(struct xen_lu_stage, out_rule),
			XEN_LU_CONTROL),
	XEN_LU_IOCTL_OP(XEN_LU_IOCTL_UNSTAGE, xen_lu_ioctl_unstage,
			struct xen_lu_unstage, flags, 0, 0, XEN_LU_CONTROL),
	XEN_LU_IOCTL_OP(XEN_LU_IOCTL_COLLECT, xen_lu_ioctl_collect,
			struct xen_lu_collect, buf_len,
			XEN_LU_COLLECT_HANDED_OVER,
			offsetof(struct xen_lu_collect, out_len),
			XEN_LU_READER),
	XEN_LU_IOCTL_OP(XEN_LU_IOCTL_PREPARE, xen_lu_ioctl_prepare,
			struct xen_lu_prepare, flags, XEN_LU_PREPARE_FORCE,
			offsetof(struct xen_lu_prepare, out_check),
			XEN_LU_CONTROL),
	XEN_LU_IOCTL_OP(XEN_LU_IOCTL_COMMIT, xen_lu_ioctl_commit,
			struct xen_lu_commit, flags, XEN_LU_COMMIT_COLD,
			offsetof(struct xen_lu_commit, out_result),
			XEN_LU_CONTROL),
	XEN_LU_IOCTL_OP(XEN_LU_IOCTL_FINISH, xen_lu_ioctl_finish,
			struct xen_lu_finish, max_differences,
			XEN_LU_FINISH_UNCHANGED,
			offsetof(struct xen_lu_finish, out_nr_differences),
			XEN_LU_CONTROL),
	XEN_LU_IOCTL_OP(XEN_LU_IOCTL_CANCEL, xen_lu_ioctl_cancel,
			struct xen_lu_cancel, flags, 0, 0, XEN_LU_CONTROL),
};

/* The checks every command of @op shares, on the kernel's copy. */
static int xen_lu_ioctl_check(const struct xen_lu_ioctl_op *op,
			      struct file *file, struct xen_lu_ucmd *ucmd)
{
	const struct xen_lu_ucmd_head *head = ucmd->cmd;

	if (op->controller && !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (head->flags & ~op->valid_flags)
		return -EINVAL;
	if (op->controller && !capable(CAP_SYS_BOOT))
		return -EPERM;
	if (op->first_output)
		xen_lu_clear_outputs(ucmd->cmd, op->size, op->first_output);
	return 0;
}

static long xen_lu_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	const struct xen_lu_ioctl_op *op;
	struct xen_lu_ucmd ucmd = {};
	unsigned int nr;
	long rc;

	if (_IOC_TYPE(cmd) != XEN_LU_IOCTL_TYPE)
		return -ENOIOCTLCMD;
	nr = _IOC_NR(cmd);
	if (nr < XEN_LU_CMD_BASE ||
	    nr - XEN_LU_CMD_BASE >= ARRAY_SIZE(xen_lu_ioctl_ops))
		return -ENOIOCTLCMD;
	op = &xen_lu_ioctl_ops[nr - XEN_LU_CMD_BASE];
	if (op->ioctl_num != cmd)
		return -ENOIOCTLCMD;

	ucmd.ubuffer = (void __user *)arg;
	rc = get_user(ucmd.user_size, (u32 __user *)ucmd.ubuffer);
	if (rc)
		return rc;
	if (ucmd.user_size < op->min_size)
		return -EINVAL;
	if (ucmd.user_size > XEN_LU_MAX_ARG_SIZE)
		return -E2BIG;

	/* GET_INFO's answer is too large for the stack. */
	ucmd.cmd = kzalloc(op->size, GFP_KERNEL);
	if (!ucmd.cmd)
		return -ENOMEM;
	rc = copy_struct_from_user(ucmd.cmd, op->size, ucmd.ubuffer,
				   ucmd.user_size);
	if (!rc)
		rc = xen_lu_ioctl_check(op, file, &ucmd);
	if (!rc)
		rc = op->execute(file, &ucmd);
	kfree(ucmd.cmd);
	return rc;
}

static const struct file_operations xen_lu_fops = {
	.owner		= THIS_MODULE,
	.open		= xen_lu_open,
	.release	= xen_lu_release,
	.unlocked_ioctl	= xen_lu_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= no_llseek,
};

static struct miscdevice xen_lu_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "xen/liveupdate",
	.fops	= &xen_lu_fops,
	.mode	= 0600,
};

static int __init xen_lu_init(void)
{
	int rc;

	if (!xen_domain()) {
		pr_info("not running on Xen\n");
		return -ENODEV;
	}
	if (!xen_pv_domain()) {
		pr_info("kexec_op is PV-only; this is a %s domain\n",
			xen_pvh_domain() ? "PVH" : "HVM");
		return -ENODEV;
	}
	if (xen_lu_hv_probe())
		return -ENODEV;

	xen_lu_hv_sim_attach();
	rc = misc_register(&xen_lu_miscdev);
	if (rc) {
		pr_err("could not register /dev/xen/liveupdate: %d\n", rc);
		xen_lu_hv_sim_detach();
		return rc;
	}

	pr_info("/dev/xen/liveupdate ready (ABI %u)\n", XEN_LU_ABI_VERSION);
	return 0;
}

/*
 * Module unload: leave no update and no image behind.  An image staged
 * through this module must not outlive it, or the next exec would run
 * something nobody can see or unstage any more.
 */
static void xen_lu_teardown(void)
{
	mutex_lock(&xen_lu_dev.lock);
	if (xen_lu_dev.state == XEN_LU_STATE_PREPARED ||
	    xen_lu_dev.state == XEN_LU_STATE_COMMITTED) {
		pr_notice("module unloaded with an update %s: cancelled\n",
			  xen_lu_dev.state == XEN_LU_STATE_PREPARED ?
			  "prepared" : "committed but not finished");
		xen_lu_update_end(false);
	}
	if (xen_lu_dev.state != XEN_LU_STATE_IDLE &&
	    xen_lu_image_unload_locked())
		pr_err("module unloaded with an image still staged in the hypervisor\n");
	xen_lu_image_forget_locked();
	mutex_unlock(&xen_lu_dev.lock);
}

static void __exit xen_lu_exit(void)
{
	misc_deregister(&xen_lu_miscdev);
	xen_lu_update_exit();
	xen_lu_teardown();
	xen_lu_hv_sim_detach();
}

module_init(xen_lu_init);
module_exit(xen_lu_exit);

MODULE_DESCRIPTION("Xen hypervisor live update: dom0 control device");
MODULE_LICENSE("GPL");
MODULE_VERSION(XEN_LU_MODULE_VERSION);
