// SPDX-License-Identifier: GPL-2.0-only
/*
 * Verification entry points: set up the reader, pick the format, run the
 * outermost layer, and make sure nothing follows the stream.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctx.h"

void xs_ev_begin(struct xs_ctx *ctx, enum xs_layer layer, bool header,
		 const char *name, uint64_t offset)
{
	struct xs_event *ev = &ctx->ev;

	ev->layer = layer;
	ev->is_header = header;
	ev->skipped = false;
	ev->name = name;
	ev->offset = offset;
	ev->index = header ? 0 : ctx->r->nr_records - 1;
	ev->type = header ? 0 : ctx->r->type;
	ev->length = header ? 0 : ctx->r->length;
	ev->nr_fields = 0;
	ctx->strbuf_used = 0;
}

/**
 * xs_ctx_next_record() - read the next record header of one layer
 * @ctx: the verification
 * @layer: the layer the record belongs to
 * @name: that layer's record names, for errors and events
 * @what: the layer in words ("libxc"), for the missing-END error
 *
 * Every layer's stream ends with an END record, so running out of input
 * before one is truncation.  On success the record is counted and its
 * event begun.
 *
 * Return: 1 with the record header in ctx->r, -1 on error.
 */
int xs_ctx_next_record(struct xs_ctx *ctx, enum xs_layer layer,
		       const char *(*name)(uint32_t type), const char *what)
{
	struct xs_reader *r = ctx->r;
	int rc;

	r->type_name = name;
	rc = xs_rec_next(r);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return xs_fail_code(r, XS_ERR_TRUNCATED, xs_offset(r),
				    "stream.truncated",
				    "%s stream ends without an END record",
				    what);
	ctx->st->records++;
	xs_ev_begin(ctx, layer, false, name(r->type), r->rec_offset);
	return 1;
}

void xs_ev_emit(struct xs_ctx *ctx)
{
	if (ctx->opts->event)
		ctx->opts->event(ctx->opts->opaque, &ctx->ev);
}

void xs_ctx_field(struct xs_ctx *ctx, const char *name, uint64_t v)
{
	struct xs_event *ev = &ctx->ev;

	if (ev->nr_fields < XS_EVENT_FIELDS) {
		ev->field[ev->nr_fields].name = name;
		ev->field[ev->nr_fields].value = v;
		ev->field[ev->nr_fields].str = NULL;
		ev->nr_fields++;
	}
}

void xs_ctx_field_str(struct xs_ctx *ctx, const char *name, const void *s,
		      size_t n)
{
	struct xs_event *ev = &ctx->ev;
	size_t room = sizeof(ev->strbuf) - ctx->strbuf_used;
	const char *nul = memchr(s, 0, n);
	char *d = ev->strbuf + ctx->strbuf_used;

	if (ev->nr_fields == XS_EVENT_FIELDS || !room)
		return;
	if (nul)
		n = (size_t)(nul - (const char *)s);
	if (n + 1 > room) {
		/* cut: as much as fits, then "..." */
		if (room < 4)
			return;
		n = room - 4;
		memcpy(d, s, n);
		memcpy(d + n, "...", 4);
		n += 3;
	} else {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	ctx->strbuf_used += n + 1;
	ev->field[ev->nr_fields].name = name;
	ev->field[ev->nr_fields].value = 0;
	ev->field[ev->nr_fields].str = d;
	ev->nr_fields++;
}

int xs_ctx_body(struct xs_ctx *ctx, size_t n, const uint8_t **p)
{
	return xs_body(ctx->r, n, p);
}

uint64_t xs_ctx_offset(const struct xs_ctx *ctx)
{
	return xs_offset(ctx->r);
}

int xs_ctx_fail(struct xs_ctx *ctx, uint64_t offset, const char *rule,
		const char *fmt, ...)
{
	char msg[sizeof(ctx->r->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return xs_fail(ctx->r, offset, rule, "%s", msg);
}

static int run(struct xs_reader *r, const struct xs_verify_opts *o,
	       struct xs_stats *st)
{
	static const struct xs_verify_opts defaults;
	struct xs_ctx ctx = { .r = r, .opts = o ? o : &defaults, .st = st };
	enum xs_format f = ctx.opts->format;
	const uint8_t *p;
	size_t got;
	int rc, eof;

	memset(st, 0, sizeof(*st));
	if (f == XS_FMT_UNKNOWN) {
		if (xs_peek(r, XS_DETECT_BYTES, &p, &got))
			return -1;
		if (!got)
			return xs_fail_code(r, XS_ERR_TRUNCATED, 0,
					    "stream.empty", "empty stream");
		f = xs_detect(p, got);
	}
	st->format = f;

	switch (f) {
	case XS_FMT_LU:
		rc = xs_verify_lu(&ctx);
		break;
	case XS_FMT_LIBXC:
		rc = xs_verify_libxc(&ctx);
		break;
	case XS_FMT_LIBXL:
		rc = xs_verify_libxl(&ctx);
		break;
	case XS_FMT_XL:
		rc = xs_verify_xl(&ctx);
		break;
	case XS_FMT_LU_RECORDS:
		rc = xs_verify_lu_records(&ctx);
		break;
	case XS_FMT_LEGACY:
		return xs_fail(r, 0, "format.legacy",
			       "legacy (pre-Xen 4.6) stream: convert it with lu-ctl convert-legacy first");
	default:
		return xs_fail(r, 0, "format.unknown",
			       "not a live update, libxc, libxl or xl stream, nor a dom0 records dump");
	}
	if (rc)
		return rc;

	/* Live update streams fill their last page with zeros. */
	if (f != XS_FMT_LU) {
		eof = xs_at_eof(r);
		if (eof < 0)
			return -1;
		if (!eof)
			return xs_fail(r, xs_offset(r), "stream.trailing",
				       "data after the end of the stream");
	}
	st->bytes = xs_offset(r);
	return 0;
}

int xs_verify_fd(int fd, const struct xs_verify_opts *o,
		 struct xs_stats *st, struct xs_error *err)
{
	struct xs_reader r;
	int rc;

	if (xs_reader_init_fd(&r, fd, err))
		return -1;
	rc = run(&r, o, st);
	xs_reader_fini(&r);
	return rc ? -1 : 0;
}

int xs_verify_mem(const void *p, size_t len, const struct xs_verify_opts *o,
		  struct xs_stats *st, struct xs_error *err)
{
	struct xs_reader r;
	int rc;

	xs_reader_init_mem(&r, p, len, err);
	rc = run(&r, o, st);
	xs_reader_fini(&r);
	return rc ? -1 : 0;
}
