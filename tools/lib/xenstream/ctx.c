// SPDX-License-Identifier: GPL-2.0-only
/*
 * What every format's layer shares while it verifies: reading the next
 * record header, building and emitting its event, and the helpers that
 * xs_rec_desc::check uses.  The entry points that pick the format are in
 * verify.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctx.h"

void xs_ev_begin_at(struct xs_ctx *ctx, enum xs_layer layer, bool header,
		    const char *name, uint64_t offset, uint64_t index,
		    uint32_t type, uint32_t length)
{
	struct xs_event *ev = &ctx->ev;

	ev->layer = layer;
	ev->is_header = header;
	ev->skipped = false;
	ev->name = name;
	ev->offset = offset;
	ev->index = index;
	ev->type = type;
	ev->length = length;
	ev->nr_fields = 0;
	ctx->strbuf_used = 0;
}

void xs_ev_begin(struct xs_ctx *ctx, enum xs_layer layer, bool header,
		 const char *name, uint64_t offset)
{
	if (header)
		xs_ev_begin_at(ctx, layer, true, name, offset, 0, 0, 0);
	else
		xs_ev_begin_at(ctx, layer, false, name, offset,
			       ctx->r->nr_records - 1, ctx->r->type,
			       ctx->r->length);
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

int xs_hdr_options(struct xs_reader *r, uint64_t off, uint32_t options,
		   uint32_t reserved, uint32_t big_endian,
		   const char *rule_reserved, const char *rule_be)
{
	if (options & reserved)
		return xs_fail(r, off, rule_reserved,
			       "reserved option bits %#x set", options & reserved);
	if (options & big_endian)
		return xs_fail(r, off, rule_be,
			       "big-endian streams are not supported");
	return 0;
}
