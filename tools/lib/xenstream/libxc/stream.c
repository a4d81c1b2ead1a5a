// SPDX-License-Identifier: GPL-2.0-only
/*
 * libxc Domain Image Format v2/v3: image and domain headers, then records
 * in the order Xen's save code writes them:
 *
 *   static data (X86_PV_INFO, X86_CPUID_POLICY, X86_MSR_POLICY)
 *   STATIC_DATA_END (v3; inferred in v2 at the first other record)
 *   X86_PV_P2M_FRAMES (PV)
 *   per checkpoint: PAGE_DATA* [VERIFY PAGE_DATA*], then the tail
 *     (X86_TSC_INFO, SHARED_INFO, vCPU records | HVM_PARAMS and
 *     HVM_CONTEXT in either order), then CHECKPOINT or END.
 */
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "endian.h"

enum { PHASE_STATIC, PHASE_MEMORY, PHASE_TAIL, PHASE_DONE };

/* vCPU record kinds: BASIC, EXTENDED, XSAVE, MSRS */
#define VCPU_KINDS 4

struct xs_libxc_state {
	struct xs_body_info bi;
	int phase;
	bool paused;		/* stopped at CHECKPOINT inside libxl */
	bool seen_pv_info, seen_cpuid, seen_msr, seen_static_end;
	bool seen_p2m;
	bool seen_checkpoint;
	/* per checkpoint */
	bool seen_tsc, seen_shared_info, seen_params, seen_context;
	uint32_t nr_basic;
	uint8_t vcpu_seen[XS_MAX_VCPUS];	/* bit per kind */
};

static void new_checkpoint(struct xs_libxc_state *s)
{
	s->phase = PHASE_MEMORY;
	s->seen_tsc = s->seen_shared_info = false;
	s->seen_params = s->seen_context = false;
	s->nr_basic = 0;
	memset(s->vcpu_seen, 0, sizeof(s->vcpu_seen));
}

static int headers(struct xs_ctx *ctx, struct xs_libxc_state *s)
{
	struct xs_reader *r = ctx->r;
	uint64_t off = xs_offset(r);
	uint32_t id, version, type, major, minor;
	uint16_t options, shift;
	const uint8_t *p;

	if (xs_read_hdr(r, sizeof(struct xs_ihdr), &p, "the image header"))
		return -1;
	if (xs_get_be64(p) != XS_IHDR_MARKER)
		return xs_fail(r, off, "ihdr.marker",
			       "marker %#llx, expected 0xffffffffffffffff",
			       (unsigned long long)xs_get_be64(p));
	id = xs_get_be32(p + 8);
	if (id != XS_IHDR_ID)
		return xs_fail(r, off + 8, "ihdr.id",
			       "id %#x, expected 0x58454e46 (\"XENF\")", id);
	version = xs_get_be32(p + 12);
	if (version < XS_IHDR_VERSION_MIN || version > XS_IHDR_VERSION)
		return xs_fail(r, off + 12, "ihdr.version",
			       "version %u, expected 2 or 3", version);
	options = xs_get_be16(p + 16);
	if (xs_hdr_options(r, off + 16, options, XS_IHDR_OPT_RESERVED,
			   XS_IHDR_OPT_BIG_ENDIAN, "ihdr.options",
			   "ihdr.big-endian"))
		return -1;
	if (xs_get_be16(p + 18) || xs_get_be32(p + 20))
		return xs_fail(r, off + 18, "ihdr.reserved",
			       "reserved header fields are not zero");
	xs_ev_begin(ctx, XS_LAYER_LIBXC, true, "image header", off);
	xs_ctx_field(ctx, "version", version);
	xs_ctx_field(ctx, "options", options);
	xs_ev_emit(ctx);

	off = xs_offset(r);
	if (xs_read_hdr(r, sizeof(struct xs_dhdr), &p, "the domain header"))
		return -1;
	type = xs_get_le32(p);
	if (type != XS_DHDR_TYPE_X86_PV && type != XS_DHDR_TYPE_X86_HVM)
		return xs_fail(r, off, "dhdr.type",
			       "domain type %#x, expected 1 (x86 PV) or 2 (x86 HVM)",
			       type);
	shift = xs_get_le16(p + 4);
	if (shift != XS_PAGE_SHIFT)
		return xs_fail(r, off + 4, "dhdr.page-shift",
			       "page shift %u, expected 12", shift);
	if (xs_get_le16(p + 6))
		return xs_fail(r, off + 6, "dhdr.reserved",
			       "reserved field %#x, expected 0",
			       xs_get_le16(p + 6));
	major = xs_get_le32(p + 8);
	minor = xs_get_le32(p + 12);
	xs_ev_begin(ctx, XS_LAYER_LIBXC, true, "domain header", off);
	xs_ctx_field(ctx, "type", type);
	xs_ctx_field(ctx, "page_shift", shift);
	xs_ctx_field(ctx, "xen_major", major);
	xs_ctx_field(ctx, "xen_minor", minor);
	xs_ev_emit(ctx);

	s->bi.version = version;
	s->bi.dtype = type;
	s->bi.max_pfn = ~0ULL;
	s->phase = PHASE_STATIC;
	ctx->st->libxc_version = version;
	ctx->st->domain_type = type;
	return 0;
}

