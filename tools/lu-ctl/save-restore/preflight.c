// SPDX-License-Identifier: GPL-2.0-only
/*
 * What prepare and commit both check before anything changes: the plan
 * and its image, every guest, the save directory, dom0's records.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dom0-records.h"
#include "output.h"
#include "save-restore-priv.h"
#include "staging.h"

int lu_sr_plan_check(struct lu_device *dev, struct lu_sr_plan *plan)
{
	struct xen_lu_info info;
	char sha[LU_SHA256_HEX + 1];
	int err;

	err = lu_sr_plan_read(plan);
	if (err == ENOENT) {
		lu_errf("save-restore", "find the plan",
			"no save-restore update is staged (lu-ctl stage --method save-restore)");
		return LU_EXIT_STATE;
	}
	if (err) {
		lu_err(LU_SR_PLAN_FILE, "read", err);
		return LU_EXIT_IO;
	}
	if (lu_device_get_info(dev, &info)) {
		lu_err(LU_DEVICE_PATH, "GET_INFO", errno);
		return LU_EXIT_FAILURE;
	}
	lu_staged_sha256_hex(&info, sha);
	if (info.out_staged_type != XEN_LU_IMAGE_COLD || strcmp(sha, plan->xen2_sha256)) {
		lu_errf("save-restore", "check the staged image",
			"the image staged now is not the cold image staged for this update; stage again");
		return LU_EXIT_STATE;
	}
	return LU_EXIT_OK;
}

int lu_sr_preflight(struct sr_ctx *ctx, int dirfd, const struct lu_sr_plan *plan,
		    struct sr_guest **guests, uint32_t *nr, struct sr_dir_info *info)
{
	struct sr_error err = {};
	int rc = LU_EXIT_OK;
	uint32_t i;

	if (sr_list_guests(ctx, guests, nr, &err)) {
		lu_sr_report("list the guests", &err);
		return LU_EXIT_FAILURE;
	}
	for (i = 0; i < *nr; i++) {
		if (!(*guests)[i].unsaveable[0])
			continue;
		lu_errf((*guests)[i].name, "check", "domain %u cannot be saved: %s",
			(*guests)[i].domid, (*guests)[i].unsaveable);
		rc = LU_EXIT_REFUSED;
	}
	if (sr_check_save_dir(dirfd, *guests, *nr, plan->live, info, &err)) {
		lu_errf(plan->save_dir, "check", "%s", err.msg);
		rc = LU_EXIT_REFUSED;
	}
	return rc;
}

int lu_sr_collect(struct lu_device *dev, uint8_t **buf, size_t *len)
{
	char msg[512];
	int err;

	err = lu_records_collect(dev, 0, buf, len);
	if (err) {
		lu_err(LU_DEVICE_PATH, "COLLECT", err);
		return LU_EXIT_FAILURE;
	}
	if (lu_records_check(*buf, *len, msg, sizeof(msg))) {
		lu_errf("records", "check", "the module's records dump is invalid %s", msg);
		free(*buf);
		*buf = NULL;
		return LU_EXIT_INVALID;
	}
	return LU_EXIT_OK;
}
