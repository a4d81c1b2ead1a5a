// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live update stream (handover spec revision 1): LU_VERSION first and
 * once, global records (LU_M2P, LU_M2P_COMPAT), then groups that each start
 * with LU_DOMAIN_INFO and hold that domain's libxc records, then dom0's
 * records (the trailer, optional), then one END.  Unknown mandatory
 * records fail; unknown optional ones are skipped and counted; optional
 * ones with a descriptor are checked.
 *
 * A dom0 records dump (XEN_LU_IOCTL_COLLECT) is that trailer on its own:
 * DOM0_HEADER first, dom0's records, END, nothing after.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <xen/liveupdate-records.h>

#include "ctx.h"
#include "endian.h"
#include "optional.h"

struct lu_state {
	bool seen_version, seen_m2p, seen_m2p_compat;
	bool in_domain;
	bool in_trailer;		/* a trailer (dom0) record was seen */
	struct xs_body_info bi;		/* current domain */
	struct xs_dom0_state dom0;
	uint8_t domid_seen[XS_DOMID_FIRST_RESERVED / 8];
	uint8_t desc_seen[64];		/* singleton optional descriptors */
};

static int need_len(struct xs_reader *r, uint32_t want)
{
	if (r->length != want)
		return xs_fail(r, r->rec_offset + 4, "lu.length",
			       "length %u, expected %u", r->length, want);
	return 0;
}

static int version(struct xs_ctx *ctx, struct lu_state *s)
{
	struct xs_reader *r = ctx->r;
	struct xs_lu_version v;
	const uint8_t *p;

	if (s->seen_version)
		return xs_fail(r, r->rec_offset, "lu.version-once",
			       "second LU_VERSION");
	if (need_len(r, sizeof(v)) || xs_body(r, sizeof(v), &p))
		return -1;
	v.xen_major = xs_get_le32(p + offsetof(struct xs_lu_version, xen_major));
	v.xen_minor = xs_get_le32(p + offsetof(struct xs_lu_version, xen_minor));
	s->seen_version = true;
	xs_ctx_field(ctx, "xen_major", v.xen_major);
	xs_ctx_field(ctx, "xen_minor", v.xen_minor);
	return 0;
}

/* Entries: physical address | log2(size in bytes), or MFN << 12 | 0. */
static int m2p(struct xs_ctx *ctx, struct lu_state *s)
{
	struct xs_reader *r = ctx->r;
	bool *seen = r->type == XS_LU_REC_M2P ? &s->seen_m2p :
						&s->seen_m2p_compat;
	uint32_t n = r->length / 8, i = 0, pages = 0;
	const uint8_t *p;

	if (*seen)
		return xs_fail(r, r->rec_offset, "lu.duplicate",
			       "second %s record", xs_lu_rec_name(r->type));
	if (s->in_domain)
		return xs_fail(r, r->rec_offset, "lu.global-order",
			       "global record after the first LU_DOMAIN_INFO");
	if (!r->length || r->length % 8)
		return xs_fail(r, r->rec_offset + 4, "lu.m2p-length",
			       "length %u, expected a non-zero multiple of 8",
			       r->length);
	*seen = true;
	while (i < n) {
		uint32_t k = n - i, j;

		if (k > XS_READER_WINDOW / 8)
			k = XS_READER_WINDOW / 8;
		if (xs_body(r, (size_t)k * 8, &p))
			return -1;
		for (j = 0; j < k; j++, i++) {
			uint64_t e = xs_get_le64(p + 8 * j);
			unsigned int order = e & XS_LU_M2P_ORDER_MASK;
			uint64_t addr = e & XS_LU_M2P_ADDR_MASK;
			uint64_t off = r->body_offset + 8 * (uint64_t)i;

			if (e >> XS_LU_M2P_PADDR_BITS)
				return xs_fail(r, off, "lu.m2p-range",
					       "entry %u %#llx beyond the 52-bit physical address space",
					       i, (unsigned long long)e);
			if (!order)
				continue;	/* discontiguity: next MFN */
			if (order < XS_PAGE_SHIFT ||
			    order > XS_LU_M2P_PADDR_BITS)
				return xs_fail(r, off, "lu.m2p-order",
					       "entry %u order %u, expected 0 or 12-52",
					       i, order);
			if (addr & ((1ULL << order) - 1))
				return xs_fail(r, off, "lu.m2p-align",
					       "entry %u address %#llx not aligned to its size 2^%u",
					       i, (unsigned long long)addr, order);
			if (order == XS_LU_M2P_PADDR_BITS ? addr != 0 :
			    addr + (1ULL << order) > (1ULL << XS_LU_M2P_PADDR_BITS))
				return xs_fail(r, off, "lu.m2p-range",
					       "entry %u runs past the physical address space",
					       i);
			pages++;
		}
	}
	xs_ctx_field(ctx, "entries", n);
	xs_ctx_field(ctx, "pages", pages);
	return 0;
}

