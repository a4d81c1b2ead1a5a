// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of libxenstream: writer round trips, every validator
 * rule with generated bad input (one fault per case, the rule id checked),
 * truncation at every offset, fd and memory sources, breadcrumb decoding.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/liveupdate-records.h>

#include "../lib/tap.h"
#include "endian.h"
#include "gen.h"
#include "xenstream.h"

struct buf {
	uint8_t *p;
	size_t len;
};

#define MK(call) ({							\
	struct xs_sink s_; struct xs_writer w_; struct buf b_ = { 0 };	\
	xs_sink_init_mem(&s_); xs_writer_init(&w_, &s_);		\
	if (!(call))							\
		b_.p = xs_sink_take(&s_, &b_.len);			\
	xs_sink_release(&s_);						\
	b_; })

static const char *last_rule;
static char last_msg[512];

static int run(const struct buf *b, const struct xs_verify_opts *o,
	       struct xs_stats *st, struct xs_error *e)
{
	int rc = xs_verify_mem(b->p, b->len, o, st, e);

	last_rule = rc ? e->rule : NULL;
	if (rc)
		xs_error_format(e, last_msg, sizeof(last_msg));
	return rc;
}

static void valid(struct buf b, const char *what)
{
	struct xs_stats st;
	struct xs_error e;

	if (!tap_ok(b.p && !run(&b, NULL, &st, &e), "valid: %s", what))
		tap_diag("%s", b.p ? last_msg : "generator failed");
	free(b.p);
}

static void bad_fmt(struct buf b, enum xs_format f, const char *rule,
		    const char *what)
{
	struct xs_verify_opts vo = { .format = f };
	struct xs_stats st;
	struct xs_error e;
	int rc = b.p ? run(&b, &vo, &st, &e) : 0;

	if (!tap_ok(b.p && rc && last_rule && !strcmp(last_rule, rule),
		    "rejects %s (%s)", what, rule))
		tap_diag("got %s: %s", rc ? last_rule : "valid",
			 rc ? last_msg : "");
	free(b.p);
}

static void bad(struct buf b, const char *rule, const char *what)
{
	bad_fmt(b, XS_FMT_UNKNOWN, rule, what);
}

/* Offset of the nth record of type, walking records from start. */
static size_t find_rec(const struct buf *b, size_t start, uint32_t type,
		       int nth)
{
	size_t off = start;

	while (off + 8 <= b->len) {
		uint32_t t = xs_get_le32(b->p + off);
		uint32_t l = xs_get_le32(b->p + off + 4);

		if (t == type && nth-- == 0)
			return off;
		off += 8 + ((l + 7) & ~7U);
	}
	return (size_t)-1;
}

#define LIBXC_RECS	40	/* ihdr + dhdr */

static struct buf pv(void)
{
	return MK(gen_libxc(&w_, 0, 2048, 1024));
}

static void put32(struct buf *b, size_t off, uint32_t v)
{
	if (off + 4 <= b->len)
		xs_put_le32(b->p + off, v);
}

static void put64(struct buf *b, size_t off, uint64_t v)
{
	if (off + 8 <= b->len)
		xs_put_le64(b->p + off, v);
}

static void libxc_header_rules(void)
{
	struct buf b;

	b = pv(); b.p[0] = 0xfe;
	bad_fmt(b, XS_FMT_LIBXC, "ihdr.marker", "bad marker");
	b = pv(); b.p[8] = 'Y'; bad_fmt(b, XS_FMT_LIBXC, "ihdr.id", "bad id");
	b = pv(); xs_put_be32(b.p + 12, 1); bad(b, "ihdr.version", "version 1");
	b = pv(); xs_put_be32(b.p + 12, 4); bad(b, "ihdr.version", "version 4");
	b = pv(); xs_put_be16(b.p + 16, 1);
	bad(b, "ihdr.big-endian", "big-endian option");
	b = pv(); xs_put_be16(b.p + 16, 4);
	bad(b, "ihdr.options", "reserved option bit");
	b = pv(); b.p[21] = 1; bad(b, "ihdr.reserved", "reserved ihdr field");
	b = pv(); put32(&b, 24, 3); bad(b, "dhdr.type", "domain type 3");
	b = pv(); xs_put_le16(b.p + 28, 13);
	bad(b, "dhdr.page-shift", "page shift 13");
	b = pv(); xs_put_le16(b.p + 30, 1);
	bad(b, "dhdr.reserved", "reserved dhdr field");
}

