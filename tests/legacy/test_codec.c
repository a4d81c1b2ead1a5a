// SPDX-License-Identifier: GPL-2.0-only
/* Remus XOR+RLE codec and LRU cache unit tests (TAP). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "legacy/remus.h"
#include "tap.h"

/*
 * compress_page() of xc_compression.c, word by word: maximal runs of
 * changed / unchanged words, each cut every 127 words; 0x00 alone if no
 * word changed.  The fast encoder must agree to the octet.
 */
static size_t ref_encode(const uint8_t *new, uint8_t *old, uint8_t *out)
{
	unsigned int w, run = 0, nchanged = 0;
	size_t o = 0, start = 0;
	int type = -1;

	for (w = 0; w <= REMUS_WORDS; w++) {
		int ch = -1;

		if (w < REMUS_WORDS)
			ch = memcmp(new + w * 4, old + w * 4, 4) != 0;
		if (run && (ch != type || run == REMUS_RUN_MAX)) {
			if (type) {
				out[o++] = (uint8_t)run;
				memcpy(out + o, new + start * 4, run * 4);
				o += run * 4;
			} else {
				out[o++] = (uint8_t)(REMUS_SKIP_FLAG | run);
			}
			run = 0;
		}
		if (w == REMUS_WORDS)
			break;
		if (!run) {
			type = ch;
			start = w;
		}
		run++;
		nchanged += ch;
	}
	memcpy(old, new, REMUS_PAGE_SIZE);
	if (!nchanged) {
		out[0] = REMUS_EMPTY_PAGE;
		o = 1;
	}
	return o;
}

/*
 * xc_compression_uncompress_page() restated run by run, with the faults
 * remus_decode_page() names: both builds must agree with it on status,
 * position and fault offset, and on the page when it decodes.
 */
static enum remus_status ref_decode(const uint8_t *buf, size_t len,
				    size_t *pos, uint8_t *page, size_t *fault)
{
	size_t p = *pos, pp = 0, n;

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
		memcpy(page, buf + p + 1, REMUS_PAGE_SIZE);
		*pos = p + REMUS_FULL_SIZE;
		return REMUS_OK;
	}
	while (pp < REMUS_PAGE_SIZE) {
		*fault = p;
		if (p >= len)
			return REMUS_E_TRUNCATED;
		n = (buf[p] & REMUS_LEN_MASK) * REMUS_WORD;
		if (!n)
			return REMUS_E_ZERO_RUN;
		if (n > REMUS_PAGE_SIZE - pp)
			return REMUS_E_RUN_PAST_PAGE;
		if (!(buf[p] & REMUS_SKIP_FLAG)) {
			if (len - p - 1 < n)
				return REMUS_E_TRUNCATED;
			memcpy(page + pp, buf + p + 1, n);
			p += n;
		}
		p++;
		pp += n;
	}
	*pos = p;
	return REMUS_OK;
}

/* Random page pair: changed words in runs of random length. */
static void mutate(uint8_t *a, unsigned int mode)
{
	unsigned int w = 0, i;

	while (w < REMUS_WORDS) {
		unsigned int len, lim = mode == 0 ? 4 : mode == 1 ? 140 : 400;

		len = 1 + rand() % lim;
		if (rand() % 2)
			for (i = w; i < w + len && i < REMUS_WORDS; i++)
				a[i * 4 + rand() % 4] ^= (uint8_t)(1 + rand() % 255);
		w += len;
	}
}

static const char *impl = "";	/* codec build under test */

static void check(int cond, const char *what)
{
	tap_ok(cond, "%s%s%s", impl, *impl ? ": " : "", what);
}

/*
 * n octets that end where an inaccessible page starts: a codec reading or
 * writing past them faults here instead of passing unnoticed.
 */
static uint8_t *guarded(size_t n)
{
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	size_t span = (n + ps - 1) / ps * ps;
	uint8_t *m = mmap(NULL, span + ps, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED || mprotect(m + span, ps, PROT_NONE))
		abort();
	return m + span - n;
}

/*
 * Encode new against old with the codec (new, old and out each right
 * before a guard page) and with ref_encode(): same octets, and both
 * caches end up as new.  old ends up as new.
 */
static bool agrees(const uint8_t *new, uint8_t *old)
{
	static uint8_t *gnew, *gold, *gout;
	static uint8_t rout[REMUS_WORST_SIZE];
	size_t sz, rsz;

	if (!gnew) {
		gnew = guarded(REMUS_PAGE_SIZE);
		gold = guarded(REMUS_PAGE_SIZE);
		gout = guarded(REMUS_WORST_SIZE);
	}
	memcpy(gnew, new, REMUS_PAGE_SIZE);
	memcpy(gold, old, REMUS_PAGE_SIZE);
	sz = remus_encode_delta(gnew, gold, gout);
	rsz = ref_encode(new, old, rout);
	return sz == rsz && !memcmp(gout, rout, sz) &&
	       !memcmp(gold, new, REMUS_PAGE_SIZE) &&
	       !memcmp(old, new, REMUS_PAGE_SIZE);
}

