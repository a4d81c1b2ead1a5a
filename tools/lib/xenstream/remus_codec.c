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
 * Copy n octets, n a multiple of 4 in 4..4096, with fixed-size moves the
 * compiler inlines, the last one ending exactly at n (overlapping the one
 * before it).  Nothing outside dst[0, n) is written and nothing outside
 * src[0, n) is read.
 */
static inline __attribute__((always_inline))
void copy_run(uint8_t *dst, const uint8_t *src, size_t n)
{
	if (n > 64) {
		size_t i;

		for (i = 0; i + 32 < n; i += 32)
			memcpy(dst + i, src + i, 32);
	} else if (n > 32) {
		memcpy(dst, src, 32);
	} else if (n >= 16) {
		memcpy(dst, src, 16);
		memcpy(dst + n - 16, src + n - 16, 16);
		return;
	} else if (n >= 8) {
		memcpy(dst, src, 8);
		memcpy(dst + n - 8, src + n - 8, 8);
		return;
	} else {
		memcpy(dst, src, 4);
		return;
	}
	memcpy(dst + n - 32, src + n - 32, 32);
}

/* Octets of the longest run: marker and 127 words. */
#define RUN_MAX_OCTETS	(1 + REMUS_RUN_MAX * REMUS_WORD)

/*
 * Walk one encoding.  page == NULL only measures.  Skip runs keep the
 * previous contents, copy runs overwrite them.
 */