static void libxc_record_rules(void)
{
	struct buf b;
	size_t o;

	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_PV_VCPU_BASIC, 0);
	b.p[o + 8 + 108] = 1;		/* first padding byte */
	bad(b, "record.padding", "non-zero padding");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_PV_VCPU_BASIC, 0);
	put32(&b, o + 4, XS_REC_LENGTH_MAX + 1);
	bad(b, "record.length-max", "length above 128 MiB");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_PAGE_DATA, 0);
	put32(&b, o + 8, 0); bad(b, "page-data.count", "PAGE_DATA count 0");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_PAGE_DATA, 0);
	put32(&b, o + 12, 1);
	bad(b, "page-data.reserved", "PAGE_DATA reserved field");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_PAGE_DATA, 0);
	put64(&b, o + 16 + 8 * 5, 5ULL << 60 | 5);
	bad(b, "page-data.pfn-type", "pfn type 5");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_PAGE_DATA, 1);
	put64(&b, o + 16, 8ULL << 60 | 1024);
	bad(b, "page-data.pfn-type", "pfn type 8");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_PAGE_DATA, 0);
	put64(&b, o + 16, 1ULL << 52);
	bad(b, "page-data.pfn-reserved", "pfn bit 52");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_PAGE_DATA, 0);
	put64(&b, o + 16, 0xfULL << 60);
	bad(b, "page-data.length", "XTAB pfn shrinks the expected length");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_PAGE_DATA, 0);
	put32(&b, o + 8, 0x100000);
	bad(b, "page-data.pfn-array", "count larger than the record");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_PAGE_DATA, 0);
	put64(&b, o + 16, 4096);
	bad(b, "page-data.pfn-range", "pfn beyond the p2m");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_PV_INFO, 0);
	b.p[o + 8] = 4;
	bad(b, "pv-info.width-levels", "guest width 4 with 4 levels");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_PV_INFO, 0);
	b.p[o + 15] = 1; bad(b, "pv-info.reserved", "PV_INFO reserved byte");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_PV_P2M_FRAMES, 0);
	put32(&b, o + 12, 1024 * 1024);
	bad(b, "p2m-frames.count", "p2m frame count mismatch");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_PV_P2M_FRAMES, 0);
	put32(&b, o + 8, 4000);
	bad(b, "p2m-frames.range", "p2m start above end");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_TSC_INFO, 0);
	put32(&b, o + 8 + 20, 1);
	bad(b, "tsc-info.reserved", "TSC_INFO reserved field");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_PV_VCPU_BASIC, 0);
	put32(&b, o + 8, XS_MAX_VCPUS);
	bad(b, "vcpu.id", "vcpu id 8192");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_PV_VCPU_BASIC, 0);
	put32(&b, o + 12, 1); bad(b, "vcpu.reserved", "vcpu reserved field");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_MSR_POLICY, 0);
	put32(&b, o + 12, 1); bad(b, "msr-policy.flags", "MSR entry flags");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_PV_VCPU_BASIC, 1);
	put32(&b, o, XS_REC_X86_PV_VCPU_MSRS);
	bad(b, "vcpu.msrs-size", "MSRS blob not a multiple of 16");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_PV_VCPU_BASIC, 1);
	put32(&b, o, XS_REC_TOOLSTACK);
	bad(b, "toolstack.deprecated", "TOOLSTACK record");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_PV_VCPU_BASIC, 1);
	put32(&b, o, XS_REC_CHECKPOINT_DIRTY_PFN_LIST);
	bad(b, "dirty-pfn-list.backchannel", "CHECKPOINT_DIRTY_PFN_LIST");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_PV_VCPU_BASIC, 1);
	put32(&b, o, XS_REC_END);
	bad(b, "record.zero-length", "END with a body");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_X86_PV_VCPU_BASIC, 1);
	put32(&b, o, XS_REC_HVM_CONTEXT);
	bad(b, "libxc.guest-type", "HVM_CONTEXT in a PV stream");
	b = pv(); o = find_rec(&b, LIBXC_RECS, XS_REC_SHARED_INFO, 0);
	put32(&b, o + 4, 4000);
	bad(b, "shared-info.length", "SHARED_INFO of 4000 bytes");
}

static void libxc_order_rules(void)
{
	bad(MK(gen_libxc(&w_, G_NO_STATIC_END, 8, 8)),
	    "libxc.static-data-end-missing", "v3 without STATIC_DATA_END");
	bad(MK(gen_libxc(&w_, G_DUP_STATIC_END, 8, 8)), "libxc.duplicate",
	    "duplicate STATIC_DATA_END");
	bad(MK(gen_libxc(&w_, G_DUP_PV_INFO, 8, 8)), "libxc.duplicate",
	    "duplicate X86_PV_INFO");
	bad(MK(gen_libxc(&w_, G_PAGE_BEFORE_P2M, 8, 8)), "libxc.p2m-missing",
	    "PAGE_DATA before P2M_FRAMES");
	bad(MK(gen_libxc(&w_, G_PAGE_AFTER_TAIL, 8, 8)), "libxc.order",
	    "PAGE_DATA after the vCPU state");
	bad(MK(gen_libxc(&w_, G_EXT_BEFORE_BASIC, 8, 8)), "libxc.vcpu-order",
	    "EXTENDED before BASIC");
	bad(MK(gen_libxc(&w_, G_UNKNOWN_MANDATORY, 8, 8)),
	    "record.unknown-mandatory", "unknown mandatory type 0x33");
	bad(MK(gen_libxc(&w_, G_NO_END, 8, 8)), "stream.truncated",
	    "libxc stream without END");
	bad(MK(gen_libxc(&w_, G_NO_SHARED_INFO, 8, 8)), "libxc.incomplete",
	    "PV stream without SHARED_INFO");
	bad(MK(gen_libxc(&w_, G_STATIC_AFTER_END, 8, 8)),
	    "libxc.duplicate", "second X86_PV_INFO after the static data");
	bad(MK(gen_libxc(&w_, G_DUP_TSC, 8, 8)), "libxc.duplicate",
	    "two X86_TSC_INFO in one checkpoint");
	{
		struct buf b = MK(gen_libxc(&w_, G_V2, 8, 8));
		size_t o = find_rec(&b, LIBXC_RECS, XS_REC_X86_TSC_INFO, 0);

		put32(&b, o, XS_REC_STATIC_DATA_END);
		put32(&b, o + 4, 0);
		bad(b, "libxc.v3-only", "STATIC_DATA_END in a v2 stream");
	}
}

static void libxc_valid(void)
{
	struct xs_stats st;
	struct xs_error e;
	struct buf b;

	valid(MK(gen_libxc(&w_, 0, 3000, 1024)), "libxc v3 PV");
	valid(MK(gen_libxc(&w_, G_V2, 100, 7)), "libxc v2 PV (inferred static end)");
	valid(MK(gen_libxc(&w_, G_HVM, 100, 64)), "libxc v3 HVM");
	valid(MK(gen_libxc(&w_, G_HVM | G_V2, 100, 64)), "libxc v2 HVM");
	valid(MK(gen_libxc(&w_, G_HVM | G_PARAMS_AFTER_CONTEXT, 100, 64)),
	      "libxc v3 HVM, HVM_CONTEXT before HVM_PARAMS (Xen 4.17's saver)");
	valid(MK(gen_libxc(&w_, G_ZERO_CONTENT, 10, 10)),
	      "erratum 1: empty XSAVE/MSRS vCPU records");
	valid(MK(gen_libxc(&w_, G_HVM | G_ZERO_CONTENT, 10, 10)),
	      "erratum 1: HVM_PARAMS with count 0");
	valid(MK(gen_libxc(&w_, G_CHECKPOINT, 10, 10)),
	      "checkpointed stream (CHECKPOINT, second round)");

	b = MK(gen_libxc(&w_, G_UNKNOWN_OPTIONAL, 1500, 1000));
	tap_ok(b.p && !run(&b, NULL, &st, &e) && st.optional_skipped == 1 &&
	       st.pages == 1500 && st.pfns == 1500 &&
	       st.page_data_records == 2 && st.libxc_version == 3,
	       "unknown optional skipped and counted; page stats exact");
	free(b.p);
}

