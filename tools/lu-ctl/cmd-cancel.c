// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl cancel: PREPARED -> STAGED.  The module cancels every
 * participant, drops the records handed over and reloads the image exactly
 * as staged (XEN_LU_IOCTL_CANCEL).  From COMMITTED (a scheduled update
 * that never ran, say): the image is unloaded, dom0 thawed -> IDLE.
 *
 *	lu-ctl cancel [--json]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "builtin.h"
#include "save-restore/save-restore.h"
#include "device.h"
#include "failure.h"
#include "output.h"
#include "parse-options.h"
#include "state-rules.h"

static const struct lu_usage cancel_usage = {
	.name = "cancel",
	.synopsis = LU_SYNOPSIS("[--json]"),
	.about = "Cancel the prepared live update: drop the records handed over and\n"
		 "reload the image as staged.  The image stays staged ('lu-ctl\n"
		 "unstage' unloads it).  Cancelling a committed update (one that\n"
		 "was scheduled and has not run) unloads the image, so it can no\n"
		 "longer run, and unfreezes dom0's backends.",
	.exit = "0 cancelled, 4 no device, 9 not PREPARED or COMMITTED,\n"
		"1 the hypervisor refused the reload or unload (nothing\n"
		"changed) or another error",
};

static int cancel_failed(struct lu_device *dev, int from, int err, bool json)
{
	struct lu_seq_failure fail;

	if (lu_seq_state_rule(dev, LU_SEQ_CANCEL, err, &fail))
		return lu_seq_report("cancel", &fail,
				     json ? json_object_new_object() : NULL,
				     LU_EXIT_STATE);
	if (err == ENOTTY || err == EBADF || err == EINVAL || err == ENOMEM ||
	    err == EPERM) {
		lu_seq_errno("cancel", err, &fail);
	} else if (from == XEN_LU_STATE_COMMITTED) {
		lu_seq_failf(&fail, err,
			     "the hypervisor refused to unload the image (KEXEC_CMD_kexec_unload): %s; the device stays COMMITTED",
			     strerror(err));
		fail.state = XEN_LU_STATE_COMMITTED;
	} else {
		lu_seq_failf(&fail, err,
			     "the hypervisor refused to reload the image as staged (KEXEC_CMD_kexec_load): %s; the device stays PREPARED",
			     strerror(err));
		fail.state = XEN_LU_STATE_PREPARED;
	}
	return lu_seq_report("cancel", &fail,
			     json ? json_object_new_object() : NULL,
			     LU_EXIT_FAILURE);
}

static int cancel_done(int from, bool json)
{
	unsigned int now = from == XEN_LU_STATE_COMMITTED ?
			   XEN_LU_STATE_IDLE : XEN_LU_STATE_STAGED;

	if (json)
		return lu_seq_print_done("cancel", "cancelled", now);
	if (now == XEN_LU_STATE_IDLE)
		printf("cancelled: the committed update is dropped, the image unloaded and dom0's backends unfrozen (device IDLE)\n");
	else
		printf("cancelled: records dropped, the image is staged as before (device STAGED)\n");
	return LU_EXIT_OK;
}

int cmd_cancel(int argc, char **argv)
{
	struct xen_lu_cancel arg = { .size = sizeof(arg) };
	enum lu_sr_found found;
	struct lu_sr_plan plan;
	struct lu_device dev;
	bool json = false;
	const struct lu_option options[] = {
		LU_OPT_JSON(&json),
		LU_OPT_END(),
	};
	int rc, from;

	if (!lu_parse_options(&argc, argv, options, &cancel_usage, &rc))
		return rc;
	rc = lu_seq_open(&dev, LU_SEQ_CANCEL, O_RDWR, json);
	if (rc)
		return rc;
	found = lu_sr_active(&dev, true, &plan);
	if (found != LU_SR_NONE) {
		rc = found == LU_SR_DAMAGED ? LU_EXIT_IO : lu_sr_cancel(&plan, json);
		lu_device_close(&dev, true);
		return rc;
	}
	/* The controller's file is open: nobody else moves the state. */
	from = lu_seq_current_state(&dev);
	if (ioctl(dev.fd, XEN_LU_IOCTL_CANCEL, &arg))
		rc = cancel_failed(&dev, from, errno, json);
	else
		rc = cancel_done(from, json);
	lu_device_close(&dev, true);
	return rc;
}
