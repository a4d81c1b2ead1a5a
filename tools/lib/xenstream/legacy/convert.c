// SPDX-License-Identifier: GPL-2.0-only
/*
 * Legacy -> libxc v3 / libxl v2 conversion, event by event.
 *
 * Output order follows convert-legacy-stream: [libxl header,
 * LIBXC_CONTEXT], image and domain headers (version 3, xen 0.1), PV:
 * X86_PV_INFO, STATIC_DATA_END, X86_PV_P2M_FRAMES (HVM: STATIC_DATA_END),
 * the body's PAGE_DATA and X86_TSC_INFO in stream order, HVM_PARAMS from
 * the body's chunks at its end, then the tail (PV: vcpu records, then
 * SHARED_INFO; HVM: HVM_PARAMS of the magic pfns, HVM_CONTEXT), libxc END,
 * [EMULATOR_XENSTORE_DATA], the device model, [libxl END].
 *
 * A Remus stream (no LAST_CHECKPOINT) has several checkpoints: the pages
 * of every one are written as they come, the tail of each is held in
 * memory and only the last complete one is written, so the result is one
 * plain restorable image of the last consistent state.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "endian.h"
#include "legacy.h"
#include "writer.h"
#include "xenstream.h"

#define PARAMS_MAX	256U

struct conv {
	struct convert_cfg cfg;		/* width and hvm known */
	struct convert_stats *st;
	struct xs_error *err;
	struct xs_sink *out;
	struct xs_writer w;		/* to out */
	struct xs_sink held;		/* tail of a checkpoint not known last */
	struct xs_writer hw;
	struct xs_writer *tw;		/* tail writer: &w or &hw */
	bool last;			/* LAST_CHECKPOINT seen */
	bool tail_pending;		/* held has a complete tail */
	uint64_t p2m_size;
	struct xs_rec_hvm_params_entry param[PARAMS_MAX];
	uint32_t nr_params;
	uint8_t *kv;			/* emulator xenstore data */
	size_t kv_len;
	uint64_t pfn[LEGACY_MAX_BATCH];
};

