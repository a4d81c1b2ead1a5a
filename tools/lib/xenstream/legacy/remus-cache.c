// SPDX-License-Identifier: GPL-2.0-only
/*
 * LRU cache of pages for Remus checkpoint compression.  The same structure
 * serves the sender (encode against the last copy sent) and the receiver
 * (a mirror of the sender's cache, so deltas have a base).  The eviction
 * order follows get_cache_page() and invalidate_cache_page() in Xen
 * 4.2-4.5's xc_compression.c, so a receiver fed a real sender's stream
 * holds every page the sender may send a delta for.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "remus.h"

/* Bound the cache so nr * PAGE_SIZE and the hash size cannot overflow. */
#define REMUS_CACHE_MAX	(1U << 20)

static uint32_t hash_pfn(uint64_t pfn, uint32_t mask)
{
	return (uint32_t)((pfn * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
}

int remus_cache_init(struct remus_cache *c, uint32_t nr)
{
	uint32_t i, hsize = 1;
	int rc = -ENOMEM;

	memset(c, 0, sizeof(*c));
	if (!nr || nr > REMUS_CACHE_MAX)
		return -EINVAL;
	while (hsize < 2 * nr)
		hsize <<= 1;
	c->nr = nr;
	c->hash_mask = hsize - 1;
	c->slot = calloc(nr, sizeof(*c->slot));
	c->hash = malloc((size_t)hsize * sizeof(*c->hash));
	c->pages = aligned_alloc(REMUS_PAGE_SIZE, (size_t)nr * REMUS_PAGE_SIZE);
	if (!c->slot || !c->hash || !c->pages)
		goto err;
	memset(c->hash, 0xff, (size_t)hsize * sizeof(*c->hash));
	for (i = 0; i < nr; i++) {
		c->slot[i].pfn = REMUS_NO_PFN;
		c->slot[i].prev = i ? i - 1 : REMUS_NIL;
		c->slot[i].next = i + 1 < nr ? i + 1 : REMUS_NIL;
	}
	c->head = 0;
	c->tail = nr - 1;
	return 0;
err:
	remus_cache_fini(c);
	return rc;
}

void remus_cache_fini(struct remus_cache *c)
{
	free(c->slot);
	free(c->hash);
	free(c->pages);
	memset(c, 0, sizeof(*c));
}

static uint32_t lookup(const struct remus_cache *c, uint64_t pfn,
		       uint32_t *bucket)
{
	uint32_t h = hash_pfn(pfn, c->hash_mask);

	while (c->hash[h] != REMUS_NIL) {
		if (c->slot[c->hash[h]].pfn == pfn)
			break;
		h = (h + 1) & c->hash_mask;
	}
	*bucket = h;
	return c->hash[h];
}

/* Linear-probing delete with backward shift: no tombstones. */
static void hash_remove(struct remus_cache *c, uint32_t h)
{
	uint32_t j = h;

	c->hash[h] = REMUS_NIL;
	for (;;) {
		uint32_t home;

		j = (j + 1) & c->hash_mask;
		if (c->hash[j] == REMUS_NIL)
			return;
		home = hash_pfn(c->slot[c->hash[j]].pfn, c->hash_mask);
		/* Move j back to h if its home is not in (h, j]. */
		if (((j - home) & c->hash_mask) >= ((j - h) & c->hash_mask)) {
			c->hash[h] = c->hash[j];
			c->hash[j] = REMUS_NIL;
			h = j;
		}
	}
}

static void unlink_slot(struct remus_cache *c, uint32_t s)
{
	struct remus_slot *e = &c->slot[s];

	if (e->prev != REMUS_NIL)
		c->slot[e->prev].next = e->next;
	else
		c->head = e->next;
	if (e->next != REMUS_NIL)
		c->slot[e->next].prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = REMUS_NIL;
}

static void push_head(struct remus_cache *c, uint32_t s)
{
	c->slot[s].prev = REMUS_NIL;
	c->slot[s].next = c->head;
	if (c->head != REMUS_NIL)
		c->slot[c->head].prev = s;
	c->head = s;
	if (c->tail == REMUS_NIL)
		c->tail = s;
}

static void push_tail(struct remus_cache *c, uint32_t s)
{
	c->slot[s].next = REMUS_NIL;
	c->slot[s].prev = c->tail;
	if (c->tail != REMUS_NIL)
		c->slot[c->tail].next = s;
	c->tail = s;
	if (c->head == REMUS_NIL)
		c->head = s;
}

static uint8_t *page_of(const struct remus_cache *c, uint32_t s)
{
	return c->pages + (size_t)s * REMUS_PAGE_SIZE;
}

uint8_t *remus_cache_find(struct remus_cache *c, uint64_t pfn)
{
	uint32_t h, s = lookup(c, pfn, &h);

	return s == REMUS_NIL ? NULL : page_of(c, s);
}

uint8_t *remus_cache_get(struct remus_cache *c, uint64_t pfn, bool *miss)
{
	uint32_t h, s = lookup(c, pfn, &h);

	*miss = s == REMUS_NIL;
	if (*miss) {
		s = c->tail;
		if (c->slot[s].pfn != REMUS_NO_PFN) {
			uint32_t oh;

			lookup(c, c->slot[s].pfn, &oh);
			hash_remove(c, oh);
			lookup(c, pfn, &h);	/* the removal may move it */
		}
		c->slot[s].pfn = pfn;
		c->hash[h] = s;
	}
	if (s != c->head) {
		unlink_slot(c, s);
		push_head(c, s);
	}
	return page_of(c, s);
}

void remus_cache_invalidate(struct remus_cache *c, uint64_t pfn)
{
	uint32_t h, s = lookup(c, pfn, &h);

	if (s == REMUS_NIL)
		return;
	hash_remove(c, h);
	if (s != c->tail) {
		unlink_slot(c, s);
		push_tail(c, s);
	}
	c->slot[s].pfn = REMUS_NO_PFN;
}

size_t remus_compress_page(struct remus_cache *c, uint64_t pfn,
			   const uint8_t *page, bool raw, uint8_t *out)
{
	uint8_t *cached;
	bool miss;

	if (raw)
		return remus_encode_full(page, out);
	cached = remus_cache_get(c, pfn, &miss);
	if (miss) {
		memcpy(cached, page, REMUS_PAGE_SIZE);
		return remus_encode_full(page, out);
	}
	return remus_encode_delta(page, cached, out);
}
