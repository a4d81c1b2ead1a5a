// SPDX-License-Identifier: GPL-2.0-only
/*
 * Body rules of libxc records, checked outside in: fixed part present,
 * counts, element ranges, exact total length.  Used by the libxc layer and
 * by live update domain groups.  Page contents are skipped, never kept.
 */
#include "ctx.h"
#include "endian.h"

#define body_off(ctx) ((ctx)->r->body_offset)

static int need_len(struct xs_ctx *ctx, const char *rule, uint32_t want)
{
	struct xs_reader *r = ctx->r;

	if (r->length != want)
		return xs_fail(r, r->rec_offset + 4, rule,
			       "length %u, expected %u", r->length, want);
	return 0;
}

static int min_len(struct xs_ctx *ctx, const char *rule, uint32_t want)
{
	struct xs_reader *r = ctx->r;

	if (r->length < want)
		return xs_fail(r, r->rec_offset + 4, rule,
			       "length %u, expected at least %u",
			       r->length, want);
	return 0;
}

static bool pfn_type_known(unsigned int t)
{
	return t <= XS_PFINFO_L4TAB || t >= 0x9;
}

static bool pfn_type_has_data(unsigned int t)
{
	return (t & ~XS_PFINFO_LPINTAB) <= XS_PFINFO_L4TAB;
}

static int page_data(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	struct xs_reader *r = ctx->r;
	uint64_t hdr_off = body_off(ctx), nr_data = 0, want;
	uint32_t count, i = 0;
	const uint8_t *p;

	if (min_len(ctx, "page-data.short", 8) || xs_body(r, 8, &p))
		return -1;
	count = xs_get_le32(p);
	if (count < 1)
		return xs_fail(r, hdr_off, "page-data.count",
			       "count 0, expected at least 1");
	if (xs_get_le32(p + 4))
		return xs_fail(r, hdr_off + 4, "page-data.reserved",
			       "reserved field %#x, expected 0",
			       xs_get_le32(p + 4));
	/* length <= 128 MiB, so count * 8 is compared without overflow */
	if ((uint64_t)count * 8 > (uint64_t)r->length - 8)
		return xs_fail(r, r->rec_offset + 4, "page-data.pfn-array",
			       "length %u too short for %u pfns",
			       r->length, count);

	while (i < count) {
		uint32_t n = count - i, j;

		if (n > XS_READER_WINDOW / 8)
			n = XS_READER_WINDOW / 8;
		if (xs_body(r, (size_t)n * 8, &p))
			return -1;
		for (j = 0; j < n; j++, i++) {
			uint64_t pfn = xs_get_le64(p + 8 * j);
			unsigned int t = (unsigned int)(pfn >>
						XS_PAGE_DATA_TYPE_SHIFT);
			uint64_t off = hdr_off + 8 + 8 * (uint64_t)i;

			if (pfn & XS_PAGE_DATA_RESERVED_MASK)
				return xs_fail(r, off, "page-data.pfn-reserved",
					       "pfn[%u] %#llx has reserved bits 59-52 set",
					       i, (unsigned long long)pfn);
			if (!pfn_type_known(t))
				return xs_fail(r, off, "page-data.pfn-type",
					       "pfn[%u] %#llx has reserved type %#x",
					       i, (unsigned long long)pfn, t);
			if ((pfn & XS_PAGE_DATA_PFN_MASK) > bi->max_pfn)
				return xs_fail(r, off, "page-data.pfn-range",
					       "pfn[%u] %#llx beyond the p2m end %#llx",
					       i, (unsigned long long)
					       (pfn & XS_PAGE_DATA_PFN_MASK),
					       (unsigned long long)bi->max_pfn);
			nr_data += pfn_type_has_data(t);
		}
	}

	want = 8 + (uint64_t)count * 8 + nr_data * XS_PAGE_SIZE;
	if (r->length != want)
		return xs_fail(r, r->rec_offset + 4, "page-data.length",
			       "length %u, expected %llu (8 + 8 * %u pfns + 4096 * %llu pages)",
			       r->length, (unsigned long long)want, count,
			       (unsigned long long)nr_data);

	ctx->st->page_data_records++;
	ctx->st->pfns += count;
	ctx->st->pages += nr_data;
	xs_ctx_field(ctx, "count", count);
	xs_ctx_field(ctx, "pages", nr_data);
	return 0;
}

