// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names and diagnostics of the update sequence, shared by "prepare",
 * "commit", "finish", "cancel", "status", "records", "stage" and "unstage".
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>

#include "exit-codes.h"
#include "output.h"
#include "sequence.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const states[] = {
	[XEN_LU_STATE_IDLE] = "idle",
	[XEN_LU_STATE_STAGED] = "staged",
	[XEN_LU_STATE_PREPARED] = "prepared",
	[XEN_LU_STATE_COMMITTING] = "committing",
	[XEN_LU_STATE_COMMITTED] = "committed",
};

/* enum xen_lu_check, as --json says it. */
static const char *const checks[] = {
	[XEN_LU_CHECK_NONE] = "none",
	[XEN_LU_CHECK_IMAGE_TYPE] = "image-type",
	[XEN_LU_CHECK_CAPABILITY] = "capability",
	[XEN_LU_CHECK_RANGE] = "range",
	[XEN_LU_CHECK_BACKEND_STATE] = "backend-state",
	[XEN_LU_CHECK_COLLECT] = "collect",
	[XEN_LU_CHECK_PARTICIPANT] = "participant",
	[XEN_LU_CHECK_RECORDS_ROOM] = "records-room",
	[XEN_LU_CHECK_LOAD] = "load",
	[XEN_LU_CHECK_FREEZE] = "freeze",
	[XEN_LU_CHECK_EXEC] = "exec",
	[XEN_LU_CHECK_IDENTITY] = "identity",
};

static const char *const commit_results[] = {
	[XEN_LU_COMMIT_UPDATED] = "updated",
	[XEN_LU_COMMIT_SCHEDULED] = "scheduled",
};

/* XenbusState of Xen's public io/xenbus.h. */
static const char *const xenbus_states[] = {
	"Unknown", "Initialising", "InitWait", "Initialised", "Connected",
	"Closing", "Closed", "Reconfiguring", "Reconfigured",
};

static const char *const evtchn_kinds[] = {
	[XEN_LU_EVTCHN_CLOSED] = "closed",
	[XEN_LU_EVTCHN_UNBOUND] = "unbound",
	[XEN_LU_EVTCHN_INTERDOMAIN] = "interdomain",
	[XEN_LU_EVTCHN_PIRQ] = "pirq",
	[XEN_LU_EVTCHN_VIRQ] = "virq",
	[XEN_LU_EVTCHN_IPI] = "ipi",
};

static const char *const diff_fields[] = {
	[XEN_LU_DIFF_MISSING] = "missing",
	[XEN_LU_DIFF_NEW] = "new",
	[XEN_LU_DIFF_BACKEND_STATE] = "backend-state",
	[XEN_LU_DIFF_FRONTEND_STATE] = "frontend-state",
	[XEN_LU_DIFF_RING_REFS] = "ring-refs",
	[XEN_LU_DIFF_EVTCHNS] = "evtchns",
	[XEN_LU_DIFF_EVTCHN_STATUS] = "evtchn-status",
	[XEN_LU_DIFF_EVTCHN_REMOTE] = "evtchn-remote",
	[XEN_LU_DIFF_DOMAIN_IDENTITY] = "domain-identity",
	[XEN_LU_DIFF_UNRECORDABLE] = "unrecordable",
	[XEN_LU_DIFF_UNVERIFIED] = "unverified",
};

