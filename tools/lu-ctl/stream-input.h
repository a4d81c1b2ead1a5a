/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the stream commands (verify, dump, convert-legacy) share: where
 * their input comes from, and how a library error becomes an exit code.
 */
#ifndef LU_CTL_STREAM_INPUT_H
#define LU_CTL_STREAM_INPUT_H

#include "error.h"
#include "parse-options.h"
#include "xenstream.h"

/* -f FORMAT of verify and dump, into an enum xs_format *. */
#define LU_OPT_STREAM_FORMAT(v) \
	LU_OPT_CALLBACK('f', "format", (v), "FORMAT", \
			"lu, lu-records, libxc, libxl, xl or legacy\n(default: detect)", \
			lu_stream_format_opt)

int lu_stream_exit_code(const struct xs_error *e);
lu_opt_cb lu_stream_format_opt;
int lu_stream_open_input(const char *path, const char **name, int *fd);
void lu_stream_close_input(int fd);

#endif /* LU_CTL_STREAM_INPUT_H */
