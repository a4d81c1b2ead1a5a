// SPDX-License-Identifier: GPL-2.0-only
/*
 * Why a command of the update sequence failed, in the words stderr says
 * ("<ERRNO>: <reason>") and as the "error", "errno" and "state" of its
 * JSON.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <xen/liveupdate.h>

#include "device.h"
#include "failure.h"
#include "names.h"
#include "output.h"

/* "<ERRNO>: <reason>", the state unknown until the caller says it. */
void lu_seq_failf(struct lu_seq_failure *fail, int err, const char *fmt, ...)
{
	int n;
	va_list ap;

	fail->err = err;
	fail->state = -1;
	n = snprintf(fail->msg, sizeof(fail->msg), "%s: ", lu_errno_name(err));
	va_start(ap, fmt);
	vsnprintf(fail->msg + n, sizeof(fail->msg) - n, fmt, ap);
	va_end(ap);
}

/* Add to the reason; what does not fit is cut. */
void lu_seq_appendf(struct lu_seq_failure *fail, const char *fmt, ...)
{
	size_t n = strlen(fail->msg);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fail->msg + n, sizeof(fail->msg) - n, fmt, ap);
	va_end(ap);
}

/**
 * lu_seq_check_failf() - say which check of PREPARE or COMMIT refused
 * @fail: filled
 * @check: the ioctl's out_check, not %XEN_LU_CHECK_NONE
 * @err: its errno
 * @participant: its out_participant (%XEN_LU_PARTICIPANT_NAME_LEN bytes)
 *
 * The reason reads "<ERRNO>: check <name>: ..." and says what to do where
 * the operator can do something.
 */
void lu_seq_check_failf(struct lu_seq_failure *fail, unsigned int check,
			int err, const char *participant)
{
	int plen = strnlen(participant, XEN_LU_PARTICIPANT_NAME_LEN);

	if (lu_check_known(check))
		lu_seq_failf(fail, err, "check %s: ", lu_check_name(check));
	else
		lu_seq_failf(fail, err, "check %u: ", check);
	switch (check) {
	case XEN_LU_CHECK_IMAGE_TYPE:
		lu_seq_appendf(fail, "the staged image is a cold one: unstage it and stage a live-update image");
		break;
	case XEN_LU_CHECK_CAPABILITY:
		lu_seq_appendf(fail, "the hypervisor has no live update: see 'lu-ctl status'");
		break;
	case XEN_LU_CHECK_RANGE:
		lu_seq_appendf(fail, "the live-update range is not the one the staged command line names: stage again with 'lu-ctl stage --replace'");
		break;
	case XEN_LU_CHECK_BACKEND_STATE:
		lu_seq_appendf(fail, "a backend is in a transitional state: wait for it to settle, or pass --force");
		break;
	case XEN_LU_CHECK_COLLECT:
		if (plen)
			lu_seq_appendf(fail, "collecting participant '%.*s' failed: %s",
				       plen, participant, strerror(err));
		else
			lu_seq_appendf(fail, "collecting dom0's records failed: %s",
				       strerror(err));
		break;
	case XEN_LU_CHECK_PARTICIPANT:
		lu_seq_appendf(fail, "participant '%.*s' failed: %s", plen,
			       participant, strerror(err));
		break;
	case XEN_LU_CHECK_RECORDS_ROOM:
		lu_seq_appendf(fail, "the records do not fit in the live-update window: boot Xen with a larger liveupdate= reservation");
		break;
	case XEN_LU_CHECK_LOAD:
		lu_seq_appendf(fail, "the hypervisor refused the image with the records (KEXEC_CMD_kexec_load): %s",
			       strerror(err));
		break;
	case XEN_LU_CHECK_FREEZE:
		lu_seq_appendf(fail, "dom0's backends could not be frozen within %u ms",
			       XEN_LU_FREEZE_TIMEOUT_MS);
		break;
	case XEN_LU_CHECK_EXEC:
		lu_seq_appendf(fail, "the hypervisor's exec failed (KEXEC_CMD_kexec): %s",
			       strerror(err));
		break;
	case XEN_LU_CHECK_IDENTITY:
		lu_seq_appendf(fail, "the exec returned, but the hypervisor's identity could not be read: the device is COMMITTED; run 'lu-ctl finish', which decides");
		break;
	default:
		lu_seq_appendf(fail, "refused: %s", strerror(err));
	}
}

/* Any other errno of a sequence command. */
void lu_seq_errno(const char *cmd, int err, struct lu_seq_failure *fail)
{
	switch (err) {
	case ENOTTY:
		lu_seq_failf(fail, err,
			     "the loaded xen_liveupdate does not know '%s': it predates ABI 4; load a newer module",
			     cmd);
		break;
	case EBADF:
		lu_seq_failf(fail, err,
			     "the file is not the controller: open the device for writing");
		break;
	default:
		lu_seq_failf(fail, err, "%s", strerror(err));
	}
}

/* Complete @json with "error", "errno" and "state" and print it as @cmd's. */
void lu_seq_print_failure(const char *cmd, const struct lu_seq_failure *fail,
			  struct json_object *json)
{
	json_object_object_add(json, "error", json_object_new_string(fail->msg));
	json_object_object_add(json, "errno",
			       json_object_new_string(lu_errno_name(fail->err)));
	json_object_object_add(json, "state", fail->state < 0 ? NULL :
			       json_object_new_string(lu_state_name(fail->state)));
	lu_print_json(cmd, json);
}

/**
 * lu_seq_report() - say why @cmd failed
 * @cmd: the command
 * @fail: why
 * @json: with --json, the command's JSON object to complete with "error",
 *	"errno" and "state" and print on stdout; else NULL
 * @rc: the exit code
 *
 * Return: @rc.
 */
int lu_seq_report(const char *cmd, const struct lu_seq_failure *fail,
		  struct json_object *json, int rc)
{
	lu_errf(LU_DEVICE_PATH, cmd, "%s", fail->msg);
	if (json)
		lu_seq_print_failure(cmd, fail, json);
	return rc;
}