static int order_fail(struct xs_reader *r, const char *rule, const char *why)
{
	return xs_fail(r, r->rec_offset, rule, "%s", why);
}

/* A record that may come once (in the stream, or in a checkpoint). */
static int once(struct xs_reader *r, bool *seen, const char *why)
{
	if (*seen)
		return order_fail(r, "libxc.duplicate", why);
	*seen = true;
	return 0;
}

/* X86_PV_INFO, X86_CPUID_POLICY, X86_MSR_POLICY: once, in the static data. */
static int static_data(struct xs_ctx *ctx, struct xs_libxc_state *s)
{
	struct xs_reader *r = ctx->r;
	uint32_t t = r->type;
	bool *seen = t == XS_REC_X86_PV_INFO ? &s->seen_pv_info :
		     t == XS_REC_X86_CPUID_POLICY ? &s->seen_cpuid :
		     &s->seen_msr;

	if (once(r, seen, "duplicate static data record"))
		return -1;
	if (s->phase != PHASE_STATIC)
		return order_fail(r, "libxc.static-order",
				  "static data record after the static data");
	return 0;
}

static int static_data_end(struct xs_ctx *ctx, struct xs_libxc_state *s)
{
	struct xs_reader *r = ctx->r;

	if (once(r, &s->seen_static_end, "duplicate STATIC_DATA_END"))
		return -1;
	if (s->bi.version >= 3 && s->bi.dtype == XS_DHDR_TYPE_X86_PV && !s->seen_pv_info)
		return order_fail(r, "libxc.pv-info-missing",
				  "STATIC_DATA_END before X86_PV_INFO");
	if (s->bi.version >= 3)
		s->phase = PHASE_MEMORY;
	return 0;
}

/* Memory or register content, or the end of a checkpoint or the stream. */
static int content(struct xs_ctx *ctx, struct xs_libxc_state *s)
{
	struct xs_reader *r = ctx->r;

	if (s->phase == PHASE_STATIC) {
		if (s->bi.version >= 3)
			return order_fail(r, "libxc.static-data-end-missing",
					  "memory or register content before STATIC_DATA_END");
		/* v2: the static data ends here */
		s->phase = PHASE_MEMORY;
	}
	if (s->bi.dtype == XS_DHDR_TYPE_X86_PV && !s->seen_pv_info)
		return order_fail(r, "libxc.pv-info-missing",
				  "PV content before X86_PV_INFO");
	return 0;
}

/* Content a PV stream carries only after X86_PV_P2M_FRAMES. */
static int after_p2m(struct xs_ctx *ctx, struct xs_libxc_state *s, const char *why)
{
	if (content(ctx, s))
		return -1;
	if (s->bi.dtype == XS_DHDR_TYPE_X86_PV && !s->seen_p2m)
		return order_fail(ctx->r, "libxc.p2m-missing", why);
	return 0;
}

static int p2m_frames(struct xs_ctx *ctx, struct xs_libxc_state *s)
{
	struct xs_reader *r = ctx->r;

	if (content(ctx, s))
		return -1;
	if (once(r, &s->seen_p2m, "duplicate X86_PV_P2M_FRAMES"))
		return -1;
	if (s->seen_checkpoint || s->phase != PHASE_MEMORY ||
	    ctx->st->page_data_records)
		return order_fail(r, "libxc.order",
				  "X86_PV_P2M_FRAMES after memory content");
	return 0;
}

/* PAGE_DATA, VERIFY */
static int memory(struct xs_ctx *ctx, struct xs_libxc_state *s)
{
	if (after_p2m(ctx, s, "PAGE_DATA before X86_PV_P2M_FRAMES"))
		return -1;
	if (s->phase != PHASE_MEMORY)
		return order_fail(ctx->r, "libxc.order",
				  "memory content after the checkpoint tail (TSC, vCPU, HVM context)");
	return 0;
}

