/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The /dev/xen/liveupdate selftests' kexec images (lu_image.c): the
 * images XEN_LU_IOCTL_STAGE takes (segments, multiboot2 information, the
 * UAPI purgatory, the UAPI image digest, an ELF of xen#2 for the signature
 * rules), where they go in the machine memory map, and the STAGE call.
 */
#ifndef _XEN_LU_SELFTEST_IMAGE_H
#define _XEN_LU_SELFTEST_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/liveupdate.h>
#include <xen/liveupdate-mb2.h>

#define PG		4096ULL
#define MIB		(1ULL << 20)
#define GIB4		(1ULL << 32)
#define NO_SEG		XEN_LU_NO_SEGMENT

/* The default image, in destination order. */
enum { S_LOW, S_XEN, S_MOD, S_PURG, S_MBI, S_DEFAULT };

#define XEN_BYTES	(2 * PG)
#define XEN_ENTRY_OFF	0x100
#define MOD_BYTES	3000
#define MBI_ROOM	(2 * PG)
#define IMG_SEGS	(XEN_LU_MAX_SEGMENTS + 2)
#define DEFAULT_CMDLINE	"/boot/xen.gz console=com1 loglvl=all"

/* The signed-image ELF: a PT_NOTE, then the PT_LOADs from this offset. */
#define ELF_PADDR	0x200000U
#define ELF_DATA_OFF	0x100
#define ELF_ROOM	(ELF_DATA_OFF + XEN_BYTES + PG)

/* SHA-256 (FIPS 180-4), for the UAPI "Image digest". */
struct sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t n;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[32]);

/* Little-endian stores. */
void put16(uint8_t *p, uint16_t v);
void put32(uint8_t *p, uint32_t v);
void put64(uint8_t *p, uint64_t v);

/*
 * A kexec image as user space hands it over.  The segment buffers point
 * into this structure, so it is never copied.
 */
struct image {
	struct xen_lu_segment seg[IMG_SEGS];
	unsigned int nr;
	uint32_t flags;
	uint64_t entry;
	uint64_t xen_entry;
	uint64_t segments;	/* when not 0, passed instead of seg */
	uint64_t signature;
	uint32_t signature_len;
	uint64_t image;
	uint64_t image_len;
	bool manual_mbi;	/* img_seal() leaves the MBI alone */
	char cmdline[2 * XEN_LU_CMDLINE_MAX];
	uint32_t mbi_off;
	uint8_t xen[XEN_BYTES];
	uint8_t xen2[PG];
	uint8_t mod[MOD_BYTES];
	uint8_t mod2[MOD_BYTES];
	uint8_t purgatory[PG];
	uint8_t mbi[MBI_ROOM];
	uint8_t elf[ELF_ROOM];
	struct xen_lu_stage arg;	/* the last STAGE argument */
};

/* The valid images. */
void img_init(struct image *img, uint64_t base);
void img_init_lu(struct image *img, uint64_t xen_start, uint64_t lu_start,
		 uint64_t lu_size);
void lu_range_word(char *out, size_t len, uint64_t lu_start,
		   uint64_t lu_size);

/* Segments. */
int img_find(const struct image *img, uint32_t kind, uint32_t index);
void img_sort(struct image *img);
int img_add(struct image *img, struct xen_lu_segment s);
int img_move(struct image *img, int i, uint64_t dest);
uint64_t img_bytes(const struct image *img);

/* The MBI, tag by tag, and the purgatory. */
void mbi_begin(struct image *img);
uint8_t *mbi_tag(struct image *img, uint32_t type, const void *payload,
		 uint32_t len);
uint8_t *mbi_cmdline(struct image *img, const char *line);
uint8_t *mbi_module(struct image *img, uint32_t start, uint32_t end,
		    const char *string);
uint8_t *mbi_load_base(struct image *img, uint32_t addr);
void mbi_modules(struct image *img);
void mbi_end(struct image *img);
void purgatory_code(uint8_t *code, uint32_t mbi, uint32_t xen_entry);
void img_seal(struct image *img);

/* Digest and signed image. */
void img_digest(const struct image *img, uint8_t out[32]);
size_t elf_build(uint8_t *elf, unsigned int nr, const uint8_t *const *data,
		 const uint32_t *size, const uint32_t *paddr);
void img_elf(struct image *img);

/* Placement in the machine memory map. */
bool ram_has(const struct xen_lu_mem_entry *map, unsigned int nr,
	     uint64_t lo, uint64_t hi);
uint64_t cold_base(const struct xen_lu_mem_entry *map, unsigned int nr);
uint64_t lu_cold_base(int fd);

/* XEN_LU_IOCTL_STAGE of @img, its argument left in img->arg. */
int stage(int fd, struct image *img);

#endif /* _XEN_LU_SELFTEST_IMAGE_H */
