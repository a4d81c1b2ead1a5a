// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_LU_IOCTL_GET_INFO: what the hypervisor is, what it offers for live
 * update, and where this device stands.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/security.h>
#include <linux/string.h>

#include "hypervisor.h"
#include "liveupdate.h"

static void xen_lu_info_identity(struct xen_lu_info *info,
				 const struct xen_lu_identity *id)
{
	info->out_xen_major = id->major;
	info->out_xen_minor = id->minor;
	memcpy(info->out_xen_extraversion, id->extraversion,
	       sizeof(info->out_xen_extraversion));
	memcpy(info->out_xen_changeset, id->changeset,
	       sizeof(info->out_xen_changeset));
	info->out_build_id_len = id->build_id_len;
	memcpy(info->out_build_id, id->build_id, id->build_id_len);
	if (id->build_id_len)
		info->out_flags |= XEN_LU_INFO_BUILD_ID;
	else
		info->out_build_id_errno = -id->build_id_err;
}

/*
 * The live-update capability is the hypervisor's answer to
 * get_range(KEXEC_RANGE_MA_LIVEUPDATE): an error (stock Xen: -EINVAL) or an
 * empty range both mean "no", with the errno that says which.
 */
static void xen_lu_info_ranges(struct xen_lu_info *info)
{
	struct xen_lu_range range;
	int rc;

	rc = xen_lu_hv_get_range(KEXEC_RANGE_MA_CRASH, &range);
	if (rc) {
		info->out_crash_errno = -rc;
	} else if (range.size) {
		info->out_crash_start = range.start;
		info->out_crash_size = range.size;
		info->out_flags |= XEN_LU_INFO_CRASH_RANGE;
	}

	rc = xen_lu_hv_get_range(KEXEC_RANGE_MA_LIVEUPDATE, &range);
	if (rc) {
		info->out_lu_errno = -rc;
	} else if (!range.size) {
		info->out_lu_errno = ENOSPC;
	} else {
		info->out_lu_start = range.start;
		info->out_lu_size = range.size;
		info->out_flags |= XEN_LU_INFO_LIVE_UPDATE;
	}
}

/* The module's record of what it staged; the hypervisor cannot be asked. */
static void xen_lu_info_staged(struct xen_lu_info *info)
{
	const struct xen_lu_staged *st = &xen_lu_dev.staged;

	lockdep_assert_held(&xen_lu_dev.lock);
	info->out_state = xen_lu_dev.state;
	info->out_updates = xen_lu_dev.updates;
	if (xen_lu_dev.state == XEN_LU_STATE_IDLE)
		return;
	info->out_flags |= XEN_LU_INFO_STAGED;
	info->out_staged_type = st->type;
	info->out_staged_nr_segments = st->nr;
	info->out_staged_entry = st->entry;
	info->out_staged_xen_entry = st->xen_entry;
	info->out_staged_bytes = st->bytes;
	info->out_staged_time_ns = st->time_ns;
	memcpy(info->out_staged_sha256, st->sha256, sizeof(st->sha256));
	memcpy(info->out_staged_segments, st->seg,
	       st->nr * sizeof(st->seg[0]));
	strscpy(info->out_staged_cmdline, st->cmdline,
		sizeof(info->out_staged_cmdline));
}

/* The update under way, from PREPARE on. */
static void xen_lu_info_update(struct xen_lu_info *info)
{
	const struct xen_lu_update *u = &xen_lu_dev.update;

	lockdep_assert_held(&xen_lu_dev.lock);
	if (xen_lu_dev.state < XEN_LU_STATE_PREPARED)
		return;
	info->out_generation = u->generation;
	info->out_records_len = u->records.len;
	info->out_records_dest = u->records_dest;
	info->out_commit_result = u->commit_result;
	if (u->frozen)
		info->out_flags |= XEN_LU_INFO_FROZEN;
	if (u->watchdog_thawed)
		info->out_flags |= XEN_LU_INFO_WATCHDOG_THAWED;
}

long xen_lu_ioctl_get_info(struct file *file, struct xen_lu_ucmd *ucmd)
{
	struct xen_lu_info *info = ucmd->cmd;
	struct xen_lu_identity id;
	struct xen_lu_range xen;
	int rc;

	/* Outputs start from zero whatever user space left in them. */
	*info = (struct xen_lu_info){ .size = info->size };

	rc = xen_lu_hv_identity(&id);
	if (rc)
		return rc;

	rc = xen_lu_hv_get_range(KEXEC_RANGE_MA_XEN, &xen);
	if (rc)
		return rc;

	info->out_abi_version = XEN_LU_ABI_VERSION;
	xen_lu_info_identity(info, &id);
	info->out_xen_start = xen.start;
	info->out_xen_size = xen.size;
	xen_lu_info_ranges(info);
	if (security_locked_down(LOCKDOWN_KEXEC))
		info->out_flags |= XEN_LU_INFO_LOCKDOWN;

	rc = mutex_lock_killable(&xen_lu_dev.lock);
	if (rc)
		return rc;
	xen_lu_info_staged(info);
	xen_lu_info_update(info);
	mutex_unlock(&xen_lu_dev.lock);

	return xen_lu_ucmd_respond(ucmd, sizeof(*info));
}