/* X86_TSC_INFO, SHARED_INFO, HVM_PARAMS, HVM_CONTEXT: once a checkpoint. */
static int tail(struct xs_ctx *ctx, struct xs_libxc_state *s)
{
	struct xs_reader *r = ctx->r;
	uint32_t t = r->type;
	bool *seen = t == XS_REC_X86_TSC_INFO ? &s->seen_tsc :
		     t == XS_REC_SHARED_INFO ? &s->seen_shared_info :
		     t == XS_REC_HVM_PARAMS ? &s->seen_params :
		     &s->seen_context;

	if (after_p2m(ctx, s, "PV state before X86_PV_P2M_FRAMES"))
		return -1;
	if (once(r, seen, "duplicate record in one checkpoint"))
		return -1;
	/*
	 * HVM_PARAMS and HVM_CONTEXT in either order: the spec's layout has
	 * the parameters first, Xen 4.17's saver writes the context first
	 * (a PVH guest's live save in the test host), and its restore
	 * applies the context only when the stream is complete.
	 */
	s->phase = PHASE_TAIL;
	return 0;
}

/* X86_PV_VCPU_BASIC, _EXTENDED, _XSAVE, _MSRS */
static int vcpu(struct xs_ctx *ctx, struct xs_libxc_state *s)
{
	/* vCPU records are PV only (libxc.guest-type) */
	if (after_p2m(ctx, s, "vCPU state before X86_PV_P2M_FRAMES"))
		return -1;
	s->phase = PHASE_TAIL;
	return 0;
}

/* Rules that need the body (vCPU ids); run after it was checked. */
static int check_vcpu(struct xs_ctx *ctx, struct xs_libxc_state *s)
{
	struct xs_reader *r = ctx->r;
	uint32_t id = s->bi.vcpu_id;
	unsigned int bit;

	bit = 1U << (r->type == XS_REC_X86_PV_VCPU_BASIC ? 0 :
		     r->type == XS_REC_X86_PV_VCPU_EXTENDED ? 1 :
		     r->type == XS_REC_X86_PV_VCPU_XSAVE ? 2 : 3);
	if (s->vcpu_seen[id] & bit)
		return xs_fail(r, r->body_offset, "libxc.duplicate",
			       "second record of this kind for vcpu %u in one checkpoint",
			       id);
	if (bit != 1 && !(s->vcpu_seen[id] & 1))
		return xs_fail(r, r->body_offset, "libxc.vcpu-order",
			       "vcpu %u state before its X86_PV_VCPU_BASIC",
			       id);
	if (s->vcpu_seen[id] & ~((bit << 1) - 1))
		return xs_fail(r, r->body_offset, "libxc.vcpu-order",
			       "vcpu %u records out of order (BASIC, EXTENDED, XSAVE, MSRS)",
			       id);
	s->vcpu_seen[id] |= bit;
	if (bit == 1)
		s->nr_basic++;
	return 0;
}

/* A plain stream must carry what a restore needs. */
static int check_complete(struct xs_ctx *ctx, struct xs_libxc_state *s)
{
	struct xs_reader *r = ctx->r;

	if (s->seen_checkpoint)
		return 0;
	if (s->bi.dtype == XS_DHDR_TYPE_X86_PV) {
		if (!s->seen_p2m)
			return order_fail(r, "libxc.incomplete",
					  "END without X86_PV_P2M_FRAMES");
		if (!s->seen_shared_info)
			return order_fail(r, "libxc.incomplete",
					  "END without SHARED_INFO");
		if (!(s->vcpu_seen[0] & 1))
			return order_fail(r, "libxc.incomplete",
					  "END without X86_PV_VCPU_BASIC for vcpu 0");
	} else if (!s->seen_context) {
		return order_fail(r, "libxc.incomplete",
				  "END without HVM_CONTEXT");
	}
	return 0;
}

/**
 * struct libxc_handler - the rules of one libxc record type besides its
 *	body's (xs_libxc_body())
 * @order: rules that need only the type and what came before, run before
 *	the body is read; NULL for none
 * @after: rules that need the checked body; NULL for none
 */
struct libxc_handler {
	int (*order)(struct xs_ctx *ctx, struct xs_libxc_state *s);
	int (*after)(struct xs_ctx *ctx, struct xs_libxc_state *s);
};

