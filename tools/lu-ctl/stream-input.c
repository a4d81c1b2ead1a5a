// SPDX-License-Identifier: GPL-2.0-only
/*
 * Input and exit codes shared by the stream commands.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "exit-codes.h"
#include "output.h"
#include "parse-options.h"
#include "stream-input.h"

/* The lu_exit code for a libxenstream error. */
int lu_stream_exit_code(const struct xs_error *e)
{
	switch (e->code) {
	case XS_ERR_INVALID:
	case XS_ERR_TRUNCATED:
		return LU_EXIT_INVALID;
	case XS_ERR_IO:
		return LU_EXIT_IO;
	case XS_ERR_USAGE:
		return LU_EXIT_USAGE;
	default:
		return LU_EXIT_FAILURE;
	}
}

/*
 * -f FORMAT of verify and dump, an option callback (LU_OPT_STREAM_FORMAT()):
 * a name from libxenstream's table of formats.
 */
int lu_stream_format_opt(const struct lu_usage *u, const struct lu_option *opt,
			 const char *arg)
{
	enum xs_format *fmt = opt->value;

	if (xs_format_parse(arg, fmt))
		return lu_usage_error(u, "unknown format '%s'", arg);
	return LU_EXIT_OK;
}

/**
 * lu_stream_open_input() - open the one optional FILE operand of a command
 * @path: the operand; NULL or "-" is standard input
 * @name: set to the file name, or "<stdin>"
 * @fd: set to the open descriptor
 *
 * Return: LU_EXIT_OK, or an lu_exit code after a diagnostic on stderr.
 */
int lu_stream_open_input(const char *path, const char **name, int *fd)
{
	*name = path ? path : "-";
	if (!strcmp(*name, "-")) {
		*fd = STDIN_FILENO;
		*name = "<stdin>";
		return LU_EXIT_OK;
	}
	*fd = open(*name, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		lu_err(*name, "open", errno);
		return LU_EXIT_IO;
	}
	return LU_EXIT_OK;
}

void lu_stream_close_input(int fd)
{
	if (fd != STDIN_FILENO)
		close(fd);
}
