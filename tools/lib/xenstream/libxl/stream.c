// SPDX-License-Identifier: GPL-2.0-only
/*
 * libxl migration stream v2: header, then records.  LIBXC_CONTEXT is a
 * marker after which a libxc stream follows inline (up to its END, or its
 * CHECKPOINT in a checkpointed stream, resumed by the next LIBXC_CONTEXT).
 */
#include "ctx.h"
#include "endian.h"

static int header(struct xs_ctx *ctx)
{
	struct xs_reader *r = ctx->r;
	uint64_t off = xs_offset(r);
	uint32_t version, options;
	const uint8_t *p;

	if (xs_read_hdr(r, sizeof(struct xs_libxl_hdr), &p,
			"the libxl header"))
		return -1;
	if (xs_get_be64(p) != XS_LIBXL_IDENT)
		return xs_fail(r, off, "libxl.ident",
			       "ident %#llx, expected 0x4c6962786c466d74 (\"LibxlFmt\")",
			       (unsigned long long)xs_get_be64(p));
	version = xs_get_be32(p + 8);
	if (version != XS_LIBXL_VERSION)
		return xs_fail(r, off + 8, "libxl.version",
			       "version %u, expected 2", version);
	options = xs_get_be32(p + 12);
	if (xs_hdr_options(r, off + 12, options, XS_LIBXL_OPT_RESERVED,
			   XS_LIBXL_OPT_BIG_ENDIAN, "libxl.options",
			   "libxl.big-endian"))
		return -1;
	xs_ev_begin(ctx, XS_LAYER_LIBXL, true, "libxl header", off);
	xs_ctx_field(ctx, "version", version);
	xs_ctx_field(ctx, "options", options);
	xs_ev_emit(ctx);
	return 0;
}

static bool key_char_ok(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '_' ||
	       c == '@';
}

/*
 * Packed NUL-terminated key/value pairs: the data ends with NUL, holds an
 * even number of strings, keys are non-empty xenstore path characters.
 */
static int xenstore_data(struct xs_ctx *ctx)
{
	struct xs_reader *r = ctx->r;
	uint64_t start = xs_offset(r), off;
	uint32_t left = r->body_left, nuls = 0;
	bool in_key = true, key_empty = true;
	uint8_t last = 0;
	const uint8_t *p;

	while (left) {
		uint32_t n = left < XS_READER_WINDOW ? left : XS_READER_WINDOW;
		uint32_t i;

		off = xs_offset(r);
		if (xs_body(r, n, &p))
			return -1;
		for (i = 0; i < n; i++) {
			uint8_t c = p[i];

			if (!c) {
				if (in_key && key_empty)
					return xs_fail(r, off + i,
						       "xenstore-data.key",
						       "empty xenstore key");
				nuls++;
				in_key = !in_key;
				key_empty = true;
			} else if (in_key) {
				if (!key_char_ok(c))
					return xs_fail(r, off + i,
						       "xenstore-data.key",
						       "byte %#x not allowed in a xenstore key",
						       c);
				key_empty = false;
			}
		}
		last = p[n - 1];
		left -= n;
	}
	if (r->length > 8 && last)
		return xs_fail(r, xs_offset(r) - 1, "xenstore-data.nul",
			       "data not NUL terminated");
	if (nuls % 2)
		return xs_fail(r, start, "xenstore-data.pairs",
			       "odd number of strings (%u): a key has no value",
			       nuls);
	xs_ctx_field(ctx, "pairs", nuls / 2);
	return 0;
}

static int emulator(struct xs_ctx *ctx)
{
	struct xs_reader *r = ctx->r;
	const uint8_t *p;
	uint32_t id;

	if (r->length < 8)
		return xs_fail(r, r->rec_offset + 4, "emulator.short",
			       "length %u, expected at least 8", r->length);
	if (xs_body(r, 8, &p))
		return -1;
	id = xs_get_le32(p);
	if (id > XS_EMULATOR_QEMU_UPSTREAM)
		return xs_fail(r, r->body_offset, "emulator.id",
			       "emulator id %u, expected 0-2", id);
	xs_ctx_field(ctx, "emulator_id", id);
	xs_ctx_field(ctx, "index", xs_get_le32(p + 4));
	xs_ctx_field(ctx, "bytes", r->length - 8);
	if (r->type == XS_LIBXL_REC_EMULATOR_XENSTORE_DATA)
		return xenstore_data(ctx);
	return 0;
}

