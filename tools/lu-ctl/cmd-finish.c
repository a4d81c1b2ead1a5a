// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl finish: COMMITTED -> IDLE.  The module collects dom0's records
 * again, compares them with those handed over, unfreezes the backends and
 * counts the update (XEN_LU_IOCTL_FINISH).
 *
 *	lu-ctl finish [--unchanged] [--json]
 *
 * Differences do not fail the ioctl: the update is finished either way,
 * and they are the answer (LU_EXIT_DIFFERENCES).  The ioctl is never
 * repeated to fetch differences that did not fit: after it, there is no
 * update left to ask about.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "builtin.h"
#include "save-restore/save-restore.h"
#include "device.h"
#include "differences.h"
#include "failure.h"
#include "output.h"
#include "parse-options.h"
#include "saverestore.h"
#include "state-rules.h"

#define FINISH_MAX_DIFFERENCES	256

struct finish_opts {
	const char *save_dir;
	unsigned int parallel;
	bool unchanged, json, retry;
};

static const struct lu_usage finish_usage = {
	.name = "finish",
	.synopsis = LU_SYNOPSIS("[--unchanged] [--json]",
				"[--save-dir DIR] [--retry] [--parallel N] [--json]"),
	.about = "Finish the committed live update: the module collects dom0's\n"
		 "records again, compares them with those handed over, and\n"
		 "unfreezes the backends.  Differences are reported; they do not\n"
		 "undo the update.\n"
		 "Save-restore (a journal in the save directory, in the boot after\n"
		 "the exec): restore every guest, compare dom0's records with the\n"
		 "journal's, delete the streams only when all came back.",
	.exit = "0 finished, no differences, 8 finished with differences,\n"
		"7 xen#2 not running yet (commit scheduled; nothing changed),\n"
		"4 no device, 9 not COMMITTED (save-restore: no journal),\n"
		"5 the journal is damaged (streams kept), 6 cannot read or write\n"
		"the save directory, 1 failed (save-restore: a guest not restored)",
};

/* Differences the module wrote: at most the room it was given. */
static uint32_t nr_written(const struct xen_lu_finish *arg)
{
	return arg->out_nr_differences < arg->max_differences ?
	       arg->out_nr_differences : arg->max_differences;
}

static void finish_print(const struct xen_lu_finish *arg,
			 const struct xen_lu_difference *diffs)
{
	uint32_t i, n = nr_written(arg);

	printf("%-14s update %" PRIu64 ", generation %" PRIu64 "\n",
	       "finished:", (uint64_t)arg->out_updates,
	       (uint64_t)arg->out_generation);
	printf("%-14s %u domains, %u backends, %u event channels\n", "found:",
	       arg->out_nr_domains, arg->out_nr_backends, arg->out_nr_evtchns);
	printf("%-14s %u backends Connected as when handed over\n",
	       "connected:", arg->out_nr_connected);
	if (!arg->out_nr_differences) {
		printf("%-14s none\n", "differences:");
		return;
	}
	printf("%-14s %u\n", "differences:", arg->out_nr_differences);
	for (i = 0; i < n; i++) {
		printf("  ");
		lu_diff_print(stdout, &diffs[i]);
	}
	if (n < arg->out_nr_differences)
		printf("  ... %u more differences not shown (lu-ctl asks for at most %u)\n",
		       arg->out_nr_differences - n, arg->max_differences);
}

static struct json_object *finish_json(const struct xen_lu_finish *arg,
				       const struct xen_lu_difference *diffs)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();
	uint32_t i, n = nr_written(arg);

	for (i = 0; i < n; i++)
		json_object_array_add(a, lu_diff_json(&diffs[i]));
	json_object_object_add(o, "differences", a);
	lu_json_add_u64(o, "nr_differences", arg->out_nr_differences);
	lu_json_add_u64(o, "updates", arg->out_updates);
	lu_json_add_u64(o, "generation", arg->out_generation);
	lu_json_add_u64(o, "nr_domains", arg->out_nr_domains);
	lu_json_add_u64(o, "nr_backends", arg->out_nr_backends);
	lu_json_add_u64(o, "nr_evtchns", arg->out_nr_evtchns);
	lu_json_add_u64(o, "nr_connected", arg->out_nr_connected);
	return o;
}

