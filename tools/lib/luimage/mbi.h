/* SPDX-License-Identifier: GPL-2.0-only */
/* Multiboot2 information structure (MBI) tag numbers and sizes. */
#ifndef LUIMAGE_MBI_H
#define LUIMAGE_MBI_H

#define MBI_TAG_END		0
#define MBI_TAG_CMDLINE		1
#define MBI_TAG_LOADER_NAME	2
#define MBI_TAG_MODULE		3
#define MBI_TAG_BASIC_MEMINFO	4
#define MBI_TAG_MMAP		6
#define MBI_TAG_LOAD_BASE_ADDR	21

#define MBI_ALIGN		8
#define MBI_HDR_SIZE		8	/* u32 total_size, u32 reserved */
#define MBI_STRING_HDR		8	/* type, size, then the string */
#define MBI_MODULE_HDR		16	/* type, size, mod_start, mod_end */
#define MBI_MEMINFO_SIZE	16
#define MBI_MMAP_HDR		16	/* type, size, entry_size, entry_version */
#define MBI_MMAP_ENTRY		24	/* u64 addr, u64 len, u32 type, u32 zero */
#define MBI_LOAD_BASE_SIZE	12
#define MBI_END_SIZE		8

#endif /* LUIMAGE_MBI_H */
