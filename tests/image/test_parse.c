// SPDX-License-Identifier: GPL-2.0-only
/*
 * libluimage input side: gzip (real and generated), ELF program headers and
 * the multiboot2 header, on Debian's real Xen 4.17 and on generated images
 * with one fault each.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "gen.h"
#include "luimage.h"

#define REAL_GZ		"/boot/xen-4.17-amd64.gz"
#define REAL_ELF	"build/xen-4.17.elf"	/* zcat'ed by make check */

static void diag_mb2(const struct lui_mb2 *mb)
{
	unsigned int i;

	tap_diag("MB2 header at file offset %#x, arch %u, header_length %u, checksum %#x, %u tags",
		 mb->offset, mb->architecture, mb->header_length,
		 mb->checksum, mb->nr_tags);
	if (mb->info_req_tag.present) {
		char buf[128] = "";
		size_t n = 0;

		for (i = 0; i < mb->nr_info_req && n < sizeof(buf) - 12; i++)
			n += snprintf(buf + n, sizeof(buf) - n, " %u",
				      mb->info_req[i]);
		tap_diag("  information request (%s):%s",
			 mb->info_req_tag.optional ? "optional" : "required",
			 buf);
	}
	if (mb->module_align_tag.present)
		tap_diag("  module alignment (%s)",
			 mb->module_align_tag.optional ? "optional" : "required");
	if (mb->reloc_tag.present)
		tap_diag("  relocatable (%s): min %#x max %#x align %#x preference %u",
			 mb->reloc_tag.optional ? "optional" : "required",
			 mb->reloc_min, mb->reloc_max, mb->reloc_align,
			 mb->reloc_pref);
	if (mb->console_tag.present)
		tap_diag("  console flags %#x", mb->console_flags);
	if (mb->fb_tag.present)
		tap_diag("  framebuffer %ux%ux%u (0 = no preference)",
			 mb->fb_width, mb->fb_height, mb->fb_depth);
	if (mb->efi_bs_tag.present)
		tap_diag("  EFI boot services (optional: %d)",
			 mb->efi_bs_tag.optional);
	if (mb->entry_tag.present)
		tap_diag("  entry address %#x", mb->entry_addr);
	if (mb->entry_efi32_tag.present)
		tap_diag("  EFI i386 entry %#x", mb->entry_efi32);
	if (mb->entry_efi64_tag.present)
		tap_diag("  EFI amd64 entry %#x", mb->entry_efi64);
	if (mb->address_tag.present)
		tap_diag("  address tag: header %#x load %#x", mb->header_addr,
			 mb->load_addr);
}

static void test_real(void)
{
	struct lui_blob gz = { 0 }, raw = { 0 };
	struct lui_error e = { 0 };
	struct lui_elf elf;
	struct lui_mb2 mb;
	int r;

	r = lui_load_file(REAL_GZ, LUI_MAX_IMAGE, &gz, &e);
	if (r) {
		tap_skip("%s: %s (not installed?)", REAL_GZ, e.msg);
		for (r = 0; r < 9; r++)
			tap_skip("no real Xen image");
		return;
	}
	tap_ok(gz.was_gzip && gz.len > gz.file_len,
	       "real %s gunzipped: %zu -> %zu bytes", REAL_GZ, gz.file_len,
	       gz.len);
	r = lui_load_file(REAL_ELF, LUI_MAX_IMAGE, &raw, &e);
	tap_ok(!r && !raw.was_gzip && raw.len == gz.len &&
	       !memcmp(raw.data, gz.data, gz.len),
	       "our gunzip equals zcat's output (%s)", r ? e.msg : "same bytes");
	r = lui_elf_parse(gz.data, gz.len, &elf, &e);
	tap_ok(!r && elf.nr_loads >= 1, "real Xen ELF parses: %s",
	       r ? e.msg : "ok");
	if (!r) {
		tap_diag("ELF%u machine %u entry %#llx, %u PT_LOAD, span [%#llx, %#llx)",
			 elf.elf_class, elf.machine,
			 (unsigned long long)elf.entry, elf.nr_loads,
			 (unsigned long long)elf.lo,
			 (unsigned long long)elf.hi);
		for (unsigned int i = 0; i < elf.nr_loads; i++)
			tap_diag("  PT_LOAD off %#llx filesz %#llx paddr %#llx memsz %#llx",
				 (unsigned long long)elf.load[i].offset,
				 (unsigned long long)elf.load[i].filesz,
				 (unsigned long long)elf.load[i].paddr,
				 (unsigned long long)elf.load[i].memsz);
	}
	r = lui_mb2_parse(gz.data, gz.len, &mb, &e);
	tap_ok(!r, "real Xen MB2 header parses: %s", r ? e.msg : "ok");
	if (!r)
		diag_mb2(&mb);
	tap_ok(!r && mb.offset < XEN_LU_MB2_HEADER_SEARCH && !(mb.offset % 8) &&
	       mb.architecture == 0, "MB2 header within 32 KiB, aligned, i386");
	tap_ok(!r && mb.reloc_tag.present && mb.reloc_min == elf.lo &&
	       mb.reloc_max == 0xffffffff && mb.reloc_align == 0x200000 &&
	       mb.reloc_pref == LUI_MB2_PREF_HIGH,
	       "relocatable: min = link base, max 4 GiB-1, align 2 MiB, high");
	tap_ok(!r && mb.info_req_tag.present && !mb.info_req_tag.optional &&
	       mb.nr_info_req == 2 && mb.info_req[0] == 4 &&
	       mb.info_req[1] == 6,
	       "required information request: basic meminfo, memory map");
	tap_ok(!r && mb.entry_efi64_tag.present && !mb.entry_tag.present &&
	       mb.efi_bs_tag.present && mb.module_align_tag.present,
	       "EFI64 entry and EFI BS recognised, no plain entry tag");
	tap_ok(!r && mb.console_tag.present && mb.fb_tag.present &&
	       !mb.nr_unknown_optional, "console flags and framebuffer tags");
	lui_blob_free(&gz);
	lui_blob_free(&raw);
}

