// SPDX-License-Identifier: GPL-2.0-only
/*
 * XC_SAVE_ID_* chunks, with the layouts xc_domain_save.c wrote:
 *   HVM params: int id; uint32_t pad; uint64_t value          (16 octets)
 *   VCPU_INFO:  int id; int max_vcpu_id; uint64_t map[max/64 + 1]
 *   TSC_INFO:   int id; u32 mode; u64 nsec; u32 khz; u32 incarnation
 *   TOOLSTACK:  int id; u32 len; len octets
 *   COMPRESSED_DATA: int id; unsigned long len; len octets
 *   TMEM, TMEM_EXTRA: xc_tmem.c's own layout (walked, not kept)
 *   others: the id alone
 */
#include <string.h>

#include "priv.h"

static const char *const names[] = {
	[1] = "enable_verify_mode",
	[2] = "vcpu_info",
	[3] = "hvm_ident_pt",
	[4] = "hvm_vm86_tss",
	[5] = "tmem",
	[6] = "tmem_extra",
	[7] = "tsc_info",
	[8] = "hvm_console_pfn",
	[9] = "last_checkpoint",
	[10] = "hvm_acpi_ioports_location",
	[11] = "hvm_viridian",
	[12] = "compressed_data",
	[13] = "enable_compression",
	[14] = "hvm_generation_id_addr",
	[15] = "hvm_paging_ring_pfn",
	[16] = "hvm_access_ring_pfn",
	[17] = "hvm_sharing_ring_pfn",
	[18] = "toolstack",
	[19] = "hvm_ioreq_server_pfn",
	[20] = "hvm_nr_ioreq_server_pages",
};

static const int params[] = {
	[3] = HVM_PARAM_IDENT_PT,
	[4] = HVM_PARAM_VM86_TSS,
	[8] = HVM_PARAM_CONSOLE_PFN,
	[10] = HVM_PARAM_ACPI_IOPORTS_LOCATION,
	[11] = HVM_PARAM_VIRIDIAN,
	[14] = HVM_PARAM_VM_GENERATION_ID_ADDR,
	[15] = HVM_PARAM_PAGING_RING_PFN,
	[16] = HVM_PARAM_MONITOR_RING_PFN,
	[17] = HVM_PARAM_SHARING_RING_PFN,
	[19] = HVM_PARAM_IOREQ_SERVER_PFN,
	[20] = HVM_PARAM_NR_IOREQ_SERVER_PAGES,
};

const char *legacy_chunk_name(int32_t id)
{
	if (id >= 0 || id < XC_SAVE_ID_MIN)
		return id == 0 ? "end" : NULL;
	return names[-id];
}

int legacy_chunk_param(int32_t id)
{
	if (id >= 0 || id < XC_SAVE_ID_MIN || !params[-id])
		return -1;
	return params[-id];
}

static int vcpu_info(struct legacy_reader *lr, uint64_t off,
		     struct legacy_event *ev)
{
	uint32_t max, words, i;

	if (lr_u32(lr, &max, "vcpu_info max_vcpu_id"))
		return -1;
	if (max >= LEGACY_MAX_VCPUS)
		return lr_fail(lr, off + 4, "legacy.vcpu-info.max",
			       "max_vcpu_id %d not in 0..%u", (int32_t)max,
			       LEGACY_MAX_VCPUS - 1);
	words = max / 64 + 1;
	memset(lr->vcpumap, 0, sizeof(lr->vcpumap));
	for (i = 0; i < words; i++)
		if (lr_u64(lr, &lr->vcpumap[i], "the vcpu map"))
			return -1;
	if ((max % 64) != 63 && (lr->vcpumap[words - 1] >> (max % 64 + 1)))
		return lr_fail(lr, off + 8, "legacy.vcpu-info.map",
			       "vcpu map has vcpus above max_vcpu_id %u", max);
	lr->max_vcpu_id = max;
	ev->u.vcpu_info.max_vcpu_id = max;
	ev->u.vcpu_info.map = lr->vcpumap;
	return 0;
}

