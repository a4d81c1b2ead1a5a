// SPDX-License-Identifier: GPL-2.0-only
/*
 * The /dev/xen/liveupdate selftests' kexec images: see lu_image.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <xen/liveupdate.h>
#include <xen/liveupdate-mb2.h>

#include "lu_dev.h"
#include "lu_image.h"

static uint32_t ror32(uint32_t v, unsigned int n)
{
	return (v >> n) | (v << (32 - n));
}

static void sha256_block(struct sha256 *s, const uint8_t *p)
{
	static const uint32_t sha256_k[64] = {
		0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
		0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
		0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
		0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
		0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
		0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
		0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
		0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
		0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
		0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
		0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
		0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
		0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
	};
	uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;
	unsigned int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = w[i - 16] + w[i - 7] +
		       (ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^
			(w[i - 15] >> 3)) +
		       (ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^
			(w[i - 2] >> 10));
	a = s->h[0]; b = s->h[1]; c = s->h[2]; d = s->h[3];
	e = s->h[4]; f = s->h[5]; g = s->h[6]; h = s->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) +
		     ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) +
		     ((a & b) ^ (a & c) ^ (b & c));
		h = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
	s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

void sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memset(s, 0, sizeof(*s));
	memcpy(s->h, iv, sizeof(iv));
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
	const uint8_t *p = data;

	s->len += len;
	while (len) {
		size_t take = 64 - s->n < len ? 64 - s->n : len;

		memcpy(s->buf + s->n, p, take);
		s->n += take;
		p += take;
		len -= take;
		if (s->n == 64) {
			sha256_block(s, s->buf);
			s->n = 0;
		}
	}
}

void sha256_final(struct sha256 *s, uint8_t out[32])
{
	uint64_t bits = s->len * 8;
	uint8_t pad = 0x80, zero = 0, be[8];
	unsigned int i;

	sha256_update(s, &pad, 1);
	while (s->n != 56)
		sha256_update(s, &zero, 1);
	for (i = 0; i < 8; i++)
		be[i] = bits >> (56 - 8 * i);
	sha256_update(s, be, 8);
	for (i = 0; i < 8; i++) {
		out[4 * i] = s->h[i] >> 24;
		out[4 * i + 1] = s->h[i] >> 16;
		out[4 * i + 2] = s->h[i] >> 8;
		out[4 * i + 3] = s->h[i];
	}
}

void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

void put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

int img_find(const struct image *img, uint32_t kind, uint32_t index)
{
	unsigned int i;

	for (i = 0; i < img->nr; i++)
		if (img->seg[i].kind == kind && img->seg[i].index == index)
			return i;
	return -1;
}

/* Stable sort by destination, as the UAPI wants. */
void img_sort(struct image *img)
{
	struct xen_lu_segment s;
	unsigned int i, j;

	for (i = 1; i < img->nr; i++) {
		s = img->seg[i];
		for (j = i; j && img->seg[j - 1].dest > s.dest; j--)
			img->seg[j] = img->seg[j - 1];
		img->seg[j] = s;
	}
}

/* The segment at @dest, of @kind. */
static int img_at(const struct image *img, uint32_t kind, uint64_t dest)
{
	unsigned int i;

	for (i = 0; i < img->nr; i++)
		if (img->seg[i].kind == kind && img->seg[i].dest == dest)
			return i;
	return -1;
}

/* Append a segment and sort; returns its index. */
int img_add(struct image *img, struct xen_lu_segment s)
{
	img->seg[img->nr++] = s;
	img_sort(img);
	return img_at(img, s.kind, s.dest);
}

/* Move segment @i to @dest and sort; returns its new index. */
int img_move(struct image *img, int i, uint64_t dest)
{
	uint32_t kind = img->seg[i].kind;

	img->seg[i].dest = dest;
	img_sort(img);
	return img_at(img, kind, dest);
}

/* MBI writer: header, then tags 8-aligned, then the end tag. */
void mbi_begin(struct image *img)
{
	memset(img->mbi, 0, sizeof(img->mbi));
	img->mbi_off = 8;
}

