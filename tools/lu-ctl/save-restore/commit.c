// SPDX-License-Identifier: GPL-2.0-only
/*
 * commit, save-restore: save every guest, verify every stream, write the
 * journal, execute xen#2.  Until the exec nothing is irreversible: if a
 * save, a verification, the journal or the exec fails, every guest runs
 * on where it stopped and no stream or journal is left behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "progress.h"
#include "save-restore-priv.h"

/* Fill the journal from the guests, their streams and their devices. */
static int build_journal(struct srj_journal *j, const struct lu_sr_plan *plan,
			 const char *from_xen, const struct xen_lu_info *info,
			 const struct sr_guest *guests, const struct sr_saved *saved, uint32_t nr,
			 const uint8_t *rec, size_t rec_len)
{
	uint32_t i;

	memset(j, 0, sizeof(*j));
	strcpy(j->update_id, plan->update_id);
	j->created = time(NULL);
	j->from_xen = strdup(from_xen);
	strcpy(j->xen2_sha256, plan->xen2_sha256);
	j->xen2_cmdline = strndup(info->out_staged_cmdline, sizeof(info->out_staged_cmdline));
	j->guests = calloc(nr + 1, sizeof(*j->guests));
	if (!j->from_xen || !j->xen2_cmdline || !j->guests)
		return -1;
	for (i = 0; i < nr; i++) {
		struct srj_guest *g = &j->guests[i];

		j->nr_guests++;
		g->name = strdup(guests[i].name);
		strcpy(g->uuid, guests[i].uuid);
		g->domid = guests[i].domid;
		g->memory_kib = guests[i].memory_kib;
		g->paused = guests[i].paused;
		g->config_json = strdup(guests[i].config_json);
		g->stream_file = strdup(saved[i].stream_file);
		g->stream_bytes = saved[i].stream_bytes;
		strcpy(g->stream_sha256, saved[i].stream_sha256);
		strcpy(g->stream_crc32, saved[i].stream_crc32);
		g->state = SRJ_GUEST_SAVED;
		if (!g->name || !g->config_json || !g->stream_file ||
		    lu_sr_devices(rec, rec_len, g->domid, &g->devices, &g->nr_devices))
			return -1;
	}
	return 0;
}

static void print_saved(const struct sr_guest *guests, const struct sr_saved *saved,
			uint32_t nr, const struct lu_sr_plan *plan, bool json)
{
	json_object *o, *list, *g;
	uint32_t i;

	if (!json) {
		for (i = 0; i < nr; i++) {
			printf("saved  %-20s %8llu MiB in %.1f s  %s  %s\n", guests[i].name,
			       (unsigned long long)(saved[i].stream_bytes >> 20),
			       saved[i].save_ns / 1e9, saved[i].live ? "live" : "non-live",
			       saved[i].stream_file);
			if (saved[i].live_failure[0])
				printf("       %-20s live save failed, saved non-live: %s\n",
				       guests[i].name, saved[i].live_failure);
		}
		printf("journal: %s/%s; executing xen#2\n", plan->save_dir, SRJ_FILE_NAME);
		fflush(stdout);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "method", json_object_new_string("save-restore"));
	json_object_object_add(o, "update_id", json_object_new_string(plan->update_id));
	json_object_object_add(o, "journal", json_object_new_string(plan->save_dir));
	list = json_object_new_array();
	for (i = 0; i < nr; i++) {
		g = json_object_new_object();
		json_object_object_add(g, "name", json_object_new_string(guests[i].name));
		json_object_object_add(g, "uuid", json_object_new_string(guests[i].uuid));
		json_object_object_add(g, "stream", json_object_new_string(saved[i].stream_file));
		lu_json_add_u64(g, "stream_bytes", saved[i].stream_bytes);
		lu_json_add_u64(g, "save_ns", saved[i].save_ns);
		json_object_object_add(g, "live", json_object_new_boolean(saved[i].live));
		json_object_object_add(g, "live_failure", saved[i].live_failure[0] ?
				       json_object_new_string(saved[i].live_failure) : NULL);
		json_object_array_add(list, g);
	}
	json_object_object_add(o, "guests", list);
	json_object_object_add(o, "executing", json_object_new_boolean(true));
	lu_print_json("commit", o);
	fflush(stdout);
}

