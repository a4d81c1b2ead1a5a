/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Names for the UAPI's values (names.c); "unknown" for a value lu-ctl does
 * not know.
 */
#ifndef LU_CTL_NAMES_H
#define LU_CTL_NAMES_H

#include <stdbool.h>

const char *lu_state_name(unsigned int state);
const char *lu_check_name(unsigned int check);
bool lu_check_known(unsigned int check);
const char *lu_commit_result_name(unsigned int result);
const char *lu_xenbus_state_name(unsigned int state);
const char *lu_unrecordable_name(unsigned int reason);
const char *lu_evtchn_kind_name(unsigned int status);
const char *lu_diff_kind_name(unsigned int kind);
const char *lu_diff_field_name(unsigned int field);

#endif /* LU_CTL_NAMES_H */
