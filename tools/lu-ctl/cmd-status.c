// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl status: is live update possible here, and where do we stand.
 *
 * Exit codes: LU_EXIT_OK when this host can be updated by one method at
 * least (live update, or save-restore), LU_EXIT_UNSUPPORTED when neither
 * can be used (each reason is printed), LU_EXIT_NODEV / LU_EXIT_FAILURE
 * when the module could not be asked.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "save-restore/save-restore.h"
#include "device.h"
#include "lusysfs.h"
#include "names.h"
#include "output.h"
#include "parse-options.h"
#include "staging.h"

/* Why live update is not available, in an operator's words. */
static const char *lu_reason(unsigned int err)
{
	switch (err) {
	case 0:
		return "supported";
	case EINVAL:
		return "this hypervisor does not support live update: it does not know KEXEC_RANGE_MA_LIVEUPDATE";
	case ENOSPC:
		return "live update is built in, but Xen reserved no live-update boot memory (liveupdate= on its command line)";
	default:
		return "the hypervisor could not report its live-update range";
	}
}

static void build_id_hex(const struct xen_lu_info *info, char *buf)
{
	unsigned int i;

	for (i = 0; i < info->out_build_id_len && i < XEN_LU_BUILD_ID_MAX; i++)
		sprintf(buf + 2 * i, "%02x", info->out_build_id[i]);
	buf[2 * i] = '\0';
}

static struct json_object *json_range(bool present, uint64_t start,
				      uint64_t size)
{
	struct json_object *r;

	if (!present)
		return NULL;
	r = json_object_new_object();
	json_object_object_add(r, "start", json_object_new_uint64(start));
	json_object_object_add(r, "size", json_object_new_uint64(size));
	return r;
}

/* The update sequence's part of the "module" object (ABI 4). */
static void json_sequence(struct json_object *mod,
			  const struct xen_lu_info *info)
{
	json_object_object_add(mod, "frozen",
			       json_object_new_boolean(info->out_flags & XEN_LU_INFO_FROZEN));
	json_object_object_add(mod, "watchdog_thawed",
			       json_object_new_boolean(info->out_flags & XEN_LU_INFO_WATCHDOG_THAWED));
	lu_json_add_u64(mod, "updates", info->out_updates);
	lu_json_add_u64(mod, "generation", info->out_generation);
	lu_json_add_u64(mod, "records_len", info->out_records_len);
	lu_json_add_u64(mod, "records_dest", info->out_records_dest);
	json_object_object_add(mod, "commit_result", info->out_commit_result ?
			       json_object_new_string(lu_commit_result_name(info->out_commit_result)) :
			       NULL);
}

/* The method of the update staged: its name, and a note for people. */
struct staged_method {
	const char *name;	/* live-update, save-restore, cold; NULL: none */
	const char *note;	/* NULL, or e.g. "prepared" */
};

