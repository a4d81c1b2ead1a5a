// SPDX-License-Identifier: GPL-2.0-only
/*
 * Verification entry points: set up the reader, pick the format (named,
 * or detected from the first bytes), run that format's outermost layer
 * from the table below, and make sure nothing follows the stream.
 */
#include <string.h>

#include "ctx.h"
#include "legacy/legacy.h"

/**
 * struct xs_format_ops - how one format is verified
 * @verify: the outermost layer; 0 when the stream ended properly
 * @own_tail: the layer checks what follows the stream itself (a live
 *	update stream fills its last page with zeros)
 */
struct xs_format_ops {
	int (*verify)(struct xs_ctx *ctx);
	bool own_tail;
};

static const struct xs_format_ops formats[] = {
	[XS_FMT_LU]		= { .verify = xs_verify_lu, .own_tail = true },
	[XS_FMT_LIBXC]		= { .verify = xs_verify_libxc },
	[XS_FMT_LIBXL]		= { .verify = xs_verify_libxl },
	[XS_FMT_XL]		= { .verify = xs_verify_xl },
	[XS_FMT_LEGACY]		= { .verify = xs_verify_legacy },
	[XS_FMT_LU_RECORDS]	= { .verify = xs_verify_lu_records },
};

/* Nothing detected: name the format the stream most likely is, if any. */
static int unknown(struct xs_reader *r, const uint8_t *p, size_t n)
{
	struct legacy_geometry g;

	if (legacy_probe(p, n, &g) == LEGACY_LIKELY)
		return xs_fail(r, 0, "format.legacy",
			       "not a live update, libxc, libxl or xl stream; it looks like a legacy (pre-Xen 4.6) %s stream of a %u-bit toolstack, which has no magic to detect: name the format (legacy)",
			       g.hvm ? "HVM" : "PV", g.width * 8);
	return xs_fail(r, 0, "format.unknown",
		       "not a live update, libxc, libxl or xl stream, nor a dom0 records dump");
}

static int run(struct xs_reader *r, const struct xs_verify_opts *o,
	       struct xs_stats *st)
{
	static const struct xs_verify_opts defaults;
	struct xs_ctx ctx = { .r = r, .opts = o ? o : &defaults, .st = st };
	enum xs_format f = ctx.opts->format;
	const struct xs_format_ops *ops = NULL;
	const uint8_t *p = NULL;
	size_t got = 0;
	int eof;

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
	if ((size_t)f < sizeof(formats) / sizeof(formats[0]))
		ops = &formats[f];
	if (!ops || !ops->verify)
		return unknown(r, p, got);
	if (ops->verify(&ctx))
		return -1;

	if (!ops->own_tail) {
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
