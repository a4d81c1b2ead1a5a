/* SPDX-License-Identifier: GPL-2.0-only */
/* Synthetic Xen-like images for the libluimage tests. */
#ifndef TESTS_IMAGE_GEN_H
#define TESTS_IMAGE_GEN_H

#include <stddef.h>
#include <stdint.h>

#define GEN_MAX_TAGS	16

struct gen_tag {
	uint16_t type;
	uint16_t flags;
	uint32_t size;		/* 0: 8 + 4 * nr_words */
	unsigned int nr_words;
	uint32_t words[8];
};

struct gen_image {
	unsigned int elf_class;		/* 32 or 64 */
	uint64_t paddr;			/* of the one PT_LOAD */
	uint64_t memsz;			/* 0: filesz */
	uint64_t entry;
	uint32_t mb2_offset;		/* file offset of the MB2 header */
	uint32_t arch;
	int checksum_delta;		/* added to the correct checksum */
	int length_delta;		/* added to header_length */
	unsigned int nr_tags;
	struct gen_tag tags[GEN_MAX_TAGS];
	size_t file_size;		/* total bytes */
};

/* Xen 4.17's header tags (head.S) and a 64 KiB single-PT_LOAD ELF32. */
void gen_xen_like(struct gen_image *g);
/* Build it: malloc'd, *len bytes. */
uint8_t *gen_build(const struct gen_image *g, size_t *len);
/* gzip @in; malloc'd. */
uint8_t *gen_gzip(const uint8_t *in, size_t len, size_t *out_len);
/* The same ELF found in the real file when there is one, else NULL. */

#endif /* TESTS_IMAGE_GEN_H */