/* type -> handler (TOOLSTACK and CHECKPOINT_DIRTY_PFN_LIST fail by body) */
static const struct libxc_handler handlers[XS_REC_LIBXC_MAX + 1] = {
	[XS_REC_END]				= { content, check_complete },
	[XS_REC_PAGE_DATA]			= { memory, NULL },
	[XS_REC_X86_PV_INFO]			= { static_data, NULL },
	[XS_REC_X86_PV_P2M_FRAMES]		= { p2m_frames, NULL },
	[XS_REC_X86_PV_VCPU_BASIC]		= { vcpu, check_vcpu },
	[XS_REC_X86_PV_VCPU_EXTENDED]		= { vcpu, check_vcpu },
	[XS_REC_X86_PV_VCPU_XSAVE]		= { vcpu, check_vcpu },
	[XS_REC_SHARED_INFO]			= { tail, NULL },
	[XS_REC_X86_TSC_INFO]			= { tail, NULL },
	[XS_REC_HVM_CONTEXT]			= { tail, NULL },
	[XS_REC_HVM_PARAMS]			= { tail, NULL },
	[XS_REC_TOOLSTACK]			= { NULL, NULL },
	[XS_REC_X86_PV_VCPU_MSRS]		= { vcpu, check_vcpu },
	[XS_REC_VERIFY]				= { memory, NULL },
	[XS_REC_CHECKPOINT]			= { content, NULL },
	[XS_REC_CHECKPOINT_DIRTY_PFN_LIST]	= { NULL, NULL },
	[XS_REC_STATIC_DATA_END]		= { static_data_end, NULL },
	[XS_REC_X86_CPUID_POLICY]		= { static_data, NULL },
	[XS_REC_X86_MSR_POLICY]			= { static_data, NULL },
};

/* A record of a type libxc names: its guest type, order, body, after. */
static int known_record(struct xs_ctx *ctx, struct xs_libxc_state *s)
{
	const struct libxc_handler *h = &handlers[ctx->r->type];
	struct xs_reader *r = ctx->r;
	bool pv = s->bi.dtype == XS_DHDR_TYPE_X86_PV;

	if (pv ? xs_rec_hvm_only(r->type) : xs_rec_pv_only(r->type))
		return xs_fail(r, r->rec_offset, "libxc.guest-type",
			       "not allowed in an x86 %s stream",
			       pv ? "PV" : "HVM");
	if (h->order && h->order(ctx, s))
		return -1;
	if (xs_libxc_body(ctx, &s->bi) < 0)
		return -1;
	return h->after ? h->after(ctx, s) : 0;
}

static int one_record(struct xs_ctx *ctx, struct xs_libxc_state *s)
{
	struct xs_reader *r = ctx->r;

	if (xs_ctx_next_record(ctx, XS_LAYER_LIBXC, xs_libxc_rec_name,
			       "libxc") < 0)
		return -1;

	if (r->type > XS_REC_LIBXC_MAX) {
		if (!(r->type & XS_REC_TYPE_OPTIONAL))
			return xs_fail(r, r->rec_offset, "record.unknown-mandatory",
				       "unknown mandatory record type %#010x",
				       r->type);
		ctx->st->optional_skipped++;
		ctx->ev.skipped = true;
	} else if (known_record(ctx, s)) {
		return -1;
	}
	if (xs_rec_finish(r))
		return -1;
	xs_ev_emit(ctx);
	return 1;
}

int xs_verify_libxc(struct xs_ctx *ctx)
{
	struct xs_libxc_state *s = ctx->libxc;
	bool own = false;
	int rc = -1;

	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return xs_fail_code(ctx->r, XS_ERR_NOMEM, 0, "nomem",
					    "out of memory");
		own = true;
		ctx->libxc = s;
	}

	if (s->paused) {
		/* libxl resumes a checkpointed stream without headers */
		s->paused = false;
		new_checkpoint(s);
	} else if (headers(ctx, s)) {
		goto out;
	}

	for (;;) {
		uint32_t t;

		if (one_record(ctx, s) < 0)
			goto out;
		t = ctx->r->type;
		if (t == XS_REC_END) {
			s->phase = PHASE_DONE;
			break;
		}
		if (t == XS_REC_CHECKPOINT) {
			s->seen_checkpoint = true;
			ctx->st->nr_checkpoints++;
			if (own) {
				new_checkpoint(s);
				continue;
			}
			s->paused = true;	/* back to libxl */
			break;
		}
	}
	rc = 0;
out:
	if (own) {
		free(s);
		ctx->libxc = NULL;
	}
	return rc;
}

/* libxl helpers */
bool xs_libxc_paused(const struct xs_ctx *ctx)
{
	return ctx->libxc && ctx->libxc->paused;
}

bool xs_libxc_started(const struct xs_ctx *ctx)
{
	return ctx->libxc && ctx->libxc->bi.version;
}

bool xs_libxc_done(const struct xs_ctx *ctx)
{
	return ctx->libxc && ctx->libxc->phase == PHASE_DONE;
}

int xs_libxc_state_new(struct xs_ctx *ctx)
{
	ctx->libxc = calloc(1, sizeof(*ctx->libxc));
	return ctx->libxc ? 0 : -1;
}

void xs_libxc_state_free(struct xs_ctx *ctx)
{
	free(ctx->libxc);
	ctx->libxc = NULL;
}