static void truncation(const char *what, enum xs_format f, struct buf b)
{
	struct xs_verify_opts vo = { .format = f };
	struct xs_stats st;
	struct xs_error e;
	size_t cut, fails = 0, n = 0;

	for (cut = 0; cut < b.len; cut++) {
		struct buf t = { b.p, cut };

		n++;
		if (!run(&t, &vo, &st, &e) || e.code != XS_ERR_TRUNCATED)
			fails++;
	}
	if (!tap_ok(b.p && !fails, "%s: each of %zu truncations detected",
		    what, n))
		tap_diag("%zu truncations not reported as truncated", fails);
	free(b.p);
}

static void libxl_rules(void)
{
	struct buf b;
	size_t o;

	valid(MK(gen_libxl(&w_, 0, 64)), "libxl PV");
	valid(MK(gen_libxl(&w_, G_HVM | G_XENSTORE, 64)),
	      "libxl HVM with xenstore physmap data");
	valid(MK(gen_xl(&w_, 0, 64)), "xl save file");
	b = MK(gen_libxl(&w_, 0, 8)); b.p[0] = 'X';
	bad(b, "format.unknown", "bad libxl ident (detected)");
	{
		struct xs_verify_opts vo = { .format = XS_FMT_LIBXL };
		struct xs_stats st;
		struct xs_error e;

		b = MK(gen_libxl(&w_, 0, 8)); b.p[0] = 'X';
		tap_ok(run(&b, &vo, &st, &e) && !strcmp(e.rule, "libxl.ident"),
		       "rejects bad libxl ident with -f libxl (libxl.ident)");
		free(b.p);
	}
	b = MK(gen_libxl(&w_, 0, 8)); xs_put_be32(b.p + 8, 3);
	bad(b, "libxl.version", "libxl version 3");
	b = MK(gen_libxl(&w_, 0, 8)); xs_put_be32(b.p + 12, 4);
	bad(b, "libxl.options", "libxl reserved option");
	b = MK(gen_libxl(&w_, 0, 8)); xs_put_be32(b.p + 12, 1);
	bad(b, "libxl.big-endian", "libxl big-endian");
	bad(MK(gen_libxl(&w_, G_LIBXL_END_EARLY, 8)), "libxl.libxc-missing",
	    "libxl END before the libxc stream");
	b = MK(gen_libxl(&w_, G_HVM | G_XENSTORE, 8));
	o = find_rec(&b, 64, 2, 0);	/* HVM libxc has no type 2 */
	put32(&b, o + 8, 9);
	bad(b, "emulator.id", "emulator id 9");
	b = MK(gen_libxl(&w_, G_HVM | G_XENSTORE, 8));
	o = find_rec(&b, 64, 2, 0);	/* HVM libxc has no type 2 */
	b.p[o + 8 + 94] = 'x';
	bad(b, "xenstore-data.nul", "xenstore data not NUL terminated");
	b = MK(gen_libxl(&w_, G_HVM | G_XENSTORE, 8));
	o = find_rec(&b, 64, 2, 0);	/* HVM libxc has no type 2 */
	b.p[o + 16 + 25] = 'x';		/* join a key with its value */
	bad(b, "xenstore-data.pairs", "odd number of xenstore strings");
	b = MK(gen_libxl(&w_, G_HVM | G_XENSTORE, 8));
	o = find_rec(&b, 64, 2, 0);	/* HVM libxc has no type 2 */
	b.p[o + 16 + 3] = ' ';
	bad(b, "xenstore-data.key", "space in a xenstore key");
	b = MK(gen_libxl(&w_, 0, 8));
	put32(&b, b.len - 8, 0x17);
	bad(b, "record.unknown-mandatory", "unknown mandatory libxl record");
	b = MK(gen_libxl(&w_, 0, 8));
	put32(&b, b.len - 8, 0x80000017);
	bad(b, "stream.truncated", "libxl optional record as last record");

	b = MK(gen_xl(&w_, 0, 8)); b.p[5] = 'X';
	{
		struct xs_verify_opts vo = { .format = XS_FMT_XL };
		struct xs_stats st;
		struct xs_error e;

		tap_ok(run(&b, &vo, &st, &e) && !strcmp(e.rule, "xl.magic"),
		       "rejects bad xl magic with -f xl (xl.magic)");
		free(b.p);
	}
	b = MK(gen_xl(&w_, 0, 8)); put32(&b, 32, 0x04030201);
	bad(b, "xl.byteorder", "xl byte order");
	b = MK(gen_xl(&w_, 0, 8)); put32(&b, 36, 0x7);
	bad(b, "xl.mandatory-flags", "unknown xl mandatory flag");
	b = MK(gen_xl(&w_, 0, 8)); put32(&b, 48, 0x1000);
	bad(b, "xl.config-length", "xl config longer than the optional data");
	b = MK(gen_xl(&w_, 0, 8)); put32(&b, 44, 0x7fffffff);
	bad(b, "xl.optional-data-length", "xl optional data of 2 GiB");
	{
		struct buf c = MK(gen_xl(&w_, 0, 8));

		b.p = malloc(c.len + 8);
		b.len = c.len + 8;
		memcpy(b.p, c.p, c.len);
		memset(b.p + c.len, 0, 8);
		free(c.p);
		bad(b, "stream.trailing", "data after the xl stream");
	}
}

