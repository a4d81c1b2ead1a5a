/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What lu-ctl says about the update sequence (stage, prepare, commit,
 * finish, cancel): names for the UAPI's states, checks, commit results and
 * differences, and the device's answer when a command comes in the wrong
 * state ("State rules" of include/uapi/xen/liveupdate.h).
 */
#ifndef LU_CTL_SEQUENCE_H
#define LU_CTL_SEQUENCE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>
#include <xen/liveupdate.h>

#include "device.h"

/* The commands the "State rules" table has a row for. */
enum lu_seq_cmd {
	LU_SEQ_STAGE,
	LU_SEQ_UNSTAGE,
	LU_SEQ_PREPARE,
	LU_SEQ_COMMIT,
	LU_SEQ_FINISH,
	LU_SEQ_CANCEL,
	LU_SEQ_HANDED_OVER,	/* COLLECT with XEN_LU_COLLECT_HANDED_OVER */
};

/* Why a command failed: what stderr says, and --json's "error" object. */
struct lu_seq_failure {
	int err;		/* positive errno of the ioctl */
	int state;		/* enum xen_lu_state, -1 when not known */
	char msg[512];		/* "<ERRNO>: <reason>", as after "... failed: " */
};

const char *lu_state_name(unsigned int state);
const char *lu_check_name(unsigned int check);
const char *lu_commit_result_name(unsigned int result);
const char *lu_xenbus_state_name(unsigned int state);
const char *lu_unrecordable_name(unsigned int reason);
int lu_seq_current_state(struct lu_device *dev);
const char *lu_evtchn_kind_name(unsigned int status);
const char *lu_diff_kind_name(unsigned int kind);
const char *lu_diff_field_name(unsigned int field);

void lu_print_us(FILE *f, const char *label, uint64_t ns);
void lu_diff_print(FILE *f, const struct xen_lu_difference *d);
struct json_object *lu_diff_json(const struct xen_lu_difference *d);

void lu_seq_failf(struct lu_seq_failure *fail, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void lu_seq_appendf(struct lu_seq_failure *fail, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void lu_seq_check_failf(struct lu_seq_failure *fail, unsigned int check,
			int err, const char *participant);
bool lu_seq_state_rule(struct lu_device *dev, enum lu_seq_cmd cmd, int err,
		       struct lu_seq_failure *fail);
void lu_seq_errno(const char *cmd, int err, struct lu_seq_failure *fail);
int lu_seq_open(struct lu_device *dev, const char *cmd, int flags, bool json);
int lu_seq_report(const char *cmd, const struct lu_seq_failure *fail,
		  struct json_object *json, int rc);

#endif /* LU_CTL_SEQUENCE_H */
