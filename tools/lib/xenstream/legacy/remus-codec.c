// SPDX-License-Identifier: GPL-2.0-only
/*
 * Remus XOR+RLE page codec: one page at a time, no allocation.
 *
 * The encoder produces exactly the octets compress_page() in Xen 4.2-4.5's
 * xc_compression.c produced: maximal runs of changed / unchanged 32-bit
 * words, each cut every 127 words, and a single 0x00 for a page with no
 * changed word.  The decoder accepts what xc_compression_uncompress_page()
 * accepted, with each fault named.
 *
 * Two builds: a portable one, and on x86-64 one compiled for AVX2 (with
 * BMI and POPCNT, which every AVX2 CPU has), picked at run time when the
 * CPU has it (remus_codec_select()).  The decoder is one source compiled
 * twice.  The encoders share the run-end mask and the markers, but walk
 * the runs each the way that is fastest with its instructions; the tests
 * hold both to compress_page() octet for octet.
 */
#include <stdlib.h>
#include <string.h>

#include "remus.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define REMUS_X86_AVX2	1
#define AVX2_TARGET	__attribute__((target("avx2,bmi,bmi2,popcnt")))
#endif

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

typedef uint8_t v32u8 __attribute__((vector_size(32)));

/*
 * 32 octets, unaligned: one AVX move in the AVX2 build, two SSE moves in
 * the portable one (memcpy of 32 octets alone is two SSE moves in both).
 */
static inline __attribute__((always_inline))
void copy32(uint8_t *dst, const uint8_t *src)
{
	v32u8 v;

	memcpy(&v, src, sizeof(v));
	memcpy(dst, &v, sizeof(v));
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
			copy32(dst + i, src + i);
	} else if (n > 32) {
		copy32(dst, src);
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
	copy32(dst + n - 32, src + n - 32);
}

/* ------------------------------------------------------------------ */
/* Decoder                                                              */

/* Octets of the longest run: marker and 127 words. */
#define RUN_MAX_OCTETS	(1 + REMUS_RUN_MAX * REMUS_WORD)

/* Where the fast loop of walk_runs() stopped: page done, or a bad marker. */
static inline __attribute__((always_inline))
enum remus_status runs_stop(const uint8_t *buf, const uint8_t *q,
			    unsigned int rem, unsigned int n, size_t *pos,
			    size_t *fault)
{
	if (!rem) {
		*pos = q - buf;
		return REMUS_OK;
	}
	*fault = q - buf;
	return n ? REMUS_E_RUN_PAST_PAGE : REMUS_E_ZERO_RUN;
}

/*
 * Octets of page a copy (skip) marker covers, for the fast loops'
 * one-compare tests n - 1 < rem: 0x00 and 0x80 give 0, a marker of the
 * other kind gets 0x80 << 6 = 8192 added, more than a page; either way
 * the test fails and the marker takes the general step.
 */
static inline unsigned int copy_octets(unsigned int m)
{
	return m * REMUS_WORD + ((m & REMUS_SKIP_FLAG) << 6);
}

static inline unsigned int skip_octets(unsigned int m)
{
	return (m & REMUS_LEN_MASK) * REMUS_WORD +
	       ((~m & REMUS_SKIP_FLAG) << 6);
}

/*
 * Out of cache, a marker load that misses stalls the whole chain (below),
 * and the hardware prefetchers start afresh at each 4 KiB page of the
 * encoding, so ask for the encoding well ahead: the stream mostly goes on
 * past this page's encoding, and a prefetch never faults.  The page lines
 * the copies will write are asked for too, but only after a short skip:
 * on a sparse page the line ahead is seldom written.  Integer arithmetic,
 * as either address may be past its buffer.
 */
#define PREFETCH_SRC	2048U
#define PREFETCH_DST	256U
#define SHORT_SKIP	32U	/* octets */

static inline void prefetch_src(const uint8_t *q)
{
	__builtin_prefetch((const void *)((uintptr_t)q + PREFETCH_SRC), 0);
}

static inline void prefetch_dst(uint8_t *dst)
{
	__builtin_prefetch((const void *)((uintptr_t)dst + PREFETCH_DST), 1);
}

/*
 * A good copy run at q (marker m, n == 4 * m octets, at most rem) and, if
 * a good skip follows it, that skip; q + n + 1 < end.  Returns the next
 * marker.
 *
 * A dense page is ~100 copy runs, each one's marker address computed from
 * the marker before it: that chain of loads, not the copies, bounds the
 * walk.  Maximal runs alternate, so a skip nearly always follows a copy;
 * taking it here puts the next copy marker one lea (q + 4 * m + 2) after
 * this one's load, and the tests of the runs (predicted branches) hang
 * off that chain instead of lengthening it.
 */
