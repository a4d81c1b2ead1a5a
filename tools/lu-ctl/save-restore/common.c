// SPDX-License-Identifier: GPL-2.0-only
/*
 * Small things every save-restore step needs.
 */
#include <fcntl.h>
#include <stdio.h>

#include "output.h"
#include "progress.h"
#include "save-restore-priv.h"

int lu_sr_open_dir(const char *path)
{
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static void progress_line(void *opaque, const char *verb, uint32_t done,
			  uint32_t nr)
{
	(void)opaque;
	lu_progress("save-restore: %s guests: %u of %u done", verb, done, nr);
}

/* Show the saves or restores of @ctx on lu-ctl's progress line. */
void lu_sr_show_progress(struct sr_ctx *ctx, bool json)
{
	lu_progress_enable(json);
	sr_set_progress(ctx, progress_line, NULL);
}

void lu_sr_report(const char *action, const struct sr_error *err)
{
	lu_errf(err->guest[0] ? err->guest : "save-restore", action, "%s (%s)", err->msg,
		err->rule ? err->rule : "error");
}