#define DI(f)	offsetof(struct xs_lu_domain_info, f)

/* LU_DOMAIN_INFO's body, little-endian on the wire, into its struct. */
static void domain_info_decode(const uint8_t *p, struct xs_lu_domain_info *d)
{
	d->type = xs_get_le32(p + DI(type));
	d->page_shift = xs_get_le16(p + DI(page_shift));
	d->domain_id = xs_get_le16(p + DI(domain_id));
	memcpy(d->domain_handle, p + DI(domain_handle),
	       sizeof(d->domain_handle));
	d->ssidref = xs_get_le32(p + DI(ssidref));
	d->flags = xs_get_le32(p + DI(flags));
	d->max_vcpus = xs_get_le32(p + DI(max_vcpus));
	d->emulation_flags = xs_get_le32(p + DI(emulation_flags));
	d->extra_flags = xs_get_le32(p + DI(extra_flags));
	d->_pad = xs_get_le32(p + DI(_pad));
}

static int domain_info(struct xs_ctx *ctx, struct lu_state *s)
{
	struct xs_reader *r = ctx->r;
	uint64_t b = r->body_offset;
	struct xs_lu_domain_info d;
	const uint8_t *p;

	if (need_len(r, sizeof(d)) || xs_body(r, sizeof(d), &p))
		return -1;
	domain_info_decode(p, &d);
	if (d.type != XS_DHDR_TYPE_X86_PV && d.type != XS_DHDR_TYPE_X86_HVM)
		return xs_fail(r, b + DI(type), "lu.domain-type",
			       "domain type %#x, expected 1 (x86 PV) or 2 (x86 HVM)",
			       d.type);
	if (d.page_shift != XS_PAGE_SHIFT)
		return xs_fail(r, b + DI(page_shift), "lu.page-shift",
			       "page shift %u, expected 12", d.page_shift);
	if (d.domain_id >= XS_DOMID_FIRST_RESERVED)
		return xs_fail(r, b + DI(domain_id), "lu.domid",
			       "domain id %#x is reserved", d.domain_id);
	if (s->domid_seen[d.domain_id / 8] & (1U << (d.domain_id % 8)))
		return xs_fail(r, b + DI(domain_id), "lu.domid-duplicate",
			       "domain %u described twice", d.domain_id);
	if (!d.max_vcpus || d.max_vcpus > XS_MAX_VCPUS)
		return xs_fail(r, b + DI(max_vcpus), "lu.max-vcpus",
			       "max_vcpus %u, expected 1-%u", d.max_vcpus,
			       XS_MAX_VCPUS);
	if (d.extra_flags & ~XS_LU_DOMAIN_EXTRA_KNOWN)
		return xs_fail(r, b + DI(extra_flags), "lu.extra-flags",
			       "unknown extra flags %#x",
			       d.extra_flags & ~XS_LU_DOMAIN_EXTRA_KNOWN);
	if (d._pad)
		return xs_fail(r, b + DI(_pad), "lu.reserved",
			       "padding %#x, expected 0", d._pad);

	s->domid_seen[d.domain_id / 8] |= 1U << (d.domain_id % 8);
	s->in_domain = true;
	memset(&s->bi, 0, sizeof(s->bi));
	s->bi.version = XS_IHDR_VERSION;
	s->bi.dtype = d.type;
	s->bi.max_pfn = ~0ULL;
	ctx->st->nr_domains++;
	xs_ctx_field(ctx, "type", d.type);
	xs_ctx_field(ctx, "domid", d.domain_id);
	xs_ctx_field(ctx, "ssidref", d.ssidref);
	xs_ctx_field(ctx, "flags", d.flags);
	xs_ctx_field(ctx, "max_vcpus", d.max_vcpus);
	xs_ctx_field(ctx, "emulation_flags", d.emulation_flags);
	xs_ctx_field(ctx, "extra_flags", d.extra_flags);
	return 0;
}

