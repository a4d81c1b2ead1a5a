// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl's option layer: parse a command line against the command's table
 * of options, and print the usage from the same table (parse-options.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit-codes.h"
#include "parse-options.h"

/* lu_parse_options()'s answer for -h and --help: the usage is printed. */
#define PARSE_HELP	(-1)

/* At most this many options in a table (the bits of struct parse.seen). */
#define MAX_OPTIONS	64

static const struct lu_option help_option = {
	.type = LU_OPT_HELP, .short_name = 'h', .long_name = "help",
	.help = "this text",
};

/* A table's options, then help_option: every command has -h, --help. */
static const struct lu_option *with_help(const struct lu_option *o)
{
	return o->type == LU_OPT_END ? &help_option : o;
}

static const struct lu_option *next_option(const struct lu_option *o)
{
	return o == &help_option ? NULL : with_help(o + 1);
}

#define for_each_option(o, opts) \
	for ((o) = with_help(opts); (o); (o) = next_option(o))

struct parse {
	const struct lu_option *opts;
	const struct lu_usage *u;
	uint64_t seen;		/* bit i: opts[i] was given */
};

static bool takes_arg(const struct lu_option *o)
{
	return o->type == LU_OPT_STRING || o->type == LU_OPT_CHOICE ||
	       o->type == LU_OPT_UINT || o->type == LU_OPT_CALLBACK;
}

/* The argument's name: argh, or a CHOICE's words, "32|64". */
static void arg_name(const struct lu_option *o, char *buf, size_t len)
{
	const struct lu_opt_choice *c;
	size_t n = 0;

	buf[0] = '\0';
	if (o->type != LU_OPT_CHOICE) {
		snprintf(buf, len, "%s", o->argh ? o->argh : "ARG");
		return;
	}
	for (c = o->choices; c->word && n < len; c++)
		n += snprintf(buf + n, len - n, "%s%s",
			      c == o->choices ? "" : "|", c->word);
}

/* "-a, --append ARGS", "    --json": the option as the usage shows it. */
static int option_spelling(const struct lu_option *o, char *buf, size_t len)
{
	char arg[128];
	int n;

	if (o->short_name && o->long_name)
		n = snprintf(buf, len, "-%c, --%s", o->short_name, o->long_name);
	else if (o->short_name)
		n = snprintf(buf, len, "-%c", o->short_name);
	else
		n = snprintf(buf, len, "    --%s", o->long_name);
	if (takes_arg(o) && n >= 0 && (size_t)n < len) {
		arg_name(o, arg, sizeof(arg));
		n += snprintf(buf + n, len - n, " %s", arg);
	}
	return n;
}

/* Lines of @text after @first, each further one indented by @indent. */
static void print_lines(FILE *f, const char *first, const char *text,
			int indent)
{
	const char *nl;

	fputs(first, f);
	while ((nl = strchr(text, '\n'))) {
		fprintf(f, "%.*s\n%*s", (int)(nl - text), text, indent, "");
		text = nl + 1;
	}
	fprintf(f, "%s\n", text);
}

static void print_synopsis(FILE *f, const struct lu_usage *u)
{
	const char *const *s;

	for (s = u->synopsis; *s; s++)
		fprintf(f, "%s lu-ctl %s%s%s\n", s == u->synopsis ?
			"usage:" : "      ", u->name, **s ? " " : "", *s);
}

/* The usage of a command, as --help prints it. */
static void usage_print(FILE *f, const struct lu_option *opts,
			const struct lu_usage *u)
{
	const struct lu_option *o;
	char buf[160];
	int width = 0, n;

	print_synopsis(f, u);
	if (u->about)
		print_lines(f, "\n", u->about, 0);
	fputc('\n', f);
	for_each_option(o, opts) {
		n = option_spelling(o, buf, sizeof(buf));
		if (n > width)
			width = n;
	}
	width += 2;		/* room before the help */
	for_each_option(o, opts) {
		option_spelling(o, buf, sizeof(buf));
		fprintf(f, "   %-*s", width, buf);
		print_lines(f, "", o->help, 3 + width);
	}
	print_lines(f, "\nexit: ", u->exit, 6);
}

/**
 * lu_usage_error() - say what is wrong with a command line
 * @u: the command's usage
 * @fmt: what, printf-style
 *
 * The one format of every command-line error: "lu-ctl: <command>: <what>",
 * the command's synopsis, and where to read more.
 *
 * Return: LU_EXIT_USAGE.
 */
int lu_usage_error(const struct lu_usage *u, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "lu-ctl: %s: ", u->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	print_synopsis(stderr, u);
	fprintf(stderr, "Try 'lu-ctl %s --help'.\n", u->name);
	return LU_EXIT_USAGE;
}

static int choose(const struct parse *p, const struct lu_option *o,
		  const char *arg)
{
	const struct lu_opt_choice *c;
	char words[128];

	for (c = o->choices; c->word; c++) {
		if (!strcmp(c->word, arg)) {
			*(int *)o->value = c->value;
			return LU_EXIT_OK;
		}
	}
	arg_name(o, words, sizeof(words));
	return lu_usage_error(p->u, "option '--%s' takes %s, not '%s'",
			      o->long_name, words, arg);
}

/* A decimal number from o->min to o->max, digits only. */
static int parse_uint(const struct parse *p, const struct lu_option *o,
		      const char *arg)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (!isdigit((unsigned char)arg[0]) || *end || errno || v < o->min ||
	    v > o->max)
		return lu_usage_error(p->u, "option '--%s' takes %u to %u, not '%s'",
				      o->long_name, o->min, o->max, arg);
	*(unsigned int *)o->value = v;
	return LU_EXIT_OK;
}

