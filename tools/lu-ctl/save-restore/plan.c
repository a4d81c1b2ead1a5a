// SPDX-License-Identifier: GPL-2.0-only
/*
 * The plan of a save-restore update: written by stage, marked by prepare,
 * read by commit.  A small JSON file in /run, replaced atomically.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "exit-codes.h"
#include "output.h"
#include "save-restore.h"
#include "saverestore.h"
#include "staging.h"

static const char *plan_dir(void)
{
	const char *dir = getenv(LU_SR_PLAN_TEST_ENV);

	return dir && dir[0] ? dir : LU_SR_PLAN_DIR;
}

const char *lu_sr_plan_path(void)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", plan_dir(), LU_SR_PLAN_NAME);
	return path;
}

int lu_sr_plan_write(const struct lu_sr_plan *plan)
{
	json_object *o = json_object_new_object();
	char tmp[PATH_MAX + 4];
	const char *text;
	int fd, err = 0;

	if (!o)
		return ENOMEM;
	json_object_object_add(o, "update_id", json_object_new_string(plan->update_id));
	json_object_object_add(o, "save_dir", json_object_new_string(plan->save_dir));
	json_object_object_add(o, "live", json_object_new_boolean(plan->live));
	json_object_object_add(o, "parallel", json_object_new_int64(plan->parallel));
	json_object_object_add(o, "xen2_sha256", json_object_new_string(plan->xen2_sha256));
	json_object_object_add(o, "prepared", json_object_new_boolean(plan->prepared));
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	if (mkdir(plan_dir(), 0700) && errno != EEXIST) {
		err = errno;
		goto out;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", lu_sr_plan_path());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = errno;
		goto out;
	}
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		err = errno ? errno : EIO;
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp, lu_sr_plan_path()))
		err = errno;
out:
	json_object_put(o);
	return err;
}

/* @key's string, at most @len - 1 bytes, of which @hex digits if not 0. */
static bool copy_string(json_object *o, const char *key, char *out, size_t len, size_t hex)
{
	const char *text;
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return false;
	text = json_object_get_string(v);
	if (strlen(text) >= len)
		return false;
	if (hex && (strlen(text) != hex || strspn(text, "0123456789abcdef") != hex))
		return false;
	strcpy(out, text);
	return true;
}

static bool get_bool(json_object *o, const char *key, bool *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_boolean))
		return false;
	*out = json_object_get_boolean(v);
	return true;
}

/*
 * 0; ENOENT when there is no plan; EINVAL when it is damaged, another
 * errno when it cannot be read: @why says what is wrong.
 */
static int plan_read(struct lu_sr_plan *plan, char *why, size_t len)
{
	json_object *o, *v = NULL;
	int fd, err = EINVAL;

	memset(plan, 0, sizeof(*plan));
	fd = open(lu_sr_plan_path(), O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "%s", strerror(errno));
		return errno;
	}
	o = json_object_from_fd(fd);
	close(fd);
	if (!o) {
		snprintf(why, len, "not JSON");
		return EINVAL;
	}
	if (!json_object_is_type(o, json_type_object))
		snprintf(why, len, "not a JSON object");
	else if (!copy_string(o, "update_id", plan->update_id, sizeof(plan->update_id),
			      SRJ_UPDATE_ID_HEX))
		snprintf(why, len, "\"update_id\": missing, or not %d hex digits", SRJ_UPDATE_ID_HEX);
	else if (!copy_string(o, "save_dir", plan->save_dir, sizeof(plan->save_dir), 0))
		snprintf(why, len, "\"save_dir\": missing, or not a string");
	else if (!copy_string(o, "xen2_sha256", plan->xen2_sha256, sizeof(plan->xen2_sha256),
			      SRJ_SHA256_HEX))
		snprintf(why, len, "\"xen2_sha256\": missing, or not %d hex digits", SRJ_SHA256_HEX);
	else if (!get_bool(o, "live", &plan->live))
		snprintf(why, len, "\"live\": missing, or not true or false");
	else if (!get_bool(o, "prepared", &plan->prepared))
		snprintf(why, len, "\"prepared\": missing, or not true or false");
	else if (!json_object_object_get_ex(o, "parallel", &v) ||
		 !json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 1 ||
		 json_object_get_int64(v) > SR_MAX_PARALLEL)
		snprintf(why, len, "\"parallel\": missing, or not 1 to %d", SR_MAX_PARALLEL);
	else
		err = 0;
	if (!err)
		plan->parallel = json_object_get_int64(v);
	json_object_put(o);
	return err;
}

void lu_sr_plan_remove(void)
{
	unlink(lu_sr_plan_path());
}

enum lu_sr_found lu_sr_active(struct lu_device *dev, bool act, struct lu_sr_plan *plan)
{
	struct xen_lu_info info;
	char sha[LU_SHA256_HEX + 1], why[128];
	int err;

	err = plan_read(plan, why, sizeof(why));
	if (err == ENOENT)
		return LU_SR_NONE;
	if (lu_device_get_info(dev, &info))
		return LU_SR_NONE;
	/* Whatever it holds, a plan is stale without a cold image. */
	if (info.out_staged_type != XEN_LU_IMAGE_COLD)
		goto stale;
	if (err) {
		if (act)
			lu_errf(lu_sr_plan_path(), "read the save-restore plan",
				"%s: stage xen#2 again (lu-ctl stage --replace --method save-restore ...) or drop it (lu-ctl unstage)",
				why);
		return LU_SR_DAMAGED;
	}
	lu_staged_sha256_hex(&info, sha);
	if (!strcmp(sha, plan->xen2_sha256))
		return LU_SR_STAGED;
stale:
	if (act)
		lu_sr_plan_remove();
	return LU_SR_NONE;
}

int lu_sr_cancel(struct lu_sr_plan *plan, bool json)
{
	json_object *o;
	int err;

	if (!plan->prepared) {
		lu_errf("save-restore", "cancel", "not prepared (lu-ctl prepare): nothing to cancel");
		return LU_EXIT_STATE;
	}
	plan->prepared = false;
	err = lu_sr_plan_write(plan);
	if (err) {
		lu_err(lu_sr_plan_path(), "update", err);
		return LU_EXIT_IO;
	}
	if (!json) {
		printf("cancelled: the save-restore update is no longer prepared; xen#2 stays staged\n");
		return LU_EXIT_OK;
	}
	o = json_object_new_object();
	json_object_object_add(o, "method", json_object_new_string("save-restore"));
	json_object_object_add(o, "cancelled", json_object_new_boolean(true));
	json_object_object_add(o, "state", json_object_new_string("staged"));
	return lu_print_json("cancel", o);
}
