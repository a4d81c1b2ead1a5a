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
};

#define GEN_HOOK_TYPE	0xC0000001U
#define GEN_OPT_TYPE	0xC0000010U

/*
 * Live update stream: domains groups, each PV (even) or HVM (odd), with
 * vcpus vCPUs and blob bytes of opaque context per vCPU.
 */
int gen_lu(struct xs_writer *w, unsigned int flags, uint32_t domains,
	   uint32_t vcpus, uint32_t blob);

#endif /* TESTS_STREAM_GEN_H */
