// SPDX-License-Identifier: GPL-2.0-only
/*
 * libluimage building blocks: xen#2's placement at MA_XEN, the command line
 * against kexec-tools' format, and the MBI tag by tag.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "gen.h"
#include "luimage.h"

/* Measured on the test host (Xen 4.17, QEMU TCG, 2 GiB): get_range(MA_XEN). */
#define HOST_MA_XEN_START	0x7fa00000ULL
#define HOST_MA_XEN_SIZE	0x3a6140ULL

/* kexec-tools 2.0.25 concat_cmdline() + cmdline_add_liveupdate(), restated. */
static void kexec_tools_cmdline(char *buf, size_t len, const char *name,
				const char *append, unsigned long long start,
				unsigned long long size)
{
	unsigned long long end = start + size - 1;	/* xen_get_kexec_range */
	unsigned long long sizem = (end - start) / (1024 * 1024) + 1;
	char lu[64];

	sprintf(lu, " liveupdate=%lluM@0x%llx", sizem, start);
	if (append)
		snprintf(buf, len, "%s %s%s", name, append, lu);
	else
		snprintf(buf, len, "%s%s", name, lu);
}

static void cmdline_length_rule(const struct lui_range *lu);

static void test_cmdline(void)
{
	static const struct {
		unsigned long long start, size;
		const char *literal;
	} w[] = {
		{ 0x7ba00000, 64ULL << 20, "xen.gz console=com1 dom0_mem=1G liveupdate=64M@0x7ba00000" },
		{ 0x7ba00000, (64ULL << 20) - 1, "xen.gz console=com1 dom0_mem=1G liveupdate=64M@0x7ba00000" },
		{ 0x7ba00000, (64ULL << 20) + 1, "xen.gz console=com1 dom0_mem=1G liveupdate=65M@0x7ba00000" },
		{ 0x1000, 1, "xen.gz console=com1 dom0_mem=1G liveupdate=1M@0x1000" },
		{ 0x100000000ULL, 128ULL << 20, "xen.gz console=com1 dom0_mem=1G liveupdate=128M@0x100000000" },
		{ 0x3fe00000, 2ULL << 20, "xen.gz console=com1 dom0_mem=1G liveupdate=2M@0x3fe00000" },
	};
	static const struct {
		const char *append;
		int want;
	} bad[] = {
		{ "console=com1 liveupdate=64M@0x1000", LUI_E_CMDLINE_CONFLICT },
		{ "liveupdate", LUI_E_CMDLINE_CONFLICT },
		{ "no-liveupdate console=com1", LUI_E_CMDLINE_CONFLICT },
		{ "console=com1 -- console=hvc0", LUI_E_CMDLINE_DOM0 },
		{ "console=com1 --", LUI_E_CMDLINE_DOM0 },
		{ "console=com1\tx", LUI_E_CMDLINE_BAD },
		/* Xen's key: before the first '=', quotes dropped. */
		{ "no-liveupdate=1", LUI_E_CMDLINE_CONFLICT },
		{ "\"liveupdate=64M@0x1000\"", LUI_E_CMDLINE_CONFLICT },
		{ "x \"liveupdate\"=64M@0x1000", LUI_E_CMDLINE_CONFLICT },
		{ "live\"\"update", LUI_E_CMDLINE_CONFLICT },
		{ "x=\"a b", LUI_E_CMDLINE_CONFLICT },
	};
	struct lui_range lu;
	struct lui_error e;
	char ref[1200], *s, *long_line;
	size_t i;
	int r;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		lu.start = w[i].start;
		lu.size = w[i].size;
		r = lui_cmdline_build("xen.gz", "console=com1 dom0_mem=1G", &lu,
				      &s, &e);
		kexec_tools_cmdline(ref, sizeof(ref), "xen.gz",
				    "console=com1 dom0_mem=1G", w[i].start,
				    w[i].size);
		tap_ok(!r && !strcmp(s, ref) && !strcmp(s, w[i].literal),
		       "window %#llx+%#llx: \"%s\"", w[i].start, w[i].size,
		       r ? e.msg : s);
		free(s);
	}
	lu.start = 0x7ba00000;
	lu.size = 64ULL << 20;
	r = lui_cmdline_build("/boot/xen.gz", NULL, &lu, &s, &e);
	kexec_tools_cmdline(ref, sizeof(ref), "/boot/xen.gz", NULL, lu.start,
			    lu.size);
	tap_ok(!r && !strcmp(s, ref), "no --append: \"%s\"", r ? e.msg : s);
	free(s);
	r = lui_cmdline_build("xen", "", &lu, &s, &e);
	tap_ok(!r && !strcmp(s, "xen  liveupdate=64M@0x7ba00000"),
	       "empty --append keeps kexec-tools' double space");
	free(s);
	r = lui_cmdline_build("xen", "console=com1", NULL, &s, &e);
	tap_ok(!r && !strcmp(s, "xen console=com1"),
	       "cold kexec: no liveupdate= (\"%s\")", r ? e.msg : s);
	free(s);
	r = lui_cmdline_build("xen", "live-update=1 liveupdatex=2", &lu, &s, &e);
	tap_ok(!r, "look-alike options are not conflicts");
	free(s);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = lui_cmdline_build("xen", bad[i].append, &lu, &s, &e);
		tap_ok(r == bad[i].want && !s, "\"%s\" refused (%s): %s",
		       bad[i].append, lui_strerror(r), e.msg);
	}
	r = lui_cmdline_build("my xen", NULL, &lu, &s, &e);
	tap_ok(r == LUI_E_CMDLINE_BAD, "image name with a space: %s", e.msg);
	r = lui_cmdline_build("", NULL, &lu, &s, &e);
	tap_ok(r == LUI_E_CMDLINE_BAD, "empty image name: %s", e.msg);
	long_line = malloc(1024);
	memset(long_line, 'a', 1000);
	long_line[1000] = 0;
	r = lui_cmdline_build("xen", long_line, &lu, &s, &e);
	tap_ok(r == LUI_E_CMDLINE_TOO_LONG,
	       "1000 bytes + liveupdate= over Xen's 1023: %s", e.msg);
	r = lui_cmdline_build("xen", long_line, NULL, &s, &e);
	tap_ok(!r, "1000 bytes fit without liveupdate=");
	free(s);
	free(long_line);
	cmdline_length_rule(&lu);
	lu.size = 0;
	r = lui_cmdline_build("xen", NULL, &lu, &s, &e);
	tap_ok(r == LUI_E_BAD_RANGE, "empty live update range: %s", e.msg);
	lu.start = ~0ULL - 10;
	lu.size = 100;
	r = lui_cmdline_build("xen", NULL, &lu, &s, &e);
	tap_ok(r == LUI_E_BAD_RANGE, "wrapping live update range: %s", e.msg);
}

