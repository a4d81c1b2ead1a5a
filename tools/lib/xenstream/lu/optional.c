// SPDX-License-Identifier: GPL-2.0-only
/*
 * Descriptors of the optional live update records (0xC0000000 and up) that
 * the validator checks instead of skipping.
 *
 * dom0's records are defined in include/uapi/xen/liveupdate-records.h.
 * When a type is added there, add a row here: type, name, body length
 * bounds, placement flags and, if the bounds are not the whole rule, a
 * check function that reads the body with xs_ctx_body() and reports with
 * xs_ctx_fail().
 *
 * dom0's records come as a block: DOM0_HEADER, then DOM0_DOMAIN*,
 * DOM0_BACKEND*, DOM0_EVTCHN*, DOM0_PARTICIPANT*, with the header's counts
 * equal to the records present.  They travel alone as a records dump
 * (XS_FMT_LU_RECORDS) or as the trailer of a live update stream, after the
 * domain groups (XS_DESC_TRAILER).  Either way lu/stream.c keeps a struct
 * xs_dom0_state in ctx->dom0 for the rules that span records (order,
 * sorting, counts) and calls xs_dom0_finish() at END.  The rules are those
 * of the UAPI text; Documentation/userspace-api/xen-liveupdate-stream.rst
 * lists them byte by byte with their rule ids.
 */
#include <stdio.h>
#include <string.h>

#include <xen/liveupdate-records.h>

#include "ctx.h"
#include "endian.h"
#include "optional.h"

/* The first XEN_LU_ABI_VERSION with XEN_LU_IOCTL_COLLECT. */
#define DOM0_MIN_ABI_VERSION	3
/* XenbusStateReconfigured, the last XenbusState. */
#define XENBUS_STATE_MAX	8

/*
 * A backend record's caps (UAPI "Unrecordable devices"): the frontend
 * directory and each queue's hold at most ring-ref, ring-ref0 ..
 * ring-ref15, tx-ring-ref and rx-ring-ref, and two event channels.
 */
#define BACKEND_REFS_PER_DIR	(1 + XEN_LU_MAX_RING_PAGES + 2)
#define BACKEND_FLAGS_KNOWN	XEN_LU_BACKEND_UNRECORDABLE

/* Sizes the spec documents; a UAPI change that moves them must show. */
_Static_assert(sizeof(struct xen_lu_rec_hdr) == 8, "rec_hdr");
_Static_assert(sizeof(struct xen_lu_rec_dom0_header) == 296, "dom0_header");
_Static_assert(offsetof(struct xen_lu_rec_dom0_header, time_ns) == 168,
	       "dom0_header.time_ns");
_Static_assert(sizeof(struct xen_lu_rec_dom0_domain) == 112, "dom0_domain");
_Static_assert(sizeof(struct xen_lu_rec_dom0_backend) == 96, "dom0_backend");
_Static_assert(sizeof(struct xen_lu_rec_dom0_evtchn) == 24, "dom0_evtchn");
_Static_assert(sizeof(struct xen_lu_rec_dom0_participant) == 40,
	       "dom0_participant");
_Static_assert(XEN_LU_REC_ALIGN == XS_REC_ALIGN, "record alignment");
_Static_assert(XEN_LU_REC_DOM0_HEADER == XS_LU_REC_OPTIONAL_BASE, "range");

#define HDR(f)	offsetof(struct xen_lu_rec_dom0_header, f)
#define DOM(f)	offsetof(struct xen_lu_rec_dom0_domain, f)
#define BE(f)	offsetof(struct xen_lu_rec_dom0_backend, f)
#define EVT(f)	offsetof(struct xen_lu_rec_dom0_evtchn, f)
#define PART(f)	offsetof(struct xen_lu_rec_dom0_participant, f)
#define FSIZE(t, f)	sizeof(((struct t *)0)->f)

static const char *const kind_name[XS_DOM0_KINDS] = {
	[XS_DOM0_HEADER]	= "DOM0_HEADER",
	[XS_DOM0_DOMAIN]	= "DOM0_DOMAIN",
	[XS_DOM0_BACKEND]	= "DOM0_BACKEND",
	[XS_DOM0_EVTCHN]	= "DOM0_EVTCHN",
	[XS_DOM0_PARTICIPANT]	= "DOM0_PARTICIPANT",
};