static void test_gzip(void)
{
	struct gen_image g;
	struct lui_blob b;
	struct lui_error e;
	uint8_t *img, *gz;
	size_t len, gzlen;
	int r;

	gen_xen_like(&g);
	img = gen_build(&g, &len);
	gz = gen_gzip(img, len, &gzlen);
	r = lui_load_buffer(gz, gzlen, LUI_MAX_IMAGE, &b, &e);
	tap_ok(!r && b.was_gzip && b.len == len && !memcmp(b.data, img, len),
	       "generated gzip round-trips");
	lui_blob_free(&b);
	r = lui_load_buffer(img, len, LUI_MAX_IMAGE, &b, &e);
	tap_ok(!r && !b.was_gzip && b.len == len, "plain ELF loads as is");
	lui_blob_free(&b);

	r = lui_load_buffer(gz, gzlen - 4, LUI_MAX_IMAGE, &b, &e);
	tap_ok(r == LUI_E_GZIP_TRUNCATED || r == LUI_E_GZIP_CORRUPT,
	       "missing ISIZE refused: %s", e.msg);
	r = lui_load_buffer(gz, gzlen / 2, LUI_MAX_IMAGE, &b, &e);
	tap_ok(r == LUI_E_GZIP_TRUNCATED, "half a gzip: truncated: %s", e.msg);
	r = lui_load_buffer(gz, 12, LUI_MAX_IMAGE, &b, &e);
	tap_ok(r == LUI_E_GZIP_TRUNCATED, "gzip header only: truncated: %s",
	       e.msg);
	gz[gzlen - 6] ^= 0xff;	/* CRC32 */
	r = lui_load_buffer(gz, gzlen, LUI_MAX_IMAGE, &b, &e);
	tap_ok(r == LUI_E_GZIP_CORRUPT, "bad CRC: corrupt: %s", e.msg);
	gz[gzlen - 6] ^= 0xff;
	gz[3] = 0xe0;		/* reserved FLG bits */
	r = lui_load_buffer(gz, gzlen, LUI_MAX_IMAGE, &b, &e);
	tap_ok(r == LUI_E_GZIP_CORRUPT, "bad gzip header: corrupt: %s", e.msg);
	gz[3] = 0;
	gz[12] ^= 0x55;		/* inside the deflate data */
	gz[13] ^= 0xaa;
	r = lui_load_buffer(gz, gzlen, LUI_MAX_IMAGE, &b, &e);
	tap_ok(r == LUI_E_GZIP_CORRUPT || r == LUI_E_GZIP_TRUNCATED,
	       "damaged deflate data refused (%s): %s", lui_strerror(r), e.msg);
	gz[12] ^= 0x55;
	gz[13] ^= 0xaa;
	r = lui_load_buffer(gz, gzlen, len - 1, &b, &e);
	tap_ok(r == LUI_E_TOO_BIG, "gunzipped size over the bound: %s", e.msg);
	r = lui_load_buffer(img, len, len - 1, &b, &e);
	tap_ok(r == LUI_E_TOO_BIG, "file over the bound: %s", e.msg);
	gz = realloc(gz, gzlen + 3);
	memset(gz + gzlen, 0x41, 3);
	r = lui_load_buffer(gz, gzlen + 3, LUI_MAX_IMAGE, &b, &e);
	tap_ok(r == LUI_E_GZIP_CORRUPT, "trailing bytes: %s", e.msg);
	r = lui_load_file("/nonexistent/xen.gz", LUI_MAX_IMAGE, &b, &e);
	tap_ok(r == LUI_E_IO && e.sys_errno, "missing file: %s", e.msg);
	free(gz);
	free(img);
}