/*
 * One length rule with the module (UAPI XEN_LU_CMDLINE_MAX): the whole
 * line, image name and liveupdate= included, at most 1023 bytes.
 */
static void cmdline_length_rule(const struct lui_range *lu)
{
	char name[LUI_IMAGE_NAME_MAX + 1], *append, *s;
	struct lui_error e;
	size_t suffix, fit;
	int r;

	memset(name, 'n', LUI_IMAGE_NAME_MAX);
	name[LUI_IMAGE_NAME_MAX] = '\0';
	append = malloc(XEN_LU_CMDLINE_MAX + 1);
	if (!append) {
		tap_ok(0, "cmdline length: out of memory");
		return;
	}
	r = lui_cmdline_build("x", "", lu, &s, &e);
	suffix = r ? 0 : strlen(s) - strlen("x ");
	free(s);
	/* name + ' ' + append + suffix == XEN_LU_CMDLINE_MAX - 1 */
	fit = XEN_LU_CMDLINE_MAX - 1 - LUI_IMAGE_NAME_MAX - 1 - suffix;
	memset(append, 'a', fit);
	append[fit] = '\0';
	r = lui_cmdline_build(name, append, lu, &s, &e);
	tap_ok(!r && strlen(s) == XEN_LU_CMDLINE_MAX - 1,
	       "255-byte name: whole line of %d bytes accepted (%s)",
	       XEN_LU_CMDLINE_MAX - 1, r ? e.msg : "ok");
	if (!r)
		free(s);
	append[fit] = 'a';
	append[fit + 1] = '\0';
	r = lui_cmdline_build(name, append, lu, &s, &e);
	tap_ok(r == LUI_E_CMDLINE_TOO_LONG,
	       "255-byte name: whole line of %d bytes refused, as the module does: %s",
	       XEN_LU_CMDLINE_MAX, e.msg);
	fit = XEN_LU_CMDLINE_MAX - 1 - strlen("x ");
	memset(append, 'a', fit + 1);
	append[fit] = '\0';
	r = lui_cmdline_build("x", append, NULL, &s, &e);
	tap_ok(!r && strlen(s) == XEN_LU_CMDLINE_MAX - 1,
	       "cold: whole line of %d bytes accepted", XEN_LU_CMDLINE_MAX - 1);
	if (!r)
		free(s);
	append[fit] = 'a';
	append[fit + 1] = '\0';
	r = lui_cmdline_build("x", append, NULL, &s, &e);
	tap_ok(r == LUI_E_CMDLINE_TOO_LONG, "cold: %d bytes refused: %s",
	       XEN_LU_CMDLINE_MAX, e.msg);
	free(append);
}

