// SPDX-License-Identifier: GPL-2.0-only
/* Synthetic Xen-like images: an ELF with one PT_LOAD holding an MB2 header. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <xen/liveupdate-mb2.h>

#include "gen.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

void gen_xen_like(struct gen_image *g)
{
	static const struct gen_tag xen[] = {
		/* info req: meminfo, mmap */
		{ XEN_LU_MB2_HEADER_TAG_INFO_REQ, 0, 0, 2,
		  { XEN_LU_MB2_TAG_BASIC_MEMINFO, XEN_LU_MB2_TAG_MMAP } },
		{ XEN_LU_MB2_HEADER_TAG_MODULE_ALIGN, 0, 0, 0, { 0 } },
		{ XEN_LU_MB2_HEADER_TAG_RELOCATABLE, 1, 0, 4,
		  { 0x200000, 0xffffffff, 0x200000, 2 } },
		/* console: EGA supported */
		{ XEN_LU_MB2_HEADER_TAG_CONSOLE, 1, 0, 1, { 2 } },
		{ XEN_LU_MB2_HEADER_TAG_FB, 1, 0, 3, { 0, 0, 0 } },
		{ XEN_LU_MB2_HEADER_TAG_EFI_BS, 1, 0, 0, { 0 } },
		{ XEN_LU_MB2_HEADER_TAG_ENTRY_EFI64, 1, 0, 1, { 0x3dd531 } },
		{ XEN_LU_MB2_HEADER_TAG_END, 0, 0, 0, { 0 } },
	};

	memset(g, 0, sizeof(*g));
	g->elf_class = 32;
	g->paddr = 0x200000;
	g->entry = 0x200000;
	g->mb2_offset = 0x98;
	g->nr_tags = sizeof(xen) / sizeof(xen[0]);
	memcpy(g->tags, xen, sizeof(xen));
	g->file_size = 0x10000;
}

static size_t gen_tags(const struct gen_image *g, uint8_t *p)
{
	size_t off = 0;
	unsigned int i, w;

	for (i = 0; i < g->nr_tags; i++) {
		const struct gen_tag *t = &g->tags[i];
		uint32_t size = t->size ? t->size : 8 + 4 * t->nr_words;

		put16(p + off, t->type);
		put16(p + off + 2, t->flags);
		put32(p + off + 4, size);
		for (w = 0; w < t->nr_words; w++)
			put32(p + off + 8 + 4 * w, t->words[w]);
		off += (8 + 4 * t->nr_words + 7) & ~7UL;
	}
	return off;
}

static void gen_elf(const struct gen_image *g, uint8_t *b)
{
	uint64_t filesz = g->file_size - 0x80;
	uint64_t memsz = g->memsz ? g->memsz : filesz;
	uint8_t *ph;

	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = g->elf_class == 64 ? ELFCLASS64 : ELFCLASS32;
	b[EI_DATA] = ELFDATA2LSB;
	b[EI_VERSION] = EV_CURRENT;
	put16(b + 16, ET_EXEC);
	put16(b + 18, g->elf_class == 64 ? EM_X86_64 : EM_386);
	put32(b + 20, EV_CURRENT);
	if (g->elf_class == 64) {
		put64(b + 24, g->entry);
		put64(b + 32, 64);
		put16(b + 52, 64);
		put16(b + 54, sizeof(Elf64_Phdr));
		put16(b + 56, 1);
		ph = b + 64;
		put32(ph, PT_LOAD);
		put32(ph + 4, 7);
		put64(ph + 8, 0x80);
		put64(ph + 16, g->paddr);
		put64(ph + 24, g->paddr);
		put64(ph + 32, filesz);
		put64(ph + 40, memsz);
		put64(ph + 48, 0x40);
	} else {
		put32(b + 24, g->entry);
		put32(b + 28, 52);
		put16(b + 40, 52);
		put16(b + 42, sizeof(Elf32_Phdr));
		put16(b + 44, 1);
		ph = b + 52;
		put32(ph, PT_LOAD);
		put32(ph + 4, 0x80);
		put32(ph + 8, g->paddr);
		put32(ph + 12, g->paddr);
		put32(ph + 16, filesz);
		put32(ph + 20, memsz);
		put32(ph + 24, 7);
		put32(ph + 28, 0x40);
	}
}

uint8_t *gen_build(const struct gen_image *g, size_t *len)
{
	uint8_t *b = calloc(1, g->file_size);
	uint8_t *h;
	uint32_t hlen;

	if (!b)
		abort();
	gen_elf(g, b);
	h = b + g->mb2_offset;
	hlen = 16 + gen_tags(g, h + 16) + g->length_delta;
	put32(h, XEN_LU_MB2_HEADER_MAGIC);
	put32(h + 4, g->arch);
	put32(h + 8, hlen);
	put32(h + 12, -(XEN_LU_MB2_HEADER_MAGIC + g->arch + hlen) +
	      g->checksum_delta);
	*len = g->file_size;
	return b;
}

uint8_t *gen_gzip(const uint8_t *in, size_t len, size_t *out_len)
{
	z_stream zs = { 0 };
	size_t cap = compressBound(len) + 64;
	uint8_t *out = malloc(cap);

	if (!out || deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	zs.next_in = (Bytef *)in;
	zs.avail_in = len;
	zs.next_out = out;
	zs.avail_out = cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		abort();
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}
