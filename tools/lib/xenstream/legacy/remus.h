/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Remus checkpoint compression ("Format B" page deltas), as Xen 4.2-4.5's
 * tools/libxc/xc_compression.c wrote and read it.
 *
 * One compressed page is one of:
 *   0x00                      unchanged page ("EMPTY_PAGE")
 *   0x80 + 4096 octets        whole page ("FULL_PAGE"): a page the sender
 *                             had not cached, or a page-table page
 *   runs until 4096 octets of the page are covered, each run a marker
 *   octet (bit 7 set: skip, clear: copy; bits 6-0: length in 32-bit
 *   words, 1..127) followed, for a copy run only, by length * 4 octets of
 *   the NEW page contents (not an XOR: the XOR only decides which words
 *   changed).
 *
 * The sender keeps an LRU cache of the last REMUS_CACHE_PAGES pages it sent
 * compressed; a page not in it goes out whole.  The receiver here keeps a
 * mirror of that cache, so a delta never needs more than that much memory.
 */
#ifndef XENSTREAM_REMUS_H
#define XENSTREAM_REMUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REMUS_PAGE_SIZE		4096U
#define REMUS_WORD		4U	/* sizeof(uint32_t) in xc_compression.c */
#define REMUS_WORDS		(REMUS_PAGE_SIZE / REMUS_WORD)
#define REMUS_RUN_MAX		127U
#define REMUS_SKIP_FLAG		0x80U
#define REMUS_LEN_MASK		0x7fU
#define REMUS_EMPTY_PAGE	0x00U
#define REMUS_FULL_PAGE		0x80U
#define REMUS_FULL_SIZE		(REMUS_PAGE_SIZE + 1)
/* 8 runs of 127 words + 1 of 8 words, 9 markers (xc_compression.c). */
#define REMUS_WORST_SIZE	(REMUS_PAGE_SIZE + 9)
/* DELTA_CACHE_SIZE / XC_PAGE_SIZE and PAGE_BUFFER_SIZE / XC_PAGE_SIZE */
#define REMUS_CACHE_PAGES	8192U
#define REMUS_BUFFER_PAGES	8192U

enum remus_status {
	REMUS_OK = 0,
	REMUS_E_TRUNCATED,	/* data ends inside a page's encoding */
	REMUS_E_ZERO_RUN,	/* a 0x00/0x80 marker after the first octet */
	REMUS_E_RUN_PAST_PAGE,	/* a run goes beyond octet 4096 */
};

const char *remus_status_str(enum remus_status st);

/*
 * Decode one page starting at buf[*pos] (len octets valid in buf) onto
 * page, which holds the previous contents (skips keep them).  On success
 * *pos moves past the page's encoding.  On failure *pos is left alone,
 * page may be partly written and *fault is the offset of the bad octet.
 */
enum remus_status remus_decode_page(const uint8_t *buf, size_t len,
				    size_t *pos, uint8_t *page,
				    size_t *fault);

/* Size of the encoding at buf[pos] without applying it (same checks). */
enum remus_status remus_encoded_size(const uint8_t *buf, size_t len,
				     size_t pos, size_t *size, size_t *fault);

/*
 * Encode new against old exactly as compress_page() did and update old to
 * new.  out needs REMUS_WORST_SIZE octets: the encoder copies in blocks and
 * may scribble on octets of out past the returned length (never past
 * REMUS_WORST_SIZE).  Returns the octets of encoding.
 */
size_t remus_encode_delta(const uint8_t *new, uint8_t *old, uint8_t *out);
/* FULL_PAGE encoding; out needs REMUS_FULL_SIZE octets. */
size_t remus_encode_full(const uint8_t *page, uint8_t *out);

/*
 * Which build of the codec remus_encode_delta() and remus_decode_page()
 * run.  Both write and accept exactly the same octets and name the same
 * faults; the portable one is plain C, the AVX2 one (x86-64 with AVX2,
 * BMI1/2 and POPCNT) is faster.  The first call picks AVX2 when the CPU
 * has it, unless the environment variable XENSTREAM_REMUS_CODEC
 * (REMUS_CODEC_ENV) is "portable" then: that lets a test or fuzz run hold
 * the portable build to the same inputs without rebuilding.
 *
 * remus_codec_select() is for tests, to check each build against
 * compress_page() in turn: REMUS_IMPL_AUTO picks as above, REMUS_IMPL_AVX2
 * gives the portable build on a CPU without AVX2.  Returns the build now
 * in use.  Safe at any time, as both builds give the same results.
 */
enum remus_impl {
	REMUS_IMPL_AUTO,
	REMUS_IMPL_PORTABLE,
	REMUS_IMPL_AVX2,
};

#define REMUS_CODEC_ENV		"XENSTREAM_REMUS_CODEC"

enum remus_impl remus_codec_select(enum remus_impl want);

/* ---- LRU page cache (sender's cache, or the receiver's mirror of it) --- */

struct remus_slot {
	uint64_t pfn;		/* REMUS_NO_PFN when free */
	uint32_t prev, next;	/* list indices; REMUS_NIL ends */
};

#define REMUS_NO_PFN	UINT64_MAX
#define REMUS_NIL	UINT32_MAX

struct remus_cache {
	uint32_t nr;		/* slots */
	uint32_t head, tail;	/* most / least recently used */
	struct remus_slot *slot;
	uint8_t *pages;		/* nr pages */
	uint32_t *hash;		/* open addressing, slot index or REMUS_NIL */
	uint32_t hash_mask;
};

/* 0 or -ENOMEM / -EINVAL (nr == 0 or too large). */
int remus_cache_init(struct remus_cache *c, uint32_t nr);
void remus_cache_fini(struct remus_cache *c);

/* The cached copy of pfn, or NULL.  No change to the LRU order. */
uint8_t *remus_cache_find(struct remus_cache *c, uint64_t pfn);
/*
 * get_cache_page(): return pfn's slot moved to the head; on a miss the
 * tail slot is recycled for pfn (contents stale) and *miss is set.
 */
uint8_t *remus_cache_get(struct remus_cache *c, uint64_t pfn, bool *miss);
/* invalidate_cache_page(): forget pfn; its slot becomes the free tail. */
void remus_cache_invalidate(struct remus_cache *c, uint64_t pfn);

/*
 * The sender side of xc_compression.c for one page: a page-table page
 * (raw) is sent whole and not cached, a page not cached is cached and sent
 * whole, a cached page is sent as a delta.  out needs REMUS_WORST_SIZE
 * octets.  Returns octets written.
 *
 * Ordering, as xc_compression.c did it: pages are buffered in groups of up
 * to REMUS_BUFFER_PAGES; every raw pfn of a group is invalidated when it is
 * buffered (remus_cache_invalidate), before any page of the group is
 * compressed.  A receiver mirroring the cache must do the same.
 */
size_t remus_compress_page(struct remus_cache *c, uint64_t pfn,
			   const uint8_t *page, bool raw, uint8_t *out);

#endif /* XENSTREAM_REMUS_H */