static const struct xs_rec_desc *hook_desc;

static int hook_check(struct xs_ctx *ctx, uint32_t length)
{
	const uint8_t *p;

	if (xs_ctx_body(ctx, length, &p))
		return -1;
	if (memcmp(p, "dom0", 4))
		return xs_ctx_fail(ctx, xs_ctx_offset(ctx) - length,
				   "test.hook", "body does not start dom0");
	xs_ctx_field(ctx, "hooked", 1);
	return 0;
}

static void lu_rules(void)
{
	static const struct xs_rec_desc desc[] = {
		{ GEN_HOOK_TYPE, "TEST_DOM0", 8, 64,
		  XS_DESC_GLOBAL | XS_DESC_SINGLETON, hook_check },
	};
	struct xs_verify_opts vo = { .lu_optional = desc, .nr_lu_optional = 1 };
	struct xs_stats st;
	struct xs_error e;
	struct buf b;
	size_t o;

	hook_desc = desc;
	valid(MK(gen_lu(&w_, 0, 4, 2, 300)), "LU stream, 4 domains");
	valid(MK(gen_lu(&w_, L_PAGE_FILL, 3, 1, 100)),
	      "LU stream zero-filled to a page");
	b = MK(gen_lu(&w_, L_UNKNOWN_OPTIONAL | L_HOOKED_OPTIONAL, 2, 1, 8));
	tap_ok(b.p && !run(&b, NULL, &st, &e) && st.optional_skipped == 2 &&
	       st.nr_domains == 2 && st.format == XS_FMT_LU,
	       "LU: unknown optional records (0xC0000101, 0xC0000010) skipped and counted");
	tap_ok(b.p && !run(&b, &vo, &st, &e) && st.optional_skipped == 1,
	       "LU: optional record with a descriptor is checked, not skipped");
	free(b.p);
	b = MK(gen_lu(&w_, L_HOOKED_BAD, 2, 1, 8));
	tap_ok(b.p && run(&b, &vo, &st, &e) && !strcmp(e.rule, "test.hook"),
	       "LU: descriptor check rejects a bad optional body");
	tap_ok(b.p && !run(&b, NULL, &st, &e),
	       "LU: same record skipped without its descriptor");
	free(b.p);

	{
		struct xs_verify_opts lo = { .format = XS_FMT_LU };

		b = MK(gen_lu(&w_, L_NO_VERSION, 1, 1, 8));
		tap_ok(b.p && run(&b, &lo, &st, &e) &&
		       !strcmp(e.rule, "lu.version-first"),
		       "rejects LU stream without LU_VERSION first (lu.version-first)");
		free(b.p);
	}
	bad(MK(gen_lu(&w_, L_DUP_VERSION, 1, 1, 8)), "lu.version-once",
	    "second LU_VERSION");
	bad(MK(gen_lu(&w_, L_M2P_AFTER_DOMAIN, 2, 1, 8)), "lu.duplicate",
	    "LU_M2P again after a domain");
	bad(MK(gen_lu(&w_, L_DUP_DOMID, 2, 1, 8)), "lu.domid-duplicate",
	    "two domains with one domid");
	bad(MK(gen_lu(&w_, L_UNKNOWN_MANDATORY, 1, 1, 8)),
	    "record.unknown-mandatory", "unknown mandatory LU type 0x40000077");
	bad(MK(gen_lu(&w_, L_PAGE_DATA, 1, 1, 8)), "lu.record-not-allowed",
	    "PAGE_DATA in a LU stream");
	bad(MK(gen_lu(&w_, L_HVM_REC_IN_PV, 1, 1, 8)), "lu.record-not-allowed",
	    "HVM_CONTEXT in a PV domain group");
	bad(MK(gen_lu(&w_, L_REC_BEFORE_DOMAIN, 1, 1, 8)), "lu.domain-order",
	    "domain record before LU_DOMAIN_INFO");
	bad(MK(gen_lu(&w_, L_NO_END, 1, 1, 8)), "stream.truncated",
	    "LU stream without END");
	bad(MK(gen_lu(&w_, L_PAGE_FILL | L_TRAILING_GARBAGE, 1, 1, 8)),
	    "lu.trailing", "non-zero bytes past END's page");
	/* The seed asks zero padding of records only: the rest of END's page is free. */
	valid(MK(gen_lu(&w_, L_TRAILING_GARBAGE, 1, 1, 8)),
	      "LU stream with non-zero bytes in the rest of END's page");

	/* LU_M2P at 16, LU_M2P_COMPAT after it; DOMAIN_INFO follows */
	b = MK(gen_lu(&w_, 0, 1, 1, 8)); put64(&b, 24, 0x4c0000000ULL | 5);
	bad(b, "lu.m2p-order", "M2P entry order 5");
	b = MK(gen_lu(&w_, 0, 1, 1, 8)); put64(&b, 24, 0x4c0001000ULL | 30);
	bad(b, "lu.m2p-align", "M2P 1 GiB entry not aligned");
	b = MK(gen_lu(&w_, 0, 1, 1, 8)); put64(&b, 24, 1ULL << 60 | 30);
	bad(b, "lu.m2p-range", "M2P entry beyond 52 bits");
	b = MK(gen_lu(&w_, 0, 1, 1, 8)); put32(&b, 20, 12);
	bad(b, "lu.m2p-length", "M2P length not a multiple of 8");
	o = 16 + 40 + 24;	/* LU_DOMAIN_INFO */
	b = MK(gen_lu(&w_, 0, 1, 1, 8)); put32(&b, o + 8, 7);
	bad(b, "lu.domain-type", "domain type 7");
	b = MK(gen_lu(&w_, 0, 1, 1, 8)); xs_put_le16(b.p + o + 12, 16);
	bad(b, "lu.page-shift", "domain page shift 16");
	b = MK(gen_lu(&w_, 0, 1, 1, 8)); xs_put_le16(b.p + o + 14, 0x7ff0);
	bad(b, "lu.domid", "DOMID_FIRST_RESERVED");
	b = MK(gen_lu(&w_, 0, 1, 1, 8)); put32(&b, o + 8 + 32, 0);
	bad(b, "lu.max-vcpus", "max_vcpus 0");
	b = MK(gen_lu(&w_, 0, 1, 1, 8)); put32(&b, o + 8 + 40, 2);
	bad(b, "lu.extra-flags", "unknown extra flag");
	b = MK(gen_lu(&w_, 0, 1, 1, 8)); put32(&b, o + 8 + 44, 1);
	bad(b, "lu.reserved", "LU_DOMAIN_INFO padding");
	b = MK(gen_lu(&w_, 0, 1, 1, 8)); put32(&b, o + 4, 40);
	bad(b, "lu.length", "LU_DOMAIN_INFO of 40 bytes");
}

