// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl convert-legacy -w 32|64 -g pv|hvm [-f libxc|libxl] [-x]
 *                       [--skip-qemu] [-i IN] [-o OUT] [-v] [--json]
 *
 * Convert a pre-4.6 (legacy) save/migration stream, Remus compressed
 * checkpoints included, to a libxc v3 image or a libxl v2 stream.  The
 * options are those of Xen's convert-legacy-stream; IN and OUT may be a
 * file, "-" (stdin/stdout, the default) or a file descriptor number.
 * --syslog is accepted and does nothing: lu-ctl reports on stderr.
 *
 * Exit codes: LU_EXIT_OK converted, LU_EXIT_INVALID the input breaks a
 * rule or holds what v2 cannot carry, LU_EXIT_IO open/read/write failed,
 * LU_EXIT_USAGE bad command line, LU_EXIT_FAILURE out of memory.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "legacy/convert.h"
#include "output.h"
#include "parse-options.h"
#include "stream-input.h"

static const struct lu_usage convert_usage = {
	.name = "convert-legacy",
	.synopsis = LU_SYNOPSIS("-w 32|64 -g pv|hvm [options]"),
	.exit = "0 converted, 5 invalid input, 6 I/O error, 2 usage",
};

static const struct lu_opt_choice widths[] = {
	{ "32", 4 }, { "64", 8 }, { NULL },
};

static const struct lu_opt_choice guest_types[] = {
	{ "pv", false }, { "hvm", true }, { NULL },
};

static const struct lu_opt_choice formats[] = {
	{ "libxc", false }, { "libxl", true }, { NULL },
};

static bool is_fd(const char *s, int *fd)
{
	char *end;
	long v;

	if (!*s || !isdigit((unsigned char)*s))
		return false;
	v = strtol(s, &end, 10);
	if (*end || v < 0 || v > 1 << 20)
		return false;
	*fd = (int)v;
	return true;
}

static void summary(const char *in, const struct convert_stats *st, bool json)
{
	struct json_object *o;

	if (!json) {
		fprintf(stderr,
			"lu-ctl: %s: %llu checkpoint(s), %llu PAGE_DATA records, %llu pages (%llu from compressed data), %llu vcpu(s)\n",
			in, (unsigned long long)st->checkpoints,
			(unsigned long long)st->batches,
			(unsigned long long)st->pages,
			(unsigned long long)st->compressed_pages,
			(unsigned long long)st->vcpus);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "checkpoints", json_object_new_int64((int64_t)st->checkpoints));
	json_object_object_add(o, "page_data_records", json_object_new_int64((int64_t)st->batches));
	json_object_object_add(o, "pages", json_object_new_int64((int64_t)st->pages));
	json_object_object_add(o, "compressed_pages", json_object_new_int64((int64_t)st->compressed_pages));
	json_object_object_add(o, "vcpus", json_object_new_int64((int64_t)st->vcpus));
	lu_print_json("convert-legacy", o);
}

int cmd_convert_legacy(int argc, char **argv)
{
	const char *in = "-", *out = "-";
	struct convert_cfg cfg = { 0 };
	int width = 0, hvm = false, libxl = false;
	bool verbose = false, json = false, tmp = false;
	const struct lu_option options[] = {
		LU_OPT_STRING('i', "in", &in, "FILE|FD|-",
			      "legacy input (default: stdin)"),
		LU_OPT_STRING('o', "out", &out, "FILE|FD|-",
			      "v2 output (default: stdout)"),
		LU_OPT_CHOICE('w', "width", &width, widths,
			      "legacy toolstack bitness", .flags = LU_OPT_REQUIRED),
		LU_OPT_CHOICE('g', "guest-type", &hvm, guest_types,
			      "type of guest in the stream",
			      .flags = LU_OPT_REQUIRED),
		LU_OPT_CHOICE('f', "format", &libxl, formats,
			      "output format (default libxc)"),
		LU_OPT_BOOL('x', "xl", &cfg.xl, "input starts with an xl header"),
		LU_OPT_BOOL(0, "skip-qemu", &cfg.skip_qemu,
			    "libxc output: drop the qemu tail"),
		LU_OPT_BOOL('v', "verbose", &verbose, "summarise on stderr"),
		LU_OPT_BOOL(0, "json", &json, "print the summary as JSON"),
		LU_OPT_BOOL(0, "syslog", NULL, "accepted, no effect"),
		LU_OPT_END(),
	};
	struct convert_stats st;
	struct xs_error err = { 0 };
	struct xs_reader r;
	struct xs_sink sink;
	char *tmpname = NULL;
	int ifd = -1, ofd = -1, rc = LU_EXIT_FAILURE;

	if (!lu_parse_options(&argc, argv, options, &convert_usage, &rc))
		return rc;
	rc = LU_EXIT_FAILURE;
	cfg.width = width;
	cfg.hvm = hvm;
	cfg.libxl = libxl;

	if (!strcmp(in, "-"))
		ifd = STDIN_FILENO;
	else if (!is_fd(in, &ifd) &&
		 (ifd = open(in, O_RDONLY | O_CLOEXEC)) < 0) {
		lu_err(in, "open", errno);
		return LU_EXIT_IO;
	}
	if (!strcmp(out, "-")) {
		ofd = STDOUT_FILENO;
	} else if (!is_fd(out, &ofd)) {
		if (asprintf(&tmpname, "%s.tmp.%d", out, (int)getpid()) < 0)
			goto done;
		ofd = open(tmpname, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (ofd < 0) {
			lu_err(tmpname, "open", errno);
			rc = LU_EXIT_IO;
			goto done;
		}
		tmp = true;
	}
	if (xs_reader_init_fd(&r, ifd, &err)) {
		lu_errf(in, "read", "%s", err.msg);
		rc = lu_stream_exit_code(&err);
		goto done;
	}
	xs_sink_init_fd(&sink, ofd);
	if (legacy_convert(&r, &sink, &cfg, &st, &err)) {
		lu_errf(in, "convert", "at offset %llu: %s [%s]",
			(unsigned long long)err.offset, err.msg,
			err.rule ? err.rule : "?");
		rc = lu_stream_exit_code(&err);
	} else {
		rc = LU_EXIT_OK;
	}
	xs_reader_fini(&r);
	if (tmp) {
		if (close(ofd) && rc == LU_EXIT_OK) {
			lu_err(out, "write", errno);
			rc = LU_EXIT_IO;
		}
		ofd = -1;
		if (rc == LU_EXIT_OK && rename(tmpname, out)) {
			lu_err(out, "rename", errno);
			rc = LU_EXIT_IO;
		}
		if (rc != LU_EXIT_OK)
			unlink(tmpname);
	}
	if (rc == LU_EXIT_OK && (verbose || json))
		summary(in, &st, json && ofd != STDOUT_FILENO);
done:
	free(tmpname);
	if (ifd > STDERR_FILENO && strcmp(in, "-"))
		close(ifd);
	return rc;
}
