// SPDX-License-Identifier: GPL-2.0-only
/*
 * What prepare and commit both check before anything changes: every
 * guest, the save directory, dom0's records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dom0-records.h"
#include "output.h"
#include "save-restore-priv.h"

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