static int pv_info(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	struct xs_reader *r = ctx->r;
	const uint8_t *p;
	unsigned int i;

	if (need_len(ctx, "pv-info.length", 8) || xs_body(r, 8, &p))
		return -1;
	if (!((p[0] == 8 && p[1] == 4) || (p[0] == 4 && p[1] == 3)))
		return xs_fail(r, body_off(ctx), "pv-info.width-levels",
			       "guest width %u with %u page-table levels, expected 8/4 or 4/3",
			       p[0], p[1]);
	for (i = 2; i < 8; i++)
		if (p[i])
			return xs_fail(r, body_off(ctx) + i,
				       "pv-info.reserved",
				       "reserved byte %u is %#x", i, p[i]);
	bi->guest_width = p[0];
	xs_ctx_field(ctx, "guest_width", p[0]);
	xs_ctx_field(ctx, "pt_levels", p[1]);
	return 0;
}

static int p2m_frames(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	struct xs_reader *r = ctx->r;
	uint32_t start, end;
	uint64_t frames, want;
	const uint8_t *p;

	if (min_len(ctx, "p2m-frames.short", 8) || xs_body(r, 8, &p))
		return -1;
	if (r->length % 8)
		return xs_fail(r, r->rec_offset + 4, "p2m-frames.length",
			       "length %u is not a multiple of 8", r->length);
	start = xs_get_le32(p);
	end = xs_get_le32(p + 4);
	if (start > end)
		return xs_fail(r, body_off(ctx), "p2m-frames.range",
			       "start pfn %#x above end pfn %#x", start, end);
	frames = (r->length - 8) / 8;
	if (bi->guest_width) {
		uint64_t fpp = XS_PAGE_SIZE / bi->guest_width;

		want = end / fpp - start / fpp + 1;
		if (frames != want)
			return xs_fail(r, r->rec_offset + 4,
				       "p2m-frames.count",
				       "%llu frames for pfns %#x-%#x, expected %llu",
				       (unsigned long long)frames, start, end,
				       (unsigned long long)want);
	}
	bi->max_pfn = end;
	xs_ctx_field(ctx, "start_pfn", start);
	xs_ctx_field(ctx, "end_pfn", end);
	xs_ctx_field(ctx, "frames", frames);
	return 0;
}

static int pv_vcpu(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	struct xs_reader *r = ctx->r;
	uint32_t id, blob;
	const uint8_t *p;

	if (min_len(ctx, "vcpu.short", 8) || xs_body(r, 8, &p))
		return -1;
	id = xs_get_le32(p);
	if (xs_get_le32(p + 4))
		return xs_fail(r, body_off(ctx) + 4, "vcpu.reserved",
			       "reserved field %#x, expected 0",
			       xs_get_le32(p + 4));
	if (id >= XS_MAX_VCPUS)
		return xs_fail(r, body_off(ctx), "vcpu.id",
			       "vcpu id %u, expected below %u", id,
			       XS_MAX_VCPUS);
	blob = r->length - 8;
	switch (r->type) {
	case XS_REC_X86_PV_VCPU_BASIC:
		/* Erratum 1 covers EXTENDED, XSAVE and MSRS only. */
		if (!blob)
			return xs_fail(r, r->rec_offset + 4, "vcpu.empty",
				       "basic context of vcpu %u is empty",
				       id);
		break;
	case XS_REC_X86_PV_VCPU_EXTENDED:
		if (blob > 128)
			return xs_fail(r, r->rec_offset + 4,
				       "vcpu.extended-size",
				       "extended context %u bytes, at most 128",
				       blob);
		break;
	case XS_REC_X86_PV_VCPU_XSAVE:
		if (blob && blob < 16)
			return xs_fail(r, r->rec_offset + 4,
				       "vcpu.xsave-size",
				       "xsave context %u bytes, expected 0 or at least 16",
				       blob);
		break;
	case XS_REC_X86_PV_VCPU_MSRS:
		if (blob % 16)
			return xs_fail(r, r->rec_offset + 4,
				       "vcpu.msrs-size",
				       "msrs %u bytes, not a multiple of 16",
				       blob);
		break;
	}
	bi->vcpu_id = id;
	xs_ctx_field(ctx, "vcpu_id", id);
	xs_ctx_field(ctx, "bytes", blob);
	return 0;
}

