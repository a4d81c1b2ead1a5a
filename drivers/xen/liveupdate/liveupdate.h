/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen_liveupdate internals shared between the device core and the ioctl
 * handlers.
 */
#ifndef _XEN_LIVEUPDATE_H
#define _XEN_LIVEUPDATE_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <xen/liveupdate.h>

/**
 * struct xen_lu_device - the one live-update device of this dom0
 * @lock: see the comment on the field.
 * @controller: the file open for writing, or NULL; see "Exclusivity" in the
 *	UAPI header.
 * @state: an enum xen_lu_state.
 */
struct xen_lu_device {
	struct mutex lock;	/* protects controller and state */
	struct file *controller;
	enum xen_lu_state state;
};

extern struct xen_lu_device xen_lu_dev;

/**
 * struct xen_lu_ucmd - one ioctl call, after its argument was copied in
 * @ubuffer: the user's argument pointer.
 * @user_size: the size user space put in the argument's first __u32.
 * @cmd: the kernel copy, zero-extended to the kernel's structure size.
 */
struct xen_lu_ucmd {
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
};

int xen_lu_ucmd_respond(struct xen_lu_ucmd *ucmd, size_t kernel_size);

long xen_lu_ioctl_get_info(struct file *file, struct xen_lu_ucmd *ucmd);

#endif /* _XEN_LIVEUPDATE_H */
