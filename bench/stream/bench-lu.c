// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-lu [MiB]: how fast xs_verify_mem() validates a live update stream
 * held in memory, best of 5 runs, in GB/s (10^9 bytes/s).
 *
 * Two streams of about MiB mebibytes each:
 *
 *  examined  what the validator has to read: a fragmented host's LU_M2P
 *            (half the stream) and LU_M2P_COMPAT (a quarter): one 4 KiB
 *            page per entry, a discontiguity every 512 entries, every
 *            entry range/order/alignment checked; then PV domain groups
 *            of small records (domain info, PV info, P2M frames, TSC
 *            info, 64-entry MSR policy, 4 vCPUs of 5168-byte contexts).
 *            The figure that counts: GB/s over the bytes the validator
 *            examines; GB/s over all bytes is printed next to it.
 *  opaque    domain groups of 32 vCPUs with 5168-byte contexts and the
 *            shared info page: nearly all bytes are opaque bodies the
 *            validator skips without reading.  Its GB/s only says how
 *            cheaply such bytes are skipped, not how fast anything is
 *            parsed.
 *
 * "Examined" bytes are counted by walking the stream here, per record
 * type, with what lu/stream.c and libxc/body.c read: every record header and
 * padding byte; the whole body of LU_VERSION, LU_M2P, LU_M2P_COMPAT,
 * X86_PV_INFO and X86_TSC_INFO; LU_DOMAIN_INFO but its 16-byte handle;
 * the 8-byte header of P2M_FRAMES, HVM_PARAMS and the vCPU records (not
 * the frames, parameters or contexts); the 4-byte flags of each 16-byte
 * MSR_POLICY entry; every byte after END (must be zero).  Other bodies
 * (SHARED_INFO, HVM_CONTEXT, CPUID_POLICY, skipped optional records) are
 * opaque.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "endian.h"
#include "gen.h"
#include "xenstream.h"

#define CK(x)	do { if (x) return -1; } while (0)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Bytes of one record's body the LU validator reads (see the top). */
static uint64_t body_examined(uint32_t type, uint32_t len)
{
	switch (type) {
	case XS_LU_REC_VERSION:
	case XS_LU_REC_M2P:
	case XS_LU_REC_M2P_COMPAT:
	case XS_REC_X86_PV_INFO:
	case XS_REC_X86_TSC_INFO:
		return len;
	case XS_LU_REC_DOMAIN_INFO:
		return len - 16;
	case XS_REC_X86_PV_P2M_FRAMES:
	case XS_REC_HVM_PARAMS:
	case XS_REC_X86_PV_VCPU_BASIC:
	case XS_REC_X86_PV_VCPU_EXTENDED:
	case XS_REC_X86_PV_VCPU_XSAVE:
	case XS_REC_X86_PV_VCPU_MSRS:
		return len < 8 ? len : 8;
	case XS_REC_X86_MSR_POLICY:
		return len / 16 * 4;
	}
	return 0;
}

/* Examined bytes of a whole (valid) LU stream. */
static uint64_t examined(const uint8_t *buf, size_t len)
{
	uint64_t n = 0;
	size_t p = 0;

	while (p + 8 <= len) {
		uint32_t type = xs_get_le32(buf + p);
		uint32_t rlen = xs_get_le32(buf + p + 4);
		uint32_t pad = (XS_REC_ALIGN - rlen % XS_REC_ALIGN) %
			       XS_REC_ALIGN;

		n += 8 + pad + body_examined(type, rlen);
		p += 8 + (size_t)rlen + pad;
		if (type == XS_REC_END)
			return n + (len - p);
	}
	return n;
}

/* Fragmented host M2P: 4 KiB pages, a discontiguity every 512 entries. */
static int write_m2p(struct xs_writer *w, uint32_t type, uint32_t nr,
		     uint64_t base)
{
	uint64_t *e = malloc((size_t)nr * sizeof(*e)), pa = base;
	uint32_t i;
	int rc;

	if (!e)
		return -1;
	for (i = 0; i < nr; i++) {
		if (i % 512 == 511) {
			pa += 64ULL << 20;	/* next MFN jumps 64 MiB */
			e[i] = pa;
		} else {
			e[i] = pa | XS_PAGE_SHIFT;
			pa += XS_PAGE_SIZE;
		}
	}
	rc = xs_write_lu_m2p(w, type, e, nr);
	free(e);
	return rc;
}

