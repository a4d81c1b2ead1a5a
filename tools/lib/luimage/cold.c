// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cold kexec (KEXEC_TYPE_DEFAULT): xen#2 goes where it was linked when that
 * is RAM, as kexec-tools does; a relocatable image that cannot stay there
 * moves to the lowest (or, preference "high", the highest) aligned RAM
 * hole inside its relocatable range.  Xen copies the pages into place only
 * at exec time, after xen#1 stopped, so RAM in use now is fair game.
 */
#include "plan.h"
#include "util.h"

static bool cold_in_ram(const struct lui_mem *map, unsigned int nr,
			uint64_t start, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (map[i].type == LUI_MEM_RAM && start >= map[i].addr &&
		    start - map[i].addr <= map[i].size &&
		    size <= map[i].size - (start - map[i].addr))
			return true;
	return false;
}

/* Best aligned base for @span bytes in RAM within [min, max]; 0 if none. */
static bool cold_hole(const struct lui_mem *map, unsigned int nr,
		      uint64_t span, uint64_t align, uint64_t min, uint64_t max,
		      bool high, uint64_t *base)
{
	uint64_t lo, hi, c;
	unsigned int i;
	bool found = false;

	for (i = 0; i < nr; i++) {
		if (map[i].type != LUI_MEM_RAM)
			continue;
		lo = map[i].addr > min ? map[i].addr : min;
		lo = lo > LUI_MIB ? lo : LUI_MIB;
		hi = map[i].addr + map[i].size;
		if (hi > max)
			hi = max + 1;	/* max <= UINT32_MAX: no wrap */
		if (!lui_align_up(lo, align, &lo) || lo >= hi || hi - lo < span)
			continue;
		c = high ? ((hi - span) & ~(align - 1)) : lo;
		if (!found || (high ? c > *base : c < *base))
			*base = c;
		found = true;
	}
	return found;
}

int plan_cold_place_xen(const struct lui_elf *elf, const struct lui_mb2 *mb,
			const struct lui_mem *map, unsigned int nr_map,
			struct lui_xen_place *pl, struct lui_error *e)
{
	uint64_t span = 0, align = LUI_PAGE_SIZE, base = elf->lo, link_entry;

	lui_align_up(elf->hi - elf->lo, LUI_PAGE_SIZE, &span);
	if (!cold_in_ram(map, nr_map, elf->lo, span)) {
		if (!mb->reloc_tag.present)
			return lui_fail(e, LUI_E_NO_ROOM,
					"new Xen is linked at [%#llx, +%#llx), not RAM, and is not relocatable",
					(unsigned long long)elf->lo,
					(unsigned long long)span);
		if (mb->reloc_align > align)
			align = mb->reloc_align;
		if (elf->max_align > align)
			align = elf->max_align;
		if (!cold_hole(map, nr_map, span, align, mb->reloc_min,
			       mb->reloc_max, mb->reloc_pref == LUI_MB2_PREF_HIGH,
			       &base))
			return lui_fail(e, LUI_E_NO_ROOM,
					"no %#llx-aligned RAM hole of %#llx bytes in [%#x, %#x]",
					(unsigned long long)align,
					(unsigned long long)span, mb->reloc_min,
					mb->reloc_max);
	}
	pl->base = base;
	pl->delta = base - elf->lo;
	pl->end = base + span;
	pl->limit = pl->end;
	link_entry = mb->entry_tag.present ? mb->entry_addr : elf->entry;
	pl->entry = link_entry + pl->delta;
	if (pl->entry > UINT32_MAX)
		return lui_fail(e, LUI_E_ABOVE_4G,
				"entry %#llx: multiboot2 enters in 32-bit mode",
				(unsigned long long)pl->entry);
	return 0;
}