static const char *name_of(const char *const *names, size_t n, uint64_t v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

const char *lu_state_name(unsigned int state)
{
	return name_of(states, ARRAY_SIZE(states), state);
}

const char *lu_check_name(unsigned int check)
{
	return name_of(checks, ARRAY_SIZE(checks), check);
}

const char *lu_commit_result_name(unsigned int result)
{
	return name_of(commit_results, ARRAY_SIZE(commit_results), result);
}

static const char *const unrecordable_names[] = {
	[XEN_LU_UNRECORDABLE_NONE] = "none",
	[XEN_LU_UNRECORDABLE_QUEUES] = "queues",
	[XEN_LU_UNRECORDABLE_RING_REFS] = "ring-refs",
	[XEN_LU_UNRECORDABLE_EVTCHNS] = "event-channels",
	[XEN_LU_UNRECORDABLE_FEATURES] = "features",
	[XEN_LU_UNRECORDABLE_SIZE] = "size",
};

const char *lu_unrecordable_name(unsigned int reason)
{
	return name_of(unrecordable_names, ARRAY_SIZE(unrecordable_names),
		       reason);
}

const char *lu_xenbus_state_name(unsigned int state)
{
	return name_of(xenbus_states, ARRAY_SIZE(xenbus_states), state);
}

const char *lu_evtchn_kind_name(unsigned int status)
{
	return name_of(evtchn_kinds, ARRAY_SIZE(evtchn_kinds), status);
}

const char *lu_diff_kind_name(unsigned int kind)
{
	switch (kind) {
	case XEN_LU_REC_DOM0_HEADER:
		return "records";
	case XEN_LU_REC_DOM0_DOMAIN:
		return "domain";
	case XEN_LU_REC_DOM0_BACKEND:
		return "backend";
	case XEN_LU_REC_DOM0_EVTCHN:
		return "evtchn";
	default:
		return "unknown";
	}
}

const char *lu_diff_field_name(unsigned int field)
{
	return name_of(diff_fields, ARRAY_SIZE(diff_fields), field);
}

/* "label:        1234.567 us" from nanoseconds. */
void lu_print_us(FILE *f, const char *label, uint64_t ns)
{
	fprintf(f, "%-14s %" PRIu64 ".%03u us\n", label, ns / 1000,
		(unsigned int)(ns % 1000));
}

/* "domain 2", "backend vif 1/0", "evtchn port 9" */
static void diff_subject(FILE *f, const struct xen_lu_difference *d)
{
	switch (d->kind) {
	case XEN_LU_REC_DOM0_DOMAIN:
		fprintf(f, "domain %u", d->domid);
		break;
	case XEN_LU_REC_DOM0_BACKEND:
		fprintf(f, "backend %.*s %u/%u", (int)sizeof(d->type), d->type,
			d->domid, d->id);
		break;
	case XEN_LU_REC_DOM0_EVTCHN:
		fprintf(f, "evtchn port %u", d->id);
		break;
	case XEN_LU_REC_DOM0_HEADER:
		fputs("records", f);
		break;
	default:
		fprintf(f, "record 0x%08x %u/%u", d->kind, d->domid, d->id);
	}
}

static void diff_names(FILE *f, const char *what, const char *const *names,
		       size_t n, const struct xen_lu_difference *d)
{
	fprintf(f, "%s %s -> %s", what, name_of(names, n, d->expected),
		name_of(names, n, d->found));
}

/* What changed, in words; FNV-1a hashes only say "changed". */
static void diff_change(FILE *f, const struct xen_lu_difference *d)
{
	switch (d->field) {
	case XEN_LU_DIFF_MISSING:
		fputs("missing", f);
		break;
	case XEN_LU_DIFF_NEW:
		fputs("new", f);
		break;
	case XEN_LU_DIFF_BACKEND_STATE:
		diff_names(f, "backend state", xenbus_states,
			   ARRAY_SIZE(xenbus_states), d);
		break;
	case XEN_LU_DIFF_FRONTEND_STATE:
		diff_names(f, "frontend state", xenbus_states,
			   ARRAY_SIZE(xenbus_states), d);
		break;
	case XEN_LU_DIFF_RING_REFS:
		fputs("ring references changed", f);
		break;
	case XEN_LU_DIFF_EVTCHNS:
		fputs("event channels changed", f);
		break;
	case XEN_LU_DIFF_EVTCHN_STATUS:
		diff_names(f, "status", evtchn_kinds, ARRAY_SIZE(evtchn_kinds), d);
		break;
	case XEN_LU_DIFF_EVTCHN_REMOTE:
		fprintf(f, "remote %u:%u -> %u:%u",
			(unsigned int)(d->expected >> 32), (unsigned int)d->expected,
			(unsigned int)(d->found >> 32), (unsigned int)d->found);
		break;
	case XEN_LU_DIFF_DOMAIN_IDENTITY:
		fputs("uuid or name changed", f);
		break;
	case XEN_LU_DIFF_UNRECORDABLE:
		diff_names(f, "unrecordable", unrecordable_names,
			   ARRAY_SIZE(unrecordable_names), d);
		break;
	case XEN_LU_DIFF_UNVERIFIED:
		fprintf(f, "unverified (%s): dom0's records could not be collected, nothing was compared",
			lu_errno_name((int)d->found));
		break;
	default:
		fprintf(f, "field %u 0x%" PRIx64 " -> 0x%" PRIx64, d->field,
			(uint64_t)d->expected, (uint64_t)d->found);
	}
}

/* One difference on one line, e.g. "backend vif 1/0: backend state Connected -> Closed". */
void lu_diff_print(FILE *f, const struct xen_lu_difference *d)
{
	diff_subject(f, d);
	fputs(": ", f);
	diff_change(f, d);
	fputc('\n', f);
}

struct json_object *lu_diff_json(const struct xen_lu_difference *d)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "kind",
			       json_object_new_string(lu_diff_kind_name(d->kind)));
	json_object_object_add(o, "field",
			       json_object_new_string(lu_diff_field_name(d->field)));
	json_object_object_add(o, "domid", json_object_new_int64(d->domid));
	json_object_object_add(o, "id", json_object_new_int64(d->id));
	if (d->kind == XEN_LU_REC_DOM0_BACKEND)
		lu_json_add_strn(o, "type", d->type, sizeof(d->type));
	lu_json_add_u64(o, "expected", d->expected);
	lu_json_add_u64(o, "found", d->found);
	if (d->field == XEN_LU_DIFF_UNVERIFIED)
		json_object_object_add(o, "errno",
				       json_object_new_string(lu_errno_name((int)d->found)));
	return o;
}

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

	if (check < ARRAY_SIZE(checks))
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