static int status_json(const struct xen_lu_info *info, const char *modver,
		       const struct staged_method *method, bool *usable)
{
	struct json_object *root = json_object_new_object();
	struct json_object *hv = json_object_new_object();
	struct json_object *mod = json_object_new_object();
	struct json_object *ranges = json_object_new_object();
	struct json_object *lu = json_object_new_object();
	char bid[2 * XEN_LU_BUILD_ID_MAX + 1];
	char version[128];

	snprintf(version, sizeof(version), "%u.%u%s", info->out_xen_major,
		 info->out_xen_minor, info->out_xen_extraversion);
	build_id_hex(info, bid);

	json_object_object_add(root, "simulated",
			       json_object_new_boolean(lu_simulated()));
	json_object_object_add(hv, "version", json_object_new_string(version));
	json_object_object_add(hv, "major",
			       json_object_new_int(info->out_xen_major));
	json_object_object_add(hv, "minor",
			       json_object_new_int(info->out_xen_minor));
	json_object_object_add(hv, "extraversion",
			       json_object_new_string(info->out_xen_extraversion));
	json_object_object_add(hv, "changeset",
			       json_object_new_string(info->out_xen_changeset));
	json_object_object_add(hv, "build_id", info->out_build_id_len ?
			       json_object_new_string(bid) : NULL);
	json_object_object_add(root, "hypervisor", hv);

	json_object_object_add(ranges, "xen",
			       json_range(true, info->out_xen_start,
					  info->out_xen_size));
	json_object_object_add(ranges, "crash",
			       json_range(info->out_flags & XEN_LU_INFO_CRASH_RANGE,
					  info->out_crash_start,
					  info->out_crash_size));
	json_object_object_add(ranges, "liveupdate",
			       json_range(info->out_flags & XEN_LU_INFO_LIVE_UPDATE,
					  info->out_lu_start,
					  info->out_lu_size));
	json_object_object_add(root, "ranges", ranges);

	json_object_object_add(lu, "supported",
			       json_object_new_boolean(!info->out_lu_errno));
	json_object_object_add(lu, "errno",
			       json_object_new_int(info->out_lu_errno));
	json_object_object_add(lu, "error", info->out_lu_errno ?
			       json_object_new_string(lu_errno_name(info->out_lu_errno)) :
			       NULL);
	json_object_object_add(lu, "reason",
			       json_object_new_string(lu_reason(info->out_lu_errno)));
	json_object_object_add(root, "live_update", lu);

	json_object_object_add(mod, "name",
			       json_object_new_string(LU_MODULE_NAME));
	json_object_object_add(mod, "version", json_object_new_string(modver));
	json_object_object_add(mod, "abi",
			       json_object_new_int(info->out_abi_version));
	json_object_object_add(mod, "state",
			       json_object_new_string(lu_state_name(info->out_state)));
	json_object_object_add(mod, "lockdown",
			       json_object_new_boolean(info->out_flags & XEN_LU_INFO_LOCKDOWN));
	json_sequence(mod, info);
	json_object_object_add(root, "module", mod);
	json_object_object_add(root, "staged", lu_staged_json(info));
	json_object_object_add(root, "methods", lu_sr_methods_json(info->out_lu_errno, usable));
	json_object_object_add(root, "method",
			       method->name ? json_object_new_string(method->name) : NULL);
	json_object_object_add(root, "method_note",
			       method->note ? json_object_new_string(method->note) : NULL);

	return lu_print_json("status", root);
}

static void print_range(const char *name, bool present, uint64_t start,
			uint64_t size)
{
	if (!present) {
		printf("%-14s none\n", name);
		return;
	}
	printf("%-14s 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 " KiB)\n", name,
	       start, start + size - 1, size >> 10);
}

/* Where the update sequence stands: frozen, records handed over, updates. */
static void print_sequence(const struct xen_lu_info *info)
{
	if (info->out_flags & XEN_LU_INFO_FROZEN)
		printf("%-14s yes: dom0's backends are frozen until 'lu-ctl finish' or 'lu-ctl cancel'\n",
		       "frozen:");
	if (info->out_flags & XEN_LU_INFO_WATCHDOG_THAWED)
		printf("%-14s the freeze watchdog thawed dom0's backends (module parameter freeze_timeout_ms); the update is still committed\n",
		       "watchdog:");
	if (info->out_records_len)
		printf("%-14s %" PRIu64 " bytes handed over at 0x%" PRIx64
		       ", generation %" PRIu64 "\n", "records:",
		       (uint64_t)info->out_records_len,
		       (uint64_t)info->out_records_dest,
		       (uint64_t)info->out_generation);
	else
		printf("%-14s none handed over\n", "records:");
	if (info->out_commit_result)
		printf("%-14s %s\n", "last commit:",
		       lu_commit_result_name(info->out_commit_result));
	printf("%-14s %" PRIu64 " finished since the module loaded\n",
	       "updates:", (uint64_t)info->out_updates);
}