/* One ELF fault: byte offset, width, value. */
struct elf_fault {
	const char *what;
	unsigned int off, width;
	uint32_t val;
	int want;
};

static void test_elf(void)
{
	static const struct elf_fault f[] = {
		{ "no magic", 1, 1, 'X', LUI_E_NOT_ELF },
		{ "class 3", 4, 1, 3, LUI_E_ELF_BAD },
		{ "big endian", 5, 1, 2, LUI_E_ELF_BAD },
		{ "ET_DYN", 16, 2, 3, LUI_E_ELF_BAD },
		{ "machine ARM", 18, 2, 40, LUI_E_ELF_BAD },
		{ "phentsize 20", 42, 2, 20, LUI_E_ELF_BAD },
		{ "phnum 0", 44, 2, 0, LUI_E_ELF_BAD },
		{ "phnum 65", 44, 2, 65, LUI_E_ELF_BAD },
		{ "phoff past end", 28, 4, 0xfff0, LUI_E_ELF_BAD },
		{ "filesz > memsz", 52 + 20, 4, 0x100, LUI_E_ELF_BAD },
		{ "file bytes past end", 52 + 4, 4, 0xff00, LUI_E_ELF_BAD },
		{ "memsz wraps", 52 + 20, 4, 0xffffffff, LUI_E_ELF_BAD },
		{ "align 3", 52 + 28, 4, 3, LUI_E_ELF_BAD },
		{ "no PT_LOAD", 52, 4, PT_NOTE, LUI_E_ELF_BAD },
	};
	struct gen_image g;
	struct lui_error e;
	struct lui_elf elf;
	uint8_t *img;
	size_t len, i;
	int r;

	gen_xen_like(&g);
	g.elf_class = 64;
	g.paddr = 0x100000000ULL;
	g.memsz = 0x20000;
	img = gen_build(&g, &len);
	r = lui_elf_parse(img, len, &elf, &e);
	tap_ok(!r && elf.elf_class == 64 && elf.lo == 0x100000000ULL &&
	       elf.hi == 0x100020000ULL, "ELF64 with bss above 4 GiB parses");
	free(img);
	r = lui_elf_parse(img = gen_build(&g, &len), 40, &elf, &e);
	tap_ok(r == LUI_E_ELF_BAD, "ELF64 header truncated: %s", e.msg);
	free(img);

	gen_xen_like(&g);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		img = gen_build(&g, &len);
		for (unsigned int b = 0; b < f[i].width; b++)
			img[f[i].off + b] = f[i].val >> (8 * b);
		r = lui_elf_parse(img, len, &elf, &e);
		tap_ok(r == f[i].want, "ELF %s refused (%s): %s", f[i].what,
		       lui_strerror(r), e.msg);
		free(img);
	}
}

struct mb2_case {
	const char *what;
	int want;
	void (*mutate)(struct gen_image *g);
};

