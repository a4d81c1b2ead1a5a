// SPDX-License-Identifier: GPL-2.0-only
/*
 * Remus Format B: batches carry pfn entries only; the pages follow in
 * XC_SAVE_ID_COMPRESSED_DATA chunks (int id; unsigned long len; data), in
 * entry order, encoded by remus-codec.c against a cache this file mirrors.
 *
 * The sender (xc_compression.c) buffered pages in groups of up to 8192,
 * invalidating page-table pages from its cache as it buffered them and
 * only then compressing the group; so at the first page of each group the
 * mirror invalidates the group's page-table pfns first.  A group is the
 * next min(8192, pages pending) pages: every pfn of a group was written
 * before its data.
 */
#include <stdlib.h>
#include <string.h>

#include "priv.h"

#define CBUF_SIZE	(256U << 10)

static bool has_data(uint64_t e)
{
	return e != LEGACY_XTAB_NO_PFN &&
	       ((e >> LEGACY_PFINFO_SHIFT) & 0xf) < XS_PFINFO_BROKEN;
}

static bool is_raw(uint64_t e)
{
	unsigned int t = (e >> LEGACY_PFINFO_SHIFT) & 0x7;

	return t >= XS_PFINFO_L1TAB && t <= XS_PFINFO_L4TAB;
}

void legacy_b_free(struct legacy_pending *p)
{
	if (!p)
		return;
	free(p->entry);
	free(p->data);
	free(p);
}

void legacy_b_reset(struct legacy_reader *lr)
{
	while (lr->pend_head) {
		struct legacy_pending *p = lr->pend_head;

		lr->pend_head = p->next;
		legacy_b_free(p);
	}
	legacy_b_free(lr->ready);
	lr->ready = NULL;
	lr->pend_tail = lr->cursor = NULL;
	lr->pend_pages = 0;
}

static int nomem(struct legacy_reader *lr, const char *what)
{
	lr->st = LS_FAILED;
	return xs_fail_code(lr->src, XS_ERR_NOMEM, lr_off(lr), "legacy.nomem",
			    "no memory for %s", what);
}

static void advance_cursor(struct legacy_reader *lr)
{
	while (lr->cursor && lr->cursor->done == lr->cursor->nr_pages) {
		lr->cursor = lr->cursor->next;
		lr->cursor_entry = 0;
	}
}

int legacy_b_batch(struct legacy_reader *lr, uint32_t count, uint64_t off)
{
	struct legacy_pending *p;
	uint32_t i, pages = 0;

	for (i = 0; i < count; i++)
		pages += has_data(lr->entry[i]);
	if (pages > LEGACY_PENDING_MAX - lr->pend_pages)
		return lr_fail(lr, off, "legacy.compressed.pending",
			       "more than %u pages await compressed data",
			       LEGACY_PENDING_MAX);
	p = calloc(1, sizeof(*p));
	if (!p)
		return nomem(lr, "a pending batch");
	p->nr = count;
	p->nr_pages = pages;
	p->offset = off;
	p->entry = malloc(count * sizeof(*p->entry));
	p->data = pages ? malloc((size_t)pages * REMUS_PAGE_SIZE) : NULL;
	if (!p->entry || (pages && !p->data)) {
		legacy_b_free(p);
		return nomem(lr, "a pending batch");
	}
	memcpy(p->entry, lr->entry, count * sizeof(*p->entry));
	if (lr->pend_tail)
		lr->pend_tail->next = p;
	else
		lr->pend_head = p;
	lr->pend_tail = p;
	if (!lr->cursor) {
		lr->cursor = p;
		lr->cursor_entry = 0;
	}
	lr->pend_pages += pages;
	advance_cursor(lr);
	return 0;
}

struct legacy_pending *legacy_b_pop_ready(struct legacy_reader *lr)
{
	struct legacy_pending *p = lr->pend_head;

	if (!p || p->done != p->nr_pages)
		return NULL;
	lr->pend_head = p->next;
	if (!lr->pend_head)
		lr->pend_tail = NULL;
	if (lr->cursor == p) {
		lr->cursor = p->next;
		lr->cursor_entry = 0;
	}
	p->next = NULL;
	return p;
}

/* Invalidate the page-table pfns of the group starting at the cursor. */
static void start_group(struct legacy_reader *lr)
{
	struct legacy_pending *p = lr->cursor;
	uint32_t i = lr->cursor_entry, left;

	left = lr->pend_pages < REMUS_BUFFER_PAGES ? lr->pend_pages :
						     REMUS_BUFFER_PAGES;
	lr->group_left = left;
	while (p && left) {
		for (; i < p->nr && left; i++) {
			if (!has_data(p->entry[i]))
				continue;
			if (is_raw(p->entry[i]))
				remus_cache_invalidate(&lr->cache,
						       p->entry[i] & LEGACY_PFN_MASK);
			left--;
		}
		p = p->next;
		i = 0;
	}
}

