// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl verify [-f FORMAT] [-q] [--json] [FILE|-]
 *
 * Check a live update stream, dom0 records dump, libxc v2/v3 image, libxl
 * stream or xl save file against every rule in
 * Documentation/userspace-api/xen-liveupdate-stream.rst, or a legacy
 * (pre-4.6) stream against what convert-legacy checks.  The format is
 * detected unless -f names it (a legacy HVM stream must be named); "-" or
 * no FILE reads stdin.
 *
 * Exit codes: LU_EXIT_OK valid, LU_EXIT_INVALID invalid or truncated
 * stream, LU_EXIT_IO the input could not be opened or read,
 * LU_EXIT_USAGE bad command line, LU_EXIT_FAILURE out of memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "output.h"
#include "stream-input.h"
#include "xenstream.h"

static const struct lu_usage verify_usage = {
	.name = "verify",
	.synopsis = LU_SYNOPSIS("[-f FORMAT] [-q] [--json] [FILE|-]"),
	.exit = "0 valid, 5 invalid stream, 6 read error, 2 usage",
	.max_args = 1,
};

static struct json_object *json_result(const char *name,
				       const struct xs_stats *st,
				       const struct xs_error *e, bool ok)
{
	struct json_object *o = json_object_new_object();
	struct json_object *je;

	json_object_object_add(o, "file", json_object_new_string(name));
	json_object_object_add(o, "valid", json_object_new_boolean(ok));
	json_object_object_add(o, "format",
			       json_object_new_string(xs_format_name(st->format)));
	json_object_object_add(o, "bytes", json_object_new_int64((int64_t)st->bytes));
	json_object_object_add(o, "records",
			       json_object_new_int64((int64_t)st->records));
	json_object_object_add(o, "optional_skipped",
			       json_object_new_int64((int64_t)st->optional_skipped));
	json_object_object_add(o, "page_data_records",
			       json_object_new_int64((int64_t)st->page_data_records));
	json_object_object_add(o, "pfns", json_object_new_int64((int64_t)st->pfns));
	json_object_object_add(o, "pages", json_object_new_int64((int64_t)st->pages));
	if (st->format == XS_FMT_LU)
		json_object_object_add(o, "domains",
				       json_object_new_int(st->nr_domains));
	if (ok && st->dom0) {
		struct json_object *d = json_object_new_object();

		json_object_object_add(d, "domains",
				       json_object_new_int64(st->dom0_domains));
		json_object_object_add(d, "backends",
				       json_object_new_int64(st->dom0_backends));
		json_object_object_add(d, "evtchns",
				       json_object_new_int64(st->dom0_evtchns));
		json_object_object_add(d, "participants",
				       json_object_new_int64(st->dom0_participants));
		json_object_object_add(o, "dom0", d);
	}
	if (ok)
		return o;

	je = json_object_new_object();
	json_object_object_add(je, "kind", json_object_new_string(
		e->code == XS_ERR_TRUNCATED ? "truncated" :
		e->code == XS_ERR_IO ? "io" :
		e->code == XS_ERR_INVALID ? "invalid" : "internal"));
	json_object_object_add(je, "offset",
			       json_object_new_int64((int64_t)e->offset));
	if (e->in_record) {
		json_object_object_add(je, "record",
				       json_object_new_int64((int64_t)e->record));
		json_object_object_add(je, "record_offset",
				       json_object_new_int64((int64_t)e->rec_offset));
		json_object_object_add(je, "type", json_object_new_int64(e->type));
		json_object_object_add(je, "type_name",
				       json_object_new_string(e->type_name));
	}
	json_object_object_add(je, "rule",
			       json_object_new_string(e->rule ? e->rule : ""));
	json_object_object_add(je, "message", json_object_new_string(e->msg));
	json_object_object_add(o, "error", je);
	return o;
}

int cmd_verify(int argc, char **argv)
{
	struct xs_verify_opts vo = { .format = XS_FMT_UNKNOWN };
	const char *name = "-";
	bool quiet = false, json = false;
	const struct lu_option options[] = {
		LU_OPT_STREAM_FORMAT(&vo.format),
		LU_OPT_BOOL('q', "quiet", &quiet, "print nothing on success"),
		LU_OPT_BOOL(0, "json", &json,
			    "print the result as JSON on stdout"),
		LU_OPT_END(),
	};
	struct xs_stats st = { 0 };
	struct xs_error e = { 0 };
	char msg[512];
	int fd = -1, rc;

	if (!lu_parse_options(&argc, argv, options, &verify_usage, &rc))
		return rc;
	rc = lu_stream_open_input(argc ? argv[0] : NULL, &name, &fd);
	if (rc)
		return rc;

	rc = xs_verify_fd(fd, &vo, &st, &e) ? lu_stream_exit_code(&e) : LU_EXIT_OK;
	if (rc != LU_EXIT_OK) {
		xs_error_format(&e, msg, sizeof(msg));
		lu_errf(name, "verify", "%s", msg);
	}
	if (json) {
		if (lu_print_json("verify", json_result(name, &st, &e, rc == LU_EXIT_OK)))
			rc = rc ? rc : LU_EXIT_IO;
	} else if (!quiet && rc == LU_EXIT_OK) {
		if (st.format == XS_FMT_LU_RECORDS)
			printf("%s: valid dom0 records dump: %llu bytes, %llu records",
			       name, (unsigned long long)st.bytes,
			       (unsigned long long)st.records);
		else
			printf("%s: valid %s stream: %llu bytes, %llu records, %llu pages",
			       name, xs_format_name(st.format),
			       (unsigned long long)st.bytes,
			       (unsigned long long)st.records,
			       (unsigned long long)st.pages);
		if (st.optional_skipped)
			printf(", %llu unknown optional records skipped",
			       (unsigned long long)st.optional_skipped);
		if (st.dom0)
			printf(", dom0: %u domains, %u backends, %u event channels, %u participants",
			       st.dom0_domains, st.dom0_backends,
			       st.dom0_evtchns, st.dom0_participants);
		printf("\n");
	}
	lu_stream_close_input(fd);
	return rc;
}
