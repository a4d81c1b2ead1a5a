// SPDX-License-Identifier: GPL-2.0-only
/*
 * Legacy stream body: the chunk loop of xc_domain_restore.c
 * pagebuf_get_one().  A positive marker is a page batch (count, then
 * "unsigned long" pfn|type entries, then in Format A one page per entry
 * with data); a negative one an XC_SAVE_ID_* chunk; 0 ends the body.
 */
#include <stdlib.h>
#include <string.h>

#include "endian.h"
#include "priv.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Check a batch's entries; count those that carry a page.  Stricter than
 * xc_domain_restore.c: no bits above 31, no reserved type, pfn below
 * p2m_size, no pfn twice in a batch.
 */
int legacy_check_entries(struct legacy_reader *lr, const uint64_t *e,
			 uint32_t n, uint64_t off, uint32_t *nr_pages)
{
	uint64_t sorted[LEGACY_MAX_BATCH];
	uint32_t i, k = 0, pages = 0;

	for (i = 0; i < n; i++) {
		uint64_t at = off + 4 + (uint64_t)i * lr->cfg.width;
		unsigned int type = (unsigned int)(e[i] >> LEGACY_PFINFO_SHIFT) & 0xf;
		uint64_t pfn = e[i] & LEGACY_PFN_MASK;

		if (e[i] >> 32)
			return lr_fail(lr, at, "legacy.pfn.high-bits",
				       "pfn entry %u (%#llx) has bits above 31 set",
				       i, (unsigned long long)e[i]);
		if (type >= 5 && type <= 8)
			return lr_fail(lr, at, "legacy.pfn.type",
				       "pfn entry %u (%#llx) has reserved type %#x",
				       i, (unsigned long long)e[i], type);
		if (e[i] == LEGACY_XTAB_NO_PFN)
			continue;
		if (pfn >= lr->p2m_size)
			return lr_fail(lr, at, "legacy.pfn.range",
				       "pfn %#llx (entry %u) not below p2m_size %#llx",
				       (unsigned long long)pfn, i,
				       (unsigned long long)lr->p2m_size);
		if (type < XS_PFINFO_BROKEN)
			pages++;
		sorted[k++] = pfn;
	}
	qsort(sorted, k, sizeof(sorted[0]), cmp_u64);
	for (i = 1; i < k; i++)
		if (sorted[i] == sorted[i - 1])
			return lr_fail(lr, off, "legacy.pfn.duplicate",
				       "pfn %#llx appears twice in one batch",
				       (unsigned long long)sorted[i]);
	*nr_pages = pages;
	return 0;
}

static int read_entries(struct legacy_reader *lr, uint32_t count)
{
	uint8_t raw[LEGACY_MAX_BATCH * 8];
	uint32_t i;

	if (lr_read(lr, raw, (size_t)count * lr->cfg.width, "a pfn array"))
		return -1;
	for (i = 0; i < count; i++)
		lr->entry[i] = lr->cfg.width == 8 ? xs_get_le64(raw + i * 8) :
			       xs_get_le32(raw + i * 4);
	return 0;
}

static int batch(struct legacy_reader *lr, uint32_t count, uint64_t off,
		 struct legacy_event *ev)
{
	uint32_t nr_pages;

	if (count > LEGACY_MAX_BATCH)
		return lr_fail(lr, off, "legacy.batch.max",
			       "batch of %u pages exceeds %u", count,
			       LEGACY_MAX_BATCH);
	if (read_entries(lr, count) ||
	    legacy_check_entries(lr, lr->entry, count, off, &nr_pages))
		return -1;
	if (lr->compressing)
		return legacy_b_batch(lr, count, off) ? -1 : 1;
	if (lr_read(lr, lr->pages, (size_t)nr_pages * REMUS_PAGE_SIZE,
		    "page data"))
		return -1;
	ev->type = LEGACY_EV_PAGES;
	ev->u.pages.nr = count;
	ev->u.pages.entry = lr->entry;
	ev->u.pages.nr_pages = nr_pages;
	ev->u.pages.data = lr->pages;
	return 0;
}

static int emit_ready(struct legacy_reader *lr, struct legacy_event *ev)
{
	struct legacy_pending *p;

	legacy_b_free(lr->ready);
	lr->ready = NULL;
	p = legacy_b_pop_ready(lr);
	if (!p)
		return 1;
	lr->ready = p;
	ev->type = LEGACY_EV_PAGES;
	ev->offset = p->offset;
	ev->u.pages.nr = p->nr;
	ev->u.pages.entry = p->entry;
	ev->u.pages.nr_pages = p->nr_pages;
	ev->u.pages.data = p->data;
	ev->u.pages.compressed = true;
	return 0;
}

int legacy_body_next(struct legacy_reader *lr, struct legacy_event *ev)
{
	for (;;) {
		uint64_t off;
		uint32_t m;
		int32_t id;
		int rc;

		rc = emit_ready(lr, ev);
		if (rc <= 0)
			return rc;
		off = lr_off(lr);
		ev->offset = off;
		if (lr_u32(lr, &m, "a chunk marker"))
			return -1;
		id = (int32_t)m;
		if (id > 0)
			rc = batch(lr, (uint32_t)id, off, ev);
		else if (id < 0)
			rc = legacy_chunk(lr, id, ev);
		else if (lr->pend_head)
			return lr_fail(lr, off, "legacy.compressed.missing",
				       "body ends with %u pages still awaiting compressed data",
				       lr->pend_pages);
		else {
			ev->type = LEGACY_EV_BODY_END;
			lr->st = LS_TAIL;
			lr->tail_step = 0;
			lr->vcpu_next = 0;
			return 0;
		}
		if (rc <= 0)
			return rc;
	}
}