static int tsc_info(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	struct xs_reader *r = ctx->r;
	const uint8_t *p;

	(void)bi;
	if (need_len(ctx, "tsc-info.length", 24) || xs_body(r, 24, &p))
		return -1;
	if (xs_get_le32(p + 20))
		return xs_fail(r, body_off(ctx) + 20, "tsc-info.reserved",
			       "reserved field %#x, expected 0",
			       xs_get_le32(p + 20));
	xs_ctx_field(ctx, "mode", xs_get_le32(p));
	xs_ctx_field(ctx, "khz", xs_get_le32(p + 4));
	xs_ctx_field(ctx, "nsec", xs_get_le64(p + 8));
	xs_ctx_field(ctx, "incarnation", xs_get_le32(p + 16));
	return 0;
}

static int hvm_params(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	struct xs_reader *r = ctx->r;
	const uint8_t *p;
	uint32_t count;

	(void)bi;
	if (min_len(ctx, "hvm-params.short", 8) || xs_body(r, 8, &p))
		return -1;
	count = xs_get_le32(p);
	if (xs_get_le32(p + 4))
		return xs_fail(r, body_off(ctx) + 4, "hvm-params.reserved",
			       "reserved field %#x, expected 0",
			       xs_get_le32(p + 4));
	if ((uint64_t)r->length != 8 + (uint64_t)count * 16)
		return xs_fail(r, r->rec_offset + 4, "hvm-params.length",
			       "length %u, expected %llu for %u params",
			       r->length,
			       (unsigned long long)(8 + (uint64_t)count * 16),
			       count);
	xs_ctx_field(ctx, "count", count);
	return 0;
}

static int policy(struct xs_ctx *ctx, struct xs_body_info *bi,
		  uint32_t elem, const char *rule)
{
	struct xs_reader *r = ctx->r;
	uint32_t i = 0, n = r->length / elem;
	const uint8_t *p;

	if (bi->version < 3)
		return xs_fail(r, r->rec_offset, "libxc.v3-only",
			       "record only allowed in a v3 stream (version %u)",
			       bi->version);
	if (!r->length || r->length % elem)
		return xs_fail(r, r->rec_offset + 4, rule,
			       "length %u, expected a non-zero multiple of %u",
			       r->length, elem);
	if (r->type == XS_REC_X86_MSR_POLICY) {
		/* xen_msr_entry_t.flags is reserved, must be zero */
		while (i < n) {
			uint32_t k = n - i, j;

			if (k > XS_READER_WINDOW / 16)
				k = XS_READER_WINDOW / 16;
			if (xs_body(r, (size_t)k * 16, &p))
				return -1;
			for (j = 0; j < k; j++, i++)
				if (xs_get_le32(p + 16 * j + 4))
					return xs_fail(r, body_off(ctx) +
						       16 * (uint64_t)i + 4,
						       "msr-policy.flags",
						       "entry %u (msr %#x) flags %#x, expected 0",
						       i, xs_get_le32(p + 16 * j),
						       xs_get_le32(p + 16 * j + 4));
		}
	}
	xs_ctx_field(ctx, "entries", n);
	return 0;
}

