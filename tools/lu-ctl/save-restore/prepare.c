// SPDX-License-Identifier: GPL-2.0-only
/*
 * prepare, save-restore: every check commit will make, made now, and
 * nothing changed.  Marks the plan prepared.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "output.h"
#include "save-restore-priv.h"

static json_object *guest_json(const struct sr_guest *g, uint32_t nr_devices)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(g->name));
	json_object_object_add(o, "domid", json_object_new_int64(g->domid));
	json_object_object_add(o, "uuid", json_object_new_string(g->uuid));
	json_object_object_add(o, "memory_kib", json_object_new_int64(g->memory_kib));
	json_object_object_add(o, "devices", json_object_new_int64(nr_devices));
	json_object_object_add(o, "saveable", json_object_new_boolean(!g->unsaveable[0]));
	json_object_object_add(o, "reason", g->unsaveable[0] ?
			       json_object_new_string(g->unsaveable) : NULL);
	return o;
}

static void print_report(const struct lu_sr_plan *plan, const struct sr_dir_info *info,
			 const struct sr_guest *guests, const uint32_t *devices, uint32_t nr,
			 bool json, int rc)
{
	json_object *o, *dir, *list;
	uint32_t i;

	if (!json) {
		printf("%-14s save-restore\n", "method:");
		printf("%-14s %s (%s, %llu MiB free, %llu MiB needed)\n", "save dir:",
		       plan->save_dir, info->fs_type,
		       (unsigned long long)(info->free_bytes >> 20),
		       (unsigned long long)(info->need_bytes >> 20));
		printf("%-14s %s, %u at once\n", "save:", plan->live ? "live" : "non-live",
		       plan->parallel);
		for (i = 0; i < nr; i++)
			printf("guest %5u  %-20s %8llu MiB  %u devices  %s\n", guests[i].domid,
			       guests[i].name,
			       (unsigned long long)(guests[i].memory_kib >> 10), devices[i],
			       guests[i].unsaveable[0] ? guests[i].unsaveable : "can be saved");
		printf("%-14s %s\n", "result:", rc ? "refused: nothing changed" : "prepared");
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "method", json_object_new_string("save-restore"));
	json_object_object_add(o, "prepared", json_object_new_boolean(!rc));
	dir = json_object_new_object();
	json_object_object_add(dir, "path", json_object_new_string(plan->save_dir));
	json_object_object_add(dir, "fs_type", json_object_new_string(info->fs_type));
	lu_json_add_u64(dir, "free_bytes", info->free_bytes);
	lu_json_add_u64(dir, "need_bytes", info->need_bytes);
	json_object_object_add(o, "save_dir", dir);
	json_object_object_add(o, "live", json_object_new_boolean(plan->live));
	json_object_object_add(o, "parallel", json_object_new_int64(plan->parallel));
	list = json_object_new_array();
	for (i = 0; i < nr; i++)
		json_object_array_add(list, guest_json(&guests[i], devices[i]));
	json_object_object_add(o, "guests", list);
	lu_print_json("prepare", o);
}

int lu_sr_prepare(struct lu_device *dev, struct lu_sr_plan *plan, bool json)
{
	struct sr_guest *guests = NULL;
	struct sr_dir_info info = {};
	struct sr_ctx *ctx = NULL;
	struct sr_error err = {};
	uint32_t *devices = NULL, nr = 0, i, n;
	struct srj_device *devs;
	uint8_t *rec = NULL;
	size_t rec_len = 0;
	int rc, dirfd = -1;

	dirfd = lu_sr_open_dir(plan->save_dir);
	if (dirfd < 0) {
		lu_err(plan->save_dir, "open", errno);
		return LU_EXIT_IO;
	}
	ctx = sr_open(STDERR_FILENO, &err);
	if (!ctx) {
		lu_sr_report("open the toolstack", &err);
		rc = LU_EXIT_FAILURE;
		goto out;
	}
	rc = lu_sr_collect(dev, &rec, &rec_len);
	if (rc)
		goto out;
	rc = lu_sr_preflight(ctx, dirfd, plan, &guests, &nr, &info);
	if (rc == LU_EXIT_FAILURE)
		goto out;
	devices = calloc(nr + 1, sizeof(*devices));
	for (i = 0; devices && i < nr; i++) {
		if (!lu_sr_devices(rec, rec_len, guests[i].domid, &devs, &n)) {
			devices[i] = n;
			lu_sr_devices_free(devs, n);
		}
	}
	if (!devices) {
		lu_err("prepare", "allocate", ENOMEM);
		rc = LU_EXIT_FAILURE;
		goto out;
	}
	if (!rc) {
		plan->prepared = true;
		rc = lu_sr_plan_write(plan);
		if (rc) {
			lu_err(lu_sr_plan_path(), "write", rc);
			rc = LU_EXIT_IO;
			goto out;
		}
	}
	print_report(plan, &info, guests, devices, nr, json, rc);
out:
	free(devices);
	free(rec);
	sr_guests_free(guests, nr);
	sr_close(ctx);
	close(dirfd);
	return rc;
}
