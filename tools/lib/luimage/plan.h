/* SPDX-License-Identifier: GPL-2.0-only */
/* Internals shared by the segment planner's files. */
#ifndef LUIMAGE_PLAN_H
#define LUIMAGE_PLAN_H

#include "luimage.h"

#define PLAN_MAX_USED	(LUI_MAX_SEGMENTS + 1)

/* Bump/first-fit allocator over a set of free ranges. */
struct plan_alloc {
	const struct lui_mem *map;	/* cold: RAM entries are free */
	unsigned int nr_map;
	uint64_t lo, hi;		/* clip: [lo, hi) */
	unsigned int nr_used;
	struct { uint64_t start, end; } used[PLAN_MAX_USED];
};

void plan_alloc_init(struct plan_alloc *a, const struct lui_mem *map,
		     unsigned int nr_map, uint64_t lo, uint64_t hi);
int plan_alloc_reserve(struct plan_alloc *a, uint64_t start, uint64_t end,
		       struct lui_error *e);
/* Lowest page-aligned free [*dest, *dest + size) inside the free ranges. */
int plan_alloc(struct plan_alloc *a, uint64_t size, const char *what,
	       uint64_t *dest, struct lui_error *e);

/* Cold kexec: xen#2 at its link address if that is RAM, else relocated. */
int plan_cold_place_xen(const struct lui_elf *elf, const struct lui_mb2 *mb,
			const struct lui_mem *map, unsigned int nr_map,
			struct lui_xen_place *pl, struct lui_error *e);

/* Sort by dest, then add kexec-tools' NULL segments below 1 MiB. */
int plan_sort_and_fill_low(struct lui_plan *plan, struct lui_error *e);

#endif /* LUIMAGE_PLAN_H */
