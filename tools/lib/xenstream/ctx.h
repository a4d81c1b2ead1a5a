/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal: the state one verification run shares between its layers. */
#ifndef XENSTREAM_CTX_H
#define XENSTREAM_CTX_H

#include "reader.h"
#include "xenstream.h"

struct xs_libxc_state;
struct xs_dom0_state;

struct xs_ctx {
	struct xs_reader *r;
	const struct xs_verify_opts *opts;
	struct xs_stats *st;
	struct xs_event ev;		/* event being built */
	struct xs_libxc_state *libxc;	/* libxl: libxc stream in progress */
	struct xs_dom0_state *dom0;	/* LU layers: dom0 records so far */
	size_t strbuf_used;		/* of ev.strbuf */
};

void xs_ev_begin(struct xs_ctx *ctx, enum xs_layer layer, bool header,
		 const char *name, uint64_t offset);
/* An event that is not the reader's current record (legacy streams). */
void xs_ev_begin_at(struct xs_ctx *ctx, enum xs_layer layer, bool header,
		    const char *name, uint64_t offset, uint64_t index,
		    uint32_t type, uint32_t length);
void xs_ev_emit(struct xs_ctx *ctx);
int xs_ctx_next_record(struct xs_ctx *ctx, enum xs_layer layer,
		       const char *(*name)(uint32_t type), const char *what);

/*
 * The options word of a libxc image header or libxl header: reserved bits
 * set fail rule_reserved, the big-endian bit rule_be.  0 or -1.
 */
int xs_hdr_options(struct xs_reader *r, uint64_t off, uint32_t options,
		   uint32_t reserved, uint32_t big_endian,
		   const char *rule_reserved, const char *rule_be);

/* Names for record types, per layer (never NULL). */
const char *xs_libxc_rec_name(uint32_t type);
const char *xs_libxl_rec_name(uint32_t type);
const char *xs_lu_rec_name(uint32_t type);

/* Layers.  Each returns 0 when its stream ended properly, -1 on error. */
int xs_verify_xl(struct xs_ctx *ctx);
int xs_verify_libxl(struct xs_ctx *ctx);
int xs_verify_libxc(struct xs_ctx *ctx);
int xs_verify_lu(struct xs_ctx *ctx);
int xs_verify_lu_records(struct xs_ctx *ctx);
/* A legacy stream, or an xl save file holding one: checks what
 * convert-legacy checks, writes nothing. */
int xs_verify_legacy(struct xs_ctx *ctx);

/*
 * libxc body rules, shared by the libxc layer and live update domain
 * groups.  guest_width is 0 when unknown.  Returns 0 checked, -1 invalid,
 * 1 when the type has no body rule here.
 */
struct xs_body_info {
	uint32_t version;		/* libxc stream version, 3 for LU */
	uint32_t dtype;			/* XS_DHDR_TYPE_* */
	uint32_t guest_width;		/* 0 when unknown */
	uint64_t max_pfn;		/* PV: last pfn of the p2m, or ~0 */
	uint32_t vcpu_id;		/* out: vCPU records */
};
int xs_libxc_body(struct xs_ctx *ctx, struct xs_body_info *bi);
bool xs_rec_pv_only(uint32_t t);
bool xs_rec_hvm_only(uint32_t t);

/* libxc state kept across LIBXC_CONTEXT records by the libxl layer */
int xs_libxc_state_new(struct xs_ctx *ctx);
void xs_libxc_state_free(struct xs_ctx *ctx);
bool xs_libxc_paused(const struct xs_ctx *ctx);
bool xs_libxc_done(const struct xs_ctx *ctx);
bool xs_libxc_started(const struct xs_ctx *ctx);


#endif /* XENSTREAM_CTX_H */
