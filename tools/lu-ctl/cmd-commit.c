// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl commit: PREPARED -> COMMITTING -> COMMITTED.  The module freezes
 * dom0's backends, hands over what changed since PREPARE and issues the
 * live-update exec (XEN_LU_IOCTL_COMMIT).
 *
 *	lu-ctl commit [--json]
 *	lu-ctl commit --cold
 *
 * "updated" (xen#2 runs) exits 0, "scheduled" (the hypervisor took the
 * update for later) exits LU_EXIT_PENDING.  On a failure the module unfroze
 * the backends and the device is PREPARED again: nothing is lost.
 *
 * --cold executes a staged cold image (XEN_LU_COMMIT_COLD): the machine
 * kexecs into xen#2 and every domain, this dom0 included, is lost, so the
 * command returns only when the hypervisor refused.  File systems are
 * synced first, as kexec(8) does.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "builtin.h"
#include "save-restore/save-restore.h"
#include "device.h"
#include "failure.h"
#include "names.h"
#include "output.h"
#include "parse-options.h"
#include "state-rules.h"

struct commit_opts {
	bool cold, json;
};

static const struct lu_usage commit_usage = {
	.name = "commit",
	.synopsis = LU_SYNOPSIS("[--json]", "--cold"),
	.about = "Run the prepared live update: freeze dom0's backends, hand over\n"
		 "what changed since 'lu-ctl prepare', and exec the new Xen.  The\n"
		 "backends stay frozen until 'lu-ctl finish' or 'lu-ctl cancel'.",
	.exit = "0 updated (xen#2 runs), 7 scheduled (xen#2 not running yet),\n"
		"4 no device, 9 not PREPARED (--cold: not STAGED), 3 no live\n"
		"update here, 1 failed (nothing lost: the device is PREPARED\n"
		"again; --cold: the hypervisor refused, nothing happened)",
};

static const char *result_text(unsigned int result)
{
	switch (result) {
	case XEN_LU_COMMIT_UPDATED:
		return "updated: the new hypervisor runs; run 'lu-ctl finish'";
	case XEN_LU_COMMIT_SCHEDULED:
		return "scheduled: the hypervisor took the update for later; xen#2 is not running yet (run 'lu-ctl finish' once it is)";
	default:
		return "unknown";
	}
}

static void commit_print(const struct xen_lu_commit *arg)
{
	printf("%-14s %s\n", "result:", result_text(arg->out_result));
	printf("%-14s %" PRIu64 "\n", "generation:",
	       (uint64_t)arg->out_generation);
	printf("%-14s %s since prepare\n", "domains:",
	       arg->out_changed_domains ? "changed" : "unchanged");
	printf("%-14s %u changed since prepare\n", "backends:",
	       arg->out_changed_backends);
	printf("%-14s %u records added, replaced or removed\n", "changes:",
	       arg->out_nr_changes);
	printf("%-14s %s\n", "reloaded:", arg->out_reloaded ?
	       "yes: the image was reloaded with the new records" :
	       "no: nothing changed since prepare");
	printf("%-14s %" PRIu64 " bytes\n", "records:",
	       (uint64_t)arg->out_records_len);
}

static struct json_object *commit_json(const struct xen_lu_commit *arg)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "result",
			       json_object_new_string(lu_commit_result_name(arg->out_result)));
	lu_json_add_u64(o, "generation", arg->out_generation);
	json_object_object_add(o, "changed_domains",
			       json_object_new_boolean(!!arg->out_changed_domains));
	lu_json_add_u64(o, "changed_backends", arg->out_changed_backends);
	json_object_object_add(o, "reloaded",
			       json_object_new_boolean(!!arg->out_reloaded));
	lu_json_add_u64(o, "nr_changes", arg->out_nr_changes);
	lu_json_add_u64(o, "records_len", arg->out_records_len);
	return o;
}

/* The failure's fields; "error", "errno" and "state" follow. */
static struct json_object *commit_fail_json(const struct xen_lu_commit *arg)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "check",
			       json_object_new_string(lu_check_name(arg->out_check)));
	if (arg->out_check == XEN_LU_CHECK_COLLECT ||
	    arg->out_check == XEN_LU_CHECK_PARTICIPANT)
		lu_json_add_strn(o, "participant", arg->out_participant,
				 XEN_LU_PARTICIPANT_NAME_LEN);
	return o;
}