static int finish_failed(struct lu_device *dev, int err, bool json)
{
	struct lu_seq_failure fail;
	int rc = LU_EXIT_FAILURE;

	if (err == EAGAIN) {
		lu_seq_failf(&fail, err,
			     "xen#2 is not running yet: the hypervisor is still the one 'lu-ctl prepare' saw, the commit was scheduled; nothing changed, run 'lu-ctl finish' again once xen#2 runs (--unchanged finishes now, 'lu-ctl cancel' drops the update)");
		fail.state = XEN_LU_STATE_COMMITTED;
		rc = LU_EXIT_PENDING;
	} else if (err == EFAULT) {
		lu_seq_failf(&fail, err,
			     "the differences could not be written; the update is finished all the same");
		fail.state = XEN_LU_STATE_IDLE;
	} else if (lu_seq_state_rule(dev, LU_SEQ_FINISH, err, &fail)) {
		rc = LU_EXIT_STATE;
	} else {
		lu_seq_errno("finish", err, &fail);
		if (err != ENOTTY && err != EBADF)
			lu_seq_appendf(&fail, "; nothing changed: run 'lu-ctl finish' again");
	}
	return lu_seq_report("finish", &fail,
			     json ? json_object_new_object() : NULL, rc);
}

static int finish_run(struct lu_device *dev, const struct finish_opts *o)
{
	bool json = o->json;
	struct xen_lu_difference *diffs;
	struct xen_lu_finish arg;
	int rc = LU_EXIT_OK;

	diffs = calloc(FINISH_MAX_DIFFERENCES, sizeof(*diffs));
	if (!diffs) {
		lu_err("finish", "allocate", ENOMEM);
		return LU_EXIT_FAILURE;
	}
	arg = (struct xen_lu_finish){ .size = sizeof(arg),
		.flags = o->unchanged ? XEN_LU_FINISH_UNCHANGED : 0,
		.differences = (uintptr_t)diffs,
		.max_differences = FINISH_MAX_DIFFERENCES };
	if (ioctl(dev->fd, XEN_LU_IOCTL_FINISH, &arg)) {
		rc = finish_failed(dev, errno, json);
	} else {
		if (json)
			rc = lu_print_json("finish", finish_json(&arg, diffs));
		else
			finish_print(&arg, diffs);
		if (!rc && arg.out_nr_differences)
			rc = LU_EXIT_DIFFERENCES;
	}
	free(diffs);
	return rc;
}

int cmd_finish(int argc, char **argv)
{
	struct finish_opts o = {};
	const struct lu_option options[] = {
		LU_OPT_BOOL('u', "unchanged", &o.unchanged,
			    "finish although the hypervisor is still the one\n"
			    "'lu-ctl prepare' saw: an update to an identical\n"
			    "build, or a scheduled one given up on (the image\n"
			    "is unloaded first, so it can no longer run)"),
		LU_OPT_STRING('d', "save-dir", &o.save_dir, "DIR",
			      "save-restore: the save directory holding the\n"
			      "journal (default " LU_SR_DEFAULT_SAVE_DIR ")"),
		LU_OPT_BOOL('r', "retry", &o.retry,
			    "save-restore: restore again the guests whose\n"
			    "restore failed"),
		LU_OPT_UINT('P', "parallel", &o.parallel, "N", 1, SR_MAX_PARALLEL,
			    "save-restore: at most N restores at once\n"
			    "(default twice dom0's online CPUs)"),
		LU_OPT_JSON(&o.json),
		LU_OPT_END(),
	};
	struct lu_device dev;
	int rc;

	if (!lu_parse_options(&argc, argv, options, &finish_usage, &rc))
		return rc;
	/* A journal is a save-restore update to finish in this boot. */
	if (o.save_dir || o.retry || o.parallel ||
	    !access(LU_SR_DEFAULT_SAVE_DIR "/" SRJ_FILE_NAME, F_OK)) {
		if (o.unchanged)
			return lu_usage_error(&finish_usage,
					      "--unchanged is for a live update, not save-restore");
		return lu_sr_finish(o.save_dir ? o.save_dir : LU_SR_DEFAULT_SAVE_DIR,
				    o.retry, o.parallel, o.json);
	}
	rc = lu_seq_open(&dev, LU_SEQ_FINISH, O_RDWR, o.json);
	if (rc)
		return rc;
	rc = finish_run(&dev, &o);
	lu_device_close(&dev, true);
	return rc;
}