static void real_or_gen(struct lui_elf *elf, struct lui_mb2 *mb)
{
	struct lui_blob b;
	struct gen_image g;
	uint8_t *img;
	size_t len;

	if (!lui_load_file("/boot/xen-4.17-amd64.gz", LUI_MAX_IMAGE, &b, NULL)) {
		lui_elf_parse(b.data, b.len, elf, NULL);
		lui_mb2_parse(b.data, b.len, mb, NULL);
		lui_blob_free(&b);
		return;
	}
	tap_diag("no real Xen image: using a generated one");
	gen_xen_like(&g);
	g.memsz = 0x3a7000;
	img = gen_build(&g, &len);
	lui_elf_parse(img, len, elf, NULL);
	lui_mb2_parse(img, len, mb, NULL);
	free(img);
}

static void test_place(void)
{
	struct lui_range mx = { HOST_MA_XEN_START, HOST_MA_XEN_SIZE };
	struct lui_xen_place pl;
	struct lui_error e;
	struct lui_elf elf;
	struct lui_mb2 mb, m2;
	int r;

	real_or_gen(&elf, &mb);
	r = lui_place_xen(&elf, &mb, &mx, &pl, &e);
	tap_ok(!r && pl.base == HOST_MA_XEN_START && pl.entry == HOST_MA_XEN_START &&
	       pl.end == 0x7fda7000, "xen#2 over xen#1 at MA_XEN: %s",
	       r ? e.msg : "ok");
	tap_diag("xen#2 [%#llx, %#llx) delta %#llx entry %#llx, xen#1 region ends %#llx",
		 (unsigned long long)pl.base, (unsigned long long)pl.end,
		 (unsigned long long)pl.delta, (unsigned long long)pl.entry,
		 (unsigned long long)pl.limit);
	m2 = mb;
	m2.reloc_tag.present = false;
	r = lui_place_xen(&elf, &m2, &mx, &pl, &e);
	tap_ok(r == LUI_E_NOT_RELOCATABLE, "no relocatable tag: %s", e.msg);
	mx.start = HOST_MA_XEN_START + 0x100000;
	r = lui_place_xen(&elf, &mb, &mx, &pl, &e);
	tap_ok(r == LUI_E_ALIGN, "MA_XEN 1 MiB off the 2 MiB alignment: %s", e.msg);
	mx.start = 0x100000000ULL;
	r = lui_place_xen(&elf, &mb, &mx, &pl, &e);
	tap_ok(r == LUI_E_OUT_OF_REACH, "MA_XEN above max_addr: %s", e.msg);
	mx.start = HOST_MA_XEN_START;
	m2 = mb;
	m2.reloc_min = 0x80000000;
	r = lui_place_xen(&elf, &m2, &mx, &pl, &e);
	tap_ok(r == LUI_E_OUT_OF_REACH, "MA_XEN below min_addr: %s", e.msg);
	mx.start = 0xffe00000;
	r = lui_place_xen(&elf, &mb, &mx, &pl, &e);
	tap_ok(r == LUI_E_OUT_OF_REACH, "image would cross 4 GiB: %s", e.msg);
	mx.start = HOST_MA_XEN_START;
	mx.size = 0x300000;
	r = lui_place_xen(&elf, &mb, &mx, &pl, &e);
	tap_ok(r == LUI_E_XEN_TOO_BIG, "xen#1 smaller than xen#2: %s", e.msg);
	mx.size = 0;
	r = lui_place_xen(&elf, &mb, &mx, &pl, &e);
	tap_ok(r == LUI_E_BAD_RANGE, "empty MA_XEN: %s", e.msg);
}

