// SPDX-License-Identifier: GPL-2.0-only
/*
 * Small things every save-restore step needs.
 */
#include <fcntl.h>
#include <stdio.h>

#include "output.h"
#include "save-restore-priv.h"

int lu_sr_open_dir(const char *path)
{
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

void lu_sr_report(const char *action, const struct sr_error *err)
{
	lu_errf(err->guest[0] ? err->guest : "save-restore", action, "%s (%s)", err->msg,
		err->rule ? err->rule : "error");
}
