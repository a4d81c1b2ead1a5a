// SPDX-License-Identifier: GPL-2.0-only
/*
 * finish, save-restore: in the boot after the exec (xen#2, or any Xen a
 * firmware reboot brought up), restore every guest from the journal, wait
 * for their devices, compare dom0's records with the journal's, and only
 * when every guest runs with nothing different delete the streams and
 * the journal.  A guest that fails keeps its stream; "finish --retry"
 * tries the failed ones again.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xenstore.h>

#include "output.h"
#include "progress.h"
#include "save-restore-priv.h"

/*
 * While restored guests' devices connect: the longest wait for a change
 * in xenstore before the records are compared again all the same, and the
 * interval between comparisons when xenstore cannot be watched.
 */
#define CONNECT_WAIT_MS		1000
#define CONNECT_POLL_MS		500

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Watches on what the devices of restored guests change as they connect:
 * dom0's backends and each restored guest's frontends.  NULL when
 * xenstored cannot be reached: the comparison then polls.
 */
static struct xs_handle *watch_devices(const struct srj_journal *j)
{
	struct xs_handle *xs = xs_open(0);
	char path[64];
	uint32_t i;

	if (!xs)
		return NULL;
	if (!xs_watch(xs, "/local/domain/0/backend", "lu-ctl"))
		goto fail;
	for (i = 0; i < j->nr_guests; i++) {
		if (j->guests[i].state != SRJ_GUEST_RESTORED)
			continue;
		snprintf(path, sizeof(path), "/local/domain/%u/device",
			 j->guests[i].restored_domid);
		if (!xs_watch(xs, path, "lu-ctl"))
			goto fail;
	}
	return xs;
fail:
	xs_close(xs);
	return NULL;
}

/* Forget the changes seen so far: the next comparison covers them. */
static void drain_changes(struct xs_handle *xs)
{
	char **ev;

	while (xs && (ev = xs_check_watch(xs)))
		free(ev);
}

/* Until a device changes, or @ms: a watch event, not a fixed sleep. */
static void wait_change(struct xs_handle *xs, int ms)
{
	struct pollfd p;

	if (!xs) {
		sleep_ms(CONNECT_POLL_MS);
		return;
	}
	p = (struct pollfd){ .fd = xs_fileno(xs), .events = POLLIN };
	poll(&p, 1, ms > CONNECT_WAIT_MS ? CONNECT_WAIT_MS : ms);
}

/*
 * Compare every restored guest with the journal, waiting up to
 * LU_SR_CONNECT_TIMEOUT_S for devices that are still connecting: compared
 * again as soon as xenstore says one of them changed.  Returns the
 * differences (a new array) or NULL.
 */
static json_object *compare_all(struct lu_device *dev, const struct srj_journal *j,
				int *rc)
{
	json_object *diffs = NULL;
	uint64_t deadline = sr_now_ns() / 1000000 + LU_SR_CONNECT_TIMEOUT_S * 1000ull, now;
	struct xs_handle *xs = watch_devices(j);
	uint8_t *rec = NULL;
	size_t len = 0;
	bool settled, all;
	uint32_t i;

	for (;;) {
		json_object_put(diffs);
		diffs = json_object_new_array();
		drain_changes(xs);
		*rc = lu_sr_collect(dev, &rec, &len);
		if (*rc)
			break;
		all = true;
		for (i = 0; i < j->nr_guests; i++) {
			if (j->guests[i].state != SRJ_GUEST_RESTORED)
				continue;
			lu_sr_compare(&j->guests[i], rec, len, diffs, &settled);
			all &= settled;
		}
		free(rec);
		rec = NULL;
		now = sr_now_ns() / 1000000;
		if (all || now >= deadline)
			break;
		wait_change(xs, deadline - now);
	}
	if (xs)
		xs_close(xs);
	return diffs;
}

