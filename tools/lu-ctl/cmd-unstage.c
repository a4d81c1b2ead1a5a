// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl unstage: unload the staged image from the hypervisor.
 *
 * Exit codes: LU_EXIT_OK when an image was unloaded, LU_EXIT_STATE when
 * nothing was staged or an update is prepared or committed (cancel or
 * finish it first), LU_EXIT_FAILURE when the hypervisor refused (the image
 * then stays).
 */
#include <errno.h>
#include <fcntl.h>
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

static const struct lu_usage unstage_usage = {
	.name = "unstage",
	.synopsis = LU_SYNOPSIS(""),
	.about = "Unload the image staged with \"lu-ctl stage\".",
	.exit = "0 unloaded, 9 nothing staged, or an update prepared or\n"
		"committed, 1 refused, 4 no device",
};

static int unstage_failed(struct lu_device *dev, int err)
{
	struct lu_seq_failure fail;

	if (lu_seq_state_rule(dev, LU_SEQ_UNSTAGE, err, &fail))
		return lu_seq_report("unstage", &fail, NULL, LU_EXIT_STATE);
	if (err == EBUSY)
		lu_errf(LU_DEVICE_PATH, "unstage",
			"EBUSY: the hypervisor refused: a kexec is in progress; the image stays staged");
	else
		lu_err(LU_DEVICE_PATH, "UNSTAGE", err);
	return LU_EXIT_FAILURE;
}

int cmd_unstage(int argc, char **argv)
{
	struct xen_lu_unstage arg = { .size = sizeof(arg) };
	const struct lu_option options[] = {
		LU_OPT_END(),
	};
	struct lu_device dev;
	int rc;

	if (!lu_parse_options(&argc, argv, options, &unstage_usage, &rc))
		return rc;

	rc = lu_device_open(&dev, O_RDWR);
	if (rc)
		return rc;
	if (ioctl(dev.fd, XEN_LU_IOCTL_UNSTAGE, &arg))
		rc = unstage_failed(&dev, errno);
	else
		printf("unstaged\n");
	if (!rc)
		lu_sr_plan_remove();
	lu_device_close(&dev, false);
	return rc;
}
