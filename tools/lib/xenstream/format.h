/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * On-wire formats read and written by libxenstream.
 *
 * Sources: Xen's docs/specs/libxc-migration-stream.pandoc (revision 3),
 * docs/specs/libxl-migration-stream.pandoc (revision 2), tools/xl/xl.h, and
 * the live update handover spec (Woodhouse, revision 1).  The full rules
 * are in Documentation/userspace-api/xen-liveupdate-stream.rst.
 *
 * Byte order: the libxc image header and the libxl stream header are
 * big-endian; everything else is little-endian (the only byte order Xen
 * itself restores).  The structs describe the layout only; read fields with
 * the helpers in endian.h, never by casting a stream buffer.
 */
#ifndef XENSTREAM_FORMAT_H
#define XENSTREAM_FORMAT_H

#include <stdint.h>

#define XS_PAGE_SHIFT		12
#define XS_PAGE_SIZE		(1U << XS_PAGE_SHIFT)

/* ---- Record framing (shared by libxc, libxl and live update streams) --- */

struct xs_rhdr {
	uint32_t type;
	uint32_t length;		/* body octets, padding excluded */
};
_Static_assert(sizeof(struct xs_rhdr) == 8, "rhdr");

#define XS_REC_ALIGN		8U
#define XS_REC_LENGTH_MAX	(128U << 20)
#define XS_REC_TYPE_OPTIONAL	0x80000000U
#define XS_REC_TYPE_LIVE_UPDATE	0x40000000U

/* ---- libxc Domain Image Format ---------------------------------------- */

struct xs_ihdr {			/* big-endian */
	uint64_t marker;
	uint32_t id;
	uint32_t version;
	uint16_t options;
	uint16_t _res1;
	uint32_t _res2;
};
_Static_assert(sizeof(struct xs_ihdr) == 24, "ihdr");

#define XS_IHDR_MARKER		0xffffffffffffffffULL
#define XS_IHDR_ID		0x58454E46U	/* "XENF" */
#define XS_IHDR_VERSION_MIN	2U
#define XS_IHDR_VERSION		3U
#define XS_IHDR_OPT_BIG_ENDIAN	0x0001U
#define XS_IHDR_OPT_RESERVED	0xfffeU

struct xs_dhdr {
	uint32_t type;
	uint16_t page_shift;
	uint16_t _res1;
	uint32_t xen_major;
	uint32_t xen_minor;
};
_Static_assert(sizeof(struct xs_dhdr) == 16, "dhdr");

#define XS_DHDR_TYPE_X86_PV	0x0001U
#define XS_DHDR_TYPE_X86_HVM	0x0002U

/* libxc record types */
#define XS_REC_END				0x00000000U
#define XS_REC_PAGE_DATA			0x00000001U
#define XS_REC_X86_PV_INFO			0x00000002U
#define XS_REC_X86_PV_P2M_FRAMES		0x00000003U
#define XS_REC_X86_PV_VCPU_BASIC		0x00000004U
#define XS_REC_X86_PV_VCPU_EXTENDED		0x00000005U
#define XS_REC_X86_PV_VCPU_XSAVE		0x00000006U
#define XS_REC_SHARED_INFO			0x00000007U
#define XS_REC_X86_TSC_INFO			0x00000008U
#define XS_REC_HVM_CONTEXT			0x00000009U
#define XS_REC_HVM_PARAMS			0x0000000aU
#define XS_REC_TOOLSTACK			0x0000000bU
#define XS_REC_X86_PV_VCPU_MSRS			0x0000000cU
#define XS_REC_VERIFY				0x0000000dU
#define XS_REC_CHECKPOINT			0x0000000eU
#define XS_REC_CHECKPOINT_DIRTY_PFN_LIST	0x0000000fU
#define XS_REC_STATIC_DATA_END			0x00000010U
#define XS_REC_X86_CPUID_POLICY			0x00000011U
#define XS_REC_X86_MSR_POLICY			0x00000012U
#define XS_REC_LIBXC_MAX			XS_REC_X86_MSR_POLICY

struct xs_rec_page_data_header {
	uint32_t count;
	uint32_t _res1;
	/* uint64_t pfn[count]; then one page per pfn whose type has data */
};
_Static_assert(sizeof(struct xs_rec_page_data_header) == 8, "page_data");

