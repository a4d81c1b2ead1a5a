// SPDX-License-Identifier: GPL-2.0-only
/*
 * Opening /dev/xen/liveupdate and talking to it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "device.h"
#include "exit-codes.h"
#include "output.h"

/* The misc device "xen/liveupdate" appears in sysfs as "xen!liveupdate". */
#define LU_SYSFS_DEV "/sys/class/misc/xen!liveupdate/dev"

/* Is @fd the char device the module registered, not an impostor node? */
static int check_char_device(int fd)
{
	unsigned int maj, min;
	struct stat st;
	FILE *f;
	int n;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENOTTY;
	f = fopen(LU_SYSFS_DEV, "re");
	if (!f)
		return -errno;
	n = fscanf(f, "%u:%u", &maj, &min);
	fclose(f);
	if (n != 2)
		return -EIO;
	if (major(st.st_rdev) != maj || minor(st.st_rdev) != min)
		return -ENOTTY;
	return 0;
}

/* devtmpfs creates the node at misc_register(); udev may lag behind. */
static int open_node(int flags)
{
	const struct timespec pause = { .tv_nsec = 20 * 1000 * 1000 };
	int tries = 100;
	int fd;

	for (;;) {
		fd = open(LU_DEVICE_PATH, flags | O_CLOEXEC);
		if (fd >= 0 || errno != ENOENT || --tries == 0)
			return fd;
		nanosleep(&pause, NULL);
	}
}

/* After open(): say why it failed, or check the node is the module's. */
static int open_finish(struct lu_device *dev)
{
	int rc;

	if (dev->fd < 0) {
		rc = dev->err = errno;
		if (rc == EBUSY)
			lu_errf(LU_DEVICE_PATH, "open",
				"another process holds the device for writing (EBUSY)");
		else if (rc == EPERM || rc == EACCES)
			lu_errf(LU_DEVICE_PATH, "open",
				"%s: CAP_SYS_ADMIN is required", strerror(rc));
		else
			lu_err(LU_DEVICE_PATH, "open", rc);
		lu_device_close(dev, false);
		return rc == ENOENT ? LU_EXIT_NODEV : LU_EXIT_FAILURE;
	}

	rc = check_char_device(dev->fd);
	if (rc) {
		dev->err = -rc;
		lu_errf(LU_DEVICE_PATH, "open",
			"not the xen_liveupdate char device (%s)",
			strerror(-rc));
		lu_device_close(dev, false);
		return LU_EXIT_NODEV;
	}
	return LU_EXIT_OK;
}

/**
 * lu_device_open() - open the live-update device, loading the module first
 * when the node is absent
 * @dev: filled on success
 * @flags: O_RDONLY for queries, O_RDWR to become the controller
 *
 * Return: LU_EXIT_OK, or an lu_exit code after a diagnostic on stderr.
 */
int lu_device_open(struct lu_device *dev, int flags)
{
	int rc;

	dev->loaded_module = false;
	dev->err = 0;
	dev->fd = open(LU_DEVICE_PATH, flags | O_CLOEXEC);
	if (dev->fd < 0 && errno == ENOENT) {
		rc = lu_module_load(&dev->loaded_module);
		if (rc) {
			dev->err = -rc;
			return LU_EXIT_NODEV;
		}
		dev->fd = open_node(flags);
	}
	return open_finish(dev);
}

/**
 * lu_device_open_loaded() - open the device of a module already loaded
 * @dev: filled on success
 * @flags: O_RDONLY or O_RDWR, as for lu_device_open()
 * @cmd: the command, for the diagnostic
 * @next: what the operator runs next when the module is not loaded
 *
 * The update sequence carries on from what earlier commands did, and
 * nothing is staged, prepared or handed over without the module (unloading
 * it undoes all of that): a module that is not loaded is not loaded here
 * only to answer that there is nothing to carry on from.
 *
 * Return: LU_EXIT_OK, or an lu_exit code after a diagnostic on stderr.
 */
int lu_device_open_loaded(struct lu_device *dev, int flags, const char *cmd,
			  const char *next)
{
	dev->loaded_module = false;
	dev->err = 0;
	dev->fd = open(LU_DEVICE_PATH, flags | O_CLOEXEC);
	if (dev->fd < 0 && errno == ENOENT) {
		if (access("/sys/module/" LU_MODULE_NAME, F_OK)) {
			dev->err = ENOENT;
			lu_errf(LU_MODULE_NAME, cmd,
				"the module is not loaded (no %s: ENOENT), so nothing is staged: %s",
				LU_DEVICE_PATH, next);
			return LU_EXIT_NODEV;
		}
		dev->fd = open_node(flags);
	}
	return open_finish(dev);
}

/*
 * Close the device.  A module this process loaded is removed again unless
 * @keep_module: a query leaves the system as it found it.
 */
void lu_device_close(struct lu_device *dev, bool keep_module)
{
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
	if (dev->loaded_module && !keep_module)
		lu_module_unload();
	dev->loaded_module = false;
}

/* XEN_LU_IOCTL_GET_INFO; LU_EXIT_OK, or LU_EXIT_FAILURE after saying why. */
int lu_device_get_info(struct lu_device *dev, struct xen_lu_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	if (ioctl(dev->fd, XEN_LU_IOCTL_GET_INFO, info)) {
		lu_err(LU_DEVICE_PATH, "GET_INFO", errno);
		return LU_EXIT_FAILURE;
	}
	return LU_EXIT_OK;
}