static void print_result(const struct srj_journal *j, const struct sr_restored *restored,
			 json_object *diffs, bool booted_xen2, bool done, bool json)
{
	json_object *o, *list, *g;
	uint32_t i;
	size_t k;

	if (!json) {
		printf("%-14s %s\n", "hypervisor:", booted_xen2 ?
		       "xen#2 (its command line)" : "not xen#2's command line (another boot)");
		for (i = 0; i < j->nr_guests; i++) {
			const struct srj_guest *x = &j->guests[i];

			if (x->state == SRJ_GUEST_RESTORED)
				printf("restored %-20s domain %u  (%.1f s)\n", x->name,
				       x->restored_domid, restored[i].restore_ns / 1e9);
			else
				printf("FAILED   %-20s %s (stream kept: %s)\n", x->name,
				       x->failure ? x->failure : "", x->stream_file);
		}
		for (k = 0; diffs && k < json_object_array_length(diffs); k++) {
			json_object *d = json_object_array_get_idx(diffs, k), *v;

			printf("difference %s", json_object_get_string(
					json_object_object_get(d, "guest")));
			if (json_object_object_get_ex(d, "device", &v) && v)
				printf(" %s", json_object_get_string(v));
			printf(": %s: %s\n",
			       json_object_get_string(json_object_object_get(d, "kind")),
			       json_object_get_string(json_object_object_get(d, "detail")));
		}
		printf("%-14s %s\n", "result:", done ?
		       "finished: every guest runs; streams and journal deleted" :
		       "not finished: the journal and the streams are kept");
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "method", json_object_new_string("save-restore"));
	json_object_object_add(o, "update_id", json_object_new_string(j->update_id));
	json_object_object_add(o, "booted_xen2", json_object_new_boolean(booted_xen2));
	list = json_object_new_array();
	for (i = 0; i < j->nr_guests; i++) {
		const struct srj_guest *x = &j->guests[i];

		g = json_object_new_object();
		json_object_object_add(g, "name", json_object_new_string(x->name));
		json_object_object_add(g, "uuid", json_object_new_string(x->uuid));
		json_object_object_add(g, "state",
				       json_object_new_string(srj_guest_state_name(x->state)));
		json_object_object_add(g, "domid", x->state == SRJ_GUEST_RESTORED ?
				       json_object_new_int64(x->restored_domid) : NULL);
		json_object_object_add(g, "failure", x->failure ?
				       json_object_new_string(x->failure) : NULL);
		lu_json_add_u64(g, "restore_ns", restored[i].restore_ns);
		json_object_array_add(list, g);
	}
	json_object_object_add(o, "guests", list);
	json_object_object_add(o, "differences", json_object_get(diffs));
	json_object_object_add(o, "finished", json_object_new_boolean(done));
	lu_print_json("finish", o);
}

/*
 * --json when the journal cannot be read: the failure object, so that a
 * caller tells "no journal" (ENOENT, exit 9: nothing to finish, e.g.
 * lu-ctl-finish.service finished it at boot) from a damaged one.  No
 * device state goes with it: this path never opens the device.
 */
static void print_journal_failure(const struct srj_error *jerr)
{
	int err = jerr->sys_errno ? jerr->sys_errno :
		  !strcmp(jerr->rule, "journal-nomem") ? ENOMEM : EINVAL;
	json_object *o = json_object_new_object();
	char msg[512];

	snprintf(msg, sizeof(msg), "%s: journal: %s (%s)", lu_errno_name(err), jerr->msg,
		 jerr->rule);
	json_object_object_add(o, "error", json_object_new_string(msg));
	json_object_object_add(o, "errno", json_object_new_string(lu_errno_name(err)));
	json_object_object_add(o, "state", NULL);
	lu_print_json("finish", o);
}

/* Delete what the update left in the save directory, the journal last. */
static int clean_up(int dirfd, const struct srj_journal *j)
{
	char log[SRJ_UUID_LEN + sizeof(SR_LOG_SUFFIX)];
	uint32_t i;

	for (i = 0; i < j->nr_guests; i++) {
		snprintf(log, sizeof(log), "%s%s", j->guests[i].uuid, SR_LOG_SUFFIX);
		if (unlinkat(dirfd, j->guests[i].stream_file, 0) && errno != ENOENT)
			return -1;
		unlinkat(dirfd, log, 0);
	}
	return srj_remove(dirfd);
}