static struct buf dump_of(const struct gen_dom0 *g)
{
	return MK(gen_dump(&w_, g));
}

static void valid_dump(const struct gen_dom0 *g, uint64_t skipped,
		       const char *what)
{
	struct buf b = dump_of(g);
	struct xs_stats st;
	struct xs_error e;
	int ok = b.p && !run(&b, NULL, &st, &e);

	if (!tap_ok(ok && st.format == XS_FMT_LU_RECORDS && st.dom0 &&
		    st.dom0_domains == g->domains &&
		    st.dom0_backends == g->backends &&
		    st.dom0_evtchns == g->evtchns &&
		    st.dom0_participants == g->participants &&
		    st.optional_skipped == skipped && st.bytes == b.len,
		    "valid dump: %s", what))
		tap_diag("%s", !b.p ? "generator failed" : !ok ? last_msg :
			 "stats differ");
	free(b.p);
}

struct seen_fields {
	int domain0, backend_path, features, build_id;
};

static const char *str_field(const struct xs_event *ev, const char *name)
{
	unsigned int i;

	for (i = 0; i < ev->nr_fields; i++)
		if (!strcmp(ev->field[i].name, name) && ev->field[i].str)
			return ev->field[i].str;
	return NULL;
}

static void on_dom0_event(void *opaque, const struct xs_event *ev)
{
	struct seen_fields *f = opaque;
	const char *v;

	if (ev->type == XEN_LU_REC_DOM0_DOMAIN && ev->index == 1 &&
	    (v = str_field(ev, "name")) && !strcmp(v, "Domain-0"))
		f->domain0++;
	if (ev->type == XEN_LU_REC_DOM0_BACKEND && ev->index == 4 &&
	    (v = str_field(ev, "backend_path")) &&
	    !strcmp(v, "/local/domain/0/backend/vbd/1/51712"))
		f->backend_path++;
	if (ev->type == XEN_LU_REC_DOM0_BACKEND && ev->index == 4 &&
	    (v = str_field(ev, "features")) &&
	    !strcmp(v, "be:feature-barrier=1 be:feature-flush-cache=1 "
		       "be:feature-persistent=1 fe:feature-persistent=1"))
		f->features++;
	if (ev->type == XEN_LU_REC_DOM0_HEADER &&
	    (v = str_field(ev, "build_id")) && strlen(v) == 40 &&
	    !strncmp(v, "112233", 6))
		f->build_id++;
}

static void dom0_rules(void)
{
	struct gen_dom0 g = gen_dom0_default;
	const struct gen_bad *bd;
	struct xs_stats st;
	struct xs_error e;
	struct buf b;

	valid_dump(&g, 0, "3 domains, 3 backends, 5 channels, 1 participant");
	g = (struct gen_dom0){ .domains = 1 };
	valid_dump(&g, 0, "dom0 only: no backends, channels, participants");
	g = (struct gen_dom0){ .domains = 2, .backends = 1, .evtchns = 1 };
	valid_dump(&g, 0, "1 backend, 1 channel");
	g = (struct gen_dom0){ .domains = 200, .backends = 600,
			       .evtchns = 2000, .participants = 40,
			       .data_len = 3 };
	valid_dump(&g, 0, "200 domains, 600 backends, 2000 channels");
	g = gen_dom0_default;
	g.data_len = XEN_LU_REC_MAX_BODY -
		     sizeof(struct xen_lu_rec_dom0_participant);
	valid_dump(&g, 0, "participant data filling the 64 KiB body limit");
	g = gen_dom0_default;
	g.data_len = 0;
	g.participants = 3;
	valid_dump(&g, 0, "participants without data");
	g = gen_dom0_default;
	g.extra = 24;
	g.more_features = XEN_LU_MAX_FEATURES - 5;
	valid_dump(&g, 0, "longer fixed bodies (a later layout), up to 256 features");
	g = gen_dom0_default;
	g.flags = D_UNKNOWN;
	valid_dump(&g, 1, "undescribed dom0-range record skipped and counted");

	{
		/* the path's domid key need not be frontend_domid */
		uint8_t *at;

		b = dump_of(&gen_dom0_default);
		at = b.p ? memmem(b.p, b.len, "backend/vbd/1/", 14) : NULL;
		if (at)
			at[12] = '7';
		valid(b, "backend path domid key other than frontend_domid");
	}
	b = dump_of(&gen_dom0_default);
	tap_ok(b.p && xs_detect(b.p, b.len) == XS_FMT_LU_RECORDS &&
	       xs_detect(b.p, 7) == XS_FMT_UNKNOWN,
	       "dump detected as lu-records (from its first 8 bytes)");
	if (b.p)
		put32(&b, 4, sizeof(struct xen_lu_rec_dom0_header) - 8);
	tap_ok(b.p && xs_detect(b.p, b.len) == XS_FMT_UNKNOWN,
	       "DOM0_HEADER shorter than its fixed part is not detected");
	free(b.p);
	{
		struct seen_fields f = { 0 };
		struct xs_verify_opts vo = { .event = on_dom0_event,
					     .opaque = &f };

		b = dump_of(&gen_dom0_default);
		tap_ok(b.p && !run(&b, &vo, &st, &e) && f.domain0 == 1 &&
		       f.backend_path == 1 && f.features == 1 &&
		       f.build_id == 1,
		       "dump events carry names, paths, features, build id as strings");
		free(b.p);
	}
	{
		enum xs_format fmt;

		tap_ok(!xs_format_parse("lu-records", &fmt) &&
		       fmt == XS_FMT_LU_RECORDS &&
		       !strcmp(xs_format_name(fmt), "lu-records"),
		       "format name lu-records");
	}

	b = MK(gen_lu(&w_, L_DOM0, 3, 1, 8));
	tap_ok(b.p && !run(&b, NULL, &st, &e) && st.format == XS_FMT_LU &&
	       st.dom0 && st.dom0_backends == 3 && st.nr_domains == 3 &&
	       !st.optional_skipped,
	       "LU stream with dom0 records after the domains: checked");
	free(b.p);
	valid(MK(gen_lu(&w_, L_DOM0 | L_PAGE_FILL, 0, 1, 8)),
	      "LU stream without domains, dom0 records, zero fill");
	b = MK(gen_lu(&w_, 0, 1, 1, 8));
	tap_ok(b.p && !run(&b, NULL, &st, &e) && !st.dom0,
	       "LU stream without dom0 records: no dom0 stats");
	free(b.p);

	for (bd = gen_bad_dom0; bd->rule; bd++) {
		struct buf t = { 0 };

		t.p = bd->make(bd, &t.len);
		bad_fmt(t, bd->format, bd->rule, bd->what);
	}
}