static inline __attribute__((always_inline))
const uint8_t *copy_and_skip(const uint8_t *q, unsigned int m,
			     unsigned int n, unsigned int *rem,
			     uint8_t *page_end, bool copy)
{
	const uint8_t *next = q + (size_t)m * REMUS_WORD + 2;
	unsigned int ns;

	if (copy) {
		prefetch_src(q);
		copy_run(page_end - *rem, q + 1, n);
	}
	*rem -= n;
	ns = skip_octets(next[-1]);
	if (__builtin_expect(ns - 1 >= *rem, 0))
		return next - 1;	/* the caller's next step looks at it */
	*rem -= ns;
	if (copy && ns <= SHORT_SKIP)
		prefetch_dst(page_end - *rem);
	return next;
}

/*
 * The runs of one delta page at buf[*pos], onto page when copy is set
 * (skip runs keep the previous contents, copy runs overwrite them).
 *
 * While the longest run and the marker after it fit in buf (q < lim), no
 * read needs a bounds check; the second loop checks each step against the
 * end of buf.  A marker that is not a good copy (a skip first, the page's
 * end, a fault) takes a general step, where n - 1 >= rem catches a zero
 * run, a run past the page and the end of the page.
 */
static inline __attribute__((always_inline))
enum remus_status walk_runs(const uint8_t *buf, size_t len, size_t *pos,
			    uint8_t *page, size_t *fault, bool copy)
{
	const uint8_t *q = buf + *pos, *end = buf + len, *lim = q;
	uint8_t *page_end = copy ? page + REMUS_PAGE_SIZE : NULL;
	unsigned int rem = REMUS_PAGE_SIZE, m, n;

	if (len - *pos > RUN_MAX_OCTETS)
		lim = end - RUN_MAX_OCTETS;
	while (q < lim) {
		m = q[0];
		n = copy_octets(m);
		if (__builtin_expect(n - 1 < rem, 1)) {
			q = copy_and_skip(q, m, n, &rem, page_end, copy);
			continue;
		}
		n = (m & REMUS_LEN_MASK) * REMUS_WORD;
		if (n - 1 >= rem)
			return runs_stop(buf, q, rem, n, pos, fault);
		rem -= n;	/* a good skip */
		q++;
	}
	while (rem) {
		if (__builtin_expect(q >= end, 0)) {
			*fault = q - buf;
			return REMUS_E_TRUNCATED;
		}
		m = q[0];
		n = copy_octets(m);
		if (n - 1 < rem && n + 1 < (size_t)(end - q)) {
			q = copy_and_skip(q, m, n, &rem, page_end, copy);
			continue;
		}
		n = (m & REMUS_LEN_MASK) * REMUS_WORD;
		if (__builtin_expect(!n, 0)) {
			*fault = q - buf;
			return REMUS_E_ZERO_RUN;
		}
		if (__builtin_expect(n > rem, 0)) {
			*fault = q - buf;
			return REMUS_E_RUN_PAST_PAGE;
		}
		if (!(m & REMUS_SKIP_FLAG)) {
			if ((size_t)(end - q - 1) < n) {
				*fault = q - buf;
				return REMUS_E_TRUNCATED;
			}
			if (copy)
				copy_run(page_end - rem, q + 1, n);
			q += n;
		}
		q++;
		rem -= n;
	}
	*pos = q - buf;
	return REMUS_OK;
}

/* Walk one encoding: EMPTY_PAGE, FULL_PAGE or runs. */
static inline __attribute__((always_inline))
enum remus_status walk(const uint8_t *buf, size_t len, size_t *pos,
		       uint8_t *page, size_t *fault, bool copy)
{
	size_t p = *pos;

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
		if (copy)
			memcpy(page, buf + p + 1, REMUS_PAGE_SIZE);
		*pos = p + REMUS_FULL_SIZE;
		return REMUS_OK;
	}
	return walk_runs(buf, len, pos, page, fault, copy);
}

/* walk() without the copies, for measuring. */
static enum remus_status walk_measure(const uint8_t *buf, size_t len,
				      size_t *pos, size_t *fault)
{
	return walk(buf, len, pos, NULL, fault, false);
}

