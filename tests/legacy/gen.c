// SPDX-License-Identifier: GPL-2.0-only
/*
 * legacy-gen: write a synthetic legacy (pre-4.6) stream laid out as Xen
 * 4.2-4.5's xc_domain_save.c (and libxl's device model tail) wrote it.
 * Test-only.  Deterministic for a given seed, so the same guest memory can
 * be written as Format A and as Remus Format B.
 *
 *   legacy-gen -w 32|64 -g pv|hvm [-c CKPTS] [-z] [-p PAGES] [-s SEED]
 *              [-x] [-X] [-t] [-q none|v2|remus|compat] [-V] [-b BAD]
 *
 *   -c  checkpoints (>1: Remus, no LAST_CHECKPOINT)   -z  Format B after
 *   the first checkpoint                              -x  xl header
 *   -X  "xcnt" xsave records (PV)                      -t  libxl toolstack
 *   -V  ENABLE_VERIFY_MODE + resend                     -b  break a rule
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "legacy/legacy.h"
#include "legacy/remus.h"

static unsigned int width = 8;
static bool hvm, compress, xl, xsave, toolstack, verify;
static unsigned int ckpts = 1, npages = 300;
static const char *qemu_kind = "v2", *bad = "";
static uint64_t rng = 88172645463325252ULL;
static uint8_t *mem;			/* npages guest pages */
static struct remus_cache cache;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void out(const void *p, size_t n)
{
	if (fwrite(p, 1, n, stdout) != n)
		exit(3);
}

static void u32(uint32_t v) { out(&v, 4); }
static void u64(uint64_t v) { out(&v, 8); }
static void ul(uint64_t v)
{
	if (width == 8)
		u64(v);
	else
		u32((uint32_t)v);
}

static bool is(const char *b) { return !strcmp(bad, b); }

