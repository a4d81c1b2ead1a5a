// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl unstage: STAGED -> IDLE.  The module unloads the staged image
 * from the hypervisor (XEN_LU_IOCTL_UNSTAGE).
 *
 *	lu-ctl unstage [--json]
 *
 * Like the update sequence's commands, it carries on from what an earlier
 * command did: nothing is staged without the module, so it is not loaded
 * here only to answer that (lu_seq_open()).
 *
 * Exit codes: LU_EXIT_OK when an image was unloaded, LU_EXIT_NODEV without
 * the module or its device, LU_EXIT_STATE when nothing was staged or an
 * update is prepared or committed (cancel or finish it first),
 * LU_EXIT_FAILURE when the hypervisor refused (the image then stays).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include "builtin.h"
#include "save-restore/save-restore.h"
#include "device.h"
#include "failure.h"
#include "output.h"
#include "parse-options.h"
#include "state-rules.h"

static const struct lu_usage unstage_usage = {
	.name = "unstage",
	.synopsis = LU_SYNOPSIS("[--json]"),
	.about = "Unload the image staged with \"lu-ctl stage\".",
	.exit = "0 unloaded, 9 nothing staged, or an update prepared or\n"
		"committed, 1 refused, 4 no device",
};

static int unstage_failed(struct lu_device *dev, int err, bool json)
{
	struct lu_seq_failure fail;
	int rc = LU_EXIT_FAILURE;

	if (lu_seq_state_rule(dev, LU_SEQ_UNSTAGE, err, &fail)) {
		rc = LU_EXIT_STATE;
	} else if (err == EBUSY) {
		lu_seq_failf(&fail, err,
			     "the hypervisor refused: a kexec is in progress; the image stays staged");
		fail.state = XEN_LU_STATE_STAGED;
	} else {
		lu_seq_errno("unstage", err, &fail);
	}
	return lu_seq_report("unstage", &fail,
			     json ? json_object_new_object() : NULL, rc);
}

int cmd_unstage(int argc, char **argv)
{
	struct xen_lu_unstage arg = { .size = sizeof(arg) };
	bool json = false;
	const struct lu_option options[] = {
		LU_OPT_JSON(&json),
		LU_OPT_END(),
	};
	struct lu_device dev;
	int rc;

	if (!lu_parse_options(&argc, argv, options, &unstage_usage, &rc))
		return rc;
	rc = lu_seq_open(&dev, LU_SEQ_UNSTAGE, O_RDWR, json);
	if (rc)
		return rc;
	if (ioctl(dev.fd, XEN_LU_IOCTL_UNSTAGE, &arg)) {
		rc = unstage_failed(&dev, errno, json);
	} else {
		/* A save-restore plan was for the image just unloaded. */
		lu_sr_plan_remove();
		if (json)
			rc = lu_seq_print_done("unstage", "unstaged", XEN_LU_STATE_IDLE);
		else
			printf("unstaged\n");
	}
	lu_device_close(&dev, true);
	return rc;
}
