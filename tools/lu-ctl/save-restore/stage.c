// SPDX-License-Identifier: GPL-2.0-only
/*
 * stage --method save-restore: once the module holds xen#2 as a cold
 * image, make the save directory and write the plan prepare and commit
 * follow.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "output.h"
#include "save-restore-priv.h"
#include "staging.h"

/* mkdir -p with mode 0700 for what it creates. */
static int make_dirs(const char *path)
{
	char buf[PATH_MAX], *p;

	if (strlen(path) >= sizeof(buf))
		return ENAMETOOLONG;
	strcpy(buf, path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return errno;
		*p = '/';
	}
	if (mkdir(buf, 0700) && errno != EEXIST)
		return errno;
	return 0;
}

int lu_sr_stage(struct lu_device *dev, const char *save_dir, bool live, uint32_t parallel,
		bool json)
{
	struct lu_sr_plan plan = { .live = live, .parallel = parallel };
	struct xen_lu_info info;
	int err;

	if (save_dir[0] != '/') {
		lu_errf(save_dir, "use as save directory", "not an absolute path");
		return LU_EXIT_USAGE;
	}
	err = make_dirs(save_dir);
	if (err || !realpath(save_dir, plan.save_dir)) {
		lu_err(save_dir, "create", err ? err : errno);
		return LU_EXIT_IO;
	}
	if (lu_device_get_info(dev, &info)) {
		lu_err(LU_DEVICE_PATH, "GET_INFO", errno);
		return LU_EXIT_FAILURE;
	}
	lu_staged_sha256_hex(&info, plan.xen2_sha256);
	if (srj_new_update_id(plan.update_id)) {
		lu_err("update id", "draw", errno);
		return LU_EXIT_FAILURE;
	}
	err = lu_sr_plan_write(&plan);
	if (err) {
		lu_err(lu_sr_plan_path(), "write", err);
		return LU_EXIT_IO;
	}
	if (!json)
		printf("%-14s save-restore (save directory %s, %s save, %u at once)\n",
		       "method:", plan.save_dir, live ? "live" : "non-live", parallel);
	return LU_EXIT_OK;
}