#define XS_PAGE_DATA_PFN_MASK		0x000fffffffffffffULL
#define XS_PAGE_DATA_RESERVED_MASK	0x0ff0000000000000ULL
#define XS_PAGE_DATA_TYPE_SHIFT		60
/* XEN_DOMCTL_PFINFO_* >> 28, as found in pfn bits 63-60 */
#define XS_PFINFO_NOTAB		0x0U
#define XS_PFINFO_L1TAB		0x1U
#define XS_PFINFO_L2TAB		0x2U
#define XS_PFINFO_L3TAB		0x3U
#define XS_PFINFO_L4TAB		0x4U
#define XS_PFINFO_LPINTAB	0x8U	/* pinned bit; 0x9-0xc are pinned L1-L4 */
#define XS_PFINFO_BROKEN	0xdU
#define XS_PFINFO_XALLOC	0xeU
#define XS_PFINFO_XTAB		0xfU

struct xs_rec_x86_pv_info {
	uint8_t guest_width;
	uint8_t pt_levels;
	uint8_t _res[6];
};
_Static_assert(sizeof(struct xs_rec_x86_pv_info) == 8, "pv_info");

struct xs_rec_x86_pv_p2m_frames {
	uint32_t start_pfn;
	uint32_t end_pfn;
	/* uint64_t p2m_pfns[]; */
};
_Static_assert(sizeof(struct xs_rec_x86_pv_p2m_frames) == 8, "p2m_frames");

struct xs_rec_x86_pv_vcpu_hdr {
	uint32_t vcpu_id;
	uint32_t _res1;
	/* uint8_t context[]; */
};
_Static_assert(sizeof(struct xs_rec_x86_pv_vcpu_hdr) == 8, "vcpu_hdr");

struct xs_rec_x86_tsc_info {
	uint32_t mode;
	uint32_t khz;
	uint64_t nsec;
	uint32_t incarnation;
	uint32_t _res1;
};
_Static_assert(sizeof(struct xs_rec_x86_tsc_info) == 24, "tsc_info");

struct xs_rec_hvm_params_entry {
	uint64_t index;
	uint64_t value;
};
_Static_assert(sizeof(struct xs_rec_hvm_params_entry) == 16, "hvm_param");

struct xs_rec_hvm_params {
	uint32_t count;
	uint32_t _res1;
	/* struct xs_rec_hvm_params_entry param[count]; */
};
_Static_assert(sizeof(struct xs_rec_hvm_params) == 8, "hvm_params");

struct xs_cpuid_leaf {			/* xen_cpuid_leaf_t */
	uint32_t leaf, subleaf;
	uint32_t a, b, c, d;
};
_Static_assert(sizeof(struct xs_cpuid_leaf) == 24, "cpuid_leaf");

struct xs_msr_entry {			/* xen_msr_entry_t */
	uint32_t idx;
	uint32_t flags;			/* reserved, MBZ */
	uint64_t val;
};
_Static_assert(sizeof(struct xs_msr_entry) == 16, "msr_entry");

/* ---- libxl stream ------------------------------------------------------ */

struct xs_libxl_hdr {			/* big-endian */
	uint64_t ident;
	uint32_t version;
	uint32_t options;
};
_Static_assert(sizeof(struct xs_libxl_hdr) == 16, "libxl_hdr");

#define XS_LIBXL_IDENT			0x4c6962786c466d74ULL	/* "LibxlFmt" */
#define XS_LIBXL_VERSION		2U
#define XS_LIBXL_OPT_BIG_ENDIAN		(1U << 0)
#define XS_LIBXL_OPT_LEGACY		(1U << 1)
#define XS_LIBXL_OPT_RESERVED		0xfffffffcU

#define XS_LIBXL_REC_END			0x00000000U
#define XS_LIBXL_REC_LIBXC_CONTEXT		0x00000001U
#define XS_LIBXL_REC_EMULATOR_XENSTORE_DATA	0x00000002U
#define XS_LIBXL_REC_EMULATOR_CONTEXT		0x00000003U
#define XS_LIBXL_REC_CHECKPOINT_END		0x00000004U
#define XS_LIBXL_REC_CHECKPOINT_STATE		0x00000005U
#define XS_LIBXL_REC_MAX			XS_LIBXL_REC_CHECKPOINT_STATE

struct xs_libxl_emulator_hdr {
	uint32_t id;
	uint32_t index;
};
_Static_assert(sizeof(struct xs_libxl_emulator_hdr) == 8, "emulator_hdr");

#define XS_EMULATOR_UNKNOWN		0U
#define XS_EMULATOR_QEMU_TRADITIONAL	1U
#define XS_EMULATOR_QEMU_UPSTREAM	2U

