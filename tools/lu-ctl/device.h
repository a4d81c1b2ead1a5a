/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Access to /dev/xen/liveupdate: load the module when needed, open the node
 * and check it really is our char device, issue ioctls.
 */
#ifndef LU_CTL_DEVICE_H
#define LU_CTL_DEVICE_H

#include <stdbool.h>
#include <stddef.h>

#include <xen/liveupdate.h>

#define LU_DEVICE_PATH		"/dev/xen/liveupdate"
#define LU_MODULE_NAME		"xen_liveupdate"

struct lu_device {
	int fd;
	bool loaded_module;	/* this process loaded the module */
	int err;		/* why an open failed: a positive errno */
};

int lu_device_open(struct lu_device *dev, int flags);
int lu_device_open_loaded(struct lu_device *dev, int flags, const char *cmd,
			  const char *next);
void lu_device_close(struct lu_device *dev, bool keep_module);
int lu_device_get_info(struct lu_device *dev, struct xen_lu_info *info);

int lu_module_load(bool *loaded);
int lu_module_unload(void);
int lu_module_version(char *buf, size_t len);

#endif /* LU_CTL_DEVICE_H */