static int small_domain(struct xs_writer *w, uint32_t i)
{
	static const uint8_t ctx[5168];
	struct xs_lu_domain_info di = { 0 };
	uint64_t frames[2] = { 0x1234, 0x1235 };
	uint8_t msr[64 * 16] = { 0 };
	uint32_t v;

	di.type = XS_DHDR_TYPE_X86_PV;
	di.page_shift = XS_PAGE_SHIFT;
	di.domain_id = (uint16_t)(i + 1);
	di.max_vcpus = 4;
	for (v = 0; v < 64; v++)
		xs_put_le32(msr + 16 * v, 0xc0000080U + v);
	CK(xs_write_lu_domain_info(w, &di));
	CK(xs_write_x86_pv_info(w, 8, 4));
	CK(xs_write_x86_pv_p2m_frames(w, 0, 1023, frames, 2));
	CK(xs_write_x86_tsc_info(w, 0, 2600000, 123456789ULL, 1));
	CK(xs_write_record(w, XS_REC_X86_MSR_POLICY, msr, sizeof(msr)));
	for (v = 0; v < 4; v++)
		CK(xs_write_x86_pv_vcpu(w, XS_REC_X86_PV_VCPU_BASIC, v, ctx,
					sizeof(ctx)));
	return 0;
}

static int gen_examined(struct xs_writer *w, unsigned long mib)
{
	/*
	 * 1/2 M2P, 1/4 M2P_COMPAT (each within the 128 MiB record limit),
	 * 1/4 domain groups of about 22 KiB
	 */
	uint64_t bytes = (uint64_t)mib << 20;
	uint64_t m2p = bytes / 2, compat = bytes / 4;
	uint32_t domains, i;

	if (m2p > XS_REC_LENGTH_MAX)
		m2p = XS_REC_LENGTH_MAX;
	if (compat > XS_REC_LENGTH_MAX)
		compat = XS_REC_LENGTH_MAX;
	domains = (uint32_t)(bytes / 4 / (22 * 1024));
	if (domains >= 0x7ff0)
		domains = 0x7fef;
	CK(xs_write_lu_version(w, 4, 17));
	CK(write_m2p(w, XS_LU_REC_M2P, (uint32_t)(m2p / 8), 0x100000000ULL));
	CK(write_m2p(w, XS_LU_REC_M2P_COMPAT, (uint32_t)(compat / 8),
		     0x10000000ULL));
	for (i = 0; i < domains; i++)
		CK(small_domain(w, i));
	CK(xs_write_end(w));
	if (w->sink->offset % XS_PAGE_SIZE)
		CK(xs_sink_zero(w->sink, XS_PAGE_SIZE -
				w->sink->offset % XS_PAGE_SIZE));
	return 0;
}

static int run(const char *what, uint8_t *buf, size_t len, bool main_figure)
{
	uint64_t ex = examined(buf, len);
	struct xs_stats st;
	struct xs_error e;
	double best = 1e9, t;
	int i;

	for (i = 0; i < 5; i++) {
		t = now();
		if (xs_verify_mem(buf, len, NULL, &st, &e)) {
			fprintf(stderr, "bench-lu: %s stream invalid: %s\n",
				what, e.msg);
			return -1;
		}
		t = now() - t;
		if (t < best)
			best = t;
	}
	printf("LU parse, %s stream: %zu bytes (%llu examined, %.1f%%), %llu records, %u domains, %.3f ms\n",
	       what, len, (unsigned long long)ex, 100.0 * ex / len,
	       (unsigned long long)st.records, st.nr_domains, best * 1e3);
	if (main_figure)
		printf("  examined bytes: %8.2f GB/s (target >= 2)\n"
		       "  all bytes:      %8.2f GB/s\n",
		       ex / best / 1e9, len / best / 1e9);
	else
		printf("  examined bytes: %8.2f GB/s\n"
		       "  all bytes:      %8.2f GB/s (opaque bytes skipped, not parsed; no target)\n",
		       ex / best / 1e9, len / best / 1e9);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 256;
	/* per domain: 32 vCPUs x 5168-byte contexts plus fixed records */
	uint32_t domains = (uint32_t)(mib * 1024 * 1024 / (32 * 5184 + 4200));
	struct xs_sink s;
	struct xs_writer w;
	uint8_t *buf;
	size_t len;
	int rc;

	if (domains >= 0x7ff0)
		domains = 0x7fef;
	xs_sink_init_mem(&s);
	xs_writer_init(&w, &s);
	if (gen_examined(&w, mib) || !(buf = xs_sink_take(&s, &len))) {
		fprintf(stderr, "bench-lu: generating the stream failed\n");
		return 1;
	}
	rc = run("examined", buf, len, true);
	free(buf);
	if (rc)
		return 1;

	xs_sink_init_mem(&s);
	xs_writer_init(&w, &s);
	if (gen_lu(&w, L_PAGE_FILL, domains, 32, 5168) ||
	    !(buf = xs_sink_take(&s, &len))) {
		fprintf(stderr, "bench-lu: generating the stream failed\n");
		return 1;
	}
	rc = run("opaque", buf, len, false);
	free(buf);
	return rc ? 1 : 0;
}