/* One dom0 record being checked: its body in one piece. */
struct rec {
	struct xs_ctx *ctx;
	const uint8_t *p;	/* body */
	uint64_t b;		/* stream offset of the body */
	uint32_t length;
};

static uint32_t le32(const struct rec *c, size_t off)
{
	return xs_get_le32(c->p + off);
}

#define FAIL(c, off, rule, ...) \
	xs_ctx_fail((c)->ctx, (c)->b + (off), rule, __VA_ARGS__)

/*
 * Rules that span records, then the body: a dom0 record other than the
 * header needs the header before it, comes in kind order, and does not
 * exceed the header's count of its kind.
 */
static int begin(struct xs_ctx *ctx, enum xs_dom0_kind kind, uint32_t length,
		 struct rec *c)
{
	struct xs_dom0_state *s = ctx->dom0;
	struct xs_reader *r = ctx->r;

	if (!s)
		return xs_fail_code(r, XS_ERR_USAGE, r->rec_offset, "usage",
				    "dom0 record outside a live update layer");
	if (kind != XS_DOM0_HEADER && !s->header)
		return xs_fail(r, r->rec_offset, "dom0.header-first",
			       "%s before DOM0_HEADER", kind_name[kind]);
	if (kind < s->kind)
		return xs_fail(r, r->rec_offset, "dom0.order",
			       "%s after %s: the order is HEADER, DOMAIN, BACKEND, EVTCHN, PARTICIPANT",
			       kind_name[kind], kind_name[s->kind]);
	if (kind != XS_DOM0_HEADER && s->seen[kind] >= s->nr[kind])
		return xs_fail(r, r->rec_offset, "dom0.count",
			       "%s record %u, but the header counts %u",
			       kind_name[kind], s->seen[kind] + 1, s->nr[kind]);
	c->ctx = ctx;
	c->length = length;
	c->b = r->body_offset;
	if (xs_body(r, length, &c->p))
		return -1;
	s->kind = kind;
	s->seen[kind]++;
	return 0;
}

/*
 * A string field of len bytes at off: NUL-terminated within the field and
 * zero after the NUL.  Returns its length, or -1.
 */
static long str_field(const struct rec *c, size_t off, size_t len,
		      const char *what)
{
	const uint8_t *f = c->p + off, *nul = memchr(f, 0, len);
	size_t i;

	if (!nul)
		return FAIL(c, off + len - 1, "dom0.string-nul",
			    "%s not NUL-terminated within its %zu bytes",
			    what, len);
	for (i = (size_t)(nul - f) + 1; i < len; i++)
		if (f[i])
			return FAIL(c, off + i, "dom0.string-padding",
				    "%s: byte %zu after the NUL is %#x, not 0",
				    what, i, f[i]);
	return nul - f;
}

static int str_fields(const struct rec *c, const size_t *off,
		      const size_t *len, const char *const *what, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (str_field(c, off[i], len[i], what[i]) < 0)
			return -1;
		xs_ctx_field_str(c->ctx, what[i], c->p + off[i], len[i]);
	}
	return 0;
}

/* Bytes [from, to) of the body, unused entries of an array, are zero. */
static int unused_zero(const struct rec *c, size_t from, size_t to,
		       const char *what)
{
	size_t i;

	for (i = from; i < to; i++)
		if (c->p[i])
			return FAIL(c, i, "dom0.unused",
				    "%s: byte %zu past the used part is %#x, not 0",
				    what, i - from, c->p[i]);
	return 0;
}

static int domid_ok(const struct rec *c, size_t off, const char *what)
{
	uint32_t d = le32(c, off);

	if (d >= XS_DOMID_FIRST_RESERVED)
		return FAIL(c, off, "dom0.domid",
			    "%s %#x is not a domain id (below %#x)", what, d,
			    XS_DOMID_FIRST_RESERVED);
	return 0;
}

/* u32 array of n entries at off as "a,b,c", ",..." when cut. */
static void u32_list(const struct rec *c, const char *name, size_t off,
		     uint32_t n)
{
	char buf[320];
	size_t k = 0;
	uint32_t i;

	buf[0] = '\0';
	for (i = 0; i < n && k < sizeof(buf) - 16; i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%u",
				      i ? "," : "", le32(c, off + 4 * i));
	if (i < n)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, ",...");
	xs_ctx_field_str(c->ctx, name, buf, k);
}