/* Backend records (records version 2): every shape, the caps' edges. */
struct backend_fields {
	int multi_queue, unrecordable, size;
};

static void on_backend_event(void *opaque, const struct xs_event *ev)
{
	struct backend_fields *f = opaque;
	uint64_t nrq = ~0ULL, why = ~0ULL, flags = ~0ULL, refs = ~0ULL;
	const char *list = NULL, *reason = NULL, *type = NULL, *fpath = NULL;
	unsigned int i;

	if (ev->type != XEN_LU_REC_DOM0_BACKEND)
		return;
	for (i = 0; i < ev->nr_fields; i++) {
		const struct xs_field *x = &ev->field[i];

		if (!strcmp(x->name, "nr_queues"))
			nrq = x->value;
		else if (!strcmp(x->name, "unrecordable"))
			why = x->value;
		else if (!strcmp(x->name, "flags"))
			flags = x->value;
		else if (!strcmp(x->name, "nr_ring_refs"))
			refs = x->value;
		else if (!strcmp(x->name, "ring_refs"))
			list = x->str;
		else if (!strcmp(x->name, "unrecordable_reason"))
			reason = x->str;
		else if (!strcmp(x->name, "type"))
			type = x->str;
		else if (!strcmp(x->name, "frontend_path"))
			fpath = x->str;
	}
	if (nrq == 8 && refs == 128 && !why && !flags && list &&
	    !strncmp(list, "1000,1001,", 10) &&
	    !strcmp(list + strlen(list) - 4, ",..."))
		f->multi_queue++;
	if (why == XEN_LU_UNRECORDABLE_QUEUES &&
	    flags == XEN_LU_BACKEND_UNRECORDABLE && !nrq && refs == 0 &&
	    reason && !strcmp(reason, "queues"))
		f->unrecordable++;
	if (why == XEN_LU_UNRECORDABLE_SIZE && reason &&
	    !strcmp(reason, "size") && type && fpath &&
	    (!*type || !*fpath))
		f->size++;
}

static struct buf backend_dump(uint32_t backends, uint32_t more_features)
{
	struct gen_dom0 g = gen_dom0_default;

	g.backends = backends;
	g.more_features = more_features;
	return dump_of(&g);
}

/* The dump with field off of backend nth set to v. */
static struct buf backend_poke(uint32_t backends, int nth, size_t off,
			       uint32_t v)
{
	struct buf b = backend_dump(backends, 0);
	size_t o = b.p ? find_rec(&b, 0, XEN_LU_REC_DOM0_BACKEND, nth) : 0;

	if (o != (size_t)-1)
		put32(&b, o + 8 + off, v);
	return b;
}

static void dom0_backend_rules(void)
{
	const size_t nrq = offsetof(struct xen_lu_rec_dom0_backend, nr_queues);
	struct backend_fields f = { 0 };
	struct xs_verify_opts vo = { .event = on_backend_event, .opaque = &f };
	struct gen_dom0 g = gen_dom0_default;
	struct xs_stats st;
	struct xs_error e;
	struct buf b;

	g.backends = GEN_BACKEND_SHAPES;
	valid_dump(&g, 0, "a backend of every shape: 8 queues of 16 pages, unrecordable for each reason");
	g.backends = 3 * GEN_BACKEND_SHAPES;
	g.more_features = 7;
	valid_dump(&g, 0, "every shape three times, 7 more features each");
	b = backend_dump(GEN_BACKEND_SHAPES, 0);
	tap_ok(b.p && !run(&b, &vo, &st, &e) && f.multi_queue == 1 &&
	       f.unrecordable == 1 && f.size == 2,
	       "backend events: nr_queues, flags, unrecordable and its reason, long ring lists cut");
	free(b.p);

	valid(backend_poke(3, 1, nrq, XEN_LU_MAX_QUEUES),
	      "256 queues (XEN_LU_MAX_QUEUES)");
	valid(backend_poke(3, 1, nrq, 3),
	      "8 event channels with 3 queues: (3 + 1) * 2");
	valid(backend_poke(GEN_BACKEND_SHAPES, 3, nrq, 6),
	      "128 ring refs with 6 queues: at most (6 + 1) * 19");
	valid(backend_dump(1, XEN_LU_MAX_FEATURES - 4),
	      "256 feature keys (XEN_LU_MAX_FEATURES)");

	/* the header's layout is the same: only its version says 1 */
	b = dump_of(&gen_dom0_default);
	put32(&b, 8 + offsetof(struct xen_lu_rec_dom0_header, records_version),
	      1);
	if (!tap_ok(b.p && run(&b, NULL, &st, &e) && last_rule &&
		    !strcmp(last_rule, "dom0.records-version") &&
		    strstr(last_msg, "records version 1 is not read by this tool"),
		    "records version 1: refused, saying the tool does not read it"))
		tap_diag("%s", last_msg);
	free(b.p);
}