/* Words [w, w + len) of a XOR-ed with x (not 0). */
static void flip(uint8_t *a, unsigned int w, unsigned int len, uint32_t x)
{
	unsigned int i;

	for (i = w; i < w + len && i < REMUS_WORDS; i++) {
		uint32_t v;

		memcpy(&v, a + i * 4, 4);
		v ^= x;
		memcpy(a + i * 4, &v, 4);
	}
}

/*
 * Pages built to hit each way the encoder writes a pair of runs: one copy
 * run at every start near either page end and every length around the
 * fixed-size copy and the 127-word cut, and periodic pages (copy runs of
 * c words, skips of s) for every c and s that matter.
 */
static unsigned int edge_pages(const uint8_t *base)
{
	static uint8_t a[REMUS_PAGE_SIZE], b[REMUS_PAGE_SIZE];
	static const unsigned int lens[] = {
		1, 2, 7, 8, 9, 15, 16, 17, 18, 31, 32, 33, 126, 127, 128,
		129, 253, 254, 255, 256, 381, 1023, 1024,
	};
	unsigned int w, l, c, sk, bad = 0;

	for (w = 0; w < REMUS_WORDS; w++) {
		if (w == 40)
			w = 960;
		for (l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
			if (w + lens[l] > REMUS_WORDS)
				continue;
			memcpy(a, base, sizeof(a));
			memcpy(b, base, sizeof(b));
			flip(a, w, lens[l], 0x01000000u << (l % 8));
			bad += !agrees(a, b);
		}
	}
	/* all changed but words [w, w + l): the longest output before w */
	for (w = 0; w < REMUS_WORDS; w++) {
		if (w == 40)
			w = 960;
		for (l = 1; l <= 3 && w + l <= REMUS_WORDS; l++) {
			memcpy(a, base, sizeof(a));
			memcpy(b, base, sizeof(b));
			flip(a, 0, w, 0x00010000u);
			flip(a, w + l, REMUS_WORDS, 0x00010000u);
			bad += !agrees(a, b);
		}
	}
	for (c = 1; c <= 140; c++) {
		for (sk = 1; sk <= 140; sk += sk < 20 ? 1 : 9) {
			memcpy(a, base, sizeof(a));
			memcpy(b, base, sizeof(b));
			for (w = (c + sk) % 5; w < REMUS_WORDS; w += c + sk)
				flip(a, w, c, 0x80000001u);
			bad += !agrees(a, b);
		}
	}
	return bad;
}

/*
 * Valid encodings cut short and with octets overwritten by markers likely
 * to be bad (0x00, 0x80, long runs) or random: decode, and measure, must
 * give what ref_decode() gives, octet offsets of faults included.
 */
static unsigned int bad_input(const uint8_t *base)
{
	static uint8_t a[REMUS_PAGE_SIZE], b[REMUS_PAGE_SIZE];
	static uint8_t enc[REMUS_WORST_SIZE + 600];
	static uint8_t rpg[REMUS_PAGE_SIZE];
	static const uint8_t marks[] = { 0x00, 0x80, 0x01, 0x7f, 0x81, 0xff };
	uint8_t *gend = guarded(sizeof(enc)) + sizeof(enc);
	uint8_t *pg = guarded(REMUS_PAGE_SIZE), *buf;
	unsigned int k, i, bad = 0;

	for (k = 0; k < 20000; k++) {
		size_t len, pos, rpos, f = 0, rf = 0, sz = 0, sf = 0, p0;
		enum remus_status st, rst, sst;

		memcpy(a, base, sizeof(a));
		memcpy(b, base, sizeof(b));
		mutate(a, k % 3);
		p0 = k % 7;	/* not at the start of the buffer */
		memset(enc, rand() & 0xff, sizeof(enc));
		len = p0 + remus_encode_delta(a, b, enc + p0);
		for (i = rand() % 4; i; i--) {
			size_t at = p0 + rand() % (len - p0 + 1);

			enc[at] = rand() % 2 ? marks[rand() % 6] : rand() & 0xff;
		}
		if (k % 2)
			len = p0 + rand() % (len - p0 + 520);
		buf = gend - len;	/* buf[len] is the guard page */
		memcpy(buf, enc, len);
		memcpy(pg, base, REMUS_PAGE_SIZE);
		memcpy(rpg, base, sizeof(rpg));
		pos = rpos = p0;
		st = remus_decode_page(buf, len, &pos, pg, &f);
		rst = ref_decode(enc, len, &rpos, rpg, &rf);
		sst = remus_encoded_size(buf, len, p0, &sz, &sf);
		if (st != rst || sst != rst)
			bad++;
		else if (st == REMUS_OK && (pos != rpos || sz != rpos - p0 ||
					    memcmp(pg, rpg, sizeof(rpg))))
			bad++;
		else if (st != REMUS_OK && (f != rf || sf != rf))
			bad++;
	}
	return bad;
}

