// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bounded gunzip of one gzip member.  The output buffer starts at the size
 * the gzip trailer announces (clamped to the bound) and doubles up to the
 * bound; a stream that wants more is refused before anything is allocated
 * past it.  Truncation, corruption, a bad CRC or trailing bytes are errors.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "luimage.h"
#include "util.h"

#define GZ_MIN_LEN	18	/* 10-byte header, empty deflate, 8-byte trailer */

static size_t gz_first_guess(const uint8_t *in, size_t in_len, size_t max)
{
	size_t guess = lui_get32(in + in_len - 4);	/* ISIZE, mod 2^32 */

	if (guess < in_len)
		guess = in_len;
	if (guess > max)
		guess = max;
	return guess ? guess : 1;
}

static int gz_grow(uint8_t **buf, size_t *cap, size_t max,
		   struct lui_error *e)
{
	size_t ncap = *cap > max / 2 ? max : *cap * 2;
	uint8_t *n;

	if (*cap >= max)
		return lui_fail(e, LUI_E_TOO_BIG,
				"gunzipped image exceeds %zu bytes", max);
	n = realloc(*buf, ncap);
	if (!n)
		return lui_fail(e, LUI_E_NOMEM, "gunzip: %zu bytes", ncap);
	*buf = n;
	*cap = ncap;
	return 0;
}

int lui_gunzip(const uint8_t *in, size_t in_len, size_t max,
	       uint8_t **out, size_t *out_len, struct lui_error *e)
{
	z_stream zs = { 0 };
	uint8_t *buf = NULL;
	size_t cap;
	int ret = 0, zr = Z_OK;
	bool zinit = false;

	if (!in || !out || !out_len || !max || in_len > UINT32_MAX)
		return lui_fail(e, LUI_E_USAGE, "gunzip: bad arguments");
	if (in_len < GZ_MIN_LEN)
		return lui_fail(e, LUI_E_GZIP_TRUNCATED,
				"gzip file of %zu bytes is shorter than a header and trailer",
				in_len);
	cap = gz_first_guess(in, in_len, max);
	buf = malloc(cap);
	if (!buf)
		return lui_fail(e, LUI_E_NOMEM, "gunzip: %zu bytes", cap);
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		ret = lui_fail(e, LUI_E_NOMEM, "gunzip: inflateInit2 failed");
		goto out;
	}
	zinit = true;
	zs.next_in = (Bytef *)in;
	zs.avail_in = in_len;
	for (;;) {
		if (zs.total_out == cap) {
			ret = gz_grow(&buf, &cap, max, e);
			if (ret)
				goto out;
		}
		zs.next_out = buf + zs.total_out;
		zs.avail_out = cap - zs.total_out;
		zr = inflate(&zs, Z_NO_FLUSH);
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT) {
			ret = lui_fail(e, LUI_E_GZIP_CORRUPT,
				       "gzip stream corrupt at input byte %lu: %s",
				       zs.total_in, zs.msg ? zs.msg : "bad data");
			goto out;
		}
		if (zr == Z_MEM_ERROR) {
			ret = lui_fail(e, LUI_E_NOMEM, "gunzip: zlib out of memory");
			goto out;
		}
		if (!zs.avail_in && zs.avail_out) {
			ret = lui_fail(e, LUI_E_GZIP_TRUNCATED,
				       "gzip stream ends after %zu input bytes without its trailer",
				       in_len);
			goto out;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			ret = lui_fail(e, LUI_E_GZIP_CORRUPT, "gunzip: zlib error %d", zr);
			goto out;
		}
	}
	if (zs.avail_in) {
		ret = lui_fail(e, LUI_E_GZIP_CORRUPT,
			       "%u bytes follow the gzip stream", zs.avail_in);
		goto out;
	}
	*out_len = zs.total_out;
	*out = buf;
	buf = NULL;
out:
	if (zinit)
		inflateEnd(&zs);
	free(buf);
	return ret;
}
