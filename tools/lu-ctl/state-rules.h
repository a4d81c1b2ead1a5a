/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device's state in the update sequence and the "State rules" of
 * include/uapi/xen/liveupdate.h: which errno each command gets in each
 * state, in words (state-rules.c).
 */
#ifndef LU_CTL_STATE_RULES_H
#define LU_CTL_STATE_RULES_H

#include <stdbool.h>

#include "device.h"
#include "failure.h"

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

int lu_seq_current_state(struct lu_device *dev);
bool lu_seq_state_rule(struct lu_device *dev, enum lu_seq_cmd cmd, int err,
		       struct lu_seq_failure *fail);
int lu_seq_open(struct lu_device *dev, enum lu_seq_cmd cmd, int flags,
		bool json);
int lu_seq_print_done(const char *cmd, const char *done, unsigned int state);

#endif /* LU_CTL_STATE_RULES_H */
