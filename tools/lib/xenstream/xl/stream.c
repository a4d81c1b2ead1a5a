// SPDX-License-Identifier: GPL-2.0-only
/*
 * xl save-file container (tools/xl/xl.h): magic, byte order, flags, the
 * optional data holding the domain config, then a libxl stream
 * (XL_MANDATORY_FLAG_STREAMv2) or a bare libxc stream.  Before Xen 4.6 the
 * bare stream was a legacy one: xl never sets STREAMv2 there, so a payload
 * without the libxc marker that reads as legacy is verified as legacy.
 */
#include <string.h>

#include "ctx.h"
#include "endian.h"
#include "legacy/legacy.h"

/* The stream behind an xl header without STREAMv2: libxc v2/v3 or legacy. */
static int bare_stream(struct xs_ctx *ctx)
{
	struct legacy_geometry g;
	const uint8_t *p;
	size_t got;

	if (xs_peek(ctx->r, XS_DETECT_BYTES, &p, &got))
		return -1;
	if (got >= 8 && xs_get_be64(p) == XS_IHDR_MARKER)
		return xs_verify_libxc(ctx);
	if (legacy_probe(p, got, &g) != LEGACY_NO)
		return xs_verify_legacy(ctx);
	return xs_verify_libxc(ctx);
}

int xs_verify_xl(struct xs_ctx *ctx)
{
	struct xs_reader *r = ctx->r;
	uint64_t off = xs_offset(r), data_off;
	uint32_t bo, mflags, oflags, optlen, cfglen = 0, left;
	const uint8_t *p;

	if (xs_read_hdr(r, sizeof(struct xs_xl_hdr), &p, "the xl header"))
		return -1;
	if (memcmp(p, XS_XL_MAGIC, XS_XL_MAGIC_LEN))
		return xs_fail(r, off, "xl.magic",
			       "no xl save-file magic");
	bo = xs_get_le32(p + 32);
	if (bo != XS_XL_BYTEORDER)
		return xs_fail(r, off + 32, "xl.byteorder",
			       "byte order mark %#x, expected 0x01020304 (little-endian)",
			       bo);
	mflags = xs_get_le32(p + 36);
	if (mflags & ~XS_XL_MANDATORY_FLAGS_KNOWN)
		return xs_fail(r, off + 36, "xl.mandatory-flags",
			       "unknown mandatory flags %#x",
			       mflags & ~XS_XL_MANDATORY_FLAGS_KNOWN);
	oflags = xs_get_le32(p + 40);
	optlen = xs_get_le32(p + 44);
	if (optlen > XS_XL_OPTIONAL_DATA_MAX)
		return xs_fail(r, off + 44, "xl.optional-data-length",
			       "optional data %u bytes, at most %u",
			       optlen, XS_XL_OPTIONAL_DATA_MAX);

	data_off = xs_offset(r);
	left = optlen;
	if (optlen >= 4) {
		if (xs_read_hdr(r, 4, &p, "the xl config length"))
			return -1;
		cfglen = xs_get_le32(p);
		if (cfglen > optlen - 4)
			return xs_fail(r, data_off, "xl.config-length",
				       "config length %u exceeds the optional data (%u bytes)",
				       cfglen, optlen - 4);
		left -= 4;
	}
	while (left) {
		uint32_t n = left < XS_READER_WINDOW ? left : XS_READER_WINDOW;

		if (xs_read_hdr(r, n, &p, "the xl optional data"))
			return -1;
		left -= n;
	}

	xs_ev_begin(ctx, XS_LAYER_XL, true, "xl header", off);
	xs_ctx_field(ctx, "mandatory_flags", mflags);
	xs_ctx_field(ctx, "optional_flags", oflags);
	xs_ctx_field(ctx, "optional_data_len", optlen);
	xs_ctx_field(ctx, "config_len", cfglen);
	xs_ev_emit(ctx);

	if (mflags & XS_XL_MANDATORY_FLAG_STREAMV2)
		return xs_verify_libxl(ctx);
	return bare_stream(ctx);
}