static uint32_t rd32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_mbi(void)
{
	static const struct lui_mem map[] = {
		{ 0, 0x9fc00, LUI_MEM_RAM },
		{ 0x9fc00, 0x400, LUI_MEM_RESERVED },
		{ 0xf0000, 0x10000, LUI_MEM_RESERVED },
		{ 0x100000, 0x7fee0000, LUI_MEM_RAM },
		{ 0x7ffe0000, 0x20000, LUI_MEM_RESERVED },
		{ 0xfffc0000, 0x40000, 17 },
	};
	static const uint8_t mod[3] = { 1, 2, 3 };
	const struct lui_module mods[] = {
		{ mod, 3, "/boot/vmlinuz console=hvc0" },
		{ mod, 2, "/boot/initrd.gz" },
	};
	const uint64_t dest[] = { 0x7ba03000, 0x7ba04000 };
	struct lui_mbi_in in = {
		.cmdline = "xen.gz console=com1 liveupdate=64M@0x7ba00000",
		.map = map, .nr_map = 6, .load_base = true,
		.load_base_addr = 0x7fa00000, .nr_modules = 2,
		.modules = mods, .module_dest = dest,
	};
	unsigned int types[16], n = 0;
	struct lui_error e;
	size_t size, off;
	uint8_t *buf;
	int r, bad = 0;

	r = lui_mbi_size(&in, &size, &e);
	tap_ok(!r && size % 8 == 0, "MBI sized: %zu bytes", size);
	buf = malloc(size);
	r = lui_mbi_build(&in, buf, size, &e);
	tap_ok(!r && rd32(buf) == size && rd32(buf + 4) == 0,
	       "MBI header: total_size %u, reserved 0", rd32(buf));
	for (off = 8; off + 8 <= size && n < 16; ) {
		uint32_t t = rd32(buf + off), s = rd32(buf + off + 4);

		if (s < 8 || off + s > size)
			bad = 1;
		types[n++] = t;
		if (t == 4 && (rd32(buf + off + 8) != 639 ||
			       rd32(buf + off + 12) != (0x7fee0000 >> 10)))
			bad = 2;
		if (t == 6 && (s != 16 + 6 * 24 || rd32(buf + off + 8) != 24 ||
			       rd32(buf + off + 16 + 5 * 24 + 16) != 2))
			bad = 3;
		if (t == 21 && rd32(buf + off + 8) != 0x7fa00000)
			bad = 4;
		if (t == 1 && strcmp((char *)buf + off + 8, in.cmdline))
			bad = 5;
		if (t == 2 && strcmp((char *)buf + off + 8, "lu-ctl"))
			bad = 6;
		if (t == 3 && n == 6 && (rd32(buf + off + 8) != 0x7ba03000 ||
			       rd32(buf + off + 12) != 0x7ba03003 ||
			       strcmp((char *)buf + off + 16, mods[0].cmdline)))
			bad = 7;
		if (t == 0)
			break;
		off += (s + 7) & ~7U;
	}
	tap_ok(!bad && n == 8 && types[0] == 4 && types[1] == 6 &&
	       types[2] == 21 && types[3] == 1 && types[4] == 2 &&
	       types[5] == 3 && types[6] == 3 && types[7] == 0 &&
	       off + 8 == size,
	       "MBI tags: meminfo, mmap, load base, cmdline, loader, 2 modules, end (bad=%d n=%u)",
	       bad, n);
	free(buf);
	in.load_base = false;
	r = lui_mbi_size(&in, &size, &e);
	tap_ok(!r, "MBI without load base: %zu bytes", size);
	buf = malloc(size);
	r = lui_mbi_build(&in, buf, size + 8, &e);
	tap_ok(r == LUI_E_USAGE, "wrong buffer size refused: %s", e.msg);
	free(buf);
	in.nr_map = 0;
	r = lui_mbi_size(&in, &size, &e);
	tap_ok(r == LUI_E_MMAP_BAD, "empty memory map: %s", e.msg);
	in.nr_map = 6;
	in.map = (const struct lui_mem[]){ { 0, 0x2000, 1 }, { 0x1000, 0x1000, 1 },
					   { 0, 1, 2 }, { 0, 1, 2 }, { 0, 1, 2 },
					   { 0, 1, 2 } };
	r = lui_mbi_size(&in, &size, &e);
	tap_ok(r == LUI_E_MMAP_BAD, "overlapping RAM: %s", e.msg);
	in.map = map;
	const uint64_t high[] = { 0xfffffffeULL, 0x7ba04000 };
	in.module_dest = high;
	size = 0;
	lui_mbi_size(&in, &size, NULL);
	buf = malloc(size);
	r = lui_mbi_build(&in, buf, size, &e);
	tap_ok(r == LUI_E_ABOVE_4G, "module past 4 GiB: %s", e.msg);
	free(buf);
}

int main(void)
{
	test_cmdline();
	test_place();
	test_mbi();
	return tap_done();
}
