// SPDX-License-Identifier: GPL-2.0-only
/*
 * Remus XOR+RLE codec bandwidth next to memcpy, same machine, same run.
 * Working set: 16384 pages (64 MiB) per buffer, beyond the caches.
 * Sparse: 4 words changed per page.  Dense: ~90% of words changed.
 * Figures are MB/s (10^6 octets) of page data; not a test.  The codec
 * build is the one the library picks (AVX2 where the CPU has it);
 * XENSTREAM_REMUS_CODEC=portable measures the plain C one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "legacy/remus.h"

#define PAGES	16384U
#define PS	4096U

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static uint8_t *alloc(size_t n)
{
	uint8_t *p = aligned_alloc(PS, n);

	if (!p)
		exit(1);
	memset(p, 1, n);
	return p;
}

int main(void)
{
	size_t total = (size_t)PAGES * PS;
	uint8_t *newp = alloc(total), *old = alloc(total), *work = alloc(total);
	uint8_t *enc = alloc((size_t)PAGES * REMUS_WORST_SIZE);
	size_t *len = calloc(PAGES, sizeof(*len));
	const char *name[2] = { "sparse", "dense" };
	double t, mcpy, e, d;
	unsigned int kind, i, w, r;

	printf("codec build       %s\n",
	       remus_codec_select(REMUS_IMPL_AUTO) == REMUS_IMPL_AVX2 ?
	       "avx2" : "portable");
	for (i = 0; i < total; i++)
		old[i] = (uint8_t)(i * 2654435761u >> 13);
	/* memcpy bandwidth, best of 5 */
	mcpy = 1e30;
	for (r = 0; r < 5; r++) {
		t = now();
		memcpy(work, old, total);
		t = now() - t;
		if (t < mcpy)
			mcpy = t;
	}
	printf("memcpy            %8.0f MB/s\n", total / mcpy / 1e6);
	for (kind = 0; kind < 2; kind++) {
		size_t bytes = 0;

		e = d = 1e30;
		for (r = 0; r < 5; r++) {
			memcpy(newp, old, total);
			for (i = 0; i < PAGES; i++) {
				uint32_t *p = (uint32_t *)(newp + (size_t)i * PS);

				if (kind == 0)
					for (w = 0; w < 4; w++)
						p[(i * 97 + w * 251) % 1024] ^= 0x1234567;
				else
					for (w = 0; w < 1024; w++)
						if ((w * 7 + i) % 10)
							p[w] ^= 0xdeadbeef;
			}
			memcpy(work, old, total);
			t = now();
			for (i = 0, bytes = 0; i < PAGES; i++) {
				len[i] = remus_encode_delta(newp + (size_t)i * PS,
							    work + (size_t)i * PS,
							    enc + (size_t)i * REMUS_WORST_SIZE);
				bytes += len[i];
			}
			t = now() - t;
			if (t < e)
				e = t;
			memcpy(work, old, total);
			t = now();
			for (i = 0; i < PAGES; i++) {
				size_t pos = 0, f;

				remus_decode_page(enc + (size_t)i * REMUS_WORST_SIZE,
						  len[i], &pos, work + (size_t)i * PS, &f);
			}
			t = now() - t;
			if (t < d)
				d = t;
			if (memcmp(work, newp, total))
				return 1;
		}
		printf("%-6s encode     %8.0f MB/s  (%.2fx memcpy)  ratio %.3f\n",
		       name[kind], total / e / 1e6, mcpy / e, (double)bytes / total);
		printf("%-6s decode     %8.0f MB/s  (%.2fx memcpy)\n",
		       name[kind], total / d / 1e6, mcpy / d);
	}
	return 0;
}