static void fd_source(void)
{
	struct buf b = MK(gen_xl(&w_, G_HVM | G_XENSTORE, 5000));
	struct xs_stats st;
	struct xs_error e;
	char path[] = "/tmp/xs-test-XXXXXX";
	int fd = mkstemp(path), p[2], rc;
	pid_t pid;

	tap_ok(fd >= 0 && write(fd, b.p, b.len) == (ssize_t)b.len &&
	       lseek(fd, 0, SEEK_SET) == 0 &&
	       !xs_verify_fd(fd, NULL, &st, &e) && st.pages == 5000,
	       "fd source (regular file, seeks over page data)");
	if (fd >= 0 && !ftruncate(fd, (off_t)b.len - 5000 * 2048)) {
		lseek(fd, 0, SEEK_SET);
		rc = xs_verify_fd(fd, NULL, &st, &e);
		tap_ok(rc && e.code == XS_ERR_TRUNCATED,
		       "fd source: truncation inside page data detected");
	} else {
		tap_ok(0, "fd source: truncation inside page data detected");
	}
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}

	rc = pipe(p);
	pid = rc ? -1 : fork();
	if (pid == 0) {
		size_t off = 0;

		close(p[0]);
		while (off < b.len) {
			ssize_t n = write(p[1], b.p + off, b.len - off);

			if (n <= 0)
				_exit(1);
			off += (size_t)n;
		}
		_exit(0);
	}
	if (pid > 0) {
		close(p[1]);
		rc = xs_verify_fd(p[0], NULL, &st, &e);
		close(p[0]);
	}
	tap_ok(pid > 0 && !rc && st.pages == 5000 && st.format == XS_FMT_XL,
	       "fd source (pipe, reads through page data)");
	free(b.p);
}

static void breadcrumb(void)
{
	uint8_t bc[24];
	struct xs_lu_breadcrumb out;
	struct xs_error e;
	uint64_t n = 0;

	xs_breadcrumb_encode(bc, 0x12345000, 37);
	tap_ok(!xs_breadcrumb_decode(bc, sizeof(bc), &out, &n, &e) && n == 37 &&
	       out.mfn_array_physaddr == 0x12345000 &&
	       bc[0] == 0x00 && bc[1] == 0x60 && bc[7] == 0x4c,
	       "breadcrumb round trip, magic bytes 00 60 .. 4c");
	bc[0] = 0x61;
	tap_ok(xs_breadcrumb_decode(bc, sizeof(bc), &out, &n, &e) &&
	       !strcmp(e.rule, "breadcrumb.magic"), "breadcrumb: bad magic");
	xs_breadcrumb_encode(bc, 0x12345008, 1);
	tap_ok(xs_breadcrumb_decode(bc, sizeof(bc), &out, &n, &e) &&
	       !strcmp(e.rule, "breadcrumb.mfn-array"),
	       "breadcrumb: unaligned MFN array");
	xs_breadcrumb_encode(bc, 0x1000, 1);
	bc[16] = 1;
	tap_ok(xs_breadcrumb_decode(bc, sizeof(bc), &out, &n, &e) &&
	       !strcmp(e.rule, "breadcrumb.nr-pages"),
	       "breadcrumb: low bits in the page count");
	xs_breadcrumb_encode(bc, 0x1000, 0);
	tap_ok(xs_breadcrumb_decode(bc, sizeof(bc), &out, &n, &e) &&
	       !strcmp(e.rule, "breadcrumb.nr-pages"),
	       "breadcrumb: zero pages");
	xs_breadcrumb_encode(bc, 0xffffffffff000ULL, 1ULL << 40);
	tap_ok(xs_breadcrumb_decode(bc, sizeof(bc), &out, &n, &e) &&
	       !strcmp(e.rule, "breadcrumb.range"),
	       "breadcrumb: MFN array past 2^52");
	tap_ok(xs_breadcrumb_decode(bc, 23, &out, &n, &e) &&
	       e.code == XS_ERR_TRUNCATED, "breadcrumb: 23 bytes");
}

static void writer_rules(void)
{
	struct xs_sink s;
	struct xs_writer w;
	uint8_t small[12];

	xs_sink_init_mem(&s);
	xs_writer_init(&w, &s);
	tap_ok(xs_rec_open(&w, 1, XS_REC_LENGTH_MAX + 1) == -E2BIG,
	       "writer: refuses a record above 128 MiB");
	w.open = false;
	tap_ok(!xs_rec_open(&w, 9, 5) && !xs_rec_append(&w, "abc", 3) &&
	       xs_rec_close(&w) == -EPROTO,
	       "writer: short record body is an error");
	xs_sink_release(&s);
	xs_sink_init_buf(&s, small, sizeof(small));
	xs_writer_init(&w, &s);
	tap_ok(xs_write_lu_version(&w, 4, 17) == -ENOSPC && s.err == -ENOSPC,
	       "writer: fixed buffer overflow is -ENOSPC and sticky");
}

static void format_names(void)
{
	enum xs_format f;
	char msg[256];
	struct buf b = MK(gen_libxc(&w_, 0, 8, 8));
	struct xs_stats st;
	struct xs_error e;
	size_t o = find_rec(&b, LIBXC_RECS, XS_REC_PAGE_DATA, 0);

	put32(&b, o + 8, 0);
	run(&b, NULL, &st, &e);
	xs_error_format(&e, msg, sizeof(msg));
	tap_ok(!strncmp(msg, "offset 0x", 9) &&
	       strstr(msg, "(0x00000001 PAGE_DATA): count 0, expected at least 1"),
	       "error text names offset, record and rule: %s", msg);
	free(b.p);
	tap_ok(!xs_format_parse("libxl", &f) && f == XS_FMT_LIBXL &&
	       xs_format_parse("nope", &f), "format names parse");
}