static void m_far(struct gen_image *g) { g->mb2_offset = 0x8000; g->file_size = 0x9000; }
static void m_unaligned(struct gen_image *g) { g->mb2_offset = 0x9c; }
static void m_sum(struct gen_image *g) { g->checksum_delta = 1; }
static void m_arch(struct gen_image *g) { g->arch = 4; }
static void m_len_long(struct gen_image *g) { g->length_delta = 0x8000; }
static void m_len_short(struct gen_image *g) { g->length_delta = -8; }
static void m_no_end(struct gen_image *g) { g->nr_tags--; g->length_delta = 8; }
static void m_tag_small(struct gen_image *g) { g->tags[2].size = 16; }
static void m_tag_huge(struct gen_image *g) { g->tags[0].size = 0x1000; }
static void m_dup(struct gen_image *g) { g->tags[3] = g->tags[2]; }
static void m_unknown_req(struct gen_image *g) { g->tags[5].type = 42; g->tags[5].flags = 0; }
static void m_addr_req(struct gen_image *g)
{
	g->tags[5] = (struct gen_tag){ 2, 0, 0, 4, { 0x200000, 0x200000, 0, 0 } };
}
static void m_fb_req(struct gen_image *g) { g->tags[4].flags = 0; }
static void m_efibs_req(struct gen_image *g) { g->tags[5].flags = 0; }
static void m_efi64_req(struct gen_image *g) { g->tags[6].flags = 0; }
static void m_console_req(struct gen_image *g) { g->tags[3].flags = 0; g->tags[3].words[0] = 1; }
static void m_info_acpi(struct gen_image *g) { g->tags[0].words[1] = 15; }
static void m_info_odd(struct gen_image *g) { g->tags[0].size = 14; }
static void m_rel_minmax(struct gen_image *g) { g->tags[2].words[0] = 0xfffffff0; g->tags[2].words[1] = 0x100; }
static void m_rel_align(struct gen_image *g) { g->tags[2].words[2] = 0x300000; }
static void m_rel_pref(struct gen_image *g) { g->tags[2].words[3] = 3; }

static void test_mb2(void)
{
	static const struct mb2_case c[] = {
		{ "header past 32 KiB", LUI_E_NO_MB2, m_far },
		{ "header not 8-byte aligned", LUI_E_NO_MB2, m_unaligned },
		{ "checksum off by one", LUI_E_MB2_CHECKSUM, m_sum },
		{ "architecture MIPS", LUI_E_MB2_ARCH, m_arch },
		{ "header_length past 32 KiB", LUI_E_MB2_BAD, m_len_long },
		{ "header_length cuts the end tag", LUI_E_MB2_BAD, m_len_short },
		{ "no end tag", LUI_E_MB2_BAD, m_no_end },
		{ "relocatable tag too small", LUI_E_MB2_BAD, m_tag_small },
		{ "tag past header_length", LUI_E_MB2_BAD, m_tag_huge },
		{ "duplicate relocatable tag", LUI_E_MB2_BAD, m_dup },
		{ "unknown required tag", LUI_E_MB2_UNSUPPORTED, m_unknown_req },
		{ "required address tag", LUI_E_MB2_UNSUPPORTED, m_addr_req },
		{ "required framebuffer", LUI_E_MB2_UNSUPPORTED, m_fb_req },
		{ "required EFI boot services", LUI_E_MB2_UNSUPPORTED, m_efibs_req },
		{ "required EFI64 entry", LUI_E_MB2_UNSUPPORTED, m_efi64_req },
		{ "required console", LUI_E_MB2_UNSUPPORTED, m_console_req },
		{ "required ACPI request", LUI_E_MB2_UNSUPPORTED, m_info_acpi },
		{ "information request of odd size", LUI_E_MB2_BAD, m_info_odd },
		{ "relocatable min > max", LUI_E_MB2_BAD, m_rel_minmax },
		{ "relocatable align 3 MiB", LUI_E_MB2_BAD, m_rel_align },
		{ "relocatable preference 3", LUI_E_MB2_BAD, m_rel_pref },
	};
	struct gen_image g;
	struct lui_error e;
	struct lui_mb2 mb;
	uint8_t *img;
	size_t len, i;
	int r;

	gen_xen_like(&g);
	g.tags[5].type = 77;	/* unknown optional instead of EFI BS */
	img = gen_build(&g, &len);
	r = lui_mb2_parse(img, len, &mb, &e);
	tap_ok(!r && mb.nr_unknown_optional == 1 && mb.reloc_tag.present,
	       "unknown optional tag skipped and counted");
	free(img);
	r = lui_mb2_parse((const uint8_t *)"short", 5, &mb, &e);
	tap_ok(r == LUI_E_NO_MB2, "5-byte file: no MB2: %s", e.msg);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		gen_xen_like(&g);
		c[i].mutate(&g);
		img = gen_build(&g, &len);
		r = lui_mb2_parse(img, len, &mb, &e);
		tap_ok(r == c[i].want, "MB2 %s refused (%s): %s", c[i].what,
		       lui_strerror(r), r ? e.msg : "accepted");
		free(img);
	}
}

int main(void)
{
	test_real();
	test_gzip();
	test_elf();
	test_mb2();
	return tap_done();
}
