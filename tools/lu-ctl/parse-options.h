/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lu-ctl's command lines: one table of options per command, from which
 * lu_parse_options() parses argv and prints the usage.
 *
 * A command describes itself once, in a struct lu_usage (its synopsis, what
 * it does, its exit codes, how many operands it takes) and an array of
 * struct lu_option ended by LU_OPT_END():
 *
 *	static const struct lu_usage cancel_usage = {
 *		.name = "cancel",
 *		.synopsis = LU_SYNOPSIS("[--json]"),
 *		.about = "Cancel the prepared live update ...",
 *		.exit = "0 cancelled, 4 no device, ...",
 *	};
 *
 *	const struct lu_option options[] = {
 *		LU_OPT_JSON(&json),
 *		LU_OPT_END(),
 *	};
 *
 *	if (!lu_parse_options(&argc, argv, options, &cancel_usage, &rc))
 *		return rc;
 *
 * Options follow getopt_long()'s conventions: "-a ARG", "-aARG", bundled
 * short options ("-Hj"), "--long ARG", "--long=ARG", a long name cut to an
 * unambiguous prefix, options and operands in any order, "--" ends the
 * options and "-" is an operand.  -h and --help print the usage on stdout
 * and every command has them.  A command-line error is said on stderr in one
 * format, lu_usage_error()'s, and the command exits LU_EXIT_USAGE.
 */
#ifndef LU_CTL_PARSE_OPTIONS_H
#define LU_CTL_PARSE_OPTIONS_H

#include <stdbool.h>

struct lu_option;

/* What a command says about itself in its usage. */
struct lu_usage {
	const char *name;		/* the command: "stage" */
	const char *const *synopsis;	/* LU_SYNOPSIS(): after "lu-ctl <name> " */
	const char *about;		/* what it does; NULL for nothing */
	const char *exit;		/* its exit codes, after "exit: " */
	unsigned int min_args;		/* operands at least ... */
	unsigned int max_args;		/* ... and at most */
	const char *too_few;		/* the error for fewer than min_args */
};

#define LU_SYNOPSIS(...)	((const char *const[]){ __VA_ARGS__, NULL })

enum lu_opt_type {
	LU_OPT_END,
	LU_OPT_BOOL,		/* *(bool *)value = true; NULL: no effect */
	LU_OPT_STRING,		/* *(const char **)value = the argument */
	LU_OPT_CHOICE,		/* *(int *)value = the argument's word's value */
	LU_OPT_UINT,		/* *(unsigned int *)value = min..max, decimal */
	LU_OPT_CALLBACK,	/* callback(usage, option, the argument) */
	LU_OPT_HELP,		/* -h, --help: every command's, in no table */
};

enum lu_opt_flags {
	LU_OPT_REQUIRED = 1 << 0,	/* the command line must give it */
};

/* One word LU_OPT_CHOICE takes, and what it stores; { NULL } ends them. */
struct lu_opt_choice {
	const char *word;
	int value;
};

/*
 * Return: LU_EXIT_OK, or LU_EXIT_USAGE after lu_usage_error() said why
 * the argument is refused.
 */
typedef int lu_opt_cb(const struct lu_usage *u, const struct lu_option *opt,
		      const char *arg);

struct lu_option {
	enum lu_opt_type type;
	char short_name;		/* '\0' for none */
	const char *long_name;
	void *value;
	const char *argh;		/* the argument in the usage: "FILE" */
	const char *help;		/* "\n" continues it on another line */
	unsigned int flags;		/* enum lu_opt_flags */
	const struct lu_opt_choice *choices;	/* LU_OPT_CHOICE */
	unsigned int min, max;		/* LU_OPT_UINT */
	lu_opt_cb *callback;		/* LU_OPT_CALLBACK */
};

/* The trailing arguments are more designated initializers: .flags = ... */
#define LU_OPT_BOOL(s, l, v, h, ...) \
	{ .type = LU_OPT_BOOL, .short_name = (s), .long_name = (l), \
	  .value = (v), .help = (h), __VA_ARGS__ }
#define LU_OPT_STRING(s, l, v, a, h, ...) \
	{ .type = LU_OPT_STRING, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .help = (h), __VA_ARGS__ }
#define LU_OPT_CHOICE(s, l, v, c, h, ...) \
	{ .type = LU_OPT_CHOICE, .short_name = (s), .long_name = (l), \
	  .value = (v), .choices = (c), .help = (h), __VA_ARGS__ }
#define LU_OPT_UINT(s, l, v, a, lo, hi, h, ...) \
	{ .type = LU_OPT_UINT, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .min = (lo), .max = (hi), .help = (h), \
	  __VA_ARGS__ }
#define LU_OPT_CALLBACK(s, l, v, a, h, cb, ...) \
	{ .type = LU_OPT_CALLBACK, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .help = (h), .callback = (cb), \
	  __VA_ARGS__ }
#define LU_OPT_END()	{ .type = LU_OPT_END }

/* --json of the device commands, which print one JSON object. */
#define LU_OPT_JSON(v)	LU_OPT_BOOL('j', "json", (v), "print JSON on stdout")

bool lu_parse_options(int *argc, char **argv, const struct lu_option *opts,
		      const struct lu_usage *u, int *rc);
int lu_usage_error(const struct lu_usage *u, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* LU_CTL_PARSE_OPTIONS_H */