uint8_t *mbi_tag(struct image *img, uint32_t type,
		 const void *payload, uint32_t len)
{
	uint8_t *t = img->mbi + img->mbi_off;

	put32(t, type);
	put32(t + 4, 8 + len);
	if (len)
		memcpy(t + 8, payload, len);
	img->mbi_off = (img->mbi_off + 8 + len + 7) & ~7U;
	return t;
}

uint8_t *mbi_cmdline(struct image *img, const char *line)
{
	return mbi_tag(img, XEN_LU_MB2_TAG_CMDLINE, line, strlen(line) + 1);
}

uint8_t *mbi_module(struct image *img, uint32_t start,
		    uint32_t end, const char *string)
{
	uint8_t payload[256];
	size_t len = strlen(string) + 1;

	put32(payload, start);
	put32(payload + 4, end);
	memcpy(payload + 8, string, len);
	return mbi_tag(img, XEN_LU_MB2_TAG_MODULE, payload, 8 + len);
}

uint8_t *mbi_load_base(struct image *img, uint32_t addr)
{
	uint8_t payload[4];

	put32(payload, addr);
	return mbi_tag(img, XEN_LU_MB2_TAG_LOAD_BASE_ADDR, payload, sizeof(payload));
}

/* The end tag, total_size, and the MBI segment's buf_size. */
void mbi_end(struct image *img)
{
	int m = img_find(img, XEN_LU_SEG_MBI, 0);

	mbi_tag(img, XEN_LU_MB2_TAG_END, NULL, 0);
	put32(img->mbi, img->mbi_off);
	put32(img->mbi + 4, 0);
	if (m >= 0)
		img->seg[m].buf_size = img->mbi_off;
}

/* Module tags for every module segment, in module order. */
void mbi_modules(struct image *img)
{
	unsigned int n;
	int m;

	for (n = 0; n < XEN_LU_MAX_MODULES; n++) {
		m = img_find(img, XEN_LU_SEG_MODULE, n);
		if (m < 0)
			break;
		mbi_module(img, img->seg[m].dest,
			   img->seg[m].dest + img->seg[m].buf_size,
			   n ? "initrd" : "vmlinuz console=hvc0");
	}
}

static void mbi_default(struct image *img)
{
	mbi_begin(img);
	mbi_cmdline(img, img->cmdline);
	mbi_modules(img);
	mbi_end(img);
}

/* The 20 bytes of the UAPI "Purgatory" section. */
void purgatory_code(uint8_t *code, uint32_t mbi, uint32_t xen_entry)
{
	code[0] = 0xfa;
	code[1] = 0xfc;
	code[2] = 0xb8;
	put32(code + 3, XEN_LU_MB2_BOOTLOADER_MAGIC);
	code[7] = 0xbb;
	put32(code + 8, mbi);
	code[12] = 0xb9;
	put32(code + 13, xen_entry);
	code[17] = 0xff;
	code[18] = 0xe1;
	code[19] = 0xf4;
}

/* Rebuild the MBI and the purgatory from the segments; entry = purgatory. */
void img_seal(struct image *img)
{
	int p = img_find(img, XEN_LU_SEG_PURGATORY, 0);
	int m = img_find(img, XEN_LU_SEG_MBI, 0);

	if (!img->manual_mbi)
		mbi_default(img);
	if (p < 0)
		return;
	memset(img->purgatory, 0, sizeof(img->purgatory));
	purgatory_code(img->purgatory, m >= 0 ? (uint32_t)img->seg[m].dest : 0,
		       (uint32_t)img->xen_entry);
	img->entry = img->seg[p].dest;
}

static uint8_t pattern(unsigned int i, unsigned int salt)
{
	return (i * 31 + (i >> 8) * 7 + salt) & 0xff;
}