/*
 * Legacy (pre-4.6) streams: a PV one is detected by its extended-info
 * signature, alone or behind an xl header without STREAMv2; an HVM one has
 * no magic and is refused by a rule that names the format.  The heads
 * below are what xc_domain_save wrote first: p2m_size (300 pages), then
 * for PV ~0UL, the extended-info size and the "vcpu" block, for HVM a
 * page batch of 300.
 */
static struct buf legacy_head(unsigned int width, bool hvm, bool xl)
{
	struct buf b = { .len = (xl ? 48 : 0) + 3 * width + 12 };
	uint8_t *p;

	b.p = calloc(1, b.len);
	if (!b.p)
		return b;
	p = b.p;
	if (xl) {
		memcpy(p, XS_XL_MAGIC, XS_XL_MAGIC_LEN);
		xs_put_le32(p + 32, XS_XL_BYTEORDER);
		p += 48;
	}
	xs_put_le32(p, 300);
	if (hvm) {
		xs_put_le32(p + width, 300);
		return b;
	}
	memset(p + width, 0xff, width);
	xs_put_le32(p + 2 * width, 8 + (width == 8 ? 0x1430 : 0xaf0));
	memcpy(p + 2 * width + 4, "vcpu", 4);
	xs_put_le32(p + 2 * width + 8, width == 8 ? 0x1430 : 0xaf0);
	return b;
}

/* Read as legacy (what the format was taken for) and cut short there. */
static void legacy_cut(struct buf b, enum xs_format f, const char *what)
{
	struct xs_verify_opts vo = { .format = f };
	struct xs_stats st;
	struct xs_error e;
	int rc = b.p ? run(&b, &vo, &st, &e) : 0;

	if (!tap_ok(rc && e.code == XS_ERR_TRUNCATED &&
		    st.format == XS_FMT_LEGACY, "%s", what))
		tap_diag("got %s: %s", rc ? last_rule : "valid",
			 rc ? last_msg : "");
	free(b.p);
}

static void legacy_detection(void)
{
	static const unsigned int widths[] = { 4, 8 };
	enum xs_format f;
	struct buf b;
	unsigned int i;
	char what[128];

	for (i = 0; i < 2; i++) {
		unsigned int w = widths[i];

		b = legacy_head(w, false, false);
		tap_ok(b.p && xs_detect(b.p, b.len) == XS_FMT_LEGACY,
		       "legacy PV head (%u-bit) detected as legacy", w * 8);
		snprintf(what, sizeof(what),
			 "legacy PV head (%u-bit) alone: verified as legacy, truncated",
			 w * 8);
		legacy_cut(b, XS_FMT_UNKNOWN, what);

		b = legacy_head(w, true, false);
		tap_ok(b.p && xs_detect(b.p, b.len) == XS_FMT_UNKNOWN,
		       "legacy HVM head (%u-bit) not detected: no magic", w * 8);
		snprintf(what, sizeof(what), "legacy HVM head (%u-bit)", w * 8);
		bad(b, "format.legacy", what);
		tap_ok(strstr(last_msg, "legacy (pre-Xen 4.6) HVM stream") &&
		       strstr(last_msg, w == 8 ? "64-bit" : "32-bit"),
		       "... and its error names the format: %s", last_msg);
		snprintf(what, sizeof(what),
			 "legacy HVM head (%u-bit), format named: read as legacy, truncated",
			 w * 8);
		legacy_cut(legacy_head(w, true, false), XS_FMT_LEGACY, what);
	}
	legacy_cut(legacy_head(8, false, true), XS_FMT_UNKNOWN,
		   "xl header without STREAMv2, legacy PV behind it: read as legacy");
	legacy_cut(legacy_head(8, true, true), XS_FMT_UNKNOWN,
		   "xl header without STREAMv2, legacy HVM behind it: read as legacy");
	legacy_cut(legacy_head(8, true, true), XS_FMT_LEGACY,
		   "xl save file, legacy format named: read as convert-legacy -x does");

	b.len = 64;
	b.p = malloc(b.len);
	if (b.p)
		memset(b.p, 'x', b.len);
	bad(b, "format.unknown", "text is neither a known format nor legacy");
	tap_ok(!xs_format_parse("legacy", &f) && f == XS_FMT_LEGACY &&
	       !strcmp(xs_layer_name(XS_LAYER_LEGACY), "legacy"),
	       "format and layer name: legacy");
}

int main(void)
{
	libxc_valid();
	libxc_header_rules();
	libxc_record_rules();
	libxc_order_rules();
	truncation("libxc v3 PV", XS_FMT_LIBXC, MK(gen_libxc(&w_, 0, 3, 2)));
	truncation("libxc v2 HVM", XS_FMT_LIBXC, MK(gen_libxc(&w_, G_HVM | G_V2, 2, 2)));
	truncation("xl+libxl HVM", XS_FMT_XL, MK(gen_xl(&w_, G_HVM | G_XENSTORE, 2)));
	truncation("LU", XS_FMT_LU, MK(gen_lu(&w_, L_UNKNOWN_OPTIONAL, 2, 2, 20)));
	truncation("LU with dom0 records", XS_FMT_LU,
		   MK(gen_lu(&w_, L_DOM0, 1, 1, 8)));
	truncation("dom0 records dump", XS_FMT_LU_RECORDS,
		   MK(gen_dump(&w_, &gen_dom0_default)));
	libxl_rules();
	lu_rules();
	dom0_rules();
	dom0_backend_rules();
	fd_source();
	breadcrumb();
	writer_rules();
	format_names();
	legacy_detection();
	return tap_done();
}