static int rle_fail(struct legacy_reader *lr, enum remus_status st,
		    uint64_t at, uint64_t pfn)
{
	static const char *const rule[] = {
		[REMUS_E_TRUNCATED] = "legacy.compressed.split",
		[REMUS_E_ZERO_RUN] = "legacy.rle.zero-run",
		[REMUS_E_RUN_PAST_PAGE] = "legacy.rle.past-page",
	};

	return lr_fail(lr, at, rule[st], "pfn %#llx: %s%s",
		       (unsigned long long)pfn, remus_status_str(st),
		       st == REMUS_E_TRUNCATED ?
		       " (a page must not cross the end of its chunk)" : "");
}

/* Decode the page at buf[*pos] for the cursor's next entry. */
static int one_page(struct legacy_reader *lr, const uint8_t *buf, size_t len,
		    size_t *pos, uint64_t base)
{
	struct legacy_pending *p;
	uint64_t e, pfn;
	uint8_t *dst, *cached;
	size_t fault = 0;
	enum remus_status st;
	bool miss;

	advance_cursor(lr);
	p = lr->cursor;
	if (!p)
		return lr_fail(lr, base + *pos, "legacy.compressed.excess",
			       "compressed page with no pfn entry left for it");
	if (!lr->group_left)
		start_group(lr);
	while (!has_data(p->entry[lr->cursor_entry]))
		lr->cursor_entry++;
	e = p->entry[lr->cursor_entry];
	pfn = e & LEGACY_PFN_MASK;
	dst = p->data + (size_t)p->done * REMUS_PAGE_SIZE;
	if (buf[*pos] == REMUS_FULL_PAGE) {
		st = remus_decode_page(buf, len, pos, dst, &fault);
		if (st == REMUS_OK && !is_raw(e)) {
			cached = remus_cache_get(&lr->cache, pfn, &miss);
			memcpy(cached, dst, REMUS_PAGE_SIZE);
		}
	} else if (is_raw(e)) {
		return lr_fail(lr, base + *pos, "legacy.compressed.raw-delta",
			       "page-table pfn %#llx sent as a delta, not whole",
			       (unsigned long long)pfn);
	} else {
		if (!remus_cache_find(&lr->cache, pfn))
			return lr_fail(lr, base + *pos, "legacy.compressed.no-base",
				       "delta for pfn %#llx, which is not among the last %u pages sent compressed",
				       (unsigned long long)pfn, lr->cache.nr);
		cached = remus_cache_get(&lr->cache, pfn, &miss);
		st = remus_decode_page(buf, len, pos, cached, &fault);
		if (st == REMUS_OK)
			memcpy(dst, cached, REMUS_PAGE_SIZE);
	}
	if (st != REMUS_OK)
		return rle_fail(lr, st, base + fault, pfn);
	p->done++;
	lr->cursor_entry++;
	lr->pend_pages--;
	lr->group_left--;
	return 0;
}

int legacy_b_data(struct legacy_reader *lr, uint64_t off)
{
	uint64_t len, left, base;
	size_t fill = 0, pos = 0;

	if (lr_ulong(lr, &len, "the compressed data length"))
		return -1;
	if (!len || len > LEGACY_BLOB_MAX)
		return lr_fail(lr, off + 4, "legacy.compressed.length",
			       "compressed chunk length %llu not in 1..%u",
			       (unsigned long long)len, LEGACY_BLOB_MAX);
	if (!lr->cache_ready) {
		if (remus_cache_init(&lr->cache, lr->cfg.cache_pages))
			return nomem(lr, "the Remus page cache");
		lr->cache_ready = true;
	}
	if (!lr->cbuf && !(lr->cbuf = malloc(CBUF_SIZE)))
		return nomem(lr, "the compressed data window");
	left = len;
	base = lr_off(lr);
	while (left || pos < fill) {
		size_t size, fault;
		enum remus_status st;

		st = remus_encoded_size(lr->cbuf, fill, pos, &size, &fault);
		if (st == REMUS_E_TRUNCATED && left) {
			size_t k;

			memmove(lr->cbuf, lr->cbuf + pos, fill - pos);
			base += pos;
			fill -= pos;
			pos = 0;
			k = CBUF_SIZE - fill;
			if (k > left)
				k = (size_t)left;
			if (lr_read(lr, lr->cbuf + fill, k, "compressed data"))
				return -1;
			fill += k;
			left -= k;
			continue;
		}
		if (one_page(lr, lr->cbuf, fill, &pos, base))
			return -1;
	}
	return 0;
}