static int zero_length(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	(void)bi;
	return need_len(ctx, "record.zero-length", 0);
}

static int static_data_end(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	if (bi->version < 3)
		return xs_fail(ctx->r, ctx->r->rec_offset, "libxc.v3-only",
			       "record only allowed in a v3 stream (version %u)",
			       bi->version);
	return need_len(ctx, "record.zero-length", 0);
}

static int shared_info(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	(void)bi;
	return need_len(ctx, "shared-info.length", XS_PAGE_SIZE);
}

static int hvm_context(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	(void)bi;
	return min_len(ctx, "hvm-context.empty", 1);
}

static int toolstack(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	(void)bi;
	return xs_fail(ctx->r, ctx->r->rec_offset, "toolstack.deprecated",
		       "TOOLSTACK records are obsolete since Xen 4.7");
}

static int dirty_pfn_list(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	(void)bi;
	return xs_fail(ctx->r, ctx->r->rec_offset, "dirty-pfn-list.backchannel",
		       "only valid on the COLO back channel, not in a saved stream");
}

static int cpuid_policy(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	return policy(ctx, bi, 24, "cpuid-policy.length");
}

static int msr_policy(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	return policy(ctx, bi, 16, "msr-policy.length");
}

/* The body rules of each libxc record type: type -> handler. */
static int (*const body_rules[XS_REC_LIBXC_MAX + 1])(struct xs_ctx *ctx,
						      struct xs_body_info *bi) = {
	[XS_REC_END]				= zero_length,
	[XS_REC_PAGE_DATA]			= page_data,
	[XS_REC_X86_PV_INFO]			= pv_info,
	[XS_REC_X86_PV_P2M_FRAMES]		= p2m_frames,
	[XS_REC_X86_PV_VCPU_BASIC]		= pv_vcpu,
	[XS_REC_X86_PV_VCPU_EXTENDED]		= pv_vcpu,
	[XS_REC_X86_PV_VCPU_XSAVE]		= pv_vcpu,
	[XS_REC_SHARED_INFO]			= shared_info,
	[XS_REC_X86_TSC_INFO]			= tsc_info,
	[XS_REC_HVM_CONTEXT]			= hvm_context,
	[XS_REC_HVM_PARAMS]			= hvm_params,
	[XS_REC_TOOLSTACK]			= toolstack,
	[XS_REC_X86_PV_VCPU_MSRS]		= pv_vcpu,
	[XS_REC_VERIFY]				= zero_length,
	[XS_REC_CHECKPOINT]			= zero_length,
	[XS_REC_CHECKPOINT_DIRTY_PFN_LIST]	= dirty_pfn_list,
	[XS_REC_STATIC_DATA_END]		= static_data_end,
	[XS_REC_X86_CPUID_POLICY]		= cpuid_policy,
	[XS_REC_X86_MSR_POLICY]			= msr_policy,
};

/* Records that only an x86 PV domain may carry. */
bool xs_rec_pv_only(uint32_t t)
{
	switch (t) {
	case XS_REC_X86_PV_INFO:
	case XS_REC_X86_PV_P2M_FRAMES:
	case XS_REC_X86_PV_VCPU_BASIC:
	case XS_REC_X86_PV_VCPU_EXTENDED:
	case XS_REC_X86_PV_VCPU_XSAVE:
	case XS_REC_X86_PV_VCPU_MSRS:
	case XS_REC_SHARED_INFO:
		return true;
	}
	return false;
}

/* Records that only an x86 HVM domain may carry. */
bool xs_rec_hvm_only(uint32_t t)
{
	return t == XS_REC_HVM_CONTEXT || t == XS_REC_HVM_PARAMS;
}

int xs_libxc_body(struct xs_ctx *ctx, struct xs_body_info *bi)
{
	uint32_t t = ctx->r->type;

	if (t > XS_REC_LIBXC_MAX)
		return 1;
	return body_rules[t](ctx, bi);
}