static void rand_fill(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

static uint32_t vcpu_size(void)
{
	return is("vcpu-size") ? 0x1000 : (width == 8 || hvm) ?
	       LEGACY_VCPU_SIZE_64 : LEGACY_VCPU_SIZE_32;
}

/* PV guests here are 64-bit with a 64-bit toolstack, 32-bit otherwise. */
static unsigned int guest_width(void) { return width == 8 ? 8 : 4; }

static void extinfo(void)
{
	uint32_t vs = vcpu_size(), tot = (vs + 8) + 8 + (xsave ? 12 : 0);
	uint8_t *ctx = calloc(1, vs);

	ul(is("extinfo-sig") ? 0 : UINT64_MAX);
	u32(is("extinfo-overrun") ? tot - 4 : tot);
	out("vcpu", 4);
	u32(vs);
	rand_fill(ctx, vs);
	out(ctx, vs);
	out("extv", 4);
	u32(0);
	if (xsave) {
		out("xcnt", 4);
		u32(4);
		u32(16 + 512);
	}
	free(ctx);
}

static void p2m_frames(void)
{
	uint32_t fpp = 4096 / guest_width(), n = (npages + fpp - 1) / fpp, i;

	for (i = 0; i < n; i++)
		ul(1000 + i);
}

static uint32_t page_type(uint32_t pfn)
{
	if (hvm)
		return 0;
	switch (pfn % 37) {
	case 5: return 1;	/* L1TAB */
	case 9: return 0x2 | 0x8;	/* pinned L2 */
	case 11: return 0xd;	/* BROKEN: no data */
	case 13: return 0xe;	/* XALLOC: no data */
	default: return 0;
	}
}

static bool has_data(uint32_t type) { return type < 0xd; }

static void chunk_param(int32_t id, uint64_t v)
{
	u32((uint32_t)id);
	u32(0);
	u64(v);
}

/* Dirty set of a checkpoint: all pages first, then a pseudo-random few. */
static bool dirty(unsigned int k, uint32_t pfn)
{
	return k == 0 || pfn % 4 == 0 || (pfn * 7 + k * 13) % 9 == 0;
}

static void mutate(unsigned int k)
{
	uint32_t pfn;

	for (pfn = 0; pfn < npages; pfn++) {
		uint8_t *p = mem + (size_t)pfn * 4096;
		unsigned int i;

		if (!dirty(k, pfn) || (k && pfn % 8 == 4))
			continue;	/* pfn % 8 == 4: resent unchanged */
		if (k == 0 || pfn % 5 == 0) {
			rand_fill(p, 4096);		/* dense */
		} else {
			for (i = 0; i < 6; i++)		/* sparse */
				p[rnd() % 4096] ^= (uint8_t)(1 + rnd() % 255);
		}
	}
}

static void compressed_flush(uint32_t *pfns, uint32_t *types, uint32_t n)
{
	static uint8_t buf[64 << 10];
	static bool mutated;
	uint32_t i, used = 0;

	/* add: raw pages leave the cache when buffered */
	for (i = 0; i < n; i++)
		if ((types[i] & 7) >= 1 && (types[i] & 7) <= 4)
			remus_cache_invalidate(&cache, pfns[i]);
	for (i = 0; i < n; i++) {
		bool raw = (types[i] & 7) >= 1 && (types[i] & 7) <= 4;
		uint8_t tmp[REMUS_WORST_SIZE];
		size_t sz = remus_compress_page(&cache, pfns[i],
						mem + (size_t)pfns[i] * 4096,
						raw, tmp);

		if (is("rle-past-page") && !mutated && tmp[0] != 0x80 && tmp[0] != 0 &&
		    (tmp[0] & 0x7f) < 0x7f && (tmp[0] & 0x80)) {
			tmp[0] = 0x7f | (tmp[0] & 0x80);	/* overlong run */
			mutated = true;
		}
		if (used + sz > sizeof(buf)) {
			u32((uint32_t)XC_SAVE_ID_COMPRESSED_DATA);
			ul(used);
			out(buf, used);
			used = 0;
		}
		memcpy(buf + used, tmp, sz);
		used += (uint32_t)sz;
	}
	if (used) {
		u32((uint32_t)XC_SAVE_ID_COMPRESSED_DATA);
		ul(is("compressed-trunc") ? used - 1 :
		   is("compressed-excess") ? used + 1 : used);
		out(buf, used);
	}
}

static void body(unsigned int k, bool format_b)
{
	static uint32_t gpfn[REMUS_BUFFER_PAGES], gtype[REMUS_BUFFER_PAGES];
	uint32_t pfn = 0, ng = 0, batch_max = k == 0 ? 1024 : 100;

	if (k == 0 && !hvm)
		u32((uint32_t)XC_SAVE_ID_TSC_INFO), u32(1), u64(123456789), u32(2000000), u32(7);
	while (pfn < npages) {
		uint32_t e[1024], n = 0, i;

		for (; pfn < npages && n < batch_max; pfn++)
			if (dirty(k, pfn))
				e[n++] = pfn | page_type(pfn) << 28;
		if (!n)
			break;
		if (n > 2 && k == 0)
			e[n - 1] = LEGACY_XTAB_NO_PFN;	/* unmappable */
		if (is("pfn-type") && k == 0)
			e[0] = 6U << 28 | (e[0] & LEGACY_PFN_MASK);
		if (is("pfn-dup") && k == 0 && n > 2)
			e[1] = e[0];
		if (is("pfn-range") && k == 0)
			e[0] = npages + 5;
		u32(is("batch-max") ? 1025 : n);
		for (i = 0; i < n; i++)
			ul(e[i]);
		for (i = 0; i < n; i++) {
			uint32_t t = e[i] >> 28;

			if (e[i] == LEGACY_XTAB_NO_PFN || !has_data(t))
				continue;
			if (format_b) {
				gpfn[ng] = e[i] & LEGACY_PFN_MASK;
				gtype[ng++] = t;
				if (ng == REMUS_BUFFER_PAGES) {
					compressed_flush(gpfn, gtype, ng);
					ng = 0;
				}
			} else {
				out(mem + (size_t)(e[i] & LEGACY_PFN_MASK) * 4096, 4096);
			}
		}
	}
	if (format_b)
		compressed_flush(gpfn, gtype, ng);
	if (verify && k == 0)
		u32((uint32_t)XC_SAVE_ID_ENABLE_VERIFY_MODE);
	u32((uint32_t)XC_SAVE_ID_VCPU_INFO);
	u32(2);
	u64(is("vcpu-map") ? 0xf : 0x5);	/* vcpus 0 and 2 */
	if (hvm) {
		chunk_param(XC_SAVE_ID_HVM_GENERATION_ID_ADDR, 0xfeedf000);
		chunk_param(XC_SAVE_ID_HVM_IDENT_PT, 0xfeffd000);
		chunk_param(XC_SAVE_ID_HVM_PAGING_RING_PFN, 0xfeff1);
		chunk_param(XC_SAVE_ID_HVM_ACCESS_RING_PFN, 0xfeff2);
		chunk_param(XC_SAVE_ID_HVM_SHARING_RING_PFN, 0xfeff3);
		chunk_param(XC_SAVE_ID_HVM_VM86_TSS, 0xfeffe000);
		chunk_param(XC_SAVE_ID_HVM_CONSOLE_PFN, 0xfefff);
		chunk_param(XC_SAVE_ID_HVM_ACPI_IOPORTS_LOCATION, 1);
		chunk_param(XC_SAVE_ID_HVM_VIRIDIAN, 0x7);
		chunk_param(XC_SAVE_ID_HVM_IOREQ_SERVER_PFN, 0xfeff8);
		chunk_param(XC_SAVE_ID_HVM_NR_IOREQ_SERVER_PAGES, 2);
		u32((uint32_t)XC_SAVE_ID_TSC_INFO), u32(0), u64(987654321ULL + k), u32(2400000), u32(k);
	}
	if (toolstack) {
		/* libxl toolstack v1: one physmap entry "vga" */
		uint32_t pad = width == 8 ? 4 : 0, len = 8 + 28 + 4 + pad;

		u32((uint32_t)XC_SAVE_ID_TOOLSTACK);
		u32(len);
		u32(1);
		u32(1);
		u64(0xf0000000ULL);
		u64(0xfc000000ULL);
		u64(0x800000ULL);
		u32(4);
		out("vga", 4);
		if (pad)
			u32(0);
	}
	if (is("chunk-unknown"))
		u32((uint32_t)-42);
	if (is("hvm-chunk-in-pv") && !hvm)
		chunk_param(XC_SAVE_ID_HVM_VIRIDIAN, 1);
	if (ckpts == 1)
		u32((uint32_t)XC_SAVE_ID_LAST_CHECKPOINT);
	if (compress && k == 0)
		u32((uint32_t)XC_SAVE_ID_ENABLE_COMPRESSION);
	u32(0);
}

static void tail(unsigned int k)
{
	uint8_t buf[8192];
	unsigned int v;

	if (hvm) {
		u64(0xfeff0 + k);
		u64(0xfeff1);
		u64(0xfeffc);
		u32(is("hvm-context-zero") ? 0 : 1024);
		if (!is("hvm-context-zero")) {
			rand_fill(buf, 1024);
			out(buf, 1024);
		}
		if (!strcmp(qemu_kind, "none"))
			return;
		if (!strcmp(qemu_kind, "compat")) {
			out("QemuDeviceModelRecord", 21);
			out("QEVM", 4);
			rand_fill(buf, 300);
			out(buf, 300);
			return;
		}
		out(is("qemu-sig") ? "DeviceModelRecordXXXX" :
		    !strcmp(qemu_kind, "remus") ? "RemusDeviceModelState" :
		    "DeviceModelRecord0002", 21);
		u32(777 + k);
		rand_fill(buf, 777 + k);
		out(buf, 777 + k);
		return;
	}
	u32(2);
	ul(npages + 1);
	ul(npages + 2);
	for (v = 0; v <= 2; v += 2) {
		uint32_t vs = vcpu_size();

		rand_fill(buf, sizeof(buf));
		out(buf, vs);
		out(buf, 128);
		if (xsave) {
			u64(0x7);
			u64(is("xsave-size") ? 100 : 512);
			out(buf, 512);
		}
	}
	rand_fill(buf, 4096);
	out(buf, 4096);
}

static void xl_header(void)
{
	static const char cfg[] = "name = \"guest\"\nmemory = 512\n";
	uint32_t len = sizeof(cfg);

	out("Xen saved domain, xl format\n \0 \r", 32);
	u32(0x01020304);
	u32(0);		/* mandatory flags: legacy stream, text config */
	u32(0);
	u32(4 + len);
	u32(len);
	out(cfg, len);
}

int main(int argc, char **argv)
{
	unsigned int k;
	int c;

	while ((c = getopt(argc, argv, "w:g:c:zp:s:xXtq:Vb:")) != -1) {
		switch (c) {
		case 'w': width = atoi(optarg) == 32 ? 4 : 8; break;
		case 'g': hvm = !strcmp(optarg, "hvm"); break;
		case 'c': ckpts = (unsigned int)atoi(optarg); break;
		case 'z': compress = true; break;
		case 'p': npages = (unsigned int)atoi(optarg); break;
		case 's': rng ^= strtoull(optarg, NULL, 0) * 0x9e3779b97f4a7c15ULL; break;
		case 'x': xl = true; break;
		case 'X': xsave = true; break;
		case 't': toolstack = true; break;
		case 'q': qemu_kind = optarg; break;
		case 'V': verify = true; break;
		case 'b': bad = optarg; break;
		default: return 2;
		}
	}
	mem = calloc(npages, 4096);
	if (!mem || remus_cache_init(&cache, REMUS_CACHE_PAGES))
		return 3;
	if (xl)
		xl_header();
	ul(is("p2m-size") ? 0 : npages);
	if (!hvm) {
		extinfo();
		p2m_frames();
	}
	for (k = 0; k < ckpts; k++) {
		mutate(k);
		body(k, compress && k > 0);
		tail(k);
	}
	remus_cache_fini(&cache);
	free(mem);
	return fflush(stdout) ? 3 : 0;
}
