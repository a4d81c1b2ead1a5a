// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where xen#2 goes on a live update: at the start of KEXEC_RANGE_MA_XEN,
 * over xen#1's own image (kexec-tools' rule), which needs the multiboot2
 * relocatable tag.  Unlike kexec-tools we also refuse an xen#2 that would
 * spill past xen#1's page-rounded image: what lies beyond belongs to the
 * heap, and so to the domains that must survive.
 */
#include "luimage.h"
#include "util.h"

static int place_check_range(const struct lui_range *r, struct lui_error *e)
{
	uint64_t end;

	if (!r->size || __builtin_add_overflow(r->start, r->size, &end) ||
	    !lui_align_up(end, LUI_PAGE_SIZE, &end))
		return lui_fail(e, LUI_E_BAD_RANGE,
				"MA_XEN range start %#llx size %#llx is empty or wraps",
				(unsigned long long)r->start,
				(unsigned long long)r->size);
	return 0;
}

int lui_place_xen(const struct lui_elf *elf, const struct lui_mb2 *mb,
		  const struct lui_range *ma_xen, struct lui_xen_place *pl,
		  struct lui_error *e)
{
	uint64_t align = LUI_PAGE_SIZE, span = 0, limit = 0, last, link_entry;
	int ret;

	if (!elf || !mb || !ma_xen || !pl || !elf->nr_loads)
		return lui_fail(e, LUI_E_USAGE, "place: bad arguments");
	ret = place_check_range(ma_xen, e);
	if (ret)
		return ret;
	if (!mb->reloc_tag.present)
		return lui_fail(e, LUI_E_NOT_RELOCATABLE,
				"no multiboot2 relocatable tag: a live update must load the new Xen at MA_XEN %#llx",
				(unsigned long long)ma_xen->start);
	if (mb->reloc_align > align)
		align = mb->reloc_align;
	if (elf->max_align > align)
		align = elf->max_align;
	if (ma_xen->start & (align - 1))
		return lui_fail(e, LUI_E_ALIGN,
				"MA_XEN start %#llx is not aligned to the image's %#llx",
				(unsigned long long)ma_xen->start,
				(unsigned long long)align);
	lui_align_up(elf->hi - elf->lo, LUI_PAGE_SIZE, &span);
	lui_align_up(ma_xen->start + ma_xen->size, LUI_PAGE_SIZE, &limit);
	if (span > limit - ma_xen->start)
		return lui_fail(e, LUI_E_XEN_TOO_BIG,
				"new Xen needs %#llx bytes, the running Xen's region [%#llx, %#llx) has %#llx",
				(unsigned long long)span,
				(unsigned long long)ma_xen->start,
				(unsigned long long)limit,
				(unsigned long long)(limit - ma_xen->start));
	last = ma_xen->start + (elf->hi - elf->lo) - 1;
	if (ma_xen->start < mb->reloc_min || last > mb->reloc_max)
		return lui_fail(e, LUI_E_OUT_OF_REACH,
				"new Xen at [%#llx, %#llx] is outside its relocatable range [%#x, %#x]",
				(unsigned long long)ma_xen->start,
				(unsigned long long)last, mb->reloc_min,
				mb->reloc_max);
	pl->base = ma_xen->start;
	pl->delta = ma_xen->start - elf->lo;
	pl->end = ma_xen->start + span;
	pl->limit = limit;
	link_entry = mb->entry_tag.present ? mb->entry_addr : elf->entry;
	pl->entry = link_entry + pl->delta;
	if (link_entry < elf->lo || link_entry >= elf->hi)
		return lui_fail(e, LUI_E_ELF_BAD,
				"entry %#llx is outside the loaded image [%#llx, %#llx)",
				(unsigned long long)link_entry,
				(unsigned long long)elf->lo,
				(unsigned long long)elf->hi);
	if (pl->entry > UINT32_MAX)
		return lui_fail(e, LUI_E_ABOVE_4G,
				"relocated entry %#llx: multiboot2 enters in 32-bit mode",
				(unsigned long long)pl->entry);
	return 0;
}
