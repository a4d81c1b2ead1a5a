// SPDX-License-Identifier: GPL-2.0-only
/*
 * Remus XOR+RLE page codec: one page at a time, no allocation.
 *
 * The encoder produces exactly the octets compress_page() in Xen 4.2-4.5's
 * xc_compression.c produced: maximal runs of changed / unchanged 32-bit
 * words, each cut every 127 words, and a single 0x00 for a page with no
 * changed word.  The decoder accepts what xc_compression_uncompress_page()
 * accepted, with each fault named.
 */
#include <string.h>

#include "remus.h"

const char *remus_status_str(enum remus_status st)
{
	switch (st) {
	case REMUS_OK:
		return "ok";
	case REMUS_E_TRUNCATED:
		return "compressed data ends inside a page";
	case REMUS_E_ZERO_RUN:
		return "zero-length run inside a delta page";
	case REMUS_E_RUN_PAST_PAGE:
		return "run goes past the end of the page";
	}
	return "unknown";
}

/*
 * Walk one encoding.  page == NULL only measures.  Skip runs keep the
 * previous contents, copy runs overwrite them.
 */
static enum remus_status walk(const uint8_t *buf, size_t len, size_t *pos,
			      uint8_t *page, size_t *fault)
{
	size_t p = *pos;
	unsigned int pagepos = 0;

	if (p >= len) {
		*fault = p;
		return REMUS_E_TRUNCATED;
	}
	if (buf[p] == REMUS_EMPTY_PAGE) {
		*pos = p + 1;
		return REMUS_OK;
	}
	if (buf[p] == REMUS_FULL_PAGE) {
		if (len - p < REMUS_FULL_SIZE) {
			*fault = p;
			return REMUS_E_TRUNCATED;
		}
		if (page)
			memcpy(page, buf + p + 1, REMUS_PAGE_SIZE);
		*pos = p + REMUS_FULL_SIZE;
		return REMUS_OK;
	}
	while (pagepos < REMUS_PAGE_SIZE) {
		unsigned int m, n;

		if (p >= len) {
			*fault = p;
			return REMUS_E_TRUNCATED;
		}
		m = buf[p];
		n = (m & REMUS_LEN_MASK) * REMUS_WORD;
		if (!n) {
			*fault = p;
			return REMUS_E_ZERO_RUN;
		}
		if (n > REMUS_PAGE_SIZE - pagepos) {
			*fault = p;
			return REMUS_E_RUN_PAST_PAGE;
		}
		if (!(m & REMUS_SKIP_FLAG)) {
			if (len - p - 1 < n) {
				*fault = p;
				return REMUS_E_TRUNCATED;
			}
			if (page)
				memcpy(page + pagepos, buf + p + 1, n);
			p += n;
		}
		p++;
		pagepos += n;
	}
	*pos = p;
	return REMUS_OK;
}

enum remus_status remus_decode_page(const uint8_t *buf, size_t len,
				    size_t *pos, uint8_t *page,
				    size_t *fault)
{
	return walk(buf, len, pos, page, fault);
}

enum remus_status remus_encoded_size(const uint8_t *buf, size_t len,
				     size_t pos, size_t *size, size_t *fault)
{
	size_t p = pos;
	enum remus_status st = walk(buf, len, &p, NULL, fault);

	if (st == REMUS_OK)
		*size = p - pos;
	return st;
}

static inline uint64_t ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* First word index >= w whose changed-state differs from 'changed'. */
static unsigned int run_end(const uint8_t *a, const uint8_t *b,
			    unsigned int w, bool changed)
{
	/* Two words at a time while aligned to a pair. */
	if (w & 1) {
		if ((ld32(a + w * 4) != ld32(b + w * 4)) != changed)
			return w;
		w++;
	}
	if (!changed) {
		while (w < REMUS_WORDS && ld64(a + w * 4) == ld64(b + w * 4))
			w += 2;
	} else {
		while (w < REMUS_WORDS) {
			uint64_t x = ld64(a + w * 4) ^ ld64(b + w * 4);

			if (!(uint32_t)x || !(x >> 32))
				break;
			w += 2;
		}
	}
	if (w < REMUS_WORDS &&
	    (ld32(a + w * 4) != ld32(b + w * 4)) == changed)
		w++;
	return w;
}

size_t remus_encode_delta(const uint8_t *new, uint8_t *old, uint8_t *out)
{
	unsigned int w = 0, skipped = 0;
	size_t o = 0;

	while (w < REMUS_WORDS) {
		bool changed = ld32(new + w * 4) != ld32(old + w * 4);
		unsigned int end = run_end(new, old, w, changed);

		while (w < end) {
			unsigned int n = end - w;

			if (n > REMUS_RUN_MAX)
				n = REMUS_RUN_MAX;
			if (changed) {
				out[o++] = (uint8_t)n;
				memcpy(out + o, new + w * 4, n * 4);
				memcpy(old + w * 4, new + w * 4, n * 4);
				o += n * 4;
			} else {
				out[o++] = (uint8_t)(REMUS_SKIP_FLAG | n);
				skipped += n;
			}
			w += n;
		}
	}
	if (skipped == REMUS_WORDS) {
		out[0] = REMUS_EMPTY_PAGE;
		o = 1;
	}
	return o;
}

size_t remus_encode_full(const uint8_t *page, uint8_t *out)
{
	out[0] = REMUS_FULL_PAGE;
	memcpy(out + 1, page, REMUS_PAGE_SIZE);
	return REMUS_FULL_SIZE;
}