/* The valid cold image, placed from @base (RAM, >= 16 MiB, < 4 GiB). */
void img_init(struct image *img, uint64_t base)
{
	unsigned int i;

	memset(img, 0, sizeof(*img));
	img->flags = XEN_LU_STAGE_COLD;
	for (i = 0; i < sizeof(img->xen); i++)
		img->xen[i] = pattern(i, 1);
	for (i = 0; i < sizeof(img->xen2); i++)
		img->xen2[i] = pattern(i, 2);
	for (i = 0; i < sizeof(img->mod); i++)
		img->mod[i] = pattern(i, 3);
	for (i = 0; i < sizeof(img->mod2); i++)
		img->mod2[i] = pattern(i, 4);
	strcpy(img->cmdline, DEFAULT_CMDLINE);

	img->seg[S_LOW] = (struct xen_lu_segment){
		.dest = 0, .dest_size = MIB, .kind = XEN_LU_SEG_LOW_FILL,
	};
	img->seg[S_XEN] = (struct xen_lu_segment){
		.buf = ptr(img->xen), .buf_size = XEN_BYTES,
		.dest = base, .dest_size = XEN_BYTES, .kind = XEN_LU_SEG_XEN,
	};
	img->seg[S_MOD] = (struct xen_lu_segment){
		.buf = ptr(img->mod), .buf_size = MOD_BYTES,
		.dest = base + 0x10000, .dest_size = PG,
		.kind = XEN_LU_SEG_MODULE,
	};
	img->seg[S_PURG] = (struct xen_lu_segment){
		.buf = ptr(img->purgatory), .buf_size = XEN_LU_PURGATORY_SIZE,
		.dest = base + 0x20000, .dest_size = PG,
		.kind = XEN_LU_SEG_PURGATORY,
	};
	img->seg[S_MBI] = (struct xen_lu_segment){
		.buf = ptr(img->mbi), .dest = base + 0x21000, .dest_size = PG,
		.kind = XEN_LU_SEG_MBI,
	};
	img->nr = S_DEFAULT;
	img->xen_entry = base + XEN_ENTRY_OFF;
	img_seal(img);
}

/* The last word of a live-update command line ("Brokered command line"). */
void lu_range_word(char *out, size_t len, uint64_t lu_start,
		   uint64_t lu_size)
{
	snprintf(out, len, " liveupdate=%lluM@0x%llx",
		 (unsigned long long)((lu_size - 1) / MIB + 1),
		 (unsigned long long)lu_start);
}

/*
 * The valid live-update image (flags 0) for a hypervisor whose xen#1 is at
 * @xen_start and whose live-update window is [@lu_start, +@lu_size): the
 * default image with its Xen segment at the start of xen#1 (which xen#2
 * replaces), its module, purgatory and MBI in the window past the
 * breadcrumb page, and the brokered liveupdate= word last on the command
 * line.  The low fill stays, as kexec-tools maps it too.
 */
void img_init_lu(struct image *img, uint64_t xen_start,
		 uint64_t lu_start, uint64_t lu_size)
{
	uint64_t win = lu_start + PG;
	char word[64];
	int x, m, p, b;

	img_init(img, xen_start);
	img->flags = 0;
	x = img_find(img, XEN_LU_SEG_XEN, 0);
	m = img_find(img, XEN_LU_SEG_MODULE, 0);
	p = img_find(img, XEN_LU_SEG_PURGATORY, 0);
	b = img_find(img, XEN_LU_SEG_MBI, 0);
	img->seg[x].dest = xen_start;
	img->seg[m].dest = win + 0x10000;
	img->seg[p].dest = win + 0x20000;
	img->seg[b].dest = win + 0x21000;
	img_sort(img);
	img->xen_entry = xen_start + XEN_ENTRY_OFF;
	lu_range_word(word, sizeof(word), lu_start, lu_size);
	strcat(img->cmdline, word);
	img_seal(img);
}

/* The UAPI "Image digest" of @img as given. */
void img_digest(const struct image *img, uint8_t out[32])
{
	struct sha256 s;
	uint8_t hdr[32];
	unsigned int i;

	sha256_init(&s);
	for (i = 0; i < img->nr; i++) {
		const struct xen_lu_segment *g = &img->seg[i];

		put32(hdr, g->kind);
		put32(hdr + 4, g->index);
		put64(hdr + 8, g->dest);
		put64(hdr + 16, g->dest_size);
		put64(hdr + 24, g->buf_size);
		sha256_update(&s, hdr, sizeof(hdr));
		if (g->buf_size)
			sha256_update(&s, (const void *)(uintptr_t)g->buf,
				      g->buf_size);
	}
	sha256_final(&s, out);
}

uint64_t img_bytes(const struct image *img)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < img->nr; i++)
		sum += img->seg[i].buf_size;
	return sum;
}