static void codec_tests(void)
{
	static uint8_t a[4096], b[4096], base[4096], out[REMUS_WORST_SIZE];
	size_t sz, pos, fault;
	unsigned int i, k, bad = 0;

	srand(7);
	for (i = 0; i < 4096; i++)
		a[i] = (uint8_t)rand();
	memcpy(b, a, 4096);
	sz = remus_encode_delta(a, b, out);
	check(sz == 1 && out[0] == REMUS_EMPTY_PAGE, "unchanged page is one 0x00");
	for (i = 0; i < 4096; i += 4)
		b[i] ^= 1;
	sz = remus_encode_delta(a, b, out);
	check(sz == REMUS_WORST_SIZE && out[0] == 127 && out[509] == 127 &&
	      out[8 * 509] == 8, "all words changed: 8 runs of 127 + 1 of 8 = 4105");
	check(!memcmp(a, b, 4096), "encoder updates the cached copy");
	/* random sparse/dense deltas round trip */
	for (k = 0; k < 2000; k++) {
		unsigned int changes = k % 2 ? 1 + rand() % 8 : rand() % 1024;

		memcpy(base, a, 4096);
		memcpy(b, a, 4096);
		for (i = 0; i < changes; i++)
			a[(rand() % 1024) * 4 + rand() % 4] ^= (uint8_t)(1 + rand() % 255);
		sz = remus_encode_delta(a, b, out);
		pos = 0;
		if (remus_decode_page(out, sz, &pos, base, &fault) != REMUS_OK ||
		    pos != sz || memcmp(base, a, 4096))
			bad++;
	}
	check(!bad, "2000 random deltas decode to the new page");
	/* octet agreement with the reference encoder */
	bad = 0;
	for (k = 0; k < 6000; k++) {
		memcpy(b, a, 4096);
		mutate(a, k % 3);
		if (k % 50 == 0)	/* page-end and run-limit edges */
			for (i = 0; i < 4096; i++)
				a[i] ^= (uint8_t)(i / 4 % (1 + k % 7) ? 0 : 1);
		bad += !agrees(a, b);
	}
	check(!bad, "6000 deltas agree octet for octet with compress_page()");
	check(!edge_pages(a), "runs at the page ends and periodic pages agree with compress_page()");
	check(!bad_input(a), "20000 cut and damaged encodings decode as the reference does");
	sz = remus_encode_full(a, out);
	pos = 0;
	check(remus_decode_page(out, sz, &pos, base, &fault) == REMUS_OK &&
	      pos == REMUS_FULL_SIZE && !memcmp(base, a, 4096), "full page round trip");
	pos = 0;
	check(remus_decode_page(out, sz - 1, &pos, base, &fault) == REMUS_E_TRUNCATED,
	      "truncated full page rejected");
	out[0] = 5; out[21] = 0x00;
	pos = 0;
	check(remus_decode_page(out, 4096, &pos, base, &fault) == REMUS_E_ZERO_RUN &&
	      fault == 21, "zero-length run inside a page rejected at its offset");
	memset(out, 0xff, 20);	/* 9 skips of 127 words = 4572 octets */
	pos = 0;
	check(remus_decode_page(out, 20, &pos, base, &fault) == REMUS_E_RUN_PAST_PAGE &&
	      fault == 8, "skip past the page end rejected");
	out[0] = 0x7f;
	pos = 0;
	check(remus_decode_page(out, 100, &pos, base, &fault) == REMUS_E_TRUNCATED,
	      "copy run past the data rejected");
}

static void cache_tests(void)
{
	struct remus_cache c;
	bool miss;

	/* LRU: 2 slots, sender semantics */
	check(!remus_cache_init(&c, 2), "cache init");
	remus_cache_get(&c, 10, &miss);
	check(miss, "first get misses");
	remus_cache_get(&c, 11, &miss);
	remus_cache_get(&c, 10, &miss);
	check(!miss, "second get hits");
	remus_cache_get(&c, 12, &miss);		/* evicts 11, the LRU */
	check(!remus_cache_find(&c, 11) && remus_cache_find(&c, 10) &&
	      remus_cache_find(&c, 12), "LRU evicts the least recently used");
	remus_cache_invalidate(&c, 10);
	remus_cache_get(&c, 13, &miss);		/* takes 10's freed slot */
	check(!remus_cache_find(&c, 10) && remus_cache_find(&c, 12) &&
	      remus_cache_find(&c, 13), "invalidated slot is reused first");
	remus_cache_fini(&c);
}

/*
 * Every codec test once per build: the portable one always, the AVX2 one
 * where the CPU has it (skipped otherwise, and said so).
 */
int main(void)
{
	static const struct {
		enum remus_impl id;
		const char *name;
	} builds[] = {
		{ REMUS_IMPL_PORTABLE, "portable" },
		{ REMUS_IMPL_AVX2, "avx2" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(builds) / sizeof(builds[0]); i++) {
		if (remus_codec_select(builds[i].id) != builds[i].id) {
			tap_skip("%s: codec tests: no AVX2 here (build or CPU)",
				 builds[i].name);
			continue;
		}
		impl = builds[i].name;
		codec_tests();
	}
	impl = "";
	remus_codec_select(REMUS_IMPL_AUTO);
	cache_tests();
	return tap_done();
}