/*
 * "State rules": the errno each command gets in each state, 0 where it
 * runs.  STAGE in STAGED answers EEXIST: that is about the image
 * (--replace), not about where the sequence is.
 */
static const int state_rules[][XEN_LU_STATE_COMMITTED + 1] = {
	[LU_SEQ_STAGE] = { 0, 0, EBUSY, EBUSY, EBUSY },
	[LU_SEQ_UNSTAGE] = { ENOENT, 0, EBUSY, EBUSY, EBUSY },
	[LU_SEQ_PREPARE] = { ENOENT, 0, EALREADY, EBUSY, EBUSY },
	[LU_SEQ_COMMIT] = { ENOENT, EPROTO, 0, EBUSY, EALREADY },
	[LU_SEQ_FINISH] = { ENOENT, EPROTO, EPROTO, EBUSY, 0 },
	[LU_SEQ_CANCEL] = { ENOENT, EPROTO, 0, EBUSY, 0 },
	[LU_SEQ_HANDED_OVER] = { EPROTO, EPROTO, 0, 0, 0 },
};

struct advice {
	const char *what;	/* where the device is, from the command's side */
	const char *next;	/* what the operator runs next */
};

static struct advice advice_staged(enum lu_seq_cmd cmd)
{
	switch (cmd) {
	case LU_SEQ_COMMIT:
		return (struct advice){ "nothing prepared",
			"run 'lu-ctl prepare' first" };
	case LU_SEQ_CANCEL:
		return (struct advice){ "nothing prepared",
			"nothing to cancel ('lu-ctl unstage' unloads the image)" };
	case LU_SEQ_FINISH:
		return (struct advice){ "nothing committed",
			"run 'lu-ctl prepare' and 'lu-ctl commit' first" };
	default:
		return (struct advice){ "nothing handed over",
			"run 'lu-ctl prepare'" };
	}
}

static struct advice advice_prepared(enum lu_seq_cmd cmd)
{
	switch (cmd) {
	case LU_SEQ_PREPARE:
		return (struct advice){ "already prepared",
			"run 'lu-ctl commit', or 'lu-ctl cancel' to start again" };
	case LU_SEQ_FINISH:
		return (struct advice){ "nothing committed",
			"run 'lu-ctl commit' first, or 'lu-ctl cancel'" };
	default:
		return (struct advice){ "an update is prepared",
			"run 'lu-ctl cancel' first" };
	}
}

static struct advice advice_of(enum lu_seq_cmd cmd, unsigned int state)
{
	switch (state) {
	case XEN_LU_STATE_IDLE:
		if (cmd == LU_SEQ_HANDED_OVER)
			return (struct advice){ "nothing handed over",
				"run 'lu-ctl stage', then 'lu-ctl prepare'" };
		if (cmd == LU_SEQ_UNSTAGE)
			return (struct advice){ "nothing is staged",
				"nothing to unload" };
		return (struct advice){ "nothing is staged",
			"run 'lu-ctl stage' first" };
	case XEN_LU_STATE_STAGED:
		return advice_staged(cmd);
	case XEN_LU_STATE_PREPARED:
		return advice_prepared(cmd);
	case XEN_LU_STATE_COMMITTING:
		return (struct advice){ "a commit is running",
			"wait for it to return, then see 'lu-ctl status'" };
	default:
		if (cmd == LU_SEQ_COMMIT)
			return (struct advice){ "already committed",
				"run 'lu-ctl finish'" };
		return (struct advice){ "the update is committed",
			"run 'lu-ctl finish' first, or 'lu-ctl cancel' to drop it" };
	}
}