static int commit_failed(struct lu_device *dev,
			 const struct xen_lu_commit *arg, int err, bool json)
{
	struct lu_seq_failure fail;
	int rc = LU_EXIT_FAILURE;

	if (arg->out_check == XEN_LU_CHECK_NONE) {
		if (lu_seq_state_rule(dev, LU_SEQ_COMMIT, err, &fail))
			rc = LU_EXIT_STATE;
		else
			lu_seq_errno("commit", err, &fail);
	} else if (arg->flags & XEN_LU_COMMIT_COLD) {
		lu_seq_check_failf(&fail, arg->out_check, err,
				   arg->out_participant);
		if (arg->out_check == XEN_LU_CHECK_IMAGE_TYPE)
			lu_seq_appendf(&fail, "; --cold executes a cold image only (the staged one is a live-update image)");
		lu_seq_appendf(&fail, "; nothing happened, the image is still staged");
		fail.state = XEN_LU_STATE_STAGED;
	} else if (arg->out_check == XEN_LU_CHECK_IDENTITY) {
		lu_seq_check_failf(&fail, arg->out_check, err,
				   arg->out_participant);
		fail.state = XEN_LU_STATE_COMMITTED;
	} else {
		lu_seq_check_failf(&fail, arg->out_check, err,
				   arg->out_participant);
		lu_seq_appendf(&fail, "; nothing lost: backends unfrozen, image still staged, device PREPARED");
		fail.state = XEN_LU_STATE_PREPARED;
		if (arg->out_check == XEN_LU_CHECK_CAPABILITY &&
		    err == EOPNOTSUPP)
			rc = LU_EXIT_UNSUPPORTED;
	}
	return lu_seq_report("commit", &fail,
			     json ? commit_fail_json(arg) : NULL, rc);
}

static int commit_done(const struct xen_lu_commit *arg, bool json)
{
	if (json) {
		if (lu_print_json("commit", commit_json(arg)))
			return LU_EXIT_IO;
	} else {
		commit_print(arg);
	}
	switch (arg->out_result) {
	case XEN_LU_COMMIT_UPDATED:
		return LU_EXIT_OK;
	case XEN_LU_COMMIT_SCHEDULED:
		return LU_EXIT_PENDING;
	default:
		lu_errf(LU_DEVICE_PATH, "commit",
			"the module answered an unknown result %u; see 'lu-ctl status'",
			arg->out_result);
		return LU_EXIT_FAILURE;
	}
}

int cmd_commit(int argc, char **argv)
{
	struct xen_lu_commit arg = { .size = sizeof(arg) };
	struct commit_opts o = {};
	const struct lu_option options[] = {
		LU_OPT_BOOL('c', "cold", &o.cold,
			    "execute the staged COLD image instead: the machine\n"
			    "kexecs into the new Xen and every domain, this dom0\n"
			    "included, is LOST; returns only if Xen refuses"),
		LU_OPT_JSON(&o.json),
		LU_OPT_END(),
	};
	enum lu_sr_found found;
	struct lu_sr_plan plan;
	struct lu_device dev;
	int rc;

	if (!lu_parse_options(&argc, argv, options, &commit_usage, &rc))
		return rc;
	rc = lu_seq_open(&dev, LU_SEQ_COMMIT, O_RDWR, o.json);
	if (rc)
		return rc;
	found = o.cold ? LU_SR_NONE : lu_sr_active(&dev, true, &plan);
	if (found != LU_SR_NONE) {
		rc = found == LU_SR_DAMAGED ? LU_EXIT_IO : lu_sr_commit(&dev, &plan, o.json);
		lu_device_close(&dev, true);
		return rc;
	}
	if (o.cold) {
		arg.flags = XEN_LU_COMMIT_COLD;
		fprintf(stderr, "lu-ctl: commit: executing the staged cold image: every domain is lost\n");
		sync();
	}
	if (ioctl(dev.fd, XEN_LU_IOCTL_COMMIT, &arg))
		rc = commit_failed(&dev, &arg, errno, o.json);
	else
		rc = commit_done(&arg, o.json);
	lu_device_close(&dev, true);
	return rc;
}
