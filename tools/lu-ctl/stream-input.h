/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the stream commands (verify, dump, convert-legacy) share: where
 * their input comes from, and how a library error becomes an exit code.
 */
#ifndef LU_CTL_STREAM_INPUT_H
#define LU_CTL_STREAM_INPUT_H

#include "error.h"
#include "xenstream.h"

int lu_stream_exit_code(const struct xs_error *e);
int lu_stream_parse_format(const char *cmd, const char *arg,
			   enum xs_format *fmt);
int lu_stream_open_input(const char *cmd, int argc, char **argv,
			 const char **name, int *fd);
void lu_stream_close_input(int fd);

#endif /* LU_CTL_STREAM_INPUT_H */