/* libxc records that describe domain state (memory stays in place). */
static bool domain_record(uint32_t t, uint32_t dtype)
{
	if (xs_rec_pv_only(t))
		return dtype == XS_DHDR_TYPE_X86_PV;
	if (xs_rec_hvm_only(t))
		return dtype == XS_DHDR_TYPE_X86_HVM;
	return t == XS_REC_X86_TSC_INFO || t == XS_REC_X86_CPUID_POLICY ||
	       t == XS_REC_X86_MSR_POLICY;
}

static int optional(struct xs_ctx *ctx, struct lu_state *s)
{
	const struct xs_verify_opts *o = ctx->opts;
	struct xs_reader *r = ctx->r;
	const struct xs_rec_desc *d;
	size_t n_builtin = 0, idx;

	while (xs_lu_optional_records[n_builtin].type)
		n_builtin++;
	d = xs_lu_optional_find(xs_lu_optional_records, n_builtin, r->type);
	idx = d ? (size_t)(d - xs_lu_optional_records) : 0;
	if (!d && o->lu_optional) {
		d = xs_lu_optional_find(o->lu_optional, o->nr_lu_optional,
					r->type);
		idx = d ? n_builtin + (size_t)(d - o->lu_optional) : 0;
	}
	if (!d) {
		ctx->st->optional_skipped++;
		ctx->ev.skipped = true;
		return 0;
	}

	ctx->ev.name = d->name;
	if (s->in_trailer && !(d->flags & XS_DESC_TRAILER))
		return xs_fail(r, r->rec_offset, "lu.trailer-order",
			       "%s after the dom0 records", d->name);
	if (r->length < d->min_len || r->length > d->max_len)
		return xs_fail(r, r->rec_offset + 4, "lu.optional-length",
			       "length %u, expected %u-%u", r->length,
			       d->min_len, d->max_len);
	if ((d->flags & XS_DESC_GLOBAL) && !(d->flags & XS_DESC_DOMAIN) &&
	    s->in_domain)
		return xs_fail(r, r->rec_offset, "lu.global-order",
			       "global record after the first LU_DOMAIN_INFO");
	if ((d->flags & XS_DESC_DOMAIN) && !(d->flags & XS_DESC_GLOBAL) &&
	    !s->in_domain)
		return xs_fail(r, r->rec_offset, "lu.domain-order",
			       "domain record before any LU_DOMAIN_INFO");
	if (d->flags & XS_DESC_SINGLETON) {
		if (idx >= sizeof(s->desc_seen) * 8)
			return xs_fail_code(r, XS_ERR_USAGE, r->rec_offset,
					    "usage", "too many descriptors");
		if (s->desc_seen[idx / 8] & (1U << (idx % 8)))
			return xs_fail(r, r->rec_offset, "lu.duplicate",
				       "second %s record", d->name);
		s->desc_seen[idx / 8] |= 1U << (idx % 8);
	}
	if (d->flags & XS_DESC_TRAILER)
		s->in_trailer = true;
	return d->check ? d->check(ctx, r->length) : 0;
}

