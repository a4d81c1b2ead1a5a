/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stream generators for tests, fuzz seed corpora and benchmarks.  They
 * write through libxenstream's writer; flags bend one rule at a time so a
 * test can check that exactly that rule fires.
 */
#ifndef TESTS_STREAM_GEN_H
#define TESTS_STREAM_GEN_H

#include <stdint.h>

#include "writer.h"

enum gen_flag {
	G_HVM			= 1u << 0,	/* HVM guest instead of PV */
	G_V2			= 1u << 1,	/* libxc version 2 */
	G_NO_STATIC_END		= 1u << 2,
	G_DUP_STATIC_END	= 1u << 3,
	G_DUP_PV_INFO		= 1u << 4,
	G_PAGE_BEFORE_P2M	= 1u << 5,
	G_PAGE_AFTER_TAIL	= 1u << 6,
	G_EXT_BEFORE_BASIC	= 1u << 7,
	G_UNKNOWN_MANDATORY	= 1u << 8,
	G_UNKNOWN_OPTIONAL	= 1u << 9,
	G_NO_END		= 1u << 10,
	G_PARAMS_AFTER_CONTEXT	= 1u << 11,
	G_XENSTORE		= 1u << 12,	/* libxl: xenstore data record */
	G_LIBXL_END_EARLY	= 1u << 13,
	G_CHECKPOINT		= 1u << 14,	/* one CHECKPOINT round */
	G_NO_SHARED_INFO	= 1u << 15,
	G_ZERO_CONTENT		= 1u << 16,	/* erratum-1 empty records */
	G_LIBXL_V3_LIBXC	= 1u << 17,
	G_JSON_CONFIG		= 1u << 18,
	G_STATIC_AFTER_END	= 1u << 19,
	G_DUP_TSC		= 1u << 20,
};

/* libxc stream with pages pages of data in PAGE_DATA records of batch */
int gen_libxc(struct xs_writer *w, unsigned int flags, uint32_t pages,
	      uint32_t batch);
int gen_libxl(struct xs_writer *w, unsigned int flags, uint32_t pages);
int gen_xl(struct xs_writer *w, unsigned int flags, uint32_t pages);

enum lu_flag {
	L_NO_VERSION		= 1u << 0,
	L_DUP_VERSION		= 1u << 1,
	L_M2P_AFTER_DOMAIN	= 1u << 2,
	L_DUP_DOMID		= 1u << 3,
	L_UNKNOWN_MANDATORY	= 1u << 4,
	L_UNKNOWN_OPTIONAL	= 1u << 5,	/* 0xC0000010, no descriptor */
	L_HOOKED_OPTIONAL	= 1u << 6,	/* 0xC0000001, see tests */
	L_HOOKED_BAD		= 1u << 7,	/* ... with a bad body */
	L_PAGE_DATA		= 1u << 8,
	L_HVM_REC_IN_PV		= 1u << 9,
	L_REC_BEFORE_DOMAIN	= 1u << 10,
	L_NO_END		= 1u << 11,
	L_TRAILING_GARBAGE	= 1u << 12,
	L_PAGE_FILL		= 1u << 13,	/* zero fill to 4 KiB */
	L_DOM0			= 1u << 14,	/* dom0 records before END */
	L_DOM0_EARLY		= 1u << 15,	/* ... before the domains */
};

/* Unassigned types of dom0's range: no built-in descriptor. */
#define GEN_HOOK_TYPE	0xC0000101U
#define GEN_OPT_TYPE	0xC0000010U

/*
 * Live update stream: domains groups, each PV (even) or HVM (odd), with
 * vcpus vCPUs and blob bytes of opaque context per vCPU.
 */
int gen_lu(struct xs_writer *w, unsigned int flags, uint32_t domains,
	   uint32_t vcpus, uint32_t blob);

/*
 * dom0's records (include/uapi/xen/liveupdate-records.h), as a records
 * dump or an LU stream's trailer.  Every string, count and list is valid and sorted;
 * D_* flags break the rules that span records.
 */
enum dom0_flag {
	D_NO_HEADER		= 1u << 0,
	D_DUP_HEADER		= 1u << 1,
	D_ORDER			= 1u << 2,	/* an EVTCHN before the BACKENDs */
	D_COUNT_SHORT		= 1u << 3,	/* header counts 1 backend more */
	D_COUNT_OVER		= 1u << 4,	/* header counts 1 backend less */
	D_FOREIGN		= 1u << 5,	/* LU_VERSION inside the dump */
	D_UNKNOWN		= 1u << 6,	/* undescribed dom0-range record */
	D_NO_END		= 1u << 7,
	D_TRAILING		= 1u << 8,	/* bytes after END */
	D_END_BODY		= 1u << 9,	/* END with a body */
};

/*
 * Backend i of a dump has shape i % GEN_BACKEND_SHAPES: 0 a vbd with a
 * one-page ring, 1 a vif with 4 queues, 2 a closing vbd with a 16-page
 * ring and no features, 3 a vbd with 8 queues of 16 ring pages (blkfront
 * multi-queue), 4-8 unrecordable devices (UAPI "Unrecordable devices") of
 * each reason in turn: queues, ring-refs, event-channels, features, size
 * (a type of 16 bytes, recorded empty), 9 one unrecordable for its size
 * whose frontend path is recorded empty.
 */
#define GEN_BACKEND_SHAPES	10

struct gen_dom0 {
	uint32_t domains;	/* dom0, then domids 1, 2, ... */
	uint32_t backends;	/* shapes 0, 1, 2, ... (GEN_BACKEND_SHAPES) */
	uint32_t evtchns;	/* ports 1, 3, 5, ...; statuses 1-5 in turn */
	uint32_t participants;
	uint32_t data_len;	/* bytes of each participant's data */
	uint32_t extra;		/* bytes past each fixed-size body (later
				   layouts), non-zero */
	uint32_t more_features;	/* features added to every backend */
	unsigned int flags;	/* D_* */
};

/* The default dump: 3 domains, 3 backends, 5 channels, 1 participant. */
extern const struct gen_dom0 gen_dom0_default;

/* dom0's records without END (an LU trailer). */
int gen_dom0(struct xs_writer *w, const struct gen_dom0 *g);
/* A records dump: the records, then END. */
int gen_dump(struct xs_writer *w, const struct gen_dom0 *g);

/*
 * One invalid stream per validator rule for dom0's records, the default
 * dump (or an LU stream with its trailer) broken in one place.  make()
 * returns a malloc'd stream, NULL on failure.  The table ends with a NULL
 * rule.
 */
struct gen_bad {
	const char *rule;
	const char *what;
	int format;		/* enum xs_format to verify with */
	const char *name;	/* file name stem for gen-streams -b */
	uint8_t *(*make)(const struct gen_bad *b, size_t *len);
	/* for the generic make(): flags, then one poke into a record */
	unsigned int flags;	/* D_*; L_* when format is XS_FMT_LU */
	uint32_t type;		/* record to poke (0: none) */
	int nth;		/* ... its index among records of type */
	int off;		/* body offset of the poke (< 0: header) */
	unsigned int width;	/* 1, 2, 4, 8 */
	uint64_t value;
};
extern const struct gen_bad gen_bad_dom0[];

#endif /* TESTS_STREAM_GEN_H */
