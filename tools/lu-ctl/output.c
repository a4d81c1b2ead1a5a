// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl diagnostics and JSON printing.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exit-codes.h"
#include "output.h"
#include "progress.h"

/* "EINVAL" for 22; a number when the C library has no name for it. */
const char *lu_errno_name(int err)
{
	static char buf[16];
	const char *name = strerrorname_np(err);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

void lu_err(const char *object, const char *action, int err)
{
	lu_progress_clear();
	fprintf(stderr, "lu-ctl: %s: %s failed: %s\n", object, action,
		strerror(err));
}

void lu_errf(const char *object, const char *action, const char *fmt, ...)
{
	va_list ap;

	lu_progress_clear();
	fprintf(stderr, "lu-ctl: %s: %s failed: ", object, action);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void lu_json_add_u64(struct json_object *obj, const char *key, uint64_t v)
{
	json_object_object_add(obj, key, json_object_new_uint64(v));
}

/* A string field of a UAPI structure, not always NUL-terminated. */
void lu_json_add_strn(struct json_object *obj, const char *key,
		      const char *s, size_t size)
{
	json_object_object_add(obj, key,
			       json_object_new_string_len(s, strnlen(s, size)));
}

/*
 * json-c prints an empty array or object over two lines ("[", "  ]"); print
 * "[]" and "{}" so that one line says it.  A newline never occurs inside a
 * JSON string (it is escaped), so every one follows structure.
 */
static int print_compact_empty(const char *s)
{
	const char *p, *close;

	for (p = s; *p; p++) {
		if ((*p == '[' || *p == '{') && p[1] == '\n') {
			close = p + 2 + strspn(p + 2, " ");
			if (*close == (*p == '[' ? ']' : '}')) {
				if (putchar(*p) == EOF)
					return -1;
				p = close;
			}
		}
		if (putchar(*p) == EOF)
			return -1;
	}
	return putchar('\n') == EOF ? -1 : 0;
}

/*
 * Every --json output names its schema, "lu-ctl-<output>/<version>", as
 * tools/lu-ctl/schema/<output>.schema.json describes it.  A change that can
 * break a reader (a field removed or renamed, a type or a meaning changed)
 * bumps the version here and in the schema; an added field does not.
 */
static const struct {
	const char *output;
	unsigned int version;
} lu_schemas[] = {
	{ "status", 1 },
	{ "stage", 1 },
	{ "unstage", 1 },
	{ "prepare", 1 },
	{ "commit", 1 },
	{ "finish", 1 },
	{ "cancel", 1 },
	{ "records", 1 },
	{ "verify", 1 },
	{ "dump", 1 },
	{ "convert-legacy", 1 },
};

/*
 * Print @obj as pretty JSON on stdout, its "schema" first, and release it.
 * @output is a name of lu_schemas[]; any other is a bug of this tool, and
 * the output then carries no "schema" (which the tests refuse).
 */
int lu_print_json(const char *output, struct json_object *obj)
{
	struct json_object *root = json_object_new_object();
	char schema[64];
	const char *s;
	int rc = LU_EXIT_OK;
	size_t i;

	for (i = 0; i < sizeof(lu_schemas) / sizeof(lu_schemas[0]); i++) {
		if (strcmp(lu_schemas[i].output, output))
			continue;
		snprintf(schema, sizeof(schema), "lu-ctl-%s/%u", output,
			 lu_schemas[i].version);
		json_object_object_add(root, "schema",
				       json_object_new_string(schema));
	}
	json_object_object_foreach(obj, key, val)
		json_object_object_add(root, key, json_object_get(val));
	json_object_put(obj);

	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s || print_compact_empty(s))
		rc = LU_EXIT_IO;
	json_object_put(root);
	return rc;
}

void lu_kmsg(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n, fd;

	n = snprintf(line, sizeof(line), "<5>lu-ctl: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* The kernel log is a courtesy: a failed write changes nothing. */
	(void)!write(fd, line, strlen(line));
	close(fd);
}
