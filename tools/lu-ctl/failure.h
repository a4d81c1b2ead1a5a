/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Why a command of the update sequence (stage, unstage, prepare, commit,
 * finish, cancel, records --handed-over) failed: what stderr says, and
 * its --json "error" object (failure.c).
 */
#ifndef LU_CTL_FAILURE_H
#define LU_CTL_FAILURE_H

#include <json-c/json.h>

struct lu_seq_failure {
	int err;		/* positive errno of the ioctl */
	int state;		/* enum xen_lu_state, -1 when not known */
	char msg[512];		/* "<ERRNO>: <reason>", as after "... failed: " */
};

void lu_seq_failf(struct lu_seq_failure *fail, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void lu_seq_appendf(struct lu_seq_failure *fail, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void lu_seq_check_failf(struct lu_seq_failure *fail, unsigned int check,
			int err, const char *participant);
void lu_seq_errno(const char *cmd, int err, struct lu_seq_failure *fail);
void lu_seq_print_failure(const char *cmd, const struct lu_seq_failure *fail,
			  struct json_object *json);
int lu_seq_report(const char *cmd, const struct lu_seq_failure *fail,
		  struct json_object *json, int rc);

#endif /* LU_CTL_FAILURE_H */
