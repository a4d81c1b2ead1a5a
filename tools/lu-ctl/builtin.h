/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lu-ctl subcommands.  Each one is "int cmd_<verb>(int argc, char **argv)":
 * argv[0] is the verb itself, options follow, and the return value is an
 * enum lu_exit code (see exit-codes.h).
 */
#ifndef LU_CTL_BUILTIN_H
#define LU_CTL_BUILTIN_H

#include "exit-codes.h"

int cmd_status(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_convert_legacy(int argc, char **argv);
int cmd_stage(int argc, char **argv);
int cmd_unstage(int argc, char **argv);
int cmd_prepare(int argc, char **argv);
int cmd_commit(int argc, char **argv);
int cmd_finish(int argc, char **argv);
int cmd_cancel(int argc, char **argv);
int cmd_records(int argc, char **argv);

#endif /* LU_CTL_BUILTIN_H */
