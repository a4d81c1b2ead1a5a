// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl: the operator's tool for Xen hypervisor live update.
 *
 * git-style: "lu-ctl [--version] [--help] <command> [<args>]".  Each command
 * is cmd_<verb>() in a file of its own and returns an enum lu_exit code.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "builtin.h"
#include "output.h"

struct lu_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct lu_command commands[] = {
	{ "status", cmd_status, "show live-update capability and state" },
	{ "stage", cmd_stage, "build and stage a new Xen (xen#2)" },
	{ "unstage", cmd_unstage, "unload the staged image" },
	{ "prepare", cmd_prepare, "check, collect dom0's records and hand them over" },
	{ "commit", cmd_commit, "freeze dom0's backends and exec xen#2" },
	{ "finish", cmd_finish, "verify dom0's records after the update, unfreeze" },
	{ "cancel", cmd_cancel, "drop a prepared update, keep the image staged" },
	{ "records", cmd_records, "collect and show dom0's live-update records" },
	{ "verify", cmd_verify, "check a live update or migration stream" },
	{ "dump", cmd_dump, "describe a live update or migration stream" },
	{ "convert-legacy", cmd_convert_legacy, "convert a pre-4.6 (legacy) stream to v2" },
};

static const struct lu_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: lu-ctl [--version] [--help] <command> [<args>]\n\n");
	fprintf(f, "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "   %-16s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\n'lu-ctl <command> --help' describes one command.\n");
}

/*
 * A command that printed its answer has not succeeded until stdout was
 * flushed: a full disk or a closed pipe must fail loudly.
 */
static int finish_stdout(int rc)
{
	struct stat st;

	if (fstat(fileno(stdout), &st))
		return rc;
	if (fflush(stdout) || ferror(stdout)) {
		if (S_ISFIFO(st.st_mode) && errno == EPIPE)
			return rc;
		lu_err("stdout", "write", errno);
		return rc ? rc : LU_EXIT_IO;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const struct lu_command *cmd;
	const char *verb;

	if (argc < 2) {
		usage(stderr);
		return LU_EXIT_USAGE;
	}
	verb = argv[1];
	if (!strcmp(verb, "--help") || !strcmp(verb, "-h") ||
	    !strcmp(verb, "help")) {
		if (argc > 2 && !strcmp(verb, "help") &&
		    (cmd = find_command(argv[2]))) {
			char *help_argv[] = { argv[2], "--help", NULL };

			return cmd->fn(2, help_argv);
		}
		usage(stdout);
		return finish_stdout(LU_EXIT_OK);
	}
	if (!strcmp(verb, "--version")) {
		printf("lu-ctl %s\n", XEN_LU_VERSION);
		return finish_stdout(LU_EXIT_OK);
	}

	cmd = find_command(verb);
	if (cmd)
		return finish_stdout(cmd->fn(argc - 1, argv + 1));

	fprintf(stderr, "lu-ctl: unknown command '%s'\n", verb);
	usage(stderr);
	return LU_EXIT_USAGE;
}
