/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libluimage: build a kexec image of a new Xen hypervisor (xen#2) for a
 * live update (KEXEC_TYPE_LIVE_UPDATE) or a cold kexec (KEXEC_TYPE_DEFAULT).
 *
 *	lui_load_file()		read a Xen image, gunzip it if needed (bounded)
 *	lui_elf_parse()		ELF header and PT_LOAD program headers
 *	lui_mb2_parse()		find and check the multiboot2 header, read tags
 *	lui_place_xen()		relocate xen#2 to the start of KEXEC_RANGE_MA_XEN
 *	lui_cmdline_build()	"<image> <append> liveupdate=<MiB>M@0x<start>"
 *	lui_plan_build()	segments: xen#2, purgatory slot, MBI, modules
 *	lui_plan_check()	re-check a plan against Xen's kexec_load rules
 *
 * The library never prints.  Every failure fills a struct lui_error with a
 * distinct code (lui_strerror() names it) and a message with the numbers.
 * Documentation/userspace-api/xen-liveupdate-image.rst has the rules.
 */
#ifndef LUIMAGE_H
#define LUIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* XEN_LU_CMDLINE_MAX, XEN_LU_MAX_SEGMENTS, enum xen_lu_segment_kind */
#include <xen/liveupdate-image.h>

#define LUI_PAGE_SIZE		4096ULL
#define LUI_MIB			(1ULL << 20)
#define LUI_MAX_IMAGE		(64ULL << 20)	/* file and gunzipped size */
#define LUI_MAX_SEGMENTS	XEN_LU_MAX_SEGMENTS
#define LUI_MAX_LOADS		8		/* PT_LOAD headers we accept */
#define LUI_MAX_PHDRS		64
#define LUI_MAX_SPAN		(256ULL << 20)	/* xen#2 memory image */
#define LUI_MAX_MODULES		8
#define LUI_MAX_MODULE_SIZE	(1ULL << 30)
#define LUI_MAX_MMAP		128		/* Xen's E820MAX */
#define LUI_MAX_INFO_REQ	32
/* Whole MBI command line, image name included, NUL excluded (UAPI). */
#define LUI_CMDLINE_MAX		(XEN_LU_CMDLINE_MAX - 1)
#define LUI_IMAGE_NAME_MAX	255
#define LUI_MODULE_CMDLINE_MAX	4095
#define LUI_LOW_FILL_END	LUI_MIB		/* kexec-tools IDENTMAP_1MiB */
#define LUI_BREADCRUMB_SIZE	LUI_PAGE_SIZE	/* first page of the LU window */
#define LUI_EM_386		3		/* kexec arch: 32-bit entry */
#define LUI_LOADER_NAME		"lu-ctl"

enum lui_code {
	LUI_OK = 0,
	LUI_E_USAGE,		/* bad arguments to the library */
	LUI_E_NOMEM,
	LUI_E_IO,		/* open/read failed; sys_errno says why */
	LUI_E_TOO_BIG,		/* file or gunzipped image over the bound */
	LUI_E_GZIP_TRUNCATED,
	LUI_E_GZIP_CORRUPT,
	LUI_E_NOT_ELF,
	LUI_E_ELF_BAD,		/* ELF header or program headers invalid */
	LUI_E_NO_MB2,		/* no multiboot2 header in the first 32 KiB */
	LUI_E_MB2_CHECKSUM,	/* magic found, checksum wrong */
	LUI_E_MB2_ARCH,		/* architecture is not i386 (0) */
	LUI_E_MB2_BAD,		/* header length or a tag malformed */
	LUI_E_MB2_UNSUPPORTED,	/* a required tag we cannot honour */
	LUI_E_NOT_RELOCATABLE,	/* live update needs the relocatable tag */
	LUI_E_OUT_OF_REACH,	/* relocatable range cannot reach MA_XEN */
	LUI_E_ALIGN,		/* MA_XEN start breaks the image's alignment */
	LUI_E_XEN_TOO_BIG,	/* xen#2 larger than xen#1's image region */
	LUI_E_BAD_RANGE,	/* a range from the hypervisor is empty/wraps */
	LUI_E_CMDLINE_CONFLICT,	/* user line already has liveupdate= */
	LUI_E_CMDLINE_DOM0,	/* user line has " -- ": liveupdate= would go to dom0 */
	LUI_E_CMDLINE_TOO_LONG,
	LUI_E_CMDLINE_BAD,	/* empty image name, space in it, control chars */
	LUI_E_MMAP_BAD,		/* caller's memory map malformed */
	LUI_E_WINDOW_TOO_SMALL,	/* LU window cannot hold purgatory+MBI+modules */
	LUI_E_NO_ROOM,		/* cold: no free RAM for a segment */
	LUI_E_TOO_MANY_SEGMENTS,
	LUI_E_OVERLAP,
	LUI_E_UNALIGNED,	/* destination not page aligned */
	LUI_E_BUF_SIZE,		/* buf_size > dest_size */
	LUI_E_ABOVE_4G,		/* MB2 addresses (MBI, modules) are 32-bit */
	LUI_E_OUTSIDE_WINDOW,	/* LU segment outside [lu_start+4K, lu_end] */
	LUI_E_CODE_MAX
};

struct lui_error {
	enum lui_code code;
	int sys_errno;		/* LUI_E_IO only */
	char msg[256];		/* human-readable, no trailing newline */
};

const char *lui_strerror(enum lui_code code);
/* Fill @e (may be NULL) and return @code. */
int lui_fail(struct lui_error *e, enum lui_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- input ------------------------------------------------------------ */

struct lui_blob {
	uint8_t *data;
	size_t len;
	bool was_gzip;
	bool mapped;		/* data is a read-only mapping of the file */
	size_t file_len;	/* bytes read (compressed size when gzip) */
};

/* Read @path; gunzip when it starts with the gzip magic.  At most @max. */
int lui_load_file(const char *path, size_t max, struct lui_blob *out,
		  struct lui_error *e);
/*
 * Read @path as it is (a module: an initrd stays compressed), mapped
 * read-only when the file system allows it.  At most @max.
 */
int lui_read_file(const char *path, size_t max, struct lui_blob *out,
		  struct lui_error *e);
/* Same as lui_load_file() for a buffer in memory; the result is a copy. */
int lui_load_buffer(const void *buf, size_t len, size_t max,
		    struct lui_blob *out, struct lui_error *e);
int lui_gunzip(const uint8_t *in, size_t in_len, size_t max,
	       uint8_t **out, size_t *out_len, struct lui_error *e);
void lui_blob_free(struct lui_blob *b);

/* ---- ELF ---------------------------------------------------------------- */

struct lui_load {
	uint64_t offset;	/* file offset */
	uint64_t filesz;
	uint64_t paddr;		/* link-time physical address */
	uint64_t memsz;
	uint64_t align;
};

struct lui_elf {
	unsigned int elf_class;	/* 32 or 64 */
	uint16_t machine;	/* EM_386 or EM_X86_64 */
	uint64_t entry;		/* e_entry (link-time) */
	unsigned int nr_loads;
	struct lui_load load[LUI_MAX_LOADS];	/* sorted by paddr */
	uint64_t lo, hi;	/* [lo, hi) covers every PT_LOAD */
	uint64_t max_align;
};

int lui_elf_parse(const uint8_t *img, size_t len, struct lui_elf *elf,
		  struct lui_error *e);

/* ---- multiboot2 header ---------------------------------------------- */


enum lui_mb2_pref {
	LUI_MB2_PREF_NONE = 0,
	LUI_MB2_PREF_LOW = 1,
	LUI_MB2_PREF_HIGH = 2,
};

struct lui_mb2_tag {
	bool present;
	bool optional;
	uint32_t offset;	/* file offset of the tag */
};

struct lui_mb2 {
	uint32_t offset;	/* file offset of the header */
	uint32_t architecture;
	uint32_t header_length;
	uint32_t checksum;
	unsigned int nr_tags;	/* including the end tag */
	unsigned int nr_unknown_optional;

	struct lui_mb2_tag info_req_tag;
	unsigned int nr_info_req;
	uint32_t info_req[LUI_MAX_INFO_REQ];

	struct lui_mb2_tag address_tag;
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;

	struct lui_mb2_tag entry_tag;		/* type 3 */
	uint32_t entry_addr;
	struct lui_mb2_tag entry_efi32_tag;	/* type 8 */
	uint32_t entry_efi32;
	struct lui_mb2_tag entry_efi64_tag;	/* type 9 */
	uint32_t entry_efi64;

	struct lui_mb2_tag console_tag;
	uint32_t console_flags;

	struct lui_mb2_tag fb_tag;
	uint32_t fb_width, fb_height, fb_depth;

	struct lui_mb2_tag module_align_tag;
	struct lui_mb2_tag efi_bs_tag;

	struct lui_mb2_tag reloc_tag;		/* type 10 */
	uint32_t reloc_min, reloc_max, reloc_align, reloc_pref;
};

int lui_mb2_parse(const uint8_t *img, size_t len, struct lui_mb2 *mb,
		  struct lui_error *e);
const char *lui_mb2_tag_name(unsigned int type);
/* MBI tag types this library writes; a required request for others fails. */
bool lui_mbi_provides(uint32_t mbi_tag_type);

/* ---- relocation of xen#2 --------------------------------------------- */

struct lui_range {
	uint64_t start;
	uint64_t size;		/* as KEXEC_CMD_kexec_get_range returns it */
};

struct lui_xen_place {
	uint64_t base;		/* where elf->lo goes */
	uint64_t delta;		/* added (mod 2^64) to every link address */
	uint64_t end;		/* base + page-rounded span, exclusive */
	uint64_t entry;		/* relocated MB2 entry (eip for purgatory) */
	uint64_t limit;		/* end of xen#1's region we may overwrite */
};

/* Live update: xen#2 at the start of MA_XEN, within xen#1's image region. */
int lui_place_xen(const struct lui_elf *elf, const struct lui_mb2 *mb,
		  const struct lui_range *ma_xen, struct lui_xen_place *pl,
		  struct lui_error *e);

/* ---- command line ------------------------------------------------------ */

/*
 * kexec-tools' format: "<image_name>" [" <append>"] [" liveupdate=%lluM@0x%llx"]
 * with MiB = (lu_end - lu_start) / 1 MiB + 1, lu_end = start + size - 1.
 * @lu NULL: cold kexec, no liveupdate=.  *out is malloc'd.
 */
int lui_cmdline_build(const char *image_name, const char *append,
		      const struct lui_range *lu, char **out,
		      struct lui_error *e);

/* ---- memory map, MBI ---------------------------------------------------- */

enum lui_mem_type {
	LUI_MEM_RAM = 1,	/* e820 and MB2 numbering agree for 1..5 */
	LUI_MEM_RESERVED = 2,
	LUI_MEM_ACPI = 3,
	LUI_MEM_NVS = 4,
	LUI_MEM_UNUSABLE = 5,
};

struct lui_mem {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

int lui_mmap_check(const struct lui_mem *map, unsigned int nr,
		   struct lui_error *e);

struct lui_module {
	const void *buf;
	uint64_t size;
	const char *cmdline;	/* "path args", as kexec-tools passes it */
};

struct lui_mbi_in {
	const char *cmdline;		/* from lui_cmdline_build() */
	const struct lui_mem *map;
	unsigned int nr_map;
	bool load_base;			/* add LOAD_BASE_ADDR (relocatable) */
	uint32_t load_base_addr;
	unsigned int nr_modules;
	const struct lui_module *modules;
	const uint64_t *module_dest;	/* NULL while only sizing */
};

/* Bytes the MBI will take; the input is checked as lui_mbi_build() would. */
int lui_mbi_size(const struct lui_mbi_in *in, size_t *size,
		 struct lui_error *e);
/* Write the MBI into @buf of @size bytes (exactly lui_mbi_size()). */
int lui_mbi_build(const struct lui_mbi_in *in, void *buf, size_t size,
		  struct lui_error *e);

/* ---- purgatory ----------------------------------------------------------- */

/*
 * The purgatory the kernel module accepts (UAPI "Purgatory"): cli, cld,
 * %eax = multiboot2 magic, %ebx = MBI, jump to xen#2's entry, hlt.
 */
#define LUI_PURGATORY_SIZE	20
void lui_purgatory_build(uint8_t *code, uint32_t mbi, uint32_t xen_entry);

/* ---- segment plan ------------------------------------------------------ */

/*
 * A segment's kind is the UAPI's enum xen_lu_segment_kind, so a plan's
 * segments go to XEN_LU_IOC_STAGE as they are.  XEN_LU_SEG_LOW_FILL has
 * no buffer: it maps [x, 1 MiB) for the image.
 */
struct lui_segment {
	enum xen_lu_segment_kind kind;
	unsigned int index;	/* PT_LOAD or module number */
	const void *buf;	/* NULL: mapped, not written */
	uint64_t buf_size;
	uint64_t dest;
	uint64_t dest_size;
};

enum lui_mode {
	LUI_MODE_LIVE_UPDATE,	/* KEXEC_TYPE_LIVE_UPDATE (2) */
	LUI_MODE_COLD,		/* KEXEC_TYPE_DEFAULT (0) */
};

struct lui_plan_in {
	enum lui_mode mode;
	const uint8_t *img;		/* the ELF (gunzipped) */
	size_t img_len;
	const struct lui_elf *elf;
	const struct lui_mb2 *mb;
	struct lui_range ma_xen;	/* live update */
	struct lui_range lu;		/* live update: KEXEC_RANGE_MA_LIVEUPDATE */
	const struct lui_mem *map;	/* machine memory map (MBI; cold: free RAM) */
	unsigned int nr_map;
	const char *image_name;
	const char *append;		/* may be NULL */
	uint64_t purgatory_size;
	unsigned int nr_modules;
	const struct lui_module *modules;
};

struct lui_plan {
	enum lui_mode mode;
	unsigned int nr;
	struct lui_segment seg[LUI_MAX_SEGMENTS];	/* sorted by dest */
	uint16_t arch;			/* EM_386: MB2 enters in 32-bit mode */
	uint64_t xen_base;
	uint64_t xen_entry;		/* eax=MB2 magic, ebx=mbi_dest, eip */
	uint64_t purgatory_dest;
	uint64_t mbi_dest;
	uint64_t module_dest[LUI_MAX_MODULES];
	uint64_t win_lo, win_hi;	/* LU: [lu_start + 4K, lu_start + size) */
	char *cmdline;			/* owned */
	void *mbi;			/* owned */
	size_t mbi_size;
};

int lui_plan_build(const struct lui_plan_in *in, struct lui_plan *plan,
		   struct lui_error *e);
/* Xen's do_kimage_alloc rules and ours (window, 4 GiB) on a finished plan. */
int lui_plan_check(const struct lui_plan *plan, struct lui_error *e);
void lui_plan_free(struct lui_plan *plan);
const char *lui_seg_kind_name(enum xen_lu_segment_kind kind);

#endif /* LUIMAGE_H */
