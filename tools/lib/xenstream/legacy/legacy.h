/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reader for pre-4.6 ("legacy") libxc save/migration streams, Format A and
 * Remus Format B (compressed checkpoints), as Xen 4.2-4.5's
 * xc_domain_save.c wrote them and xc_domain_restore.c read them.
 *
 * Pull interface: legacy_next() returns one event at a time.  Memory is
 * bounded whatever the stream size: one page batch (1024 pages), the
 * Remus receiver cache (8192 pages) and its pending pages (9216) once
 * compression is enabled, and single blobs capped at 128 MiB.  The library
 * never prints; faults are reported in the struct xs_error given at init,
 * with the byte offset and a stable rule name ("legacy.*").
 */
#ifndef XENSTREAM_LEGACY_H
#define XENSTREAM_LEGACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "reader.h"
#include "remus.h"

#define LEGACY_MAX_BATCH	1024U	/* MAX_BATCH_SIZE */
#define LEGACY_MAX_VCPUS	4096U	/* XC_SR_MAX_VCPUS */
#define LEGACY_BLOB_MAX		(128U << 20)
#define LEGACY_P2M_SIZE_MAX	(1U << 28)	/* PFNs are 28 bits wide */
#define LEGACY_XSAVE_MAX	(1U << 20)
#define LEGACY_VCPU_SIZE_32	0xaf0U	/* sizeof(vcpu_guest_context_x86_32_t) */
#define LEGACY_VCPU_SIZE_64	0x1430U	/* sizeof(vcpu_guest_context_x86_64_t) */
#define LEGACY_VCPU_EXT_SIZE	128U
#define LEGACY_PENDING_MAX	(REMUS_BUFFER_PAGES + LEGACY_MAX_BATCH)

/* XC_SAVE_ID_* (xg_save_restore.h, Xen 4.5) */
#define XC_SAVE_ID_ENABLE_VERIFY_MODE		-1
#define XC_SAVE_ID_VCPU_INFO			-2
#define XC_SAVE_ID_HVM_IDENT_PT			-3
#define XC_SAVE_ID_HVM_VM86_TSS			-4
#define XC_SAVE_ID_TMEM				-5
#define XC_SAVE_ID_TMEM_EXTRA			-6
#define XC_SAVE_ID_TSC_INFO			-7
#define XC_SAVE_ID_HVM_CONSOLE_PFN		-8
#define XC_SAVE_ID_LAST_CHECKPOINT		-9
#define XC_SAVE_ID_HVM_ACPI_IOPORTS_LOCATION	-10
#define XC_SAVE_ID_HVM_VIRIDIAN			-11
#define XC_SAVE_ID_COMPRESSED_DATA		-12
#define XC_SAVE_ID_ENABLE_COMPRESSION		-13
#define XC_SAVE_ID_HVM_GENERATION_ID_ADDR	-14
#define XC_SAVE_ID_HVM_PAGING_RING_PFN		-15
#define XC_SAVE_ID_HVM_ACCESS_RING_PFN		-16
#define XC_SAVE_ID_HVM_SHARING_RING_PFN		-17
#define XC_SAVE_ID_TOOLSTACK			-18
#define XC_SAVE_ID_HVM_IOREQ_SERVER_PFN		-19
#define XC_SAVE_ID_HVM_NR_IOREQ_SERVER_PAGES	-20
#define XC_SAVE_ID_MIN				-20

/* XEN_DOMCTL_PFINFO_* as the legacy entries carry them (bits 31-28) */
#define LEGACY_PFINFO_SHIFT	28
#define LEGACY_PFINFO_MASK	0xf0000000U
#define LEGACY_PFN_MASK		0x0fffffffU
#define LEGACY_XTAB_NO_PFN	0xf0000000U	/* unmappable page, no pfn */

/* HVM params (xen/include/public/hvm/params.h) */
#define HVM_PARAM_STORE_PFN			1
#define HVM_PARAM_IOREQ_PFN			5
#define HVM_PARAM_BUFIOREQ_PFN			6
#define HVM_PARAM_VIRIDIAN			9
#define HVM_PARAM_IDENT_PT			12
#define HVM_PARAM_VM86_TSS			15
#define HVM_PARAM_CONSOLE_PFN			17
#define HVM_PARAM_ACPI_IOPORTS_LOCATION		19
#define HVM_PARAM_PAGING_RING_PFN		27
#define HVM_PARAM_MONITOR_RING_PFN		28	/* ACCESS_RING in 4.5 */
#define HVM_PARAM_SHARING_RING_PFN		29
#define HVM_PARAM_IOREQ_SERVER_PFN		32
#define HVM_PARAM_NR_IOREQ_SERVER_PAGES		33
#define HVM_PARAM_VM_GENERATION_ID_ADDR		34