/* Do what @o says with its argument @arg (NULL for none). */
static int apply(struct parse *p, const struct lu_option *o, const char *arg)
{
	if (o != &help_option)
		p->seen |= UINT64_C(1) << (o - p->opts);
	switch (o->type) {
	case LU_OPT_BOOL:
		if (o->value)
			*(bool *)o->value = true;
		return LU_EXIT_OK;
	case LU_OPT_STRING:
		*(const char **)o->value = arg;
		return LU_EXIT_OK;
	case LU_OPT_CHOICE:
		return choose(p, o, arg);
	case LU_OPT_UINT:
		return parse_uint(p, o, arg);
	case LU_OPT_CALLBACK:
		return o->callback(p->u, o, arg);
	case LU_OPT_HELP:
		usage_print(stdout, p->opts, p->u);
		return PARSE_HELP;
	case LU_OPT_END:
		break;
	}
	return LU_EXIT_OK;
}

static const struct lu_option *find_short(const struct parse *p, char c)
{
	const struct lu_option *o;

	for_each_option(o, p->opts)
		if (o->short_name == c)
			return o;
	return NULL;
}

/*
 * The option @name (@len bytes) names: its long name, or the one long name
 * it is a prefix of.  *@ambiguous is set when it is a prefix of several.
 */
static const struct lu_option *find_long(const struct parse *p,
					 const char *name, size_t len,
					 bool *ambiguous)
{
	const struct lu_option *o, *prefix_of = NULL;
	unsigned int prefixes = 0;

	*ambiguous = false;
	for_each_option(o, p->opts) {
		if (o->long_name && !strncmp(o->long_name, name, len)) {
			if (!o->long_name[len])
				return o;
			prefix_of = o;
			prefixes++;
		}
	}
	*ambiguous = prefixes > 1;
	return prefixes == 1 ? prefix_of : NULL;
}