static int check_header(struct xs_ctx *ctx, uint32_t length)
{
	static const size_t soff[] = {
		HDR(xen_extraversion), HDR(xen_changeset),
		HDR(kernel_release), HDR(module_version),
	};
	static const size_t slen[] = {
		FSIZE(xen_lu_rec_dom0_header, xen_extraversion),
		FSIZE(xen_lu_rec_dom0_header, xen_changeset),
		FSIZE(xen_lu_rec_dom0_header, kernel_release),
		FSIZE(xen_lu_rec_dom0_header, module_version),
	};
	static const char *const sname[] = {
		"xen_extraversion", "xen_changeset", "kernel_release",
		"module_version",
	};
	struct xs_dom0_state *s = ctx->dom0;
	char hex[2 * XEN_LU_BUILD_ID_MAX + 1];
	uint32_t v, idlen, i;
	struct rec c;

	if (begin(ctx, XS_DOM0_HEADER, length, &c))
		return -1;
	v = le32(&c, HDR(records_version));
	if (v == 1)
		return FAIL(&c, HDR(records_version), "dom0.records-version",
			    "records version 1 is not read by this tool (it reads version %u)",
			    XEN_LU_RECORDS_VERSION);
	if (v != XEN_LU_RECORDS_VERSION)
		return FAIL(&c, HDR(records_version), "dom0.records-version",
			    "records version %u, expected %u", v,
			    XEN_LU_RECORDS_VERSION);
	v = le32(&c, HDR(abi_version));
	if (v < DOM0_MIN_ABI_VERSION)
		return FAIL(&c, HDR(abi_version), "dom0.abi-version",
			    "ABI version %u, but records exist since %u", v,
			    DOM0_MIN_ABI_VERSION);
	idlen = le32(&c, HDR(build_id_len));
	if (idlen > XEN_LU_BUILD_ID_MAX)
		return FAIL(&c, HDR(build_id_len), "dom0.build-id-len",
			    "build id length %u, at most %u", idlen,
			    XEN_LU_BUILD_ID_MAX);
	if (unused_zero(&c, HDR(build_id) + idlen,
			HDR(build_id) + XEN_LU_BUILD_ID_MAX, "build_id"))
		return -1;
	v = le32(&c, HDR(flags));
	if (v)
		return FAIL(&c, HDR(flags), "dom0.flags",
			    "flags %#x, expected 0", v);
	if (!xs_get_le64(c.p + HDR(generation)))
		return FAIL(&c, HDR(generation), "dom0.generation",
			    "generation 0, expected 1 or more");

	xs_ctx_field(ctx, "records_version", le32(&c, HDR(records_version)));
	xs_ctx_field(ctx, "abi_version", le32(&c, HDR(abi_version)));
	xs_ctx_field(ctx, "xen_major", le32(&c, HDR(xen_major)));
	xs_ctx_field(ctx, "xen_minor", le32(&c, HDR(xen_minor)));
	if (str_fields(&c, soff, slen, sname, 2))
		return -1;
	for (i = 0; i < idlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", c.p[HDR(build_id) + i]);
	xs_ctx_field_str(ctx, "build_id", hex, 2 * idlen);
	xs_ctx_field(ctx, "time_ns", xs_get_le64(c.p + HDR(time_ns)));
	xs_ctx_field(ctx, "generation", xs_get_le64(c.p + HDR(generation)));
	if (str_fields(&c, soff + 2, slen + 2, sname + 2, 2))
		return -1;

	s->nr[XS_DOM0_DOMAIN] = le32(&c, HDR(nr_domains));
	s->nr[XS_DOM0_BACKEND] = le32(&c, HDR(nr_backends));
	s->nr[XS_DOM0_EVTCHN] = le32(&c, HDR(nr_evtchns));
	s->nr[XS_DOM0_PARTICIPANT] = le32(&c, HDR(nr_participants));
	if (!s->nr[XS_DOM0_DOMAIN])
		return FAIL(&c, HDR(nr_domains), "dom0.domain-dom0",
			    "no domain records: dom0 itself is always recorded");
	s->header = true;
	xs_ctx_field(ctx, "nr_domains", s->nr[XS_DOM0_DOMAIN]);
	xs_ctx_field(ctx, "nr_backends", s->nr[XS_DOM0_BACKEND]);
	xs_ctx_field(ctx, "nr_evtchns", s->nr[XS_DOM0_EVTCHN]);
	xs_ctx_field(ctx, "nr_participants", s->nr[XS_DOM0_PARTICIPANT]);
	return 0;
}

static int check_domain(struct xs_ctx *ctx, uint32_t length)
{
	static const size_t soff[] = { DOM(uuid), DOM(name) };
	static const size_t slen[] = {
		FSIZE(xen_lu_rec_dom0_domain, uuid),
		FSIZE(xen_lu_rec_dom0_domain, name),
	};
	static const char *const sname[] = { "uuid", "name" };
	struct xs_dom0_state *s = ctx->dom0;
	uint32_t domid, v;
	struct rec c;

	if (begin(ctx, XS_DOM0_DOMAIN, length, &c))
		return -1;
	domid = le32(&c, DOM(domid));
	if (domid_ok(&c, DOM(domid), "domid"))
		return -1;
	if (s->seen[XS_DOM0_DOMAIN] == 1 && domid)
		return FAIL(&c, DOM(domid), "dom0.domain-dom0",
			    "first domain %u, expected dom0 (0)", domid);
	if (s->seen[XS_DOM0_DOMAIN] > 1 && domid <= s->last_domid)
		return FAIL(&c, DOM(domid), "dom0.domain-sorted",
			    "domain %u after domain %u: not sorted by domid",
			    domid, s->last_domid);
	v = le32(&c, DOM(flags));
	if (v)
		return FAIL(&c, DOM(flags), "dom0.flags",
			    "flags %#x, expected 0", v);
	s->last_domid = domid;
	xs_ctx_field(ctx, "domid", domid);
	return str_fields(&c, soff, slen, sname, 2);
}

/* Does path[0..n) end with what, at its start or after a '/'? */
static bool ends_with_key(const char *path, size_t n, const char *what)
{
	size_t k = strlen(what);

	return k <= n && !memcmp(path + n - k, what, k) &&
	       (k == n || path[n - k - 1] == '/');
}

/*
 * ".../backend/<type>/<domid>/<devid>": devid the last key, type the key
 * under backend/, a decimal domid key between them (Xen's convention; the
 * frontend's domid, not compared with frontend_domid, which comes from the
 * frontend-id node).  An empty type (a device unrecordable for its size,
 * whose type did not fit) matches any key.
 */
static bool backend_path_matches(const char *path, size_t n, const char *type,
				 uint32_t devid)
{
	char key[XEN_LU_BACKEND_TYPE_LEN + 16];
	size_t d;

	snprintf(key, sizeof(key), "/%u", devid);
	if (strlen(key) >= n || memcmp(path + n - strlen(key), key, strlen(key)))
		return false;
	n -= strlen(key);
	for (d = 0; d < n && path[n - 1 - d] >= '0' && path[n - 1 - d] <= '9'; d++)
		;
	if (!d || d == n || path[n - 1 - d] != '/')
		return false;
	n -= d + 1;
	if (!*type) {
		for (d = 0; d < n && path[n - 1 - d] != '/'; d++)
			;
		if (!d || d == n)
			return false;
		n -= d;
		return ends_with_key(path, n, "backend/");
	}
	snprintf(key, sizeof(key), "backend/%s", type);
	return ends_with_key(path, n, key);
}

static bool key_char(uint8_t ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '@';
}

/*
 * The feature list at off, len bytes: NUL-terminated "be:<key>=<value>"
 * and "fe:<key>=<value>" strings, keys "feature-..." or "request-..." of
 * xenstore key characters, sorted in strictly ascending byte order (what
 * the module's strcmp sort gives).
 */
static int features(const struct rec *c, size_t off, size_t len,
		    uint32_t *count)
{
	const char *prev = NULL, *s;
	size_t i = 0, n, k;

	*count = 0;
	if (len && c->p[off + len - 1])
		return FAIL(c, off + len - 1, "dom0.features-nul",
			    "feature list does not end with a NUL");
	while (i < len) {
		s = (const char *)c->p + off + i;
		n = strlen(s);
		if (n < 3 || (memcmp(s, "be:", 3) && memcmp(s, "fe:", 3)))
			return FAIL(c, off + i, "dom0.features-entry",
				    "feature %u does not start with be: or fe:",
				    *count);
		if (strncmp(s + 3, "feature-", 8) && strncmp(s + 3, "request-", 8))
			return FAIL(c, off + i + 3, "dom0.features-entry",
				    "feature %u: key does not start with feature- or request-",
				    *count);
		for (k = 3 + 8; k < n && s[k] != '='; k++)
			if (!key_char((uint8_t)s[k]))
				return FAIL(c, off + i + k,
					    "dom0.features-entry",
					    "feature %u: %#x is not a xenstore key character",
					    *count, (uint8_t)s[k]);
		if (k == n)
			return FAIL(c, off + i + k, "dom0.features-entry",
				    "feature %u: expected <key>=<value>",
				    *count);
		if (prev && strcmp(prev, s) >= 0)
			return FAIL(c, off + i, "dom0.features-sorted",
				    "feature %u not after feature %u in byte order",
				    *count, *count - 1);
		if (*count == XEN_LU_MAX_FEATURES)
			return FAIL(c, off + i, "dom0.features-count",
				    "more than %u features",
				    XEN_LU_MAX_FEATURES);
		prev = s;
		(*count)++;
		i += n + 1;
	}
	return 0;
}

/*
 * A path of len bytes at off, NUL included: NUL at its end, and non-empty
 * unless empty is allowed (then it is its NUL alone).
 */
static int path(const struct rec *c, size_t off, size_t len, const char *what,
		bool empty)
{
	const uint8_t *nul;

	if (len < 2 && !empty)
		return FAIL(c, off, "dom0.path-empty",
			    "%s length %zu: empty", what, len);
	if (!len)
		return FAIL(c, off, "dom0.path-nul", "%s length 0: no NUL",
			    what);
	nul = memchr(c->p + off, 0, len);
	if (nul != c->p + off + len - 1)
		return FAIL(c, nul ? (size_t)(nul - c->p) : off + len - 1,
			    "dom0.path-nul", "%s: NUL not exactly at its end",
			    what);
	return 0;
}

/*
 * The caps of a backend record (UAPI "Unrecordable devices") and how an
 * unrecordable device is recorded: the flag and the reason go together,
 * and such a device has no queues, rings, event channels or features.
 */
static int backend_caps(const struct rec *c, uint32_t *why)
{
	static const size_t counts[] = {
		BE(nr_queues), BE(nr_ring_refs), BE(nr_evtchns),
		BE(features_len),
	};
	uint32_t flags = le32(c, BE(flags)), q, v;
	size_t i;

	*why = le32(c, BE(unrecordable));
	if (flags & ~BACKEND_FLAGS_KNOWN)
		return FAIL(c, BE(flags), "dom0.flags",
			    "flags %#x, unknown bits %#x", flags,
			    flags & ~BACKEND_FLAGS_KNOWN);
	if (*why > XEN_LU_UNRECORDABLE_SIZE)
		return FAIL(c, BE(unrecordable), "dom0.unrecordable",
			    "unrecordable %u, expected 0-%u", *why,
			    XEN_LU_UNRECORDABLE_SIZE);
	if (!(flags & XEN_LU_BACKEND_UNRECORDABLE) != !*why)
		return FAIL(c, *why ? BE(unrecordable) : BE(flags),
			    "dom0.unrecordable-flag",
			    "unrecordable %u with flags %#x: the reason and XEN_LU_BACKEND_UNRECORDABLE go together",
			    *why, flags);
	if (*why) {
		for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
			if (le32(c, counts[i]))
				return FAIL(c, counts[i],
					    "dom0.unrecordable-counts",
					    "unrecordable device with %u at offset %zu: queues, rings, event channels and features are not recorded",
					    le32(c, counts[i]), counts[i]);
		return 0;
	}
	q = le32(c, BE(nr_queues));
	if (q > XEN_LU_MAX_QUEUES)
		return FAIL(c, BE(nr_queues), "dom0.queues",
			    "%u queues, at most %u", q, XEN_LU_MAX_QUEUES);
	v = le32(c, BE(nr_ring_refs));
	if (v > (q + 1) * BACKEND_REFS_PER_DIR)
		return FAIL(c, BE(nr_ring_refs), "dom0.ring-refs",
			    "%u ring refs, at most %u with %u queues", v,
			    (q + 1) * BACKEND_REFS_PER_DIR, q);
	v = le32(c, BE(nr_evtchns));
	if (v > (q + 1) * XEN_LU_MAX_QUEUE_EVTCHNS)
		return FAIL(c, BE(nr_evtchns), "dom0.evtchns",
			    "%u event channels, at most %u with %u queues", v,
			    (q + 1) * XEN_LU_MAX_QUEUE_EVTCHNS, q);
	v = le32(c, BE(features_len));
	if (v > XEN_LU_MAX_FEATURE_BYTES)
		return FAIL(c, BE(features_len), "dom0.features-len",
			    "%u bytes of features, at most %u", v,
			    XEN_LU_MAX_FEATURE_BYTES);
	return 0;
}

static const char *const unrecordable_name[] = {
	[XEN_LU_UNRECORDABLE_NONE] = "",
	[XEN_LU_UNRECORDABLE_QUEUES] = "queues",
	[XEN_LU_UNRECORDABLE_RING_REFS] = "ring-refs",
	[XEN_LU_UNRECORDABLE_EVTCHNS] = "event-channels",
	[XEN_LU_UNRECORDABLE_FEATURES] = "features",
	[XEN_LU_UNRECORDABLE_SIZE] = "size",
};

/*
 * Fixed part, ring_refs[nr_ring_refs], evtchns[nr_evtchns], backend path,
 * frontend path, features; nothing between or after them.
 */
static int check_backend(struct xs_ctx *ctx, uint32_t length)
{
	static const size_t soff[] = { BE(type), BE(protocol) };
	static const size_t slen[] = {
		FSIZE(xen_lu_rec_dom0_backend, type),
		FSIZE(xen_lu_rec_dom0_backend, protocol),
	};
	static const char *const sname[] = { "type", "protocol" };
	const size_t fixed = sizeof(struct xen_lu_rec_dom0_backend);
	uint32_t v, why, nr_refs, nr_ev, fl, nf;
	uint16_t bpl, fpl;
	size_t ro, eo, bp, fp, fo;
	struct rec c;

	if (begin(ctx, XS_DOM0_BACKEND, length, &c))
		return -1;
	if (domid_ok(&c, BE(frontend_domid), "frontend_domid"))
		return -1;
	v = le32(&c, BE(backend_state));
	if (v > XENBUS_STATE_MAX)
		return FAIL(&c, BE(backend_state), "dom0.backend-state",
			    "backend state %u is not a XenbusState (0-%u)",
			    v, XENBUS_STATE_MAX);
	v = le32(&c, BE(frontend_state));
	if (v > XENBUS_STATE_MAX)
		return FAIL(&c, BE(frontend_state), "dom0.backend-state",
			    "frontend state %u is not a XenbusState (0-%u)",
			    v, XENBUS_STATE_MAX);
	if (backend_caps(&c, &why))
		return -1;
	if (str_field(&c, BE(type), slen[0], "type") < 0 ||
	    str_field(&c, BE(protocol), slen[1], "protocol") < 0)
		return -1;
	if (!c.p[BE(type)] && why != XEN_LU_UNRECORDABLE_SIZE)
		return FAIL(&c, BE(type), "dom0.backend-type",
			    "empty backend type, but the device is not unrecordable for its size");
	v = le32(&c, BE(__reserved));
	if (v)
		return FAIL(&c, BE(__reserved), "dom0.reserved",
			    "__reserved %#x, expected 0", v);

	nr_refs = le32(&c, BE(nr_ring_refs));
	nr_ev = le32(&c, BE(nr_evtchns));
	bpl = xs_get_le16(c.p + BE(backend_path_len));
	fpl = xs_get_le16(c.p + BE(frontend_path_len));
	fl = le32(&c, BE(features_len));
	if ((uint64_t)fixed + 4ULL * nr_refs + 4ULL * nr_ev + bpl + fpl + fl !=
	    length)
		return FAIL(&c, BE(backend_path_len), "dom0.backend-length",
			    "%zu + ring refs 4 * %u + event channels 4 * %u + backend path %u + frontend path %u + features %u != length %u",
			    fixed, nr_refs, nr_ev, bpl, fpl, fl, length);
	ro = fixed;
	eo = ro + 4 * (size_t)nr_refs;
	bp = eo + 4 * (size_t)nr_ev;
	fp = bp + bpl;
	fo = fp + fpl;
	if (path(&c, bp, bpl, "backend path", false) ||
	    path(&c, fp, fpl, "frontend path",
		 why == XEN_LU_UNRECORDABLE_SIZE))
		return -1;
	if (!backend_path_matches((const char *)c.p + bp, bpl - 1U,
				  (const char *)c.p + BE(type),
				  le32(&c, BE(devid))))
		return FAIL(&c, bp, "dom0.backend-path",
			    "backend path does not end with backend/%s/<domid>/%u",
			    c.p[BE(type)] ? (const char *)c.p + BE(type) :
			    "<type>", le32(&c, BE(devid)));
	if (features(&c, fo, fl, &nf))
		return -1;

	xs_ctx_field(ctx, "frontend_domid", le32(&c, BE(frontend_domid)));
	xs_ctx_field(ctx, "devid", le32(&c, BE(devid)));
	xs_ctx_field(ctx, "backend_state", le32(&c, BE(backend_state)));
	xs_ctx_field(ctx, "frontend_state", le32(&c, BE(frontend_state)));
	xs_ctx_field(ctx, "flags", le32(&c, BE(flags)));
	xs_ctx_field(ctx, "unrecordable", why);
	if (why)
		xs_ctx_field_str(ctx, "unrecordable_reason",
				 unrecordable_name[why],
				 strlen(unrecordable_name[why]));
	xs_ctx_field(ctx, "nr_queues", le32(&c, BE(nr_queues)));
	if (str_fields(&c, soff, slen, sname, 2))
		return -1;
	xs_ctx_field_str(ctx, "backend_path", c.p + bp, bpl);
	xs_ctx_field_str(ctx, "frontend_path", c.p + fp, fpl);
	xs_ctx_field(ctx, "nr_ring_refs", nr_refs);
	u32_list(&c, "ring_refs", ro, nr_refs);
	xs_ctx_field(ctx, "nr_evtchns", nr_ev);
	u32_list(&c, "evtchns", eo, nr_ev);
	xs_ctx_field(ctx, "nr_features", nf);
	if (nf) {
		/* the list with its NULs as spaces */
		char buf[512];
		size_t n = fl < sizeof(buf) ? fl : sizeof(buf), i;

		for (i = 0; i < n; i++)
			buf[i] = c.p[fo + i] ? (char)c.p[fo + i] : ' ';
		buf[n - 1] = '\0';
		xs_ctx_field_str(ctx, "features", buf, n);
	}
	return 0;
}

static int check_evtchn(struct xs_ctx *ctx, uint32_t length)
{
	struct xs_dom0_state *s = ctx->dom0;
	uint32_t port, st, v;
	struct rec c;

	if (begin(ctx, XS_DOM0_EVTCHN, length, &c))
		return -1;
	port = le32(&c, EVT(port));
	if (s->seen[XS_DOM0_EVTCHN] > 1 && port <= s->last_port)
		return FAIL(&c, EVT(port), "dom0.evtchn-sorted",
			    "port %u after port %u: not sorted by port", port,
			    s->last_port);
	st = le32(&c, EVT(status));
	if (st < XEN_LU_EVTCHN_UNBOUND || st > XEN_LU_EVTCHN_IPI)
		return FAIL(&c, EVT(status), "dom0.evtchn-status",
			    "status %u, expected 1-5 (closed ports are not recorded)",
			    st);
	v = le32(&c, EVT(vcpu));
	if (v >= XS_MAX_VCPUS)
		return FAIL(&c, EVT(vcpu), "dom0.evtchn-vcpu",
			    "vcpu %u, expected below %u", v, XS_MAX_VCPUS);
	if (st == XEN_LU_EVTCHN_UNBOUND || st == XEN_LU_EVTCHN_INTERDOMAIN) {
		if (domid_ok(&c, EVT(remote_domid), "remote_domid"))
			return -1;
	} else if (le32(&c, EVT(remote_domid))) {
		return FAIL(&c, EVT(remote_domid), "dom0.evtchn-field",
			    "remote_domid %u of a status %u port, expected 0",
			    le32(&c, EVT(remote_domid)), st);
	}
	if (st != XEN_LU_EVTCHN_INTERDOMAIN && le32(&c, EVT(remote_port)))
		return FAIL(&c, EVT(remote_port), "dom0.evtchn-field",
			    "remote_port %u of a status %u port, expected 0",
			    le32(&c, EVT(remote_port)), st);
	if (st != XEN_LU_EVTCHN_PIRQ && st != XEN_LU_EVTCHN_VIRQ &&
	    le32(&c, EVT(irq)))
		return FAIL(&c, EVT(irq), "dom0.evtchn-field",
			    "irq %u of a status %u port, expected 0",
			    le32(&c, EVT(irq)), st);
	s->last_port = port;
	xs_ctx_field(ctx, "port", port);
	xs_ctx_field(ctx, "status", st);
	xs_ctx_field(ctx, "vcpu", v);
	xs_ctx_field(ctx, "remote_domid", le32(&c, EVT(remote_domid)));
	xs_ctx_field(ctx, "remote_port", le32(&c, EVT(remote_port)));
	xs_ctx_field(ctx, "irq", le32(&c, EVT(irq)));
	return 0;
}

static int check_participant(struct xs_ctx *ctx, uint32_t length)
{
	const size_t fixed = sizeof(struct xen_lu_rec_dom0_participant);
	uint32_t dl;
	struct rec c;

	if (begin(ctx, XS_DOM0_PARTICIPANT, length, &c))
		return -1;
	if (str_field(&c, PART(name), XEN_LU_PARTICIPANT_NAME_LEN, "name") < 0)
		return -1;
	if (!c.p[PART(name)])
		return FAIL(&c, PART(name), "dom0.participant-name",
			    "empty participant name");
	dl = le32(&c, PART(data_len));
	if ((uint64_t)fixed + dl != length)
		return FAIL(&c, PART(data_len), "dom0.participant-length",
			    "%zu + data %u != length %u", fixed, dl, length);
	xs_ctx_field_str(ctx, "name", c.p + PART(name),
			 XEN_LU_PARTICIPANT_NAME_LEN);
	xs_ctx_field(ctx, "version", le32(&c, PART(version)));
	xs_ctx_field(ctx, "data_len", dl);
	return 0;
}

/*
 * Fixed-size records accept a longer body (fields a later layout adds at
 * the end); BACKEND and PARTICIPANT carry their variable part at the end,
 * so their length is exactly the sum their fields give.
 */
const struct xs_rec_desc xs_lu_optional_records[] = {
	{ XEN_LU_REC_DOM0_HEADER, "DOM0_HEADER",
	  sizeof(struct xen_lu_rec_dom0_header), XEN_LU_REC_MAX_BODY,
	  XS_DESC_TRAILER | XS_DESC_SINGLETON, check_header },
	{ XEN_LU_REC_DOM0_DOMAIN, "DOM0_DOMAIN",
	  sizeof(struct xen_lu_rec_dom0_domain), XEN_LU_REC_MAX_BODY,
	  XS_DESC_TRAILER, check_domain },
	{ XEN_LU_REC_DOM0_BACKEND, "DOM0_BACKEND",
	  sizeof(struct xen_lu_rec_dom0_backend), XEN_LU_REC_MAX_BODY,
	  XS_DESC_TRAILER, check_backend },
	{ XEN_LU_REC_DOM0_EVTCHN, "DOM0_EVTCHN",
	  sizeof(struct xen_lu_rec_dom0_evtchn), XEN_LU_REC_MAX_BODY,
	  XS_DESC_TRAILER, check_evtchn },
	{ XEN_LU_REC_DOM0_PARTICIPANT, "DOM0_PARTICIPANT",
	  sizeof(struct xen_lu_rec_dom0_participant), XEN_LU_REC_MAX_BODY,
	  XS_DESC_TRAILER, check_participant },
	{ 0 }	/* sentinel: type 0 is END, never optional */
};

int xs_dom0_finish(struct xs_ctx *ctx)
{
	struct xs_dom0_state *s = ctx->dom0;
	struct xs_reader *r = ctx->r;
	unsigned int k;

	if (!s || !s->header)
		return 0;
	for (k = XS_DOM0_DOMAIN; k < XS_DOM0_KINDS; k++)
		if (s->seen[k] != s->nr[k])
			return xs_fail(r, r->rec_offset, "dom0.count",
				       "%u %s records, but the header counts %u",
				       s->seen[k], kind_name[k], s->nr[k]);
	ctx->st->dom0 = true;
	ctx->st->dom0_domains = s->seen[XS_DOM0_DOMAIN];
	ctx->st->dom0_backends = s->seen[XS_DOM0_BACKEND];
	ctx->st->dom0_evtchns = s->seen[XS_DOM0_EVTCHN];
	ctx->st->dom0_participants = s->seen[XS_DOM0_PARTICIPANT];
	return 0;
}

const struct xs_rec_desc *xs_lu_optional_find(const struct xs_rec_desc *t,
					      size_t n, uint32_t type)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].type == type)
			return &t[i];
	return NULL;
}