static int end(struct xs_ctx *ctx, struct lu_state *s)
{
	(void)s;
	return need_len(ctx->r, 0) || xs_dom0_finish(ctx) ? -1 : 0;
}

typedef int (*lu_handler_fn)(struct xs_ctx *ctx, struct lu_state *s);

/**
 * struct lu_format - how one of this file's formats reads its records
 * @what: the format in words, for the missing-END error
 * @order: the rules that need only the type and what came before; may be
 *	NULL
 * @handlers: type -> handler, for the types the format names
 * @nr_handlers: entries at @handlers
 * @other: the handler of every other type (by its class: optional,
 *	libxc, unknown)
 */
struct lu_format {
	const char *what;
	int (*order)(struct xs_ctx *ctx, struct lu_state *s);
	const struct lu_handler {
		uint32_t type;
		lu_handler_fn handle;
	} *handlers;
	size_t nr_handlers;
	lu_handler_fn other;
};

/* Live update stream: LU_VERSION first, nothing but END after dom0's. */
static int lu_order(struct xs_ctx *ctx, struct lu_state *s)
{
	struct xs_reader *r = ctx->r;
	uint32_t t = r->type;

	if (!s->seen_version && t != XS_LU_REC_VERSION)
		return xs_fail(r, r->rec_offset, "lu.version-first",
			       "first record must be LU_VERSION");
	if (s->in_trailer && t != XS_REC_END && !(t & XS_REC_TYPE_OPTIONAL))
		return xs_fail(r, r->rec_offset, "lu.trailer-order",
			       "%s after the dom0 records", xs_lu_rec_name(t));
	return 0;
}

/* A libxc record: domain state, inside a group of that domain type. */
static int libxc_record(struct xs_ctx *ctx, struct lu_state *s)
{
	struct xs_reader *r = ctx->r;
	uint32_t t = r->type;

	if (!s->in_domain && (domain_record(t, XS_DHDR_TYPE_X86_PV) ||
			      domain_record(t, XS_DHDR_TYPE_X86_HVM)))
		return xs_fail(r, r->rec_offset, "lu.domain-order",
			       "domain record before any LU_DOMAIN_INFO");
	if (s->in_domain && domain_record(t, s->bi.dtype))
		return xs_libxc_body(ctx, &s->bi) < 0 ? -1 : 0;
	return xs_fail(r, r->rec_offset, "lu.record-not-allowed",
		       "%s is not allowed in a live update stream%s",
		       xs_lu_rec_name(t),
		       s->in_domain ? " for this domain type" : "");
}

static int lu_other(struct xs_ctx *ctx, struct lu_state *s)
{
	struct xs_reader *r = ctx->r;

	if (r->type & XS_REC_TYPE_OPTIONAL)
		return optional(ctx, s);
	if (r->type <= XS_REC_LIBXC_MAX)
		return libxc_record(ctx, s);
	return xs_fail(r, r->rec_offset, "record.unknown-mandatory",
		       "unknown mandatory record type %#010x", r->type);
}

static const struct lu_handler lu_handlers[] = {
	{ XS_LU_REC_VERSION,		version },
	{ XS_LU_REC_M2P,		m2p },
	{ XS_LU_REC_M2P_COMPAT,		m2p },
	{ XS_LU_REC_DOMAIN_INFO,	domain_info },
	{ XS_REC_END,			end },
};

static const struct lu_format lu_stream = {
	.what = "live update",
	.order = lu_order,
	.handlers = lu_handlers,
	.nr_handlers = sizeof(lu_handlers) / sizeof(lu_handlers[0]),
	.other = lu_other,
};