enum legacy_ev_type {
	LEGACY_EV_P2M_SIZE,	/* u.p2m_size */
	LEGACY_EV_PV_INFO,	/* u.pv (PV only) */
	LEGACY_EV_P2M_FRAMES,	/* u.frames (PV only) */
	LEGACY_EV_PAGES,	/* u.pages: one batch, Format A or decoded B */
	LEGACY_EV_CHUNK,	/* chunk_id < 0; u.param / u.tsc / ... */
	LEGACY_EV_BODY_END,	/* the 0 marker */
	LEGACY_EV_UNMAPPED,	/* u.count (PV tail) */
	LEGACY_EV_VCPU,		/* u.vcpu (PV tail) */
	LEGACY_EV_SHARED_INFO,	/* u.blob, 4096 octets */
	LEGACY_EV_HVM_MAGIC,	/* u.magic */
	LEGACY_EV_HVM_CONTEXT,	/* u.blob */
	LEGACY_EV_QEMU,		/* u.qemu */
	LEGACY_EV_CHECKPOINT_END, /* u.last: LAST_CHECKPOINT was seen */
	LEGACY_EV_EOF,
};

enum legacy_qemu_kind {
	LEGACY_QEMU_COMPAT,	/* "QemuDeviceModelRecord", data to EOF */
	LEGACY_QEMU_V2,		/* "DeviceModelRecord0002" */
	LEGACY_QEMU_REMUS,	/* "RemusDeviceModelState" */
};

#define LEGACY_QEMU_SIG_LEN	21

struct legacy_event {
	enum legacy_ev_type type;
	uint64_t offset;		/* stream offset where it began */
	unsigned int checkpoint;	/* 0 for the first */
	int32_t chunk_id;		/* LEGACY_EV_CHUNK */
	union {
		uint64_t p2m_size;
		struct {
			uint8_t guest_width, pt_levels;
			uint32_t vcpu_size;	/* basic context */
			bool extv;		/* 128-octet extended ctx */
			uint32_t xsave_size;	/* "xcnt": 16 + area, or 0 */
		} pv;
		struct {
			uint32_t nr;
			const uint64_t *pfn;	/* p2m frame list, as pfns */
		} frames;
		struct {
			uint32_t nr;		/* entries incl. no-data ones */
			const uint64_t *entry;	/* legacy pfn|type<<28 */
			uint32_t nr_pages;	/* entries with data */
			const uint8_t *data;	/* nr_pages * 4096 */
			bool compressed;	/* came from Format B */
		} pages;
		struct {
			uint32_t index;		/* HVM_PARAM_* */
			uint64_t value;
		} param;
		struct {
			uint32_t mode, khz, incarnation;
			uint64_t nsec;
		} tsc;
		struct {
			uint32_t max_vcpu_id;
			const uint64_t *map;
		} vcpu_info;
		struct {
			uint32_t len;
			const uint8_t *data;
		} blob;
		struct {
			uint32_t pools, pages, extra;
		} tmem;
		uint32_t count;
		struct {
			uint32_t id;
			const uint8_t *basic;
			uint32_t basic_len;	/* pv.vcpu_size */
			const uint8_t *ext;	/* 128 or NULL */
			const uint8_t *xsave;	/* xsave_len or NULL */
			uint64_t xsave_mask;
			uint32_t xsave_len;
		} vcpu;
		struct {
			uint64_t ioreq, bufioreq, store;
		} magic;
		struct {
			enum legacy_qemu_kind kind;
			const char *sig;	/* 21 octets, not terminated */
			uint32_t len;
			const uint8_t *data;
		} qemu;
		bool last;
	} u;
};

struct legacy_cfg {
	unsigned int width;	/* toolstack unsigned long: 4 or 8 */
	bool hvm;
	bool skip_qemu;		/* stop after the HVM context (no qemu tail) */
	uint32_t cache_pages;	/* Remus mirror; 0 = REMUS_CACHE_PAGES */
};

struct legacy_reader;

/* 0, or -1 with err filled (XS_ERR_USAGE / XS_ERR_NOMEM). */
int legacy_open(struct legacy_reader **lr, struct xs_reader *src,
		const struct legacy_cfg *cfg, struct xs_error *err);
void legacy_close(struct legacy_reader *lr);

/*
 * Next event: 0 with *ev filled (pointers valid until the next call), or
 * -1 with the error.  After LEGACY_EV_EOF or an error, keeps failing.
 */
int legacy_next(struct legacy_reader *lr, struct legacy_event *ev);

/*
 * legacy_probe(): how sure the first n bytes (XS_DETECT_BYTES do) are of
 * a legacy stream, and its geometry as far as they tell.  The geometry is
 * filled in whatever the answer, as the best reading of those bytes: a
 * legacy HVM stream whose body starts with its end marker reads as width
 * 8, and one without a PV signature reads as HVM.
 */
enum legacy_guess {
	LEGACY_NO,
	LEGACY_LIKELY,		/* plausible (HVM: no magic to be sure by) */
	LEGACY_SURE,		/* PV: p2m_size, ~0UL, a known block */
};

struct legacy_geometry {
	unsigned int width;	/* toolstack unsigned long: 4 or 8 */
	bool hvm;
};

enum legacy_guess legacy_probe(const uint8_t *p, size_t n,
			       struct legacy_geometry *g);

/* Name of an XC_SAVE_ID_* chunk, or NULL. */
const char *legacy_chunk_name(int32_t id);
/* The HVM_PARAM_* an HVM chunk carries, or -1 if it carries none. */
int legacy_chunk_param(int32_t id);

#endif /* XENSTREAM_LEGACY_H */
