// SPDX-License-Identifier: GPL-2.0-only
/*
 * Verify a legacy stream: run the conversion into a null sink, so that
 * every rule convert-legacy applies ("legacy.*" for the input, "convert.*"
 * for what v2 cannot carry) is checked and nothing is written, and report
 * each legacy event as an xs_event of the legacy layer.  The conversion is
 * convert-legacy's default (libxc output, the device model kept); the
 * toolstack width and guest type come from the stream's first bytes
 * (legacy_probe()).  An xl save file holding a legacy stream is read as
 * convert-legacy -x reads it.
 */
#include <string.h>

#include "ctx.h"
#include "convert.h"
#include "legacy.h"

struct legacy_verify {
	struct xs_ctx *ctx;
	uint64_t index;		/* of the next record event */
};

static void header(struct legacy_verify *v, const struct legacy_event *ev,
		   const char *name)
{
	xs_ev_begin_at(v->ctx, XS_LAYER_LEGACY, true, name, ev->offset, 0, 0,
		       0);
}

static void record(struct legacy_verify *v, const struct legacy_event *ev,
		   const char *name, uint32_t type)
{
	v->ctx->st->records++;
	xs_ev_begin_at(v->ctx, XS_LAYER_LEGACY, false, name, ev->offset,
		       v->index++, type, 0);
	xs_ctx_field(v->ctx, "checkpoint", ev->checkpoint);
}

static void chunk(struct legacy_verify *v, const struct legacy_event *ev)
{
	const char *name = legacy_chunk_name(ev->chunk_id);
	struct xs_ctx *ctx = v->ctx;

	record(v, ev, name ? name : "chunk", (uint32_t)ev->chunk_id);
	if (legacy_chunk_param(ev->chunk_id) >= 0) {
		xs_ctx_field(ctx, "param", ev->u.param.index);
		xs_ctx_field(ctx, "value", ev->u.param.value);
		return;
	}
	switch (ev->chunk_id) {
	case XC_SAVE_ID_VCPU_INFO:
		xs_ctx_field(ctx, "max_vcpu_id", ev->u.vcpu_info.max_vcpu_id);
		break;
	case XC_SAVE_ID_TSC_INFO:
		xs_ctx_field(ctx, "mode", ev->u.tsc.mode);
		xs_ctx_field(ctx, "nsec", ev->u.tsc.nsec);
		xs_ctx_field(ctx, "khz", ev->u.tsc.khz);
		xs_ctx_field(ctx, "incarnation", ev->u.tsc.incarnation);
		break;
	case XC_SAVE_ID_TOOLSTACK:
		xs_ctx_field(ctx, "bytes", ev->u.blob.len);
		break;
	}
}

static void observe(void *opaque, const struct legacy_event *ev)
{
	struct legacy_verify *v = opaque;
	struct xs_ctx *ctx = v->ctx;
	struct xs_stats *st = ctx->st;

	switch (ev->type) {
	case LEGACY_EV_P2M_SIZE:
		header(v, ev, "p2m size");
		xs_ctx_field(ctx, "p2m_size", ev->u.p2m_size);
		break;
	case LEGACY_EV_PV_INFO:
		header(v, ev, "extended info");
		xs_ctx_field(ctx, "guest_width", ev->u.pv.guest_width);
		xs_ctx_field(ctx, "pt_levels", ev->u.pv.pt_levels);
		xs_ctx_field(ctx, "vcpu_size", ev->u.pv.vcpu_size);
		xs_ctx_field(ctx, "extv", ev->u.pv.extv);
		xs_ctx_field(ctx, "xsave_size", ev->u.pv.xsave_size);
		break;
	case LEGACY_EV_P2M_FRAMES:
		header(v, ev, "p2m frame list");
		xs_ctx_field(ctx, "frames", ev->u.frames.nr);
		break;
	case LEGACY_EV_PAGES:
		record(v, ev, "page batch", 0);
		xs_ctx_field(ctx, "count", ev->u.pages.nr);
		xs_ctx_field(ctx, "pages", ev->u.pages.nr_pages);
		xs_ctx_field(ctx, "compressed", ev->u.pages.compressed);
		st->page_data_records++;
		st->pfns += ev->u.pages.nr;
		st->pages += ev->u.pages.nr_pages;
		break;
	case LEGACY_EV_CHUNK:
		chunk(v, ev);
		break;
	case LEGACY_EV_BODY_END:
		record(v, ev, "end of body", 0);
		break;
	case LEGACY_EV_UNMAPPED:
		record(v, ev, "unmapped pfns", 0);
		xs_ctx_field(ctx, "count", ev->u.count);
		break;
	case LEGACY_EV_VCPU:
		record(v, ev, "vcpu", 0);
		xs_ctx_field(ctx, "id", ev->u.vcpu.id);
		xs_ctx_field(ctx, "basic_len", ev->u.vcpu.basic_len);
		xs_ctx_field(ctx, "extended", !!ev->u.vcpu.ext);
		xs_ctx_field(ctx, "xsave_len", ev->u.vcpu.xsave_len);
		break;
	case LEGACY_EV_SHARED_INFO:
		record(v, ev, "shared info", 0);
		xs_ctx_field(ctx, "bytes", ev->u.blob.len);
		break;
	case LEGACY_EV_HVM_MAGIC:
		record(v, ev, "magic pfns", 0);
		xs_ctx_field(ctx, "ioreq", ev->u.magic.ioreq);
		xs_ctx_field(ctx, "bufioreq", ev->u.magic.bufioreq);
		xs_ctx_field(ctx, "store", ev->u.magic.store);
		break;
	case LEGACY_EV_HVM_CONTEXT:
		record(v, ev, "HVM context", 0);
		xs_ctx_field(ctx, "bytes", ev->u.blob.len);
		break;
	case LEGACY_EV_QEMU:
		record(v, ev, "device model", 0);
		xs_ctx_field_str(ctx, "signature", ev->u.qemu.sig,
				 LEGACY_QEMU_SIG_LEN);
		xs_ctx_field(ctx, "bytes", ev->u.qemu.len);
		break;
	case LEGACY_EV_CHECKPOINT_END:
		record(v, ev, "checkpoint end", 0);
		xs_ctx_field(ctx, "last", ev->u.last);
		st->nr_checkpoints++;
		break;
	case LEGACY_EV_EOF:
		return;
	}
	xs_ev_emit(ctx);
}

int xs_verify_legacy(struct xs_ctx *ctx)
{
	struct legacy_verify v = { .ctx = ctx };
	struct convert_cfg cfg = { .observe = observe, .opaque = &v };
	struct convert_stats cs;
	struct xs_sink null;
	const uint8_t *p;
	size_t got;

	if (xs_peek(ctx->r, XS_DETECT_BYTES, &p, &got))
		return -1;
	cfg.xl = got >= XS_XL_MAGIC_LEN &&
		 !memcmp(p, XS_XL_MAGIC, XS_XL_MAGIC_LEN);
	ctx->st->format = XS_FMT_LEGACY;
	xs_sink_init_null(&null);
	return legacy_convert(ctx->r, &null, &cfg, &cs, ctx->r->err);
}
