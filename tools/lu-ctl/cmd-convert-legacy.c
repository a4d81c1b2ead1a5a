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
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "convert.h"
#include "output.h"
#include "stream-input.h"

enum { OPT_SKIP_QEMU = 256, OPT_SYSLOG, OPT_JSON };

static const struct option options[] = {
	{ "in", required_argument, NULL, 'i' },
	{ "out", required_argument, NULL, 'o' },
	{ "width", required_argument, NULL, 'w' },
	{ "guest-type", required_argument, NULL, 'g' },
	{ "format", required_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "xl", no_argument, NULL, 'x' },
	{ "skip-qemu", no_argument, NULL, OPT_SKIP_QEMU },
	{ "syslog", no_argument, NULL, OPT_SYSLOG },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lu-ctl convert-legacy -w 32|64 -g pv|hvm [options]\n"
		"\n"
		"  -i, --in FILE|FD|-       legacy input (default: stdin)\n"
		"  -o, --out FILE|FD|-      v2 output (default: stdout)\n"
		"  -w, --width 32|64        legacy toolstack bitness\n"
		"  -g, --guest-type pv|hvm  type of guest in the stream\n"
		"  -f, --format libxc|libxl output format (default libxc)\n"
		"  -x, --xl                 input starts with an xl header\n"
		"      --skip-qemu          libxc output: drop the qemu tail\n"
		"  -v, --verbose            summarise on stderr\n"
		"      --json               print the summary as JSON\n"
		"      --syslog             accepted, no effect\n"
		"\n"
		"exit: 0 converted, 5 invalid input, 6 I/O error, 2 usage\n");
}

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
	lu_print_json(o);
}

int cmd_convert_legacy(int argc, char **argv)
{
	const char *in = "-", *out = "-", *width = NULL, *gtype = NULL;
	struct convert_cfg cfg = { 0 };
	struct convert_stats st;
	struct xs_error err = { 0 };
	struct xs_reader r;
	struct xs_sink sink;
	bool verbose = false, json = false, tmp = false;
	char *tmpname = NULL;
	int c, ifd = -1, ofd = -1, rc = LU_EXIT_FAILURE;

	optind = 1;
	while ((c = getopt_long(argc, argv, "i:o:w:g:f:vxh", options, NULL)) != -1) {
		switch (c) {
		case 'i': in = optarg; break;
		case 'o': out = optarg; break;
		case 'w': width = optarg; break;
		case 'g': gtype = optarg; break;
		case 'f':
			if (!strcmp(optarg, "libxl"))
				cfg.libxl = true;
			else if (strcmp(optarg, "libxc")) {
				lu_usage_err("convert-legacy", "unknown format '%s'", optarg);
				return LU_EXIT_USAGE;
			}
			break;
		case 'v': verbose = true; break;
		case 'x': cfg.xl = true; break;
		case OPT_SKIP_QEMU: cfg.skip_qemu = true; break;
		case OPT_SYSLOG: break;
		case OPT_JSON: json = true; break;
		case 'h': usage(stdout); return LU_EXIT_OK;
		default: usage(stderr); return LU_EXIT_USAGE;
		}
	}
	if (optind != argc || !width || !gtype ||
	    (strcmp(width, "32") && strcmp(width, "64")) ||
	    (strcmp(gtype, "pv") && strcmp(gtype, "hvm"))) {
		lu_usage_err("convert-legacy", "need -w 32|64 and -g pv|hvm");
		usage(stderr);
		return LU_EXIT_USAGE;
	}
	cfg.width = !strcmp(width, "64") ? 8 : 4;
	cfg.hvm = !strcmp(gtype, "hvm");

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
