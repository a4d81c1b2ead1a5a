/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libxenstream public API: detect, verify and walk Xen migration streams
 * (libxc v2/v3, libxl v2, xl save files), live update streams and dom0's
 * records dumps.
 *
 * The library never prints.  Results come back as struct xs_stats, faults
 * as struct xs_error, and the content as struct xs_event callbacks (what
 * "lu-ctl dump" prints).
 */
#ifndef XENSTREAM_H
#define XENSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "format.h"

enum xs_format {
	XS_FMT_UNKNOWN = 0,
	XS_FMT_LU,		/* live update stream */
	XS_FMT_LIBXC,		/* libxc Domain Image Format v2/v3 */
	XS_FMT_LIBXL,		/* libxl stream v2 */
	XS_FMT_XL,		/* xl save file */
	XS_FMT_LEGACY,		/* pre-4.6 stream (PV detected, HVM named) */
	XS_FMT_LU_RECORDS,	/* dom0 records dump (XEN_LU_IOCTL_COLLECT) */
};

const char *xs_format_name(enum xs_format f);
/* "lu", "libxc", "libxl", "xl", "legacy", "lu-records"; 0 or -1 */
int xs_format_parse(const char *s, enum xs_format *f);

/* ---- Format detection ---------------------------------------------------- */

/* Bytes xs_detect() wants to see (fewer at a short stream is fine). */
#define XS_DETECT_BYTES		64

/*
 * The format the first n bytes show, or XS_FMT_UNKNOWN.  A legacy stream
 * has no magic: a PV one is detected by its extended-info signature; an
 * HVM one is not (verification names it as likely in its error).
 */
enum xs_format xs_detect(const uint8_t *p, size_t n);

/* ---- Events (for dump) --------------------------------------------------- */

enum xs_layer {
	XS_LAYER_XL,
	XS_LAYER_LIBXL,
	XS_LAYER_LIBXC,
	XS_LAYER_LU,
	XS_LAYER_LEGACY,
};

const char *xs_layer_name(enum xs_layer l);

#define XS_EVENT_FIELDS	20
/* Room for the text of an event's string fields, NULs included. */
#define XS_EVENT_STRBUF	2048

/*
 * A field is a number, or a string when str is not NULL (value is then
 * 0).  Strings are the stream's bytes up to their NUL, unfiltered (the
 * caller escapes what it prints), cut with "..." when they do not fit
 * XS_EVENT_STRBUF; they live in the event and die with it.
 */
struct xs_field {
	const char *name;
	uint64_t value;
	const char *str;
};

struct xs_event {
	enum xs_layer layer;
	bool is_header;		/* a stream header, not a record */
	bool skipped;		/* unknown optional record, not checked */
	const char *name;	/* header or record type name */
	uint64_t offset;	/* of the header or record header */
	uint64_t index;		/* record index (records only) */
	uint32_t type;
	uint32_t length;
	unsigned int nr_fields;
	struct xs_field field[XS_EVENT_FIELDS];
	char strbuf[XS_EVENT_STRBUF];	/* backs string fields */
};

typedef void (*xs_event_fn)(void *opaque, const struct xs_event *ev);

/* ---- Optional record descriptors (extension hook) ----------------------- */

struct xs_ctx;

/*
 * Describes an optional live update record type so the validator checks it
 * instead of skipping it.  Records defined in
 * include/uapi/xen/liveupdate-records.h get a row in lu/optional.c;
 * callers may pass more in xs_verify_opts.
 */
struct xs_rec_desc {
	uint32_t type;
	const char *name;
	uint32_t min_len;
	uint32_t max_len;
	unsigned int flags;
	/*
	 * Body check, called with the record open: read with xs_ctx_body(),
	 * add fields with xs_ctx_field(), fail with xs_ctx_fail().  May be
	 * NULL when the bounds are the whole rule.
	 */
	int (*check)(struct xs_ctx *ctx, uint32_t length);
};

#define XS_DESC_SINGLETON	0x1	/* at most once per stream */
#define XS_DESC_GLOBAL		0x2	/* before the first LU_DOMAIN_INFO */
#define XS_DESC_DOMAIN		0x4	/* inside a domain group */
/*
 * After the domain groups, before END: the first such record closes the
 * domain groups, and only trailer records, undescribed optional records
 * and END may follow it (dom0's records).
 */
#define XS_DESC_TRAILER		0x8

/* Helpers for xs_rec_desc::check */
int xs_ctx_body(struct xs_ctx *ctx, size_t n, const uint8_t **p);
uint64_t xs_ctx_offset(const struct xs_ctx *ctx);
void xs_ctx_field(struct xs_ctx *ctx, const char *name, uint64_t v);
/* A string field: s[0..n), up to its first NUL. */
void xs_ctx_field_str(struct xs_ctx *ctx, const char *name, const void *s,
		      size_t n);
int xs_ctx_fail(struct xs_ctx *ctx, uint64_t offset, const char *rule,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- Verification --------------------------------------------------------- */

struct xs_verify_opts {
	enum xs_format format;		/* XS_FMT_UNKNOWN: detect */
	xs_event_fn event;		/* may be NULL */
	void *opaque;
	const struct xs_rec_desc *lu_optional;	/* extra descriptors */
	size_t nr_lu_optional;
};

struct xs_stats {
	enum xs_format format;
	uint64_t bytes;			/* consumed */
	uint64_t records;		/* all layers */
	uint64_t optional_skipped;	/* unknown optional records */
	uint64_t page_data_records;
	uint64_t pfns;
	uint64_t pages;			/* pages with data */
	uint32_t libxc_version;
	uint32_t domain_type;		/* libxc: XS_DHDR_TYPE_* */
	uint32_t nr_domains;		/* LU: LU_DOMAIN_INFO records */
	uint32_t nr_checkpoints;
	/* dom0 records (a records dump, or an LU stream's trailer) */
	bool dom0;			/* DOM0_HEADER present */
	uint32_t dom0_domains;		/* DOM0_DOMAIN records */
	uint32_t dom0_backends;		/* DOM0_BACKEND records */
	uint32_t dom0_evtchns;		/* DOM0_EVTCHN records */
	uint32_t dom0_participants;	/* DOM0_PARTICIPANT records */
};

/* 0 valid; -1 with err filled in. */
int xs_verify_fd(int fd, const struct xs_verify_opts *o,
		 struct xs_stats *st, struct xs_error *err);
int xs_verify_mem(const void *p, size_t len, const struct xs_verify_opts *o,
		  struct xs_stats *st, struct xs_error *err);

/*
 * "offset 0x1a8: record 12 (0x00000001 PAGE_DATA): count 0, expected at
 * least 1".  snprintf semantics.
 */
int xs_error_format(const struct xs_error *e, char *buf, size_t len);

/* ---- Breadcrumb ---------------------------------------------------------- */

/*
 * Decode and check a breadcrumb (at least 24 bytes): magic, page-aligned
 * non-zero MFN array address, page-count low bits zero, count >= 1, array
 * end within the 52-bit physical address space.
 */
int xs_breadcrumb_decode(const void *p, size_t len,
			 struct xs_lu_breadcrumb *out, uint64_t *nr_pages,
			 struct xs_error *err);

#endif /* XENSTREAM_H */