/* Undo a save that the journal or the exec did not follow. */
static void put_back(struct sr_ctx *ctx, int dirfd, const struct sr_guest *guests,
		     const struct sr_saved *saved, uint32_t nr)
{
	struct sr_error err = {};
	uint32_t i;

	srj_remove(dirfd);
	for (i = 0; i < nr; i++)
		unlinkat(dirfd, saved[i].stream_file, 0);
	if (sr_resume_all(ctx, guests, nr, &err))
		lu_sr_report("resume", &err);
	else
		fprintf(stderr, "lu-ctl: every guest resumed; nothing changed\n");
}

int lu_sr_commit(struct lu_device *dev, const struct lu_sr_plan *plan, bool json)
{
	struct xen_lu_commit arg = { .size = sizeof(arg), .flags = XEN_LU_COMMIT_COLD };
	char from_xen[128], cmdline[1024];
	struct sr_guest *guests = NULL;
	struct sr_saved *saved = NULL;
	struct srj_journal j = {};
	struct sr_dir_info dir = {};
	struct sr_error err = {};
	struct srj_error jerr;
	struct sr_ctx *ctx = NULL;
	struct xen_lu_info info;
	uint8_t *rec = NULL;
	size_t rec_len = 0;
	uint32_t nr = 0;
	int rc, dirfd = -1;

	if (!plan->prepared) {
		lu_errf("save-restore", "commit", "not prepared (lu-ctl prepare)");
		return LU_EXIT_STATE;
	}
	dirfd = lu_sr_open_dir(plan->save_dir);
	if (dirfd < 0) {
		lu_err(plan->save_dir, "open", errno);
		return LU_EXIT_IO;
	}
	ctx = sr_open(STDERR_FILENO, &err);
	if (!ctx || sr_xen_identity(ctx, from_xen, sizeof(from_xen), cmdline, sizeof(cmdline),
				    &err)) {
		lu_sr_report("open the toolstack", &err);
		rc = LU_EXIT_FAILURE;
		goto out;
	}
	if (lu_device_get_info(dev, &info)) {
		lu_err(LU_DEVICE_PATH, "GET_INFO", errno);
		rc = LU_EXIT_FAILURE;
		goto out;
	}
	/* The guests may have changed since prepare: check them again. */
	rc = lu_sr_preflight(ctx, dirfd, plan, &guests, &nr, &dir);
	if (!rc)
		rc = lu_sr_collect(dev, &rec, &rec_len);
	if (rc)
		goto out;
	saved = calloc(nr + 1, sizeof(*saved));
	if (!saved) {
		lu_err("commit", "allocate", ENOMEM);
		rc = LU_EXIT_FAILURE;
		goto out;
	}
	if (!json)
		printf("saving %u guest(s), %s, %u at once, into %s\n", nr,
		       plan->live ? "live" : "non-live", plan->parallel, plan->save_dir);
	fflush(stdout);
	lu_sr_show_progress(ctx, json);
	rc = sr_save_all(ctx, dirfd, guests, nr,
			 &(struct sr_save_opts){ .live = plan->live, .parallel = plan->parallel },
			 saved, &err);
	lu_progress_clear();
	if (rc) {
		lu_sr_report("save", &err);
		fprintf(stderr, "lu-ctl: every guest resumed; nothing changed\n");
		rc = LU_EXIT_FAILURE;
		goto out;
	}
	if (build_journal(&j, plan, from_xen, &info, guests, saved, nr, rec, rec_len)) {
		lu_err("journal", "build", ENOMEM);
		put_back(ctx, dirfd, guests, saved, nr);
		rc = LU_EXIT_FAILURE;
		goto out;
	}
	if (srj_write(dirfd, &j, &jerr)) {
		lu_errf("journal", "write", "%s (%s)", jerr.msg, jerr.rule);
		put_back(ctx, dirfd, guests, saved, nr);
		rc = LU_EXIT_IO;
		goto out;
	}
	print_saved(guests, saved, nr, plan, json);
	/* The exec skips every shutdown path: nothing written may wait. */
	sync();
	if (ioctl(dev->fd, XEN_LU_IOCTL_COMMIT, &arg) == 0)
		errno = EPROTO;	/* the exec does not return */
	lu_errf(LU_DEVICE_PATH, "COMMIT_COLD", "the hypervisor did not execute xen#2: %s",
		strerror(errno));
	put_back(ctx, dirfd, guests, saved, nr);
	rc = LU_EXIT_FAILURE;
out:
	srj_free(&j);
	free(saved);
	free(rec);
	sr_guests_free(guests, nr);
	sr_close(ctx);
	close(dirfd);
	return rc;
}