int lu_sr_finish(const char *save_dir, bool retry, uint32_t parallel, bool json)
{
	char version[128], cmdline[1024];
	struct sr_restored *restored = NULL;
	json_object *diffs = NULL;
	struct srj_journal j = {};
	struct sr_error err = {};
	struct sr_ctx *ctx = NULL;
	struct srj_error jerr = {};
	struct lu_device dev = { .fd = -1 };
	bool booted_xen2, done = false;
	const char *running;
	int rc, dirfd, failed;
	uint32_t i;

	dirfd = lu_sr_open_dir(save_dir);
	if (dirfd < 0) {
		lu_err(save_dir, "open", errno);
		return LU_EXIT_IO;
	}
	if (srj_read(dirfd, &j, &jerr)) {
		lu_errf(save_dir, "read the journal", "%s (%s); the streams are kept", jerr.msg,
			jerr.rule);
		rc = !strcmp(jerr.rule, "journal-absent") ? LU_EXIT_STATE :
		     !strcmp(jerr.rule, "journal-io") ? LU_EXIT_IO : LU_EXIT_INVALID;
		if (json)
			print_journal_failure(&jerr);
		goto out;
	}
	ctx = sr_open(STDERR_FILENO, &err);
	if (!ctx || sr_xen_identity(ctx, version, sizeof(version), cmdline, sizeof(cmdline),
				    &err)) {
		lu_sr_report("open the toolstack", &err);
		rc = LU_EXIT_FAILURE;
		goto out;
	}
	/* Xen drops the image name, the first word, from its command line. */
	running = strchr(j.xen2_cmdline, ' ');
	booted_xen2 = running && !strcmp(running + strspn(running, " "), cmdline);
	restored = calloc(j.nr_guests + 1, sizeof(*restored));
	if (!restored) {
		lu_err("finish", "allocate", ENOMEM);
		rc = LU_EXIT_FAILURE;
		goto out;
	}
	lu_sr_show_progress(ctx, json);
	failed = sr_restore_all(ctx, dirfd, &j, retry, parallel, restored, &err);
	lu_progress_clear();
	if (failed < 0) {
		lu_sr_report("restore", &err);
		rc = LU_EXIT_FAILURE;
		goto out;
	}
	for (i = 0; i < j.nr_guests; i++) {
		struct srj_guest *g = &j.guests[i];

		if (g->state == SRJ_GUEST_RESTORED || (retry && g->state != SRJ_GUEST_FAILED))
			continue;
		free(g->failure);
		g->failure = NULL;
		if (restored[i].ok) {
			g->state = SRJ_GUEST_RESTORED;
			g->restored_domid = restored[i].domid;
		} else {
			g->state = SRJ_GUEST_FAILED;
			g->failure = strdup(restored[i].failure);
		}
	}
	/* Record who runs now before anything else can fail. */
	if (srj_write(dirfd, &j, &jerr))
		lu_errf("journal", "update", "%s (%s)", jerr.msg, jerr.rule);

	rc = lu_device_open(&dev, O_RDONLY);
	if (!rc)
		diffs = compare_all(&dev, &j, &rc);
	lu_device_close(&dev, false);
	if (!rc && failed == 0 && json_object_array_length(diffs) == 0) {
		if (clean_up(dirfd, &j)) {
			lu_err(save_dir, "delete the streams", errno);
			rc = LU_EXIT_IO;
		} else {
			done = true;
		}
	} else if (!rc) {
		rc = failed ? LU_EXIT_FAILURE : LU_EXIT_DIFFERENCES;
	}
	print_result(&j, restored, diffs, booted_xen2, done, json);
out:
	json_object_put(diffs);
	free(restored);
	srj_free(&j);
	sr_close(ctx);
	close(dirfd);
	return rc;
}
