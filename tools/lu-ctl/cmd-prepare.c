// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl prepare: STAGED -> PREPARED.  The module runs its pre-flight
 * checks, collects dom0's records and hands them to the hypervisor with the
 * staged live-update image (XEN_LU_IOCTL_PREPARE).
 *
 *	lu-ctl prepare [--force] [--json]
 *
 * A refusal names the check (enum xen_lu_check) and, for a backend in a
 * transitional XenbusState, the backend.  Nothing changes on a refusal.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "builtin.h"
#include "save-restore/save-restore.h"
#include "device.h"
#include "failure.h"
#include "names.h"
#include "output.h"
#include "parse-options.h"
#include "state-rules.h"

struct prepare_opts {
	bool force, json;
};

static const struct lu_usage prepare_usage = {
	.name = "prepare",
	.synopsis = LU_SYNOPSIS("[--force] [--json]"),
	.about = "Prepare the staged live update: the module checks it can be done,\n"
		 "collects dom0's records (domains, backends, event channels,\n"
		 "participants) and hands them to the hypervisor with the staged\n"
		 "image.  Then 'lu-ctl commit' runs the update, 'lu-ctl cancel'\n"
		 "drops the records.",
	.exit = "0 prepared, 3 no live update here, 4 no device, 9 not STAGED\n"
		"(nothing staged, or already prepared), 1 refused or failed",
};

static void prepare_print(const struct xen_lu_prepare *arg)
{
	printf("%-14s %u domains, %u backends, %u event channels, %u participant records\n",
	       "prepared:", arg->out_nr_domains, arg->out_nr_backends,
	       arg->out_nr_evtchns, arg->out_nr_participants);
	printf("%-14s %" PRIu64 " bytes at 0x%" PRIx64 "\n", "records:",
	       (uint64_t)arg->out_records_len, (uint64_t)arg->out_records_dest);
	if (arg->out_nr_unstable)
		printf("%-14s %u backends in a transitional state, handed over as they are; first: %.*s %u/%u, backend %s, frontend %s\n",
		       "unstable:", arg->out_nr_unstable,
		       XEN_LU_BACKEND_TYPE_LEN, arg->out_backend_type,
		       arg->out_backend_frontend_domid, arg->out_backend_devid,
		       lu_xenbus_state_name(arg->out_backend_state),
		       lu_xenbus_state_name(arg->out_frontend_state));
	if (arg->out_nr_unrecordable)
		printf("%-14s %u devices past the record caps, handed over without rings or features; first: domain %u %.*s/%u (%s)\n",
		       "unrecordable:", arg->out_nr_unrecordable,
		       arg->out_unrecordable_domid, XEN_LU_BACKEND_TYPE_LEN,
		       arg->out_unrecordable_type[0] ?
		       arg->out_unrecordable_type : "?",
		       arg->out_unrecordable_devid,
		       lu_unrecordable_name(arg->out_unrecordable_reason));
}

/* The first unrecordable device, or null. */
static struct json_object *unrecordable_json(const struct xen_lu_prepare *arg)
{
	struct json_object *o;

	if (!arg->out_nr_unrecordable)
		return NULL;
	o = json_object_new_object();
	lu_json_add_u64(o, "domid", arg->out_unrecordable_domid);
	lu_json_add_u64(o, "devid", arg->out_unrecordable_devid);
	lu_json_add_strn(o, "type", arg->out_unrecordable_type,
			 XEN_LU_BACKEND_TYPE_LEN);
	json_object_object_add(o, "reason",
			       json_object_new_string(lu_unrecordable_name(arg->out_unrecordable_reason)));
	return o;
}

/* The first backend in a transitional state, as the out_backend_* name it. */
static void unstable_json(struct json_object *o,
			  const struct xen_lu_prepare *arg)
{
	lu_json_add_strn(o, "backend_type", arg->out_backend_type,
			 XEN_LU_BACKEND_TYPE_LEN);
	lu_json_add_u64(o, "backend_frontend_domid",
			arg->out_backend_frontend_domid);
	lu_json_add_u64(o, "backend_devid", arg->out_backend_devid);
	lu_json_add_u64(o, "backend_state", arg->out_backend_state);
	lu_json_add_u64(o, "frontend_state", arg->out_frontend_state);
}

static struct json_object *prepare_json(const struct xen_lu_prepare *arg)
{
	struct json_object *o = json_object_new_object();