struct xs_libxl_checkpoint_state {
	uint32_t control_id;
};
_Static_assert(sizeof(struct xs_libxl_checkpoint_state) == 4, "ckpt_state");

#define XS_CHECKPOINT_NEW		0U
#define XS_CHECKPOINT_SVM_SUSPENDED	1U
#define XS_CHECKPOINT_SVM_READY		2U
#define XS_CHECKPOINT_SVM_RESUMED	3U

/* ---- xl save-file header (tools/xl/xl.h), host byte order --------------- */

#define XS_XL_MAGIC		"Xen saved domain, xl format\n \0 \r"
#define XS_XL_MAGIC_LEN		32

struct xs_xl_hdr {
	char magic[XS_XL_MAGIC_LEN];
	uint32_t byteorder;
	uint32_t mandatory_flags;
	uint32_t optional_flags;
	uint32_t optional_data_len;
	/* optional data: uint32_t config_len; config bytes; ... */
};
_Static_assert(sizeof(struct xs_xl_hdr) == 48, "xl_hdr");

#define XS_XL_BYTEORDER			0x01020304U
#define XS_XL_MANDATORY_FLAG_JSON	(1U << 0)
#define XS_XL_MANDATORY_FLAG_STREAMV2	(1U << 1)
#define XS_XL_MANDATORY_FLAGS_KNOWN	0x3U
/* Bound on the optional data (xl config); real configs are a few KiB. */
#define XS_XL_OPTIONAL_DATA_MAX		(16U << 20)

/* ---- Live update stream -------------------------------------------------- */

#define XS_LU_REC_VERSION	0x40000000U
#define XS_LU_REC_M2P		0x40000001U
#define XS_LU_REC_M2P_COMPAT	0x40000002U
#define XS_LU_REC_DOMAIN_INFO	0x40000003U
#define XS_LU_REC_MAX		XS_LU_REC_DOMAIN_INFO
/* Optional live update records (dom0's): 0xC0000000 - 0xFFFFFFFF */
#define XS_LU_REC_OPTIONAL_BASE	(XS_REC_TYPE_OPTIONAL | XS_REC_TYPE_LIVE_UPDATE)

struct xs_lu_version {
	uint32_t xen_major;
	uint32_t xen_minor;
};
_Static_assert(sizeof(struct xs_lu_version) == 8, "lu_version");

/* LU_M2P / LU_M2P_COMPAT entry: address | order (low 12 bits) */
#define XS_LU_M2P_ORDER_MASK	0xfffULL
#define XS_LU_M2P_ADDR_MASK	(~XS_LU_M2P_ORDER_MASK)
/* x86-64 physical addresses are at most 52 bits wide. */
#define XS_LU_M2P_PADDR_BITS	52
#define XS_LU_M2P_ORDER_MAX	(XS_LU_M2P_PADDR_BITS - XS_PAGE_SHIFT)

struct xs_lu_domain_info {
	uint32_t type;			/* XS_DHDR_TYPE_* */
	uint16_t page_shift;
	uint16_t domain_id;
	uint8_t domain_handle[16];
	uint32_t ssidref;
	uint32_t flags;			/* XEN_DOMCTL_CDF_* */
	uint32_t max_vcpus;
	uint32_t emulation_flags;	/* XEN_X86_EMU_* */
	uint32_t extra_flags;
	uint32_t _pad;
};
_Static_assert(sizeof(struct xs_lu_domain_info) == 48, "lu_domain_info");

#define XS_LU_DOMAIN_PRIVILEGED		0x00000001U
#define XS_LU_DOMAIN_EXTRA_KNOWN	XS_LU_DOMAIN_PRIVILEGED
/* DOMID_FIRST_RESERVED: real domains have smaller ids. */
#define XS_DOMID_FIRST_RESERVED		0x7ff0U

/* vCPU ids at or above this are rejected (Xen's x86 limit is 8192 vCPUs). */
#define XS_MAX_VCPUS			8192U

/* ---- Breadcrumb at the start of the live update boot memory ------------- */

struct xs_lu_breadcrumb {
	uint64_t magic;
	uint64_t mfn_array_physaddr;
	uint64_t shifted_nr_pages;	/* nr_pages << XS_PAGE_SHIFT */
};
_Static_assert(sizeof(struct xs_lu_breadcrumb) == 24, "breadcrumb");

/* "LiveUpda" masked with PAGE_MASK */
#define XS_LU_BREADCRUMB_MAGIC	0x4c69766555706000ULL

#endif /* XENSTREAM_FORMAT_H */
