// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl dump [-f FORMAT] [--json] [FILE|-]
 *
 * Describe a stream header by header and record by record, the way
 * verify-stream-v2 -v does (consecutive PAGE_DATA records are squashed in
 * the human form), or every header and record with all decoded fields as
 * JSON.  The stream is verified on the way; exit codes as for verify.
 * String fields (dom0's records: names, paths, features) are printed with
 * every byte outside printable ASCII, and the quote and backslash, as \xNN.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "output.h"
#include "stream-input.h"
#include "xenstream.h"

struct dump {
	bool json;
	struct json_object *events;
	/* squashed run of PAGE_DATA */
	uint64_t pd_records, pd_pfns, pd_pages, pd_offset;
};

static const struct lu_usage dump_usage = {
	.name = "dump",
	.synopsis = LU_SYNOPSIS("[-f FORMAT] [--json] [FILE|-]"),
	.exit = "0 valid, 5 invalid stream, 6 read error, 2 usage",
	.max_args = 1,
};

static uint64_t field(const struct xs_event *ev, const char *name)
{
	unsigned int i;

	for (i = 0; i < ev->nr_fields; i++)
		if (!strcmp(ev->field[i].name, name))
			return ev->field[i].value;
	return 0;
}

/*
 * A string field, printable: bytes outside 0x20-0x7e, '"' and '\\' become
 * \xNN.  Cut to fit out (at least 5 bytes).
 */
static const char *printable(const char *s, char *out, size_t len)
{
	size_t k = 0;

	for (; *s && k + 5 <= len; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
			out[k++] = (char)ch;
		else
			k += (size_t)snprintf(out + k, len - k, "\\x%02x", ch);
	}
	out[k] = '\0';
	return out;
}

static void flush_page_data(struct dump *d)
{
	if (!d->pd_records)
		return;
	printf("%#010" PRIx64 "    libxc PAGE_DATA x%" PRIu64 ": %" PRIu64
	       " pfns, %" PRIu64 " pages of data\n", d->pd_offset,
	       d->pd_records, d->pd_pfns, d->pd_pages);
	d->pd_records = d->pd_pfns = d->pd_pages = 0;
}

static void human(struct dump *d, const struct xs_event *ev)
{
	unsigned int i;

	if (!ev->is_header && ev->layer == XS_LAYER_LIBXC &&
	    ev->type == XS_REC_PAGE_DATA) {
		if (!d->pd_records)
			d->pd_offset = ev->offset;
		d->pd_records++;
		d->pd_pfns += field(ev, "count");
		d->pd_pages += field(ev, "pages");
		return;
	}
	flush_page_data(d);

	if (ev->is_header)
		printf("%#010" PRIx64 " %s %s:", ev->offset,
		       xs_layer_name(ev->layer), ev->name);
	else
		printf("%#010" PRIx64 "  %s record %" PRIu64 " %s (0x%08x), length %u%s%s",
		       ev->offset, xs_layer_name(ev->layer), ev->index,
		       ev->name, ev->type, ev->length,
		       ev->skipped ? ", skipped" : "",
		       ev->nr_fields ? ":" : "");
	for (i = 0; i < ev->nr_fields; i++) {
		char buf[4 * XS_EVENT_STRBUF + 1];

		if (ev->field[i].str)
			printf(" %s=\"%s\"", ev->field[i].name,
			       printable(ev->field[i].str, buf, sizeof(buf)));
		else
			printf(" %s=%" PRIu64, ev->field[i].name,
			       ev->field[i].value);
	}
	printf("\n");
}

static void to_json(struct dump *d, const struct xs_event *ev)
{
	struct json_object *o = json_object_new_object();
	struct json_object *f = json_object_new_object();
	unsigned int i;

	json_object_object_add(o, "layer",
			       json_object_new_string(xs_layer_name(ev->layer)));
	json_object_object_add(o, "kind", json_object_new_string(
		ev->is_header ? "header" : "record"));
	json_object_object_add(o, "name", json_object_new_string(ev->name));
	json_object_object_add(o, "offset",
			       json_object_new_int64((int64_t)ev->offset));
	if (!ev->is_header) {
		json_object_object_add(o, "index",
				       json_object_new_int64((int64_t)ev->index));
		json_object_object_add(o, "type", json_object_new_int64(ev->type));
		json_object_object_add(o, "length",
				       json_object_new_int64(ev->length));
		json_object_object_add(o, "skipped",
				       json_object_new_boolean(ev->skipped));
	}
	for (i = 0; i < ev->nr_fields; i++) {
		char buf[4 * XS_EVENT_STRBUF + 1];

		if (ev->field[i].str)
			json_object_object_add(f, ev->field[i].name,
					       json_object_new_string(printable(
						       ev->field[i].str, buf,
						       sizeof(buf))));
		else
			json_object_object_add(f, ev->field[i].name,
					       json_object_new_int64((int64_t)ev->field[i].value));
	}
	json_object_object_add(o, "fields", f);
	json_object_array_add(d->events, o);
}

static void on_event(void *opaque, const struct xs_event *ev)
{
	struct dump *d = opaque;

	if (d->json)
		to_json(d, ev);
	else
		human(d, ev);
}

int cmd_dump(int argc, char **argv)
{
	struct dump d = { 0 };
	struct xs_verify_opts vo = {
		.format = XS_FMT_UNKNOWN, .event = on_event, .opaque = &d,
	};
	const struct lu_option options[] = {
		LU_OPT_STREAM_FORMAT(&vo.format),
		LU_OPT_BOOL(0, "json", &d.json,
			    "every header and record, with fields"),
		LU_OPT_END(),
	};
	struct xs_stats st = { 0 };
	struct xs_error e = { 0 };
	struct json_object *root = NULL;
	const char *name = "-";
	int fd, rc;
	char msg[512];

	if (!lu_parse_options(&argc, argv, options, &dump_usage, &rc))
		return rc;
	rc = lu_stream_open_input(argc ? argv[0] : NULL, &name, &fd);
	if (rc)
		return rc;
	if (d.json)
		d.events = json_object_new_array();

	rc = LU_EXIT_OK;
	if (xs_verify_fd(fd, &vo, &st, &e)) {
		rc = lu_stream_exit_code(&e);
		xs_error_format(&e, msg, sizeof(msg));
		lu_errf(name, "dump", "%s", msg);
	}

	if (d.json) {
		root = json_object_new_object();
		json_object_object_add(root, "file", json_object_new_string(name));
		json_object_object_add(root, "format",
				       json_object_new_string(xs_format_name(st.format)));
		json_object_object_add(root, "valid",
				       json_object_new_boolean(rc == LU_EXIT_OK));
		json_object_object_add(root, "events", d.events);
		if (rc != LU_EXIT_OK) {
			json_object_object_add(root, "error",
					       json_object_new_string(msg));
			json_object_object_add(root, "rule",
					       json_object_new_string(e.rule ? e.rule : ""));
		}
		if (lu_print_json("dump", root))
			rc = rc ? rc : LU_EXIT_IO;
	} else {
		flush_page_data(&d);
		if (rc == LU_EXIT_OK)
			printf("valid %s stream: %" PRIu64 " bytes, %" PRIu64
			       " records, %" PRIu64 " pfns, %" PRIu64
			       " pages, %" PRIu64 " optional records skipped\n",
			       xs_format_name(st.format), st.bytes, st.records,
			       st.pfns, st.pages, st.optional_skipped);
		if (rc == LU_EXIT_OK && st.dom0)
			printf("dom0 records: %u domains, %u backends, %u event channels, %u participants\n",
			       st.dom0_domains, st.dom0_backends,
			       st.dom0_evtchns, st.dom0_participants);
	}
	lu_stream_close_input(fd);
	return rc;
}
