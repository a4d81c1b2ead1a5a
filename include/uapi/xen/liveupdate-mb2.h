/* SPDX-License-Identifier: ((GPL-2.0-only WITH Linux-syscall-note) OR MIT) */
/*
 * The multiboot2 values of a live-update image (Documentation/userspace-api/
 * xen-liveupdate-image.rst): the multiboot2 header that user space finds in
 * xen#2's image, and the boot information (MBI) that user space writes and
 * the module checks at STAGE and extends at PREPARE.  The one definition
 * for the module, the test simulator, lu-ctl's image library and the tests.
 */
#ifndef _UAPI_XEN_LIVEUPDATE_MB2_H
#define _UAPI_XEN_LIVEUPDATE_MB2_H

/* The multiboot2 header: 8-byte aligned within the image's first 32 KiB. */
#define XEN_LU_MB2_HEADER_MAGIC		0xe85250d6U
#define XEN_LU_MB2_HEADER_SEARCH	32768U
#define XEN_LU_MB2_HEADER_ALIGN		8U

/* Its tags: u16 type, u16 flags, u32 size. */
#define XEN_LU_MB2_HEADER_TAG_END		0
#define XEN_LU_MB2_HEADER_TAG_INFO_REQ		1
#define XEN_LU_MB2_HEADER_TAG_ADDRESS		2
#define XEN_LU_MB2_HEADER_TAG_ENTRY		3
#define XEN_LU_MB2_HEADER_TAG_CONSOLE		4
#define XEN_LU_MB2_HEADER_TAG_FB		5
#define XEN_LU_MB2_HEADER_TAG_MODULE_ALIGN	6
#define XEN_LU_MB2_HEADER_TAG_EFI_BS		7
#define XEN_LU_MB2_HEADER_TAG_ENTRY_EFI32	8
#define XEN_LU_MB2_HEADER_TAG_ENTRY_EFI64	9
#define XEN_LU_MB2_HEADER_TAG_RELOCATABLE	10
/* Tag flags: the image boots without the tag's request honoured. */
#define XEN_LU_MB2_HEADER_TAG_OPTIONAL		1
/* Console flags: a console is required. */
#define XEN_LU_MB2_CONSOLE_REQUIRED		1

/* In %eax at xen#2's entry, with the MBI's address in %ebx. */
#define XEN_LU_MB2_BOOTLOADER_MAGIC	0x36d76289U

/* The MBI: u32 total_size, u32 reserved, then tags, each 8-byte aligned. */
#define XEN_LU_MB2_INFO_HEADER		8
#define XEN_LU_MB2_TAG_ALIGN		8
/* Every tag starts with u32 type, u32 size. */
#define XEN_LU_MB2_TAG_HEADER		8

#define XEN_LU_MB2_TAG_END		0
#define XEN_LU_MB2_TAG_CMDLINE		1
#define XEN_LU_MB2_TAG_LOADER_NAME	2
#define XEN_LU_MB2_TAG_MODULE		3
#define XEN_LU_MB2_TAG_BASIC_MEMINFO	4
#define XEN_LU_MB2_TAG_MMAP		6
#define XEN_LU_MB2_TAG_LOAD_BASE_ADDR	21

/* Tag sizes: a module's fixed part (type, size, mod_start, mod_end). */
#define XEN_LU_MB2_MODULE_FIXED		16
#define XEN_LU_MB2_MEMINFO_SIZE		16
/*
 * The memory map: type, size, entry_size, entry_version; entries of u64
 * addr, u64 len, u32 type, u32 reserved.
 */
#define XEN_LU_MB2_MMAP_HEADER		16
#define XEN_LU_MB2_MMAP_ENTRY		24
#define XEN_LU_MB2_LOAD_BASE_SIZE	12
#define XEN_LU_MB2_END_SIZE		8

#endif /* _UAPI_XEN_LIVEUPDATE_MB2_H */