static int status_human(const struct xen_lu_info *info, const char *modver,
			const struct staged_method *method, bool *usable)
{
	char bid[2 * XEN_LU_BUILD_ID_MAX + 1];
	bool simulated = lu_simulated();

	build_id_hex(info, bid);
	if (simulated)
		printf("%-14s SIMULATED live-update hypervisor (test suite): its live-update range, images and commits are not Xen's\n",
		       "warning:");
	printf("%-14s Xen %u.%u%s\n", "hypervisor:", info->out_xen_major,
	       info->out_xen_minor, info->out_xen_extraversion);
	printf("%-14s %s\n", "changeset:", info->out_xen_changeset[0] ?
	       info->out_xen_changeset : "(none)");
	if (info->out_build_id_len)
		printf("%-14s %s\n", "build-id:", bid);
	else
		printf("%-14s none (%s)\n", "build-id:",
		       lu_errno_name(info->out_build_id_errno));
	print_range("xen range:", true, info->out_xen_start,
		    info->out_xen_size);
	print_range("crash range:", info->out_flags & XEN_LU_INFO_CRASH_RANGE,
		    info->out_crash_start, info->out_crash_size);
	print_range("lu range:", info->out_flags & XEN_LU_INFO_LIVE_UPDATE,
		    info->out_lu_start, info->out_lu_size);
	printf("%-14s %s %s, ABI %u, state %s\n", "module:", LU_MODULE_NAME,
	       modver, info->out_abi_version, lu_state_name(info->out_state));
	if (info->out_lu_errno)
		printf("%-14s no: %s (get_range(KEXEC_RANGE_MA_LIVEUPDATE): %s)\n",
		       "live update:", lu_reason(info->out_lu_errno),
		       lu_errno_name(info->out_lu_errno));
	else
		printf("%-14s yes%s\n", "live update:",
		       simulated ? " (SIMULATED)" : "");
	if (info->out_flags & XEN_LU_INFO_LOCKDOWN)
		printf("%-14s kexec locked down: staging needs a signed image\n",
		       "lockdown:");
	if (info->out_abi_version >= 4)
		print_sequence(info);
	lu_staged_print(stdout, info);
	if (method->name && method->note)
		printf("%-14s %s (%s)\n", "method:", method->name, method->note);
	else if (method->name)
		printf("%-14s %s\n", "method:", method->name);
	lu_sr_methods_print(stdout, info->out_lu_errno, usable);
	return LU_EXIT_OK;
}

/* The method of the update staged now; no name when nothing is staged. */
static struct staged_method update_method(struct lu_device *dev,
					  const struct xen_lu_info *info)
{
	struct lu_sr_plan plan;

	switch (info->out_staged_type) {
	case XEN_LU_IMAGE_LIVE_UPDATE:
		return (struct staged_method){ "live-update", NULL };
	case XEN_LU_IMAGE_COLD:
		switch (lu_sr_active(dev, false, &plan)) {
		case LU_SR_STAGED:
			return (struct staged_method){ "save-restore",
						       plan.prepared ? "prepared" : NULL };
		case LU_SR_DAMAGED:
			return (struct staged_method){ "save-restore",
				"its plan is damaged: lu-ctl prepare says why" };
		case LU_SR_NONE:
			break;
		}
		return (struct staged_method){ "cold", "every domain is lost on exec" };
	default:
		return (struct staged_method){ NULL, NULL };
	}
}

static const struct lu_usage status_usage = {
	.name = "status",
	.synopsis = LU_SYNOPSIS("[--json]"),
	.about = "Show the hypervisor's identity, its kexec ranges, whether it\n"
		 "supports live update (and why not), the device state (idle,\n"
		 "staged, prepared, committing or committed), the update methods\n"
		 "this host can use (live-update, save-restore; why not) and the\n"
		 "method of the update staged.\n"
		 "Loads xen_liveupdate when needed and unloads it again after.",
	.exit = "0 an update method is available, 3 none is (live update\n"
		"unsupported and save-restore unavailable), 4 no device, 1 error",
};

int cmd_status(int argc, char **argv)
{
	struct xen_lu_info info;
	struct lu_device dev;
	char modver[64] = "unknown";
	struct staged_method method;
	bool json = false, usable = false;
	const struct lu_option options[] = {
		LU_OPT_JSON(&json),
		LU_OPT_END(),
	};
	int rc;

	if (!lu_parse_options(&argc, argv, options, &status_usage, &rc))
		return rc;

	rc = lu_device_open(&dev, O_RDONLY);
	if (rc)
		return rc;

	rc = lu_device_get_info(&dev, &info);
	if (rc)
		goto out;
	lu_module_version(modver, sizeof(modver));

	method = update_method(&dev, &info);
	rc = json ? status_json(&info, modver, &method, &usable) :
		    status_human(&info, modver, &method, &usable);
	if (rc == LU_EXIT_OK && !usable)
		rc = LU_EXIT_UNSUPPORTED;
out:
	lu_device_close(&dev, false);
	return rc;
}