static inline __attribute__((always_inline))
enum remus_status walk(const uint8_t *buf, size_t len,
		       size_t *pos, uint8_t *page, size_t *fault)
{
	size_t p = *pos, lim;
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
	/*
	 * While a whole longest run (RUN_MAX_OCTETS) is left in buf, no run
	 * can be cut short and one test catches both a zero run and one
	 * past the page; the loop after it handles the last runs of buf.
	 */
	lim = len > RUN_MAX_OCTETS ? len - RUN_MAX_OCTETS : 0;
	while (pagepos < REMUS_PAGE_SIZE && p < lim) {
		unsigned int m = buf[p];
		unsigned int n = (m & REMUS_LEN_MASK) * REMUS_WORD;

		if (__builtin_expect(n - 1 >= REMUS_PAGE_SIZE - pagepos, 0)) {
			*fault = p;
			return n ? REMUS_E_RUN_PAST_PAGE : REMUS_E_ZERO_RUN;
		}
		if (m & REMUS_SKIP_FLAG) {
			p++;
		} else {
			if (page)
				copy_run(page + pagepos, buf + p + 1, n);
			/* m < 128 here: the next marker's address in one step */
			p += (size_t)m * REMUS_WORD + 1;
		}
		pagepos += n;
	}
	while (pagepos < REMUS_PAGE_SIZE) {
		unsigned int m, n;

		if (__builtin_expect(p >= len, 0)) {
			*fault = p;
			return REMUS_E_TRUNCATED;
		}
		m = buf[p];
		n = (m & REMUS_LEN_MASK) * REMUS_WORD;
		if (__builtin_expect(!n, 0)) {
			*fault = p;
			return REMUS_E_ZERO_RUN;
		}
		if (__builtin_expect(n > REMUS_PAGE_SIZE - pagepos, 0)) {
			*fault = p;
			return REMUS_E_RUN_PAST_PAGE;
		}
		if (!(m & REMUS_SKIP_FLAG)) {
			if (__builtin_expect(len - p - 1 < n, 0)) {
				*fault = p;
				return REMUS_E_TRUNCATED;
			}
			if (page)
				copy_run(page + pagepos, buf + p + 1, n);
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
	if (!page)	/* a copy of walk() without the copies */
		return walk(buf, len, pos, NULL, fault);
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

static inline uint32_t ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

#define MASK_WORDS	(REMUS_WORDS / 64)

typedef uint32_t v4u32 __attribute__((vector_size(16)));

static inline v4u32 ldv(const uint8_t *p)
{
	v4u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Bit w % 64 of m[w / 64] set when word w of a and b differs.  GNU C
 * vectors (plain SIMD on any target, scalar code where there is none):
 * lane l of the i-th 4-word vector of a 32-word block holds bit 4i + l
 * when its words are equal; OR-ing the lanes and inverting gives the
 * block's 32 "differs" bits.
 */
static void diff_mask(const uint8_t *a, const uint8_t *b,
		      uint64_t m[MASK_WORDS])
{
	unsigned int k, i;

	for (k = 0; k < MASK_WORDS * 2; k++) {
		const uint8_t *pa = a + k * 128, *pb = b + k * 128;
		v4u32 eq = { 0, 0, 0, 0 };
		uint32_t bits;

#pragma GCC unroll 8
		for (i = 0; i < 8; i++) {
			v4u32 wt = { 1U << (4 * i), 2U << (4 * i),
				     4U << (4 * i), 8U << (4 * i) };

			eq |= (v4u32)(ldv(pa + i * 16) == ldv(pb + i * 16)) & wt;
		}
		bits = ~(eq[0] | eq[1] | eq[2] | eq[3]);
		if (k % 2)
			m[k / 2] |= (uint64_t)bits << 32;
		else
			m[k / 2] = bits;
	}
}

/* A skip of n >= 1 words at out + o: runs of at most 127 words. */
static inline __attribute__((always_inline))
size_t put_skip(uint8_t *out, size_t o, unsigned int n)
{
	while (__builtin_expect(n > REMUS_RUN_MAX, 0)) {
		out[o++] = (uint8_t)(REMUS_SKIP_FLAG | REMUS_RUN_MAX);
		n -= REMUS_RUN_MAX;
	}
	out[o] = (uint8_t)(REMUS_SKIP_FLAG | n);
	return o + 1;
}

/*
 * Words [w, e) of new, all changed, as copy runs at out + o; the same
 * words of old become new's.
 */
static inline __attribute__((always_inline))
size_t put_copy(uint8_t *out, size_t o, const uint8_t *new, uint8_t *old,
		unsigned int w, unsigned int e)
{
	const uint8_t *src;
	uint8_t *dst, *cpy;
	unsigned int n, i;

	while (__builtin_expect(e - w > REMUS_RUN_MAX, 0)) {
		out[o] = (uint8_t)REMUS_RUN_MAX;
		copy_run(out + o + 1, new + w * 4, REMUS_RUN_MAX * 4);
		copy_run(old + w * 4, new + w * 4, REMUS_RUN_MAX * 4);
		o += 1 + REMUS_RUN_MAX * 4;
		w += REMUS_RUN_MAX;
	}
	n = e - w;
	out[o] = (uint8_t)n;
	dst = out + o + 1;
	src = new + w * 4;
	cpy = old + w * 4;
	if (__builtin_expect(e > REMUS_WORDS - 8, 0)) {
		copy_run(dst, src, n * 4);
		copy_run(cpy, src, n * 4);
		return o + 1 + n * 4;
	}
	/*
	 * Whole 32-octet blocks: up to 28 octets past the run are read
	 * (still inside the page, as e <= 1016) and written.  In out, later
	 * runs overwrite them, and the output for words [0, e) is at most
	 * 4 * e + 9 octets, so this stays inside REMUS_WORST_SIZE.  In old,
	 * the extra words are unchanged ones: equal in new.
	 */
	for (i = 0; i < n * 4; i += 32) {
		uint8_t blk[32];

		memcpy(blk, src + i, 32);
		memcpy(dst + i, blk, 32);
		memcpy(cpy + i, blk, 32);
	}
	return o + 1 + n * 4;
}

/* The next run end: the next set bit of tr[] after *k / *t, or 1024. */
static inline __attribute__((always_inline))
unsigned int next_end(const uint64_t tr[MASK_WORDS], unsigned int *k,
		      uint64_t *t)
{
	unsigned int e;

	while (!*t) {
		if (*k == MASK_WORDS - 1)
			return REMUS_WORDS;
		*t = tr[++*k];
	}
	e = *k * 64 + (unsigned int)__builtin_ctzll(*t);
	*t &= *t - 1;
	return e;
}

size_t remus_encode_delta(const uint8_t *new, uint8_t *old, uint8_t *out)
{
	uint64_t m[MASK_WORDS], tr[MASK_WORDS], any = 0, prev, t;
	unsigned int w = 0, e, k;
	size_t o = 0;

	diff_mask(new, old, m);
	/*
	 * Each set bit of tr = m ^ (m shifted by one word) ends a run (bit
	 * 0 never does); runs alternate between changed and unchanged.
	 */
	prev = m[0] & 1;
	for (k = 0; k < MASK_WORDS; k++) {
		any |= m[k];
		tr[k] = m[k] ^ (m[k] << 1 | prev);
		prev = m[k] >> 63;
	}
	if (!any) {
		out[0] = REMUS_EMPTY_PAGE;
		return 1;
	}
	k = 0;
	t = tr[0];
	if (!(m[0] & 1)) {
		w = next_end(tr, &k, &t);
		o = put_skip(out, o, w);
	}
	for (;;) {
		e = next_end(tr, &k, &t);
		o = put_copy(out, o, new, old, w, e);
		if (e == REMUS_WORDS)
			break;
		w = next_end(tr, &k, &t);
		o = put_skip(out, o, w - e);
		if (w == REMUS_WORDS)
			break;
	}
	return o;
}

size_t remus_encode_full(const uint8_t *page, uint8_t *out)
{
	out[0] = REMUS_FULL_PAGE;
	memcpy(out + 1, page, REMUS_PAGE_SIZE);
	return REMUS_FULL_SIZE;
}