/* "--name", "--name=ARG" or "--name ARG" at argv[*i]. */
static int parse_long(struct parse *p, int argc, char **argv, int *i)
{
	const char *name = argv[*i] + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct lu_option *o;
	bool ambiguous;

	o = find_long(p, name, len, &ambiguous);
	if (!o)
		return lu_usage_error(p->u, "%s option '--%.*s'",
				      ambiguous ? "ambiguous" : "unknown",
				      (int)len, name);
	if (!takes_arg(o)) {
		if (eq)
			return lu_usage_error(p->u,
					      "option '--%s' takes no argument",
					      o->long_name);
		return apply(p, o, NULL);
	}
	if (eq)
		return apply(p, o, eq + 1);
	if (*i + 1 >= argc)
		return lu_usage_error(p->u, "option '--%s' needs an argument",
				      o->long_name);
	return apply(p, o, argv[++*i]);
}

/* "-x", bundled "-xyz", "-aARG" or "-a ARG" at argv[*i]. */
static int parse_short(struct parse *p, int argc, char **argv, int *i)
{
	const char *s = argv[*i] + 1;
	const struct lu_option *o;
	int rc;

	for (; *s; s++) {
		o = find_short(p, *s);
		if (!o)
			return lu_usage_error(p->u, "unknown option '-%c'", *s);
		if (!takes_arg(o)) {
			rc = apply(p, o, NULL);
			if (rc)
				return rc;
			continue;
		}
		if (s[1])
			return apply(p, o, s + 1);
		if (*i + 1 >= argc)
			return lu_usage_error(p->u,
					      "option '-%c' needs an argument",
					      *s);
		return apply(p, o, argv[++*i]);
	}
	return LU_EXIT_OK;
}

/* Every LU_OPT_REQUIRED option was given. */
static int check_required(const struct parse *p)
{
	const struct lu_option *o;
	char buf[160];

	for (o = p->opts; o->type != LU_OPT_END; o++) {
		if (!(o->flags & LU_OPT_REQUIRED) ||
		    p->seen & (UINT64_C(1) << (o - p->opts)))
			continue;
		option_spelling(o, buf, sizeof(buf));
		return lu_usage_error(p->u, "missing option %s",
				      buf + strspn(buf, " "));
	}
	return LU_EXIT_OK;
}

static int parse(struct parse *p, int *argc, char **argv)
{
	unsigned int n = 0;
	bool options = true;
	int i, rc;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (!options || a[0] != '-' || !a[1]) {
			argv[n++] = argv[i];	/* an operand */
			continue;
		}
		if (!strcmp(a, "--")) {
			options = false;
			continue;
		}
		rc = a[1] == '-' ? parse_long(p, *argc, argv, &i) :
				   parse_short(p, *argc, argv, &i);
		if (rc)
			return rc;
	}
	rc = check_required(p);
	if (rc)
		return rc;
	if (n < p->u->min_args)
		return lu_usage_error(p->u, "%s", p->u->too_few);
	if (n > p->u->max_args)
		return lu_usage_error(p->u, "unexpected argument '%s'",
				      argv[p->u->max_args]);
	*argc = n;
	return LU_EXIT_OK;
}

/**
 * lu_parse_options() - parse a command's command line
 * @argc: in, as main() passes it on from the command's name; out, the
 *	number of operands
 * @argv: in, the command's name and its arguments; out, the operands, from
 *	argv[0] on
 * @opts: the command's options, ended by LU_OPT_END()
 * @u: the command's usage
 * @rc: set to the command's exit code when it must not run
 *
 * Return: true when the command runs with the options set and its operands
 * in argv; false after the usage was printed for --help (*@rc LU_EXIT_OK)
 * or a command-line error was said on stderr (*@rc LU_EXIT_USAGE).
 */
bool lu_parse_options(int *argc, char **argv, const struct lu_option *opts,
		      const struct lu_usage *u, int *rc)
{
	struct parse p = { .opts = opts, .u = u };
	size_t nr = 0;

	while (opts[nr].type != LU_OPT_END)
		nr++;
	if (nr > MAX_OPTIONS) {
		*rc = lu_usage_error(u, "%zu options: lu-ctl parses at most %d",
				     nr, MAX_OPTIONS);
		return false;
	}
	*rc = parse(&p, argc, argv);
	if (*rc != PARSE_HELP)
		return *rc == LU_EXIT_OK;
	*rc = LU_EXIT_OK;
	return false;
}
