// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading and unloading xen_liveupdate through libkmod, with the modprobe
 * blacklist honoured and kernel errors said in words.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libkmod.h>

#include "device.h"
#include "lusysfs.h"
#include "output.h"

static const char *module_strerror(int err)
{
	switch (err) {
	case ENOENT:
		return "module not installed for the running kernel (make modules_install, or dkms install)";
	case ENOEXEC:
		return "invalid module format (built for another kernel?)";
	case ENODEV:
		return "the module refused to load: not a Xen PV control domain (see dmesg)";
	case EPERM:
		return "operation not permitted (run as root)";
	default:
		return strerror(err);
	}
}

/* libkmod logs to stderr by default; lu-ctl says what failed itself. */
static void kmod_log_quiet(void *data __attribute__((unused)),
			   int priority __attribute__((unused)),
			   const char *file __attribute__((unused)),
			   int line __attribute__((unused)),
			   const char *fn __attribute__((unused)),
			   const char *format __attribute__((unused)),
			   va_list args __attribute__((unused)))
{
}

static int module_lookup(struct kmod_ctx **ctx, struct kmod_module **mod)
{
	int rc;

	*ctx = kmod_new(NULL, NULL);
	if (!*ctx)
		return -ENOMEM;
	if (!getenv("LU_CTL_DEBUG"))
		kmod_set_log_fn(*ctx, kmod_log_quiet, NULL);
	rc = kmod_module_new_from_name(*ctx, LU_MODULE_NAME, mod);
	if (rc < 0) {
		kmod_unref(*ctx);
		*ctx = NULL;
	}
	return rc;
}

/**
 * lu_module_load() - make sure xen_liveupdate is loaded
 * @loaded: set when this call loaded it (it was not live before)
 *
 * Return: 0, or a negative errno after a diagnostic on stderr.  A module
 * blacklisted in modprobe.d is not loaded: -EPERM.
 */
int lu_module_load(bool *loaded)
{
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx = NULL;
	int rc;

	*loaded = false;
	rc = module_lookup(&ctx, &mod);
	if (rc < 0) {
		lu_errf(LU_MODULE_NAME, "load", "%s", module_strerror(-rc));
		return rc;
	}

	if (kmod_module_get_initstate(mod) == KMOD_MODULE_LIVE)
		goto out;

	rc = kmod_module_probe_insert_module(mod, KMOD_PROBE_APPLY_BLACKLIST,
					     NULL, NULL, NULL, NULL);
	if (rc > 0) {
		lu_errf(LU_MODULE_NAME, "load",
			"module is blacklisted (modprobe.d); not loading it");
		rc = -EPERM;
	} else if (rc < 0) {
		lu_errf(LU_MODULE_NAME, "load", "%s", module_strerror(-rc));
	} else {
		*loaded = true;
	}
out:
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return rc;
}

/* Remove xen_liveupdate; 0 or a negative errno (-EBUSY while in use). */
int lu_module_unload(void)
{
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx = NULL;
	int rc;

	rc = module_lookup(&ctx, &mod);
	if (rc < 0)
		return rc;
	rc = kmod_module_remove_module(mod, 0);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return rc;
}

/* The loaded module's MODULE_VERSION, from sysfs. */
int lu_module_version(char *buf, size_t len)
{
	return lu_sysfs_read_line("/sys/module/" LU_MODULE_NAME "/version",
				  buf, len);
}