/*
 * An ELF32 image of xen#2 for the signature rules: a PT_NOTE, then one
 * PT_LOAD per buffer, loaded at @paddr[i].
 */
size_t elf_build(uint8_t *elf, unsigned int nr,
		 const uint8_t *const *data, const uint32_t *size,
		 const uint32_t *paddr)
{
	uint32_t off = ELF_DATA_OFF;
	uint8_t *ph;
	unsigned int i;

	memset(elf, 0, ELF_ROOM);
	memcpy(elf, "\177ELF", 4);
	elf[4] = 1;			/* ELFCLASS32 */
	elf[5] = 1;			/* ELFDATA2LSB */
	elf[6] = 1;			/* EV_CURRENT */
	put16(elf + 16, 2);		/* ET_EXEC */
	put16(elf + 18, 3);		/* EM_386 */
	put32(elf + 20, 1);
	put32(elf + 24, paddr[0] + XEN_ENTRY_OFF);
	put32(elf + 28, 52);		/* e_phoff */
	put16(elf + 40, 52);		/* e_ehsize */
	put16(elf + 42, 32);		/* e_phentsize */
	put16(elf + 44, nr + 1);	/* e_phnum */

	ph = elf + 52;
	put32(ph, 4);			/* PT_NOTE, empty */
	put32(ph + 4, ELF_DATA_OFF);
	for (i = 0; i < nr; i++) {
		ph = elf + 52 + 32 * (i + 1);
		put32(ph, 1);		/* PT_LOAD */
		put32(ph + 4, off);
		put32(ph + 8, paddr[i]);
		put32(ph + 12, paddr[i]);
		put32(ph + 16, size[i]);
		put32(ph + 20, size[i]);
		put32(ph + 24, 7);
		put32(ph + 28, PG);
		memcpy(elf + off, data[i], size[i]);
		off += size[i];
	}
	return off;
}

/* The ELF whose one PT_LOAD is the default image's Xen segment. */
void img_elf(struct image *img)
{
	const uint8_t *data[1] = { img->xen };
	uint32_t size[1] = { XEN_BYTES }, paddr[1] = { ELF_PADDR };

	img->image_len = elf_build(img->elf, 1, data, size, paddr);
	img->image = ptr(img->elf);
}

int stage(int fd, struct image *img)
{
	struct xen_lu_stage *a = &img->arg;

	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->flags = img->flags;
	a->nr_segments = img->nr;
	a->segments = img->segments ?: ptr(img->seg);
	a->entry = img->entry;
	a->xen_entry = img->xen_entry;
	a->signature = img->signature;
	a->signature_len = img->signature_len;
	a->image = img->image;
	a->image_len = img->image_len;
	a->out_rule = 0xdeadbeef;
	a->out_segment = 0xdeadbeef;
	return ioctl(fd, XEN_LU_IOCTL_STAGE, a);
}

bool ram_has(const struct xen_lu_mem_entry *map, unsigned int nr,
	     uint64_t lo, uint64_t hi)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (map[i].type == XEN_LU_MEM_RAM && lo >= map[i].addr &&
		    hi <= map[i].addr + map[i].size)
			return true;
	return false;
}

/*
 * Where a cold image goes: the first page-aligned address >= 16 MiB of a
 * RAM entry with 1 MiB of it below 4 GiB; 0 when there is none.
 */
uint64_t cold_base(const struct xen_lu_mem_entry *map, unsigned int nr)
{
	uint64_t lo, hi;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (map[i].type != XEN_LU_MEM_RAM)
			continue;
		lo = (map[i].addr + PG - 1) & ~(PG - 1);
		if (lo < 16 * MIB)
			lo = 16 * MIB;
		hi = map[i].addr + map[i].size < GIB4 ?
		     map[i].addr + map[i].size : GIB4;
		if (hi > lo && hi - lo >= MIB)
			return lo;
	}
	return 0;
}

/* cold_base() of the device's machine memory map; 0 when it has none. */
uint64_t lu_cold_base(int fd)
{
	struct xen_lu_mem_entry map[XEN_LU_MAX_MEMORY_MAP];
	unsigned int nr;

	if (get_map(fd, map, XEN_LU_MAX_MEMORY_MAP, &nr))
		return 0;
	return cold_base(map, nr);
}