/* dom0 records dump: DOM0_HEADER first. */
static int dump_order(struct xs_ctx *ctx, struct lu_state *s)
{
	struct xs_reader *r = ctx->r;

	if (!s->dom0.header && r->type != XEN_LU_REC_DOM0_HEADER)
		return xs_fail(r, r->rec_offset, "dom0.header-first",
			       "a records dump starts with DOM0_HEADER, not %s",
			       xs_lu_rec_name(r->type));
	return 0;
}

/* Only dom0's records (optional live update types) and END. */
static int dump_other(struct xs_ctx *ctx, struct lu_state *s)
{
	struct xs_reader *r = ctx->r;

	if ((r->type & XS_LU_REC_OPTIONAL_BASE) == XS_LU_REC_OPTIONAL_BASE)
		return optional(ctx, s);
	return xs_fail(r, r->rec_offset, "dump.record-type",
		       "%s (%#010x) is not a dom0 record",
		       xs_lu_rec_name(r->type), r->type);
}

static const struct lu_handler dump_handlers[] = {
	{ XS_REC_END,			end },
};

static const struct lu_format records_dump = {
	.what = "dom0 records dump",
	.order = dump_order,
	.handlers = dump_handlers,
	.nr_handlers = sizeof(dump_handlers) / sizeof(dump_handlers[0]),
	.other = dump_other,
};

/* One record through the format's table: 1 more, 0 END seen, -1 error. */
static int one_record(struct xs_ctx *ctx, struct lu_state *s,
		      const struct lu_format *f)
{
	struct xs_reader *r = ctx->r;
	lu_handler_fn handle = f->other;
	size_t i;

	if (xs_ctx_next_record(ctx, XS_LAYER_LU, xs_lu_rec_name, f->what) < 0)
		return -1;
	if (f->order && f->order(ctx, s))
		return -1;
	for (i = 0; i < f->nr_handlers; i++) {
		if (f->handlers[i].type == r->type) {
			handle = f->handlers[i].handle;
			break;
		}
	}
	if (handle(ctx, s) || xs_rec_finish(r))
		return -1;
	xs_ev_emit(ctx);
	return r->type == XS_REC_END ? 0 : 1;
}

/*
 * After END: the rest of END's stream page is not looked at.  The handover
 * spec only asks records to be zero padded to 8 octets, and the breadcrumb
 * counts whole pages, so what xen#1 left there is nobody's business.  Past
 * that page only zeros may follow (pages a generous page count would hold):
 * data there cannot belong to a stream that has already ended.
 */
static int trailing(struct xs_reader *r)
{
	uint64_t page_end = (xs_offset(r) + XS_PAGE_SIZE - 1) &
			    ~(uint64_t)(XS_PAGE_SIZE - 1);
	const uint8_t *p;
	size_t got, i;

	for (;;) {
		if (xs_peek(r, 4096, &p, &got))
			return -1;
		if (!got)
			return 0;
		for (i = 0; i < got; i++)
			if (p[i] && xs_offset(r) + i >= page_end)
				return xs_fail(r, xs_offset(r) + i,
					       "lu.trailing",
					       "non-zero byte past END's page");
		r->pos += got;
	}
}

/* Every record of the stream, up to its END. */
static int records(struct xs_ctx *ctx, const struct lu_format *f)
{
	struct lu_state *s = calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return xs_fail_code(ctx->r, XS_ERR_NOMEM, 0, "nomem",
				    "out of memory");
	ctx->dom0 = &s->dom0;
	do {
		rc = one_record(ctx, s, f);
	} while (rc > 0);
	ctx->dom0 = NULL;
	free(s);
	return rc;
}

int xs_verify_lu(struct xs_ctx *ctx)
{
	return records(ctx, &lu_stream) || trailing(ctx->r) ? -1 : 0;
}

int xs_verify_lu_records(struct xs_ctx *ctx)
{
	return records(ctx, &records_dump);
}