static int checkpoint_state(struct xs_ctx *ctx)
{
	struct xs_reader *r = ctx->r;
	const uint8_t *p;
	uint32_t v;

	if (r->length != 4)
		return xs_fail(r, r->rec_offset + 4, "checkpoint-state.length",
			       "length %u, expected 4", r->length);
	if (xs_body(r, 4, &p))
		return -1;
	v = xs_get_le32(p);
	if (v > XS_CHECKPOINT_SVM_RESUMED)
		return xs_fail(r, r->body_offset, "checkpoint-state.control",
			       "control id %u, expected 0-3", v);
	xs_ctx_field(ctx, "control_id", v);
	return 0;
}

static int zero_len(struct xs_reader *r)
{
	if (r->length)
		return xs_fail(r, r->rec_offset + 4, "record.zero-length",
			       "length %u, expected 0", r->length);
	return 0;
}

static int end(struct xs_ctx *ctx)
{
	struct xs_reader *r = ctx->r;

	if (zero_len(r))
		return -1;
	if (!xs_libxc_done(ctx))
		return xs_fail(r, r->rec_offset, "libxl.libxc-missing",
			       "END before a complete libxc stream");
	return 0;
}

static int libxc_context(struct xs_ctx *ctx)
{
	struct xs_reader *r = ctx->r;

	if (zero_len(r))
		return -1;
	if (xs_libxc_done(ctx))
		return xs_fail(r, r->rec_offset, "libxl.duplicate",
			       "second LIBXC_CONTEXT after the libxc END");
	return 0;
}

static int emulator_record(struct xs_ctx *ctx)
{
	struct xs_reader *r = ctx->r;

	if (!xs_libxc_started(ctx))
		return xs_fail(r, r->rec_offset, "libxl.order",
			       "emulator record before LIBXC_CONTEXT");
	return emulator(ctx);
}

static int checkpoint_end(struct xs_ctx *ctx)
{
	struct xs_reader *r = ctx->r;

	if (zero_len(r))
		return -1;
	if (!xs_libxc_paused(ctx))
		return xs_fail(r, r->rec_offset, "libxl.order",
			       "CHECKPOINT_END outside a libxc checkpoint");
	return 0;
}

/* A type libxl does not name: an optional one is skipped. */
static int other(struct xs_ctx *ctx)
{
	struct xs_reader *r = ctx->r;

	if (!(r->type & XS_REC_TYPE_OPTIONAL))
		return xs_fail(r, r->rec_offset, "record.unknown-mandatory",
			       "unknown mandatory record type %#010x",
			       r->type);
	ctx->st->optional_skipped++;
	ctx->ev.skipped = true;
	return 0;
}

/**
 * struct libxl_handler - a record type libxl names
 * @type: XS_LIBXL_REC_*
 * @handle: the record's rules, with its header read
 * @then: what follows the record once it is done (LIBXC_CONTEXT: the libxc
 *	stream inline); NULL for nothing
 */
static const struct libxl_handler {
	uint32_t type;
	int (*handle)(struct xs_ctx *ctx);
	int (*then)(struct xs_ctx *ctx);
} handlers[] = {
	{ XS_LIBXL_REC_END,			end, NULL },
	{ XS_LIBXL_REC_LIBXC_CONTEXT,		libxc_context, xs_verify_libxc },
	{ XS_LIBXL_REC_EMULATOR_XENSTORE_DATA,	emulator_record, NULL },
	{ XS_LIBXL_REC_EMULATOR_CONTEXT,	emulator_record, NULL },
	{ XS_LIBXL_REC_CHECKPOINT_END,		checkpoint_end, NULL },
	{ XS_LIBXL_REC_CHECKPOINT_STATE,	checkpoint_state, NULL },
};

/* 1 more records, 0 END seen, -1 error */
static int one_record(struct xs_ctx *ctx)
{
	static const struct libxl_handler unnamed = { .handle = other };
	const struct libxl_handler *h = &unnamed;
	struct xs_reader *r = ctx->r;
	size_t i;

	if (xs_ctx_next_record(ctx, XS_LAYER_LIBXL, xs_libxl_rec_name,
			       "libxl") < 0)
		return -1;
	for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		if (handlers[i].type == r->type) {
			h = &handlers[i];
			break;
		}
	}
	if (h->handle(ctx) || xs_rec_finish(r))
		return -1;
	xs_ev_emit(ctx);
	if (h->then && h->then(ctx))
		return -1;
	/* libxl's END (r->type may be the END of a libxc stream .then ran) */
	return h != &unnamed && h->type == XS_LIBXL_REC_END ? 0 : 1;
}

int xs_verify_libxl(struct xs_ctx *ctx)
{
	int rc;

	if (header(ctx))
		return -1;
	if (xs_libxc_state_new(ctx))
		return xs_fail_code(ctx->r, XS_ERR_NOMEM, 0, "nomem",
				    "out of memory");
	do {
		rc = one_record(ctx);
	} while (rc > 0);
	xs_libxc_state_free(ctx);
	return rc;
}
