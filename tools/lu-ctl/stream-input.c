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
 * Parse -f FORMAT for the v2-family commands (verify, dump); the legacy
 * format has a command of its own, convert-legacy.
 */
int lu_stream_parse_format(const char *cmd, const char *arg,
			   enum xs_format *fmt)
{
	if (xs_format_parse(arg, fmt) || *fmt == XS_FMT_LEGACY) {
		lu_usage_err(cmd, "unknown format '%s'", arg);
		return LU_EXIT_USAGE;
	}
	return LU_EXIT_OK;
}

/**
 * lu_stream_open_input() - open the one optional FILE operand of @cmd
 * @cmd: the command, for messages
 * @argc: argc after option parsing (getopt's optind says where operands are)
 * @argv: argv
 * @name: set to the file name, or "<stdin>"
 * @fd: set to the open descriptor; "-" or no operand is standard input
 *
 * Return: LU_EXIT_OK, or an lu_exit code after a diagnostic on stderr.
 */
int lu_stream_open_input(const char *cmd, int argc, char **argv,
			 const char **name, int *fd)
{
	if (argc - optind > 1) {
		lu_usage_err(cmd, "one input file at most");
		return LU_EXIT_USAGE;
	}
	*name = optind < argc ? argv[optind] : "-";
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