static enum remus_status decode_portable(const uint8_t *buf, size_t len,
					 size_t *pos, uint8_t *page,
					 size_t *fault)
{
	return walk(buf, len, pos, page, fault, true);
}

#ifdef REMUS_X86_AVX2
/* The same walk, its 32-octet copies one AVX move each. */
AVX2_TARGET
static enum remus_status decode_avx2(const uint8_t *buf, size_t len,
				     size_t *pos, uint8_t *page,
				     size_t *fault)
{
	return walk(buf, len, pos, page, fault, true);
}
#endif

/* ------------------------------------------------------------------ */
/* Encoder                                                              */

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

/*
 * Each set bit of tr = m ^ (m shifted by one word) ends a run (bit 0
 * never does); runs alternate between changed and unchanged.  Returns
 * whether any word changed.
 */
static inline __attribute__((always_inline))
bool run_ends(const uint64_t m[MASK_WORDS], uint64_t tr[MASK_WORDS])
{
	uint64_t any = 0, prev = m[0] & 1;
	unsigned int k;

	for (k = 0; k < MASK_WORDS; k++) {
		any |= m[k];
		tr[k] = m[k] ^ (m[k] << 1 | prev);
		prev = m[k] >> 63;
	}
	return any != 0;
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
 * Portable build: walk the run ends straight off the mask, each copy run
 * written to out and to old from the same loads.  (Listing the ends first,
 * as the AVX2 build does, is slower without tzcnt and popcnt.)
 */

/*
 * Words [w, e) of new, all changed, as copy runs at out + o; the same
 * words of old become new's.
 */
static inline __attribute__((always_inline))
size_t put_copy_update(uint8_t *out, size_t o, const uint8_t *new,
		       uint8_t *old, unsigned int w, unsigned int e)
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

static size_t encode_portable(const uint8_t *new, uint8_t *old, uint8_t *out)
{
	uint64_t m[MASK_WORDS], tr[MASK_WORDS], t;
	unsigned int w = 0, e, k;
	size_t o = 0;

	diff_mask(new, old, m);
	if (!run_ends(m, tr)) {
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
		o = put_copy_update(out, o, new, old, w, e);
		if (e == REMUS_WORDS)
			break;
		w = next_end(tr, &k, &t);
		o = put_skip(out, o, w - e);
		if (w == REMUS_WORDS)
			break;
	}
	return o;
}

#ifdef REMUS_X86_AVX2
/*
 * AVX2 build: find the changed words 8 at a time and bring old up to date
 * in the same pass, list the run ends with tzcnt, then write the runs in
 * copy + skip pairs, which on a dense page are nearly all short: one
 * fixed-size copy and two markers each.
 */

/* Bit i set when word i of the 32-word block at new differs from old. */
AVX2_TARGET
static inline __attribute__((always_inline))
uint32_t changed32_avx2(const uint8_t *new, uint8_t *old)
{
	const __m256i *pn = (const __m256i *)new;
	__m256i *po = (__m256i *)old;
	__m256i n0 = _mm256_loadu_si256(pn), n1 = _mm256_loadu_si256(pn + 1);
	__m256i n2 = _mm256_loadu_si256(pn + 2), n3 = _mm256_loadu_si256(pn + 3);
	__m256i e01, e23, eq;
	uint32_t bits;

	/*
	 * One octet per word: packs work within 128-bit lanes, so the
	 * dwords of the result are permuted back to word order.
	 */
	e01 = _mm256_packs_epi32(_mm256_cmpeq_epi32(n0, _mm256_loadu_si256(po)),
				 _mm256_cmpeq_epi32(n1, _mm256_loadu_si256(po + 1)));
	e23 = _mm256_packs_epi32(_mm256_cmpeq_epi32(n2, _mm256_loadu_si256(po + 2)),
				 _mm256_cmpeq_epi32(n3, _mm256_loadu_si256(po + 3)));
	eq = _mm256_permutevar8x32_epi32(_mm256_packs_epi16(e01, e23),
					 _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
	bits = ~(uint32_t)_mm256_movemask_epi8(eq);
	/*
	 * old must end up as new: storing a changed block here, from these
	 * loads, leaves the run walk only out to write.
	 */
	if (bits) {
		_mm256_storeu_si256(po, n0);
		_mm256_storeu_si256(po + 1, n1);
		_mm256_storeu_si256(po + 2, n2);
		_mm256_storeu_si256(po + 3, n3);
	}
	return bits;
}

AVX2_TARGET
static void diff_mask_update_avx2(const uint8_t *new, uint8_t *old,
				  uint64_t m[MASK_WORDS])
{
	unsigned int k;

	for (k = 0; k < MASK_WORDS; k++) {
		m[k] = changed32_avx2(new + k * 256, old + k * 256) |
		       (uint64_t)changed32_avx2(new + k * 256 + 128,
						old + k * 256 + 128) << 32;
	}
}

/*
 * Run ends: at most one per word (bit 0 never ends one) plus two
 * REMUS_WORDS sentinels; list_ends_avx2() writes up to 8 slack entries
 * past the last end.
 */
#define ENDS_SLOTS	(REMUS_WORDS + 16)

/*
 * The word indices of tr's set bits, ascending; returns their number.  No
 * data-dependent branch per end: eight slots are filled per round
 * whatever the count (tzcnt of 0 is 64, and the next mask word's ends
 * overwrite the extra slots), and popcount moves the cursor.  A dense
 * page has ~13 ends per mask word, the same two rounds each time.
 */
AVX2_TARGET
static unsigned int list_ends_avx2(const uint64_t tr[MASK_WORDS],
				   uint32_t *end)
{
	unsigned int k, i, n = 0;

	for (k = 0; k < MASK_WORDS; k++) {
		uint64_t t = tr[k];
		uint32_t *d = end + n;

		n += (unsigned int)_mm_popcnt_u64(t);
		do {
#pragma GCC unroll 8
			for (i = 0; i < 8; i++) {
				d[i] = k * 64 + (unsigned int)_tzcnt_u64(t);
				t = _blsr_u64(t);
			}
			d += 8;
		} while (t);
	}
	return n;
}

/* Words [w, e) of new, all changed, as copy runs at out + o, exactly. */
static inline __attribute__((always_inline))
size_t put_copy(uint8_t *out, size_t o, const uint8_t *new, size_t w,
		size_t e)
{
	while (__builtin_expect(e - w > REMUS_RUN_MAX, 0)) {
		out[o] = (uint8_t)REMUS_RUN_MAX;
		copy_run(out + o + 1, new + w * 4, REMUS_RUN_MAX * 4);
		o += 1 + REMUS_RUN_MAX * 4;
		w += REMUS_RUN_MAX;
	}
	out[o] = (uint8_t)(e - w);
	copy_run(out + o + 1, new + w * 4, (e - w) * 4);
	return o + 1 + (e - w) * 4;
}

/*
 * emit_pairs() copies 64 octets whatever the copy run's length (up to
 * FAST_COPY words), and only for a copy run starting before word
 * FAST_END.  That stays inside new (4 * 1007 + 64 <= 4096) and inside out:
 * the output for words [0, w) is at most 4 * w + 9 octets (only copy runs
 * longer than 127 words cost more than 4 octets a word, and each skip
 * between copy runs costs 3 less), so 4 * 1007 + 9 + 1 + 64 <=
 * REMUS_WORST_SIZE.  Octets written past a run are overwritten by the
 * following runs or lie past the returned length.
 */
#define FAST_COPY	16U
#define FAST_END	(REMUS_WORDS - FAST_COPY)

/*
 * Copy runs of up to FAST_COPY words, each with the skip after it, from
 * word *w on, while they start before FAST_END.  Moves *w and *end past
 * them.
 */
AVX2_TARGET
static inline __attribute__((always_inline))
uint8_t *emit_pairs(const uint8_t *new, size_t *w, const uint32_t **end,
		    uint8_t *o)
{
	const uint32_t *p = *end;
	size_t s = *w, e, nc, ns;

	while (s < FAST_END) {
		e = p[0];
		nc = e - s;
		ns = p[1] - e;
		if (__builtin_expect(nc > FAST_COPY || ns > REMUS_RUN_MAX, 0))
			break;
		o[0] = (uint8_t)nc;
		copy32(o + 1, new + s * 4);
		copy32(o + 33, new + s * 4 + 32);
		o[1 + nc * 4] = (uint8_t)(REMUS_SKIP_FLAG | ns);
		o += 2 + nc * 4;
		s = e + ns;
		p += 2;
	}
	*w = s;
	*end = p;
	return o;
}

/*
 * The runs of a page with changed words: first says whether word 0
 * changed, end[] lists the run ends followed by two REMUS_WORDS.  Copy
 * and skip runs go in pairs, the fast way where they can, else exactly.
 */
AVX2_TARGET
static inline __attribute__((always_inline))
size_t emit_runs(const uint8_t *new, bool first, const uint32_t *end,
		 uint8_t *out)
{
	size_t w = 0, e;
	uint8_t *o = out;

	if (!first) {
		w = *end++;
		o += put_skip(o, 0, w);
	}
	for (;;) {
		o = emit_pairs(new, &w, &end, o);
		if (w == REMUS_WORDS)
			break;
		e = end[0];
		o += put_copy(o, 0, new, w, e);
		if (e == REMUS_WORDS)
			break;
		w = end[1];
		end += 2;
		o += put_skip(o, 0, w - e);
		if (w == REMUS_WORDS)
			break;
	}
	return o - out;
}

AVX2_TARGET
static size_t encode_avx2(const uint8_t *new, uint8_t *old, uint8_t *out)
{
	uint64_t m[MASK_WORDS], tr[MASK_WORDS];
	uint32_t end[ENDS_SLOTS];
	unsigned int n;

	diff_mask_update_avx2(new, old, m);
	if (!run_ends(m, tr)) {
		out[0] = REMUS_EMPTY_PAGE;
		return 1;
	}
	n = list_ends_avx2(tr, end);
	end[n] = REMUS_WORDS;
	end[n + 1] = REMUS_WORDS;
	return emit_runs(new, m[0] & 1, end, out);
}
#endif

size_t remus_encode_full(const uint8_t *page, uint8_t *out)
{
	out[0] = REMUS_FULL_PAGE;
	memcpy(out + 1, page, REMUS_PAGE_SIZE);
	return REMUS_FULL_SIZE;
}

/* ------------------------------------------------------------------ */
/* Implementation choice                                                */

struct remus_codec {
	enum remus_impl id;
	size_t (*encode)(const uint8_t *new, uint8_t *old, uint8_t *out);
	enum remus_status (*decode)(const uint8_t *buf, size_t len,
				    size_t *pos, uint8_t *page,
				    size_t *fault);
};

static const struct remus_codec codec_portable = {
	REMUS_IMPL_PORTABLE, encode_portable, decode_portable,
};

#ifdef REMUS_X86_AVX2
static const struct remus_codec codec_avx2 = {
	REMUS_IMPL_AVX2, encode_avx2, decode_avx2,
};
#endif

/* NULL until the first call or remus_codec_select() picks one. */
static const struct remus_codec *codec;

#ifdef REMUS_X86_AVX2
static bool cpu_has_avx2(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") &&
	       __builtin_cpu_supports("bmi") &&
	       __builtin_cpu_supports("bmi2") &&
	       __builtin_cpu_supports("popcnt");
}
#endif

static const struct remus_codec *pick(enum remus_impl want)
{
	if (want == REMUS_IMPL_AUTO) {
		const char *env = getenv(REMUS_CODEC_ENV);

		want = env && !strcmp(env, "portable") ? REMUS_IMPL_PORTABLE
						       : REMUS_IMPL_AVX2;
	}
#ifdef REMUS_X86_AVX2
	if (want == REMUS_IMPL_AVX2 && cpu_has_avx2())
		return &codec_avx2;
#endif
	return &codec_portable;
}

enum remus_impl remus_codec_select(enum remus_impl want)
{
	const struct remus_codec *c = pick(want);

	__atomic_store_n(&codec, c, __ATOMIC_RELAXED);
	return c->id;
}

/*
 * Racing first calls pick the same codec; the pointer is to constant
 * data, so a relaxed load is enough.
 */
static const struct remus_codec *get_codec(void)
{
	const struct remus_codec *c = __atomic_load_n(&codec, __ATOMIC_RELAXED);

	if (__builtin_expect(!c, 0)) {
		c = pick(REMUS_IMPL_AUTO);
		__atomic_store_n(&codec, c, __ATOMIC_RELAXED);
	}
	return c;
}

enum remus_status remus_decode_page(const uint8_t *buf, size_t len,
				    size_t *pos, uint8_t *page,
				    size_t *fault)
{
	if (!page)
		return walk_measure(buf, len, pos, fault);
	return get_codec()->decode(buf, len, pos, page, fault);
}

enum remus_status remus_encoded_size(const uint8_t *buf, size_t len,
				     size_t pos, size_t *size, size_t *fault)
{
	size_t p = pos;
	enum remus_status st = walk_measure(buf, len, &p, fault);

	if (st == REMUS_OK)
		*size = p - pos;
	return st;
}

size_t remus_encode_delta(const uint8_t *new, uint8_t *old, uint8_t *out)
{
	return get_codec()->encode(new, old, out);
}