/* The device's state now, or -1 when GET_INFO fails. */
int lu_seq_current_state(struct lu_device *dev)
{
	struct xen_lu_info info = { .size = sizeof(info) };

	if (ioctl(dev->fd, XEN_LU_IOCTL_GET_INFO, &info) ||
	    info.out_state > XEN_LU_STATE_COMMITTED)
		return -1;
	return info.out_state;
}

/* Without the state: the errno alone, where it can only be a state rule's. */
static bool state_rule_blind(enum lu_seq_cmd cmd, int err,
			     struct lu_seq_failure *fail)
{
	switch (err) {
	case ENOENT:
		if (cmd == LU_SEQ_STAGE || cmd == LU_SEQ_HANDED_OVER)
			return false;
		lu_seq_failf(fail, err, "nothing is staged: run 'lu-ctl stage' first");
		return true;
	case EPROTO:
		if (cmd < LU_SEQ_COMMIT)
			return false;
		lu_seq_failf(fail, err, cmd == LU_SEQ_HANDED_OVER ?
			     "nothing handed over: run 'lu-ctl prepare'" :
			     "too early: the step this command follows has not been done; see 'lu-ctl status'");
		return true;
	case EALREADY:
		if (cmd != LU_SEQ_PREPARE && cmd != LU_SEQ_COMMIT)
			return false;
		lu_seq_failf(fail, err, "already done: see 'lu-ctl status'");
		return true;
	case EBUSY:
		/* STAGE, UNSTAGE, CANCEL and FINISH may pass on another EBUSY. */
		if (cmd != LU_SEQ_PREPARE && cmd != LU_SEQ_COMMIT)
			return false;
		lu_seq_failf(fail, err, "an update is past the point of this command: see 'lu-ctl status'");
		return true;
	default:
		return false;
	}
}

static void upper(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = toupper((unsigned char)s[i]);
	buf[i] = '\0';
}

/**
 * lu_seq_state_rule() - is @err the answer of a "State rules" refusal?
 * @dev: the device, asked for its state
 * @cmd: the command that failed
 * @err: its errno
 * @fail: filled when it is
 *
 * Only for an error the command's own check does not explain (out_check
 * %XEN_LU_CHECK_NONE): the state the device is in must be one where
 * "State rules" gives @cmd this very errno.
 *
 * Return: true, with @fail saying where the device is and what to run
 * next, e.g. "EPROTO: nothing prepared (device is STAGED): run 'lu-ctl
 * prepare' first"; false when @err is something else.
 */
bool lu_seq_state_rule(struct lu_device *dev, enum lu_seq_cmd cmd, int err,
		       struct lu_seq_failure *fail)
{
	int state = lu_seq_current_state(dev);
	struct advice a;
	char name[16];

	if (state < 0)
		return state_rule_blind(cmd, err, fail);
	if (!err || state_rules[cmd][state] != err)
		return false;
	a = advice_of(cmd, state);
	upper(lu_state_name(state), name, sizeof(name));
	lu_seq_failf(fail, err, "%s (device is %s): %s", a.what, name, a.next);
	fail->state = state;
	return true;
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

/* Complete @json with "error", "errno" and "state" and print it. */
static void print_failure(const struct lu_seq_failure *fail,
			  struct json_object *json)
{
	json_object_object_add(json, "error", json_object_new_string(fail->msg));
	json_object_object_add(json, "errno",
			       json_object_new_string(lu_errno_name(fail->err)));
	json_object_object_add(json, "state", fail->state < 0 ? NULL :
			       json_object_new_string(lu_state_name(fail->state)));
	lu_print_json(json);
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
		print_failure(fail, json);
	return rc;
}

/**
 * lu_seq_open() - open the device of a loaded module for @cmd
 * @dev: filled on success
 * @cmd: the command
 * @flags: O_RDONLY or O_RDWR
 * @json: with --json, a failure is printed as JSON as well
 *
 * Return: LU_EXIT_OK, or an lu_exit code after a diagnostic on stderr.
 */
int lu_seq_open(struct lu_device *dev, const char *cmd, int flags, bool json)
{
	struct lu_seq_failure fail;
	int rc;

	rc = lu_device_open_loaded(dev, flags, cmd);
	if (!rc || !json)
		return rc;
	lu_seq_failf(&fail, dev->err ? dev->err : EIO, "%s",
		     rc == LU_EXIT_NODEV ?
		     "xen_liveupdate or its device is unavailable" :
		     "cannot open " LU_DEVICE_PATH);
	print_failure(&fail, json_object_new_object());
	return rc;
}
