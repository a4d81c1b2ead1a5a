// SPDX-License-Identifier: GPL-2.0-only
/*
 * First-fit placement of page-aligned slots.  Free space is the clip range
 * [lo, hi), intersected with the RAM entries of a memory map when one is
 * given (cold kexec), minus what is already used.
 */
#include <string.h>

#include "plan.h"
#include "util.h"

void plan_alloc_init(struct plan_alloc *a, const struct lui_mem *map,
		     unsigned int nr_map, uint64_t lo, uint64_t hi)
{
	memset(a, 0, sizeof(*a));
	a->map = map;
	a->nr_map = nr_map;
	a->lo = lo;
	a->hi = hi;
}

int plan_alloc_reserve(struct plan_alloc *a, uint64_t start, uint64_t end,
		       struct lui_error *e)
{
	if (a->nr_used == PLAN_MAX_USED)
		return lui_fail(e, LUI_E_TOO_MANY_SEGMENTS,
				"more than %u placed ranges", PLAN_MAX_USED);
	a->used[a->nr_used].start = start;
	a->used[a->nr_used].end = end;
	a->nr_used++;
	return 0;
}

/* First candidate >= @c in [lo, hi) that clears every used range. */
static bool alloc_in(struct plan_alloc *a, uint64_t lo, uint64_t hi,
		     uint64_t size, uint64_t *dest)
{
	uint64_t c = lo;
	unsigned int i;
	bool moved;

	if (!lui_align_up(c, LUI_PAGE_SIZE, &c))
		return false;
	do {
		moved = false;
		if (c > hi || hi - c < size)
			return false;
		for (i = 0; i < a->nr_used; i++) {
			if (lui_overlaps(c, size, a->used[i].start,
					 a->used[i].end - a->used[i].start)) {
				if (!lui_align_up(a->used[i].end, LUI_PAGE_SIZE, &c))
					return false;
				moved = true;
			}
		}
	} while (moved);
	*dest = c;
	return true;
}

int plan_alloc(struct plan_alloc *a, uint64_t size, const char *what,
	       uint64_t *dest, struct lui_error *e)
{
	uint64_t lo, hi, best = UINT64_MAX, d;
	unsigned int i;

	if (!size || !lui_align_up(size, LUI_PAGE_SIZE, &size))
		return lui_fail(e, LUI_E_USAGE, "%s: size %#llx", what,
				(unsigned long long)size);
	if (!a->map) {
		if (!alloc_in(a, a->lo, a->hi, size, &best))
			return lui_fail(e, LUI_E_WINDOW_TOO_SMALL,
					"%s (%#llx bytes) does not fit in the live update window [%#llx, %#llx)",
					what, (unsigned long long)size,
					(unsigned long long)a->lo,
					(unsigned long long)a->hi);
		goto found;
	}
	for (i = 0; i < a->nr_map; i++) {
		if (a->map[i].type != LUI_MEM_RAM)
			continue;
		lo = a->map[i].addr > a->lo ? a->map[i].addr : a->lo;
		hi = a->map[i].addr + a->map[i].size;
		hi = hi < a->hi ? hi : a->hi;
		if (lo < hi && alloc_in(a, lo, hi, size, &d) && d < best)
			best = d;
	}
	if (best == UINT64_MAX)
		return lui_fail(e, LUI_E_NO_ROOM,
				"%s (%#llx bytes): no free RAM in [%#llx, %#llx)",
				what, (unsigned long long)size,
				(unsigned long long)a->lo,
				(unsigned long long)a->hi);
found:
	*dest = best;
	return plan_alloc_reserve(a, best, best + size, e);
}