/* xc_tmem_save(): walk the pools and pages without keeping them. */
static int tmem(struct legacy_reader *lr, uint64_t off, struct legacy_event *ev)
{
	uint32_t h[7], pool, flags, n, i;

	for (i = 0; i < 7; i++)
		if (lr_u32(lr, &h[i], "the tmem header"))
			return -1;
	if (h[2] != UINT32_MAX || h[6] != UINT32_MAX)
		return lr_fail(lr, off + 4, "legacy.tmem.header",
			       "tmem header separators are not -1");
	for (;;) {
		uint64_t pagesize;

		if (lr_u32(lr, &pool, "a tmem pool id"))
			return -1;
		if (pool == UINT32_MAX)
			break;
		if (ev->u.tmem.pools++ >= h[1])
			return lr_fail(lr, lr_off(lr) - 4, "legacy.tmem.pools",
				       "more tmem pools than max_pools %u", h[1]);
		if (lr_u32(lr, &flags, "tmem pool flags") ||
		    lr_u32(lr, &n, "tmem pool n_pages") ||
		    lr_skip(lr, 16, "tmem pool uuid"))
			return -1;
		pagesize = 1ULL << (((flags >> 24) & 0xf) + 12);
		if (pagesize > LEGACY_BLOB_MAX)
			return lr_fail(lr, lr_off(lr), "legacy.tmem.pagesize",
				       "tmem page size %llu too large",
				       (unsigned long long)pagesize);
		for (; n; n--) {
			uint64_t oid[3];

			if (lr_u64(lr, &oid[0], "a tmem oid") ||
			    lr_u64(lr, &oid[1], "a tmem oid") ||
			    lr_u64(lr, &oid[2], "a tmem oid"))
				return -1;
			if (oid[0] == UINT64_MAX && oid[1] == UINT64_MAX &&
			    oid[2] == UINT64_MAX)
				break;
			if (lr_skip(lr, 4 + pagesize, "a tmem page"))
				return -1;
			ev->u.tmem.pages++;
		}
	}
	return 0;
}

static int tmem_extra(struct legacy_reader *lr, struct legacy_event *ev)
{
	uint32_t pool;

	for (;;) {
		if (lr_u32(lr, &pool, "a tmem_extra pool id"))
			return -1;
		if (pool == UINT32_MAX)
			return 0;
		if (lr_skip(lr, 24 + 4, "a tmem_extra handle"))
			return -1;
		ev->u.tmem.extra++;
	}
}

static int compressed(struct legacy_reader *lr, uint64_t off)
{
	if (!lr->compressing)
		return lr_fail(lr, off, "legacy.compressed.not-enabled",
			       "compressed data in a body that is not Format B");
	return legacy_b_data(lr, off) ? -1 : 1;
}

/* 0 with an event, 1 consumed without one, -1 error. */
int legacy_chunk(struct legacy_reader *lr, int32_t id, struct legacy_event *ev)
{
	uint64_t off = ev->offset;
	uint32_t pad, len;
	int param = legacy_chunk_param(id);

	if (!legacy_chunk_name(id))
		return lr_fail(lr, off, "legacy.chunk.unknown",
			       "unknown chunk id %d", id);
	ev->type = LEGACY_EV_CHUNK;
	ev->chunk_id = id;
	if (param >= 0) {
		if (!lr->cfg.hvm)
			return lr_fail(lr, off, "legacy.chunk.hvm-only",
				       "HVM-only chunk %s in a PV stream",
				       legacy_chunk_name(id));
		ev->u.param.index = (uint32_t)param;
		return lr_u32(lr, &pad, "chunk padding") ||
		       lr_u64(lr, &ev->u.param.value, "chunk value") ? -1 : 0;
	}
	switch (id) {
	case XC_SAVE_ID_VCPU_INFO:
		return vcpu_info(lr, off, ev);
	case XC_SAVE_ID_TSC_INFO:
		return lr_u32(lr, &ev->u.tsc.mode, "tsc_info mode") ||
		       lr_u64(lr, &ev->u.tsc.nsec, "tsc_info nsec") ||
		       lr_u32(lr, &ev->u.tsc.khz, "tsc_info khz") ||
		       lr_u32(lr, &ev->u.tsc.incarnation,
			      "tsc_info incarnation") ? -1 : 0;
	case XC_SAVE_ID_TOOLSTACK:
		if (lr_u32(lr, &len, "toolstack length") ||
		    lr_blob(lr, len, "toolstack data"))
			return -1;
		ev->u.blob.len = len;
		ev->u.blob.data = lr->blob;
		return 0;
	case XC_SAVE_ID_TMEM:
		return tmem(lr, off, ev);
	case XC_SAVE_ID_TMEM_EXTRA:
		return tmem_extra(lr, ev);
	case XC_SAVE_ID_COMPRESSED_DATA:
		return compressed(lr, off);
	case XC_SAVE_ID_LAST_CHECKPOINT:
		lr->last_checkpoint = true;
		return 0;
	case XC_SAVE_ID_ENABLE_COMPRESSION:
		lr->compress_next = true;
		return 0;
	default:	/* ENABLE_VERIFY_MODE */
		return 0;
	}
}
