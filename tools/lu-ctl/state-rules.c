// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where the device is in the update sequence: its state, its answer to a
 * command that comes in the wrong state ("State rules" of
 * include/uapi/xen/liveupdate.h) in words, with what to run next, and
 * opening the device for a command that carries on from that state.
 */
#include <ctype.h>
#include <errno.h>
#include <sys/ioctl.h>

#include <xen/liveupdate.h>

#include "exit-codes.h"
#include "names.h"
#include "output.h"
#include "state-rules.h"

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

/* The commands' names, as their diagnostics say them. */
static const char *const seq_cmd_names[] = {
	[LU_SEQ_STAGE] = "stage",
	[LU_SEQ_UNSTAGE] = "unstage",
	[LU_SEQ_PREPARE] = "prepare",
	[LU_SEQ_COMMIT] = "commit",
	[LU_SEQ_FINISH] = "finish",
	[LU_SEQ_CANCEL] = "cancel",
	[LU_SEQ_HANDED_OVER] = "records",
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

/**
 * lu_seq_open() - open the device of a loaded module for @cmd
 * @dev: filled on success
 * @cmd: the command
 * @flags: O_RDONLY or O_RDWR
 * @json: with --json, a failure is printed as JSON as well
 *
 * A command that carries on from the state does not load the module
 * (lu_device_open_loaded()): without it the device would be IDLE, and the
 * answer says what to run next as "State rules" says it for IDLE.
 *
 * Return: LU_EXIT_OK, or an lu_exit code after a diagnostic on stderr.
 */
int lu_seq_open(struct lu_device *dev, enum lu_seq_cmd cmd, int flags,
		bool json)
{
	struct lu_seq_failure fail;
	int rc;

	rc = lu_device_open_loaded(dev, flags, seq_cmd_names[cmd],
				   advice_of(cmd, XEN_LU_STATE_IDLE).next);
	if (!rc || !json)
		return rc;
	lu_seq_failf(&fail, dev->err ? dev->err : EIO, "%s",
		     rc == LU_EXIT_NODEV ?
		     "xen_liveupdate or its device is unavailable" :
		     "cannot open " LU_DEVICE_PATH);
	lu_seq_print_failure(seq_cmd_names[cmd], &fail,
			     json_object_new_object());
	return rc;
}

/**
 * lu_seq_print_done() - the JSON answer of a command that only moves the
 *	state: {"<done>": true, "state": "<state>"}
 * @cmd: the command, whose output it is
 * @done: what it did ("cancelled", "unstaged")
 * @state: the device's state now
 *
 * Return: as lu_print_json().
 */
int lu_seq_print_done(const char *cmd, const char *done, unsigned int state)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, done, json_object_new_boolean(true));
	json_object_object_add(o, "state",
			       json_object_new_string(lu_state_name(state)));
	return lu_print_json(cmd, o);
}
