// SPDX-License-Identifier: GPL-2.0-only
/* Remus XOR+RLE codec and LRU cache unit tests (TAP). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remus.h"

static int n, failed;

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

static void check(int cond, const char *what)
{
	n++;
	if (!cond)
		failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", n, what);
}

int main(void)
{
	static uint8_t a[4096], b[4096], base[4096], out[REMUS_WORST_SIZE];
	struct remus_cache c;
	size_t sz, pos, fault;
	unsigned int i, k, bad = 0;
	bool miss;

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
		static uint8_t ra[4096], rb[4096], rout[REMUS_WORST_SIZE];
		size_t rsz;

		memcpy(b, a, 4096);
		mutate(a, k % 3);
		if (k % 50 == 0)	/* page-end and run-limit edges */
			for (i = 0; i < 4096; i++)
				a[i] ^= (uint8_t)(i / 4 % (1 + k % 7) ? 0 : 1);
		memcpy(ra, a, 4096);
		memcpy(rb, b, 4096);
		memset(out, 0xee, sizeof(out));
		sz = remus_encode_delta(a, b, out);
		rsz = ref_encode(ra, rb, rout);
		if (sz != rsz || memcmp(out, rout, sz) || memcmp(a, b, 4096) ||
		    memcmp(rb, b, 4096))
			bad++;
	}
	check(!bad, "6000 deltas agree octet for octet with compress_page()");
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
	printf("1..%d\n", n);
	return failed != 0;
}