	lu_json_add_u64(o, "nr_domains", arg->out_nr_domains);
	lu_json_add_u64(o, "nr_backends", arg->out_nr_backends);
	lu_json_add_u64(o, "nr_evtchns", arg->out_nr_evtchns);
	lu_json_add_u64(o, "nr_participants", arg->out_nr_participants);
	lu_json_add_u64(o, "nr_unstable", arg->out_nr_unstable);
	if (arg->out_nr_unstable)
		unstable_json(o, arg);
	lu_json_add_u64(o, "nr_unrecordable", arg->out_nr_unrecordable);
	json_object_object_add(o, "unrecordable", unrecordable_json(arg));
	lu_json_add_u64(o, "records_len", arg->out_records_len);
	lu_json_add_u64(o, "records_dest", arg->out_records_dest);
	return o;
}

/* The refusal's fields; "error", "errno" and "state" follow. */
static struct json_object *prepare_fail_json(const struct xen_lu_prepare *arg)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "check",
			       json_object_new_string(lu_check_name(arg->out_check)));
	if (arg->out_check == XEN_LU_CHECK_BACKEND_STATE) {
		unstable_json(o, arg);
		lu_json_add_u64(o, "nr_unstable", arg->out_nr_unstable);
	}
	if (arg->out_check == XEN_LU_CHECK_COLLECT ||
	    arg->out_check == XEN_LU_CHECK_PARTICIPANT)
		lu_json_add_strn(o, "participant", arg->out_participant,
				 XEN_LU_PARTICIPANT_NAME_LEN);
	return o;
}

/* "backend vif 1/0 is in a transitional state: backend InitWait (2), ..." */
static void backend_failf(const struct xen_lu_prepare *arg, int err,
			  struct lu_seq_failure *fail)
{
	lu_seq_failf(fail, err,
		     "check %s: backend %.*s %u/%u is in a transitional state: backend %s (%u), frontend %s (%u): wait for it to settle, or pass --force",
		     lu_check_name(arg->out_check), XEN_LU_BACKEND_TYPE_LEN,
		     arg->out_backend_type, arg->out_backend_frontend_domid,
		     arg->out_backend_devid,
		     lu_xenbus_state_name(arg->out_backend_state),
		     arg->out_backend_state,
		     lu_xenbus_state_name(arg->out_frontend_state),
		     arg->out_frontend_state);
}

static int prepare_refused(struct lu_device *dev,
			   const struct xen_lu_prepare *arg, int err, bool json)
{
	struct lu_seq_failure fail;
	int rc = LU_EXIT_FAILURE;

	if (arg->out_check == XEN_LU_CHECK_NONE) {
		if (lu_seq_state_rule(dev, LU_SEQ_PREPARE, err, &fail))
			rc = LU_EXIT_STATE;
		else
			lu_seq_errno("prepare", err, &fail);
	} else {
		if (arg->out_check == XEN_LU_CHECK_BACKEND_STATE)
			backend_failf(arg, err, &fail);
		else
			lu_seq_check_failf(&fail, arg->out_check, err,
					   arg->out_participant);
		if (arg->out_check == XEN_LU_CHECK_CAPABILITY &&
		    err == EOPNOTSUPP)
			rc = LU_EXIT_UNSUPPORTED;
		lu_seq_appendf(&fail, "; nothing changed");
		fail.state = XEN_LU_STATE_STAGED;
	}
	return lu_seq_report("prepare", &fail,
			     json ? prepare_fail_json(arg) : NULL, rc);
}

int cmd_prepare(int argc, char **argv)
{
	struct prepare_opts o = {};
	const struct lu_option options[] = {
		LU_OPT_BOOL('f', "force", &o.force,
			    "accepted for older scripts; backends in a\n"
			    "transitional XenbusState are reported, never refused"),
		LU_OPT_JSON(&o.json),
		LU_OPT_END(),
	};
	struct xen_lu_prepare arg;
	enum lu_sr_found found;
	struct lu_sr_plan plan;
	struct lu_device dev;
	int rc;

	if (!lu_parse_options(&argc, argv, options, &prepare_usage, &rc))
		return rc;
	rc = lu_seq_open(&dev, LU_SEQ_PREPARE, O_RDWR, o.json);
	if (rc)
		return rc;
	found = lu_sr_active(&dev, true, &plan);
	if (found != LU_SR_NONE) {
		rc = found == LU_SR_DAMAGED ? LU_EXIT_IO : lu_sr_prepare(&dev, &plan, o.json);
		lu_device_close(&dev, true);
		return rc;
	}
	arg = (struct xen_lu_prepare){ .size = sizeof(arg),
		.flags = o.force ? XEN_LU_PREPARE_FORCE : 0 };
	if (ioctl(dev.fd, XEN_LU_IOCTL_PREPARE, &arg))
		rc = prepare_refused(&dev, &arg, errno, o.json);
	else if (o.json)
		rc = lu_print_json("prepare", prepare_json(&arg));
	else
		prepare_print(&arg);
	lu_device_close(&dev, true);
	return rc;
}