static int fail(struct conv *c, enum xs_err_code code, uint64_t off,
		const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(struct conv *c, enum xs_err_code code, uint64_t off,
		const char *rule, const char *fmt, ...)
{
	va_list ap;

	memset(c->err, 0, sizeof(*c->err));
	c->err->code = code;
	c->err->offset = off;
	c->err->rule = rule;
	va_start(ap, fmt);
	vsnprintf(c->err->msg, sizeof(c->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int wcheck(struct conv *c, struct xs_sink *s, uint64_t off)
{
	if (!s->err)
		return 0;
	c->err->sys_errno = -s->err;
	return fail(c, XS_ERR_IO, off, "convert.write",
		    "writing the output failed: %s", strerror(-s->err));
}

static int copy_xl_header(struct conv *c, struct xs_reader *in)
{
	const uint8_t *p;
	uint8_t h[sizeof(struct xs_xl_hdr)];
	uint32_t mflags, optlen;

	if (xs_read_hdr(in, sizeof(h), &p, "the xl header"))
		return -1;
	memcpy(h, p, sizeof(h));
	if (memcmp(h, XS_XL_MAGIC, XS_XL_MAGIC_LEN))
		return fail(c, XS_ERR_INVALID, 0, "convert.xl.magic",
			    "no xl header");
	if (xs_get_le32(h + 32) != XS_XL_BYTEORDER)
		return fail(c, XS_ERR_INVALID, 32, "convert.xl.byteorder",
			    "xl header byte order %#x, want %#x",
			    xs_get_le32(h + 32), XS_XL_BYTEORDER);
	mflags = xs_get_le32(h + 36);
	optlen = xs_get_le32(h + 44);
	if (mflags & XS_XL_MANDATORY_FLAG_STREAMV2)
		return fail(c, XS_ERR_INVALID, 36, "convert.xl.streamv2",
			    "xl header says the stream is already v2");
	if (mflags & ~XS_XL_MANDATORY_FLAGS_KNOWN)
		return fail(c, XS_ERR_INVALID, 36, "convert.xl.flags",
			    "unknown mandatory xl flags %#x", mflags);
	if (optlen > XS_XL_OPTIONAL_DATA_MAX)
		return fail(c, XS_ERR_INVALID, 44, "convert.xl.optlen",
			    "xl optional data %u octets exceeds %u", optlen,
			    XS_XL_OPTIONAL_DATA_MAX);
	if (c->cfg.libxl)
		xs_put_le32(h + 36, mflags | XS_XL_MANDATORY_FLAG_STREAMV2);
	xs_sink_write(c->out, h, sizeof(h));
	while (optlen) {
		uint32_t k = optlen < XS_READER_WINDOW ? optlen : XS_READER_WINDOW;

		if (xs_read_hdr(in, k, &p, "the xl optional data"))
			return -1;
		xs_sink_write(c->out, p, k);
		optlen -= k;
	}
	return wcheck(c, c->out, xs_offset(in));
}

static int headers(struct conv *c)
{
	if (c->cfg.libxl) {
		xs_write_libxl_hdr(&c->w, XS_LIBXL_OPT_LEGACY);
		xs_write_record(&c->w, XS_LIBXL_REC_LIBXC_CONTEXT, NULL, 0);
	}
	xs_write_ihdr(&c->w, XS_IHDR_VERSION);
	xs_write_dhdr(&c->w, c->cfg.hvm ? XS_DHDR_TYPE_X86_HVM :
		      XS_DHDR_TYPE_X86_PV, 0, 1);
	if (c->cfg.hvm)
		xs_write_record(&c->w, XS_REC_STATIC_DATA_END, NULL, 0);
	return 0;
}

static int pages(struct conv *c, const struct legacy_event *ev)
{
	uint32_t i, n = 0;

	for (i = 0; i < ev->u.pages.nr; i++) {
		uint64_t e = ev->u.pages.entry[i];

		if (e == LEGACY_XTAB_NO_PFN)
			continue;	/* convert-legacy-stream drops these */
		c->pfn[n++] = ((e & LEGACY_PFINFO_MASK) << 32) |
			      (e & LEGACY_PFN_MASK);
	}
	if (!n)
		return 0;	/* a PAGE_DATA record needs count >= 1 */
	xs_write_page_data(&c->w, n, c->pfn, ev->u.pages.data);
	c->st->batches++;
	c->st->pages += ev->u.pages.nr_pages;
	if (ev->u.pages.compressed)
		c->st->compressed_pages += ev->u.pages.nr_pages;
	return 0;
}

static int chunk(struct conv *c, const struct legacy_event *ev)
{
	switch (ev->chunk_id) {
	case XC_SAVE_ID_TSC_INFO:
		xs_write_x86_tsc_info(&c->w, ev->u.tsc.mode, ev->u.tsc.khz,
				      ev->u.tsc.nsec, ev->u.tsc.incarnation);
		return 0;
	case XC_SAVE_ID_TOOLSTACK:
		if (!c->cfg.libxl || !ev->u.blob.len)
			return 0;
		if (convert_toolstack(ev->u.blob.data, ev->u.blob.len,
				      c->cfg.width, &c->kv, &c->kv_len, c->err)) {
			c->err->offset = ev->offset;
			return -1;
		}
		return 0;
	case XC_SAVE_ID_LAST_CHECKPOINT:
		c->last = true;
		return 0;
	case XC_SAVE_ID_TMEM:
	case XC_SAVE_ID_TMEM_EXTRA:
		return fail(c, XS_ERR_INVALID, ev->offset, "convert.tmem",
			    "tmem state cannot be converted: v2 streams have no tmem record");
	}
	if (legacy_chunk_param(ev->chunk_id) < 0)
		return 0;
	if (c->nr_params == PARAMS_MAX)
		return fail(c, XS_ERR_INVALID, ev->offset, "convert.params.max",
			    "more than %u HVM parameter chunks in one body",
			    PARAMS_MAX);
	c->param[c->nr_params].index = ev->u.param.index;
	c->param[c->nr_params].value = ev->u.param.value;
	c->nr_params++;
	return 0;
}

static void libxc_end(struct conv *c)
{
	xs_write_end(c->tw);
	if (c->cfg.libxl && c->kv_len)
		xs_write_libxl_emulator(c->tw, XS_LIBXL_REC_EMULATOR_XENSTORE_DATA,
					XS_EMULATOR_UNKNOWN, 0, c->kv,
					(uint32_t)c->kv_len);
}

static void qemu(struct conv *c, const struct legacy_event *ev)
{
	uint8_t len[4];

	if (c->cfg.libxl) {
		xs_write_libxl_emulator(c->tw, XS_LIBXL_REC_EMULATOR_CONTEXT,
					XS_EMULATOR_UNKNOWN, 0,
					ev->u.qemu.data, ev->u.qemu.len);
		return;
	}
	if (c->cfg.skip_qemu)
		return;
	/* libxc output: the record goes behind END as it came. */
	xs_sink_write(c->tw->sink, ev->u.qemu.sig, LEGACY_QEMU_SIG_LEN);
	if (ev->u.qemu.kind != LEGACY_QEMU_COMPAT) {
		xs_put_le32(len, ev->u.qemu.len);
		xs_sink_write(c->tw->sink, len, 4);
	}
	xs_sink_write(c->tw->sink, ev->u.qemu.data, ev->u.qemu.len);
}

/* Before the first body event of a checkpoint: drop a superseded tail. */
static void begin_checkpoint(struct conv *c)
{
	if (c->tail_pending) {
		xs_sink_release(&c->held);
		xs_sink_init_mem(&c->held);
		c->tail_pending = false;
	}
}

static int tail_event(struct conv *c, const struct legacy_event *ev)
{
	struct xs_rec_hvm_params_entry magic[3];

	switch (ev->type) {
	case LEGACY_EV_BODY_END:
		if (c->nr_params)
			xs_write_hvm_params(&c->w, c->param, c->nr_params);
		c->nr_params = 0;
		c->tw = c->last ? &c->w : &c->hw;
		return 0;
	case LEGACY_EV_UNMAPPED:
		return 0;	/* "bogus", as convert-legacy-stream says */
	case LEGACY_EV_VCPU:
		c->st->vcpus++;
		xs_write_x86_pv_vcpu(c->tw, XS_REC_X86_PV_VCPU_BASIC,
				     ev->u.vcpu.id, ev->u.vcpu.basic,
				     ev->u.vcpu.basic_len);
		if (ev->u.vcpu.ext)
			xs_write_x86_pv_vcpu(c->tw, XS_REC_X86_PV_VCPU_EXTENDED,
					     ev->u.vcpu.id, ev->u.vcpu.ext,
					     LEGACY_VCPU_EXT_SIZE);
		if (ev->u.vcpu.xsave)
			xs_write_x86_pv_vcpu(c->tw, XS_REC_X86_PV_VCPU_XSAVE,
					     ev->u.vcpu.id, ev->u.vcpu.xsave,
					     ev->u.vcpu.xsave_len);
		return 0;
	case LEGACY_EV_SHARED_INFO:
		xs_write_record(c->tw, XS_REC_SHARED_INFO, ev->u.blob.data,
				ev->u.blob.len);
		libxc_end(c);
		return 0;
	case LEGACY_EV_HVM_MAGIC:
		magic[0].index = HVM_PARAM_IOREQ_PFN;
		magic[0].value = ev->u.magic.ioreq;
		magic[1].index = HVM_PARAM_BUFIOREQ_PFN;
		magic[1].value = ev->u.magic.bufioreq;
		magic[2].index = HVM_PARAM_STORE_PFN;
		magic[2].value = ev->u.magic.store;
		xs_write_hvm_params(c->tw, magic, 3);
		return 0;
	case LEGACY_EV_HVM_CONTEXT:
		xs_write_record(c->tw, XS_REC_HVM_CONTEXT, ev->u.blob.data,
				ev->u.blob.len);
		libxc_end(c);
		return 0;
	case LEGACY_EV_QEMU:
		qemu(c, ev);
		return 0;
	case LEGACY_EV_CHECKPOINT_END:
		if (c->cfg.libxl)
			xs_write_end(c->tw);
		c->st->checkpoints++;
		c->tail_pending = c->tw == &c->hw;
		free(c->kv);
		c->kv = NULL;
		c->kv_len = 0;
		return 0;
	default:
		return fail(c, XS_ERR_USAGE, ev->offset, "convert.usage",
			    "unexpected event %d", ev->type);
	}
}

static int event(struct conv *c, const struct legacy_event *ev)
{
	switch (ev->type) {
	case LEGACY_EV_P2M_SIZE:
		c->p2m_size = ev->u.p2m_size;
		return headers(c);
	case LEGACY_EV_PV_INFO:
		xs_write_x86_pv_info(&c->w, ev->u.pv.guest_width,
				     ev->u.pv.pt_levels);
		xs_write_record(&c->w, XS_REC_STATIC_DATA_END, NULL, 0);
		return 0;
	case LEGACY_EV_P2M_FRAMES:
		xs_write_x86_pv_p2m_frames(&c->w, 0, (uint32_t)(c->p2m_size - 1),
					   ev->u.frames.pfn, ev->u.frames.nr);
		return 0;
	case LEGACY_EV_PAGES:
		begin_checkpoint(c);
		return pages(c, ev);
	case LEGACY_EV_CHUNK:
		begin_checkpoint(c);
		return chunk(c, ev);
	case LEGACY_EV_EOF:
		if (c->tail_pending) {
			size_t n;
			uint8_t *b = xs_sink_take(&c->held, &n);

			xs_sink_write(c->out, b, n);
			free(b);
			c->tail_pending = false;
		}
		return 0;
	default:
		if (ev->type == LEGACY_EV_BODY_END)
			begin_checkpoint(c);
		return tail_event(c, ev);
	}
}

/* Width 0: take the width and guest type from the stream's first bytes. */
static int geometry(struct conv *c, struct xs_reader *in)
{
	struct legacy_geometry g;
	const uint8_t *p;
	size_t got;

	if (c->cfg.width)
		return 0;
	if (xs_peek(in, XS_DETECT_BYTES, &p, &got))
		return -1;
	legacy_probe(p, got, &g);
	c->cfg.width = g.width;
	c->cfg.hvm = g.hvm;
	return 0;
}

int legacy_convert(struct xs_reader *in, struct xs_sink *out,
		   const struct convert_cfg *cfg, struct convert_stats *st,
		   struct xs_error *err)
{
	struct legacy_cfg lcfg = {
		.skip_qemu = cfg->skip_qemu && !cfg->libxl,
	};
	struct legacy_reader *lr = NULL;
	struct legacy_event ev;
	struct conv *c;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	c = calloc(1, sizeof(*c));
	if (!c) {
		memset(err, 0, sizeof(*err));
		err->code = XS_ERR_NOMEM;
		err->rule = "convert.nomem";
		snprintf(err->msg, sizeof(err->msg), "no memory");
		return -1;
	}
	c->cfg = *cfg;
	c->st = st;
	c->err = err;
	c->out = out;
	xs_writer_init(&c->w, out);
	xs_sink_init_mem(&c->held);
	xs_writer_init(&c->hw, &c->held);
	c->tw = &c->w;
	if (cfg->xl && copy_xl_header(c, in))
		goto out;
	if (geometry(c, in))
		goto out;
	lcfg.width = c->cfg.width;
	lcfg.hvm = c->cfg.hvm;
	if (legacy_open(&lr, in, &lcfg, err))
		goto out;
	do {
		if (legacy_next(lr, &ev) || event(c, &ev))
			goto out;
		if (wcheck(c, out, ev.offset) || wcheck(c, &c->held, ev.offset))
			goto out;
		if (cfg->observe)
			cfg->observe(cfg->opaque, &ev);
	} while (ev.type != LEGACY_EV_EOF);
	rc = 0;
out:
	legacy_close(lr);
	xs_sink_release(&c->held);
	free(c->kv);
	free(c);
	return rc;
}
