// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-lu [MiB]: generate a live update stream of about MiB mebibytes in
 * memory (domains with vCPU contexts and M2P records) and report how fast
 * xs_verify_mem() parses it, best of 5 runs, in GB/s (10^9 bytes/s).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gen.h"
#include "xenstream.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 256;
	/* per domain: 32 vCPUs x 5168-byte contexts plus fixed records */
	uint32_t domains = (uint32_t)(mib * 1024 * 1024 / (32 * 5184 + 4200));
	struct xs_sink s;
	struct xs_writer w;
	struct xs_stats st;
	struct xs_error e;
	double best = 1e9, t;
	uint8_t *buf;
	size_t len;
	int i;

	if (domains >= 0x7ff0)
		domains = 0x7fef;
	xs_sink_init_mem(&s);
	xs_writer_init(&w, &s);
	if (gen_lu(&w, L_PAGE_FILL, domains, 32, 5168) ||
	    !(buf = xs_sink_take(&s, &len))) {
		fprintf(stderr, "bench-lu: generating the stream failed\n");
		return 1;
	}
	for (i = 0; i < 5; i++) {
		t = now();
		if (xs_verify_mem(buf, len, NULL, &st, &e)) {
			fprintf(stderr, "bench-lu: stream invalid: %s\n", e.msg);
			return 1;
		}
		t = now() - t;
		if (t < best)
			best = t;
	}
	printf("LU stream parse from memory: %zu bytes, %llu records, %u domains: %.3f ms, %.2f GB/s (target >= 2)\n",
	       len, (unsigned long long)st.records, st.nr_domains,
	       best * 1e3, len / best / 1e9);
	free(buf);
	return 0;
}
