/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal: table of known optional live update records. */
#ifndef XENSTREAM_LU_OPTIONAL_H
#define XENSTREAM_LU_OPTIONAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenstream.h"

/* Terminated by a row with type 0. */
extern const struct xs_rec_desc xs_lu_optional_records[];

const struct xs_rec_desc *xs_lu_optional_find(const struct xs_rec_desc *t,
					      size_t n, uint32_t type);

/* dom0's record kinds, in the order a dump holds them. */
enum xs_dom0_kind {
	XS_DOM0_HEADER,
	XS_DOM0_DOMAIN,
	XS_DOM0_BACKEND,
	XS_DOM0_EVTCHN,
	XS_DOM0_PARTICIPANT,
	XS_DOM0_KINDS,
};

/*
 * What the dom0 record checks remember across records: the layer running
 * them (lu/stream.c) keeps one in ctx->dom0 and calls xs_dom0_finish() at END.
 */
struct xs_dom0_state {
	bool header;			/* DOM0_HEADER seen */
	enum xs_dom0_kind kind;		/* kind of the last dom0 record */
	uint32_t nr[XS_DOM0_KINDS];	/* the header's counts */
	uint32_t seen[XS_DOM0_KINDS];	/* records so far, per kind */
	uint32_t last_domid;		/* of the last DOM0_DOMAIN */
	uint32_t last_port;		/* of the last DOM0_EVTCHN */
};

/*
 * At END: the header's counts must equal the records present.  Fills the
 * dom0 fields of the stats.  0 or -1.
 */
int xs_dom0_finish(struct xs_ctx *ctx);

#endif /* XENSTREAM_LU_OPTIONAL_H */
