// SPDX-License-Identifier: GPL-2.0-only
/*
 * The segment planner.  Live update: xen#2's PT_LOADs at MA_XEN; the
 * purgatory slot, the MBI and every module page-aligned in
 * [lu_start + 4 KiB, lu_end] (the first page is the breadcrumb's).  Cold:
 * the same pieces in free RAM of the caller's machine map, above 1 MiB and
 * below 4 GiB.  Then kexec-tools' low-memory fillers, then a full re-check.
 */
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "util.h"

static int plan_check_in(const struct lui_plan_in *in, struct lui_error *e)
{
	if (!in->img || !in->elf || !in->mb || !in->image_name ||
	    (in->nr_modules && !in->modules) ||
	    (in->mode != LUI_MODE_LIVE_UPDATE && in->mode != LUI_MODE_COLD))
		return lui_fail(e, LUI_E_USAGE, "plan: bad arguments");
	if (in->nr_modules > LUI_MAX_MODULES)
		return lui_fail(e, LUI_E_TOO_MANY_SEGMENTS,
				"%u modules, at most %u", in->nr_modules,
				LUI_MAX_MODULES);
	if (!in->purgatory_size || in->purgatory_size > LUI_MIB)
		return lui_fail(e, LUI_E_USAGE,
				"purgatory size %#llx not in 1..1 MiB",
				(unsigned long long)in->purgatory_size);
	return lui_mmap_check(in->map, in->nr_map, e);
}

/* Live-update window [lu_start + 4 KiB, lu_start + size), clear of xen#2. */
static int plan_window(const struct lui_plan_in *in,
		       const struct lui_xen_place *pl, struct lui_plan *plan,
		       struct lui_error *e)
{
	const struct lui_range *lu = &in->lu;
	uint64_t end;

	if (!lu->size || __builtin_add_overflow(lu->start, lu->size, &end))
		return lui_fail(e, LUI_E_BAD_RANGE,
				"live update range start %#llx size %#llx is empty or wraps",
				(unsigned long long)lu->start,
				(unsigned long long)lu->size);
	if (lu->start & (LUI_PAGE_SIZE - 1))
		return lui_fail(e, LUI_E_UNALIGNED,
				"live update range start %#llx is not page aligned",
				(unsigned long long)lu->start);
	if (lui_overlaps(lu->start, lu->size, pl->base, pl->limit - pl->base))
		return lui_fail(e, LUI_E_OVERLAP,
				"live update range [%#llx, %#llx) overlaps the Xen image region [%#llx, %#llx)",
				(unsigned long long)lu->start,
				(unsigned long long)end,
				(unsigned long long)pl->base,
				(unsigned long long)pl->limit);
	if (lu->size <= LUI_BREADCRUMB_SIZE)
		return lui_fail(e, LUI_E_WINDOW_TOO_SMALL,
				"live update range of %#llx bytes holds only the breadcrumb page",
				(unsigned long long)lu->size);
	/*
	 * kexec-tools' rule: the window, less the breadcrumb page, lies in
	 * the range of xen#2's relocatable tag (multiboot2_rel_valid()).
	 */
	if (lu->start + LUI_BREADCRUMB_SIZE < in->mb->reloc_min ||
	    end - 1 > in->mb->reloc_max)
		return lui_fail(e, LUI_E_OUT_OF_REACH,
				"live update range [%#llx, %#llx] is outside the new Xen's relocatable range [%#x, %#x]",
				(unsigned long long)(lu->start + LUI_BREADCRUMB_SIZE),
				(unsigned long long)(end - 1),
				in->mb->reloc_min, in->mb->reloc_max);
	plan->win_lo = lu->start + LUI_BREADCRUMB_SIZE;
	plan->win_hi = end & ~(LUI_PAGE_SIZE - 1);
	return 0;
}

static int plan_add(struct lui_plan *plan, struct lui_segment s,
		    struct lui_error *e)
{
	if (plan->nr == LUI_MAX_SEGMENTS)
		return lui_fail(e, LUI_E_TOO_MANY_SEGMENTS,
				"more than %u segments before the low fillers",
				LUI_MAX_SEGMENTS);
	plan->seg[plan->nr++] = s;
	return 0;
}

static int plan_xen_segments(const struct lui_plan_in *in,
			     const struct lui_xen_place *pl,
			     struct lui_plan *plan, struct lui_error *e)
{
	const struct lui_load *ld;
	uint64_t dest, size = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < in->elf->nr_loads; i++) {
		ld = &in->elf->load[i];
		dest = ld->paddr + pl->delta;
		if (dest & (LUI_PAGE_SIZE - 1))
			return lui_fail(e, LUI_E_UNALIGNED,
					"PT_LOAD %u would load at %#llx, not page aligned",
					i, (unsigned long long)dest);
		if (ld->offset > in->img_len ||
		    ld->filesz > in->img_len - ld->offset)
			return lui_fail(e, LUI_E_USAGE,
					"PT_LOAD %u is beyond the image buffer", i);
		lui_align_up(ld->memsz, LUI_PAGE_SIZE, &size);
		ret = plan_add(plan, (struct lui_segment){
			.kind = XEN_LU_SEG_XEN, .index = i,
			.buf = ld->filesz ? in->img + ld->offset : NULL,
			.buf_size = ld->filesz, .dest = dest,
			.dest_size = size }, e);
		if (ret)
			return ret;
	}
	return 0;
}

/* Purgatory, MBI, modules: one slot each, in that order. */
static int plan_slots(const struct lui_plan_in *in, struct plan_alloc *a,
		      struct lui_plan *plan, struct lui_error *e)
{
	unsigned int i;
	int ret;

	ret = plan_alloc(a, in->purgatory_size, "purgatory",
			 &plan->purgatory_dest, e);
	if (!ret)
		ret = plan_alloc(a, plan->mbi_size, "MBI", &plan->mbi_dest, e);
	for (i = 0; !ret && i < in->nr_modules; i++)
		ret = plan_alloc(a, in->modules[i].size, "module",
				 &plan->module_dest[i], e);
	return ret;
}

static int plan_slot_segments(const struct lui_plan_in *in,
			      struct lui_plan *plan, struct lui_error *e)
{
	uint64_t size = 0;
	unsigned int i;
	int ret;

	lui_align_up(in->purgatory_size, LUI_PAGE_SIZE, &size);
	ret = plan_add(plan, (struct lui_segment){
		.kind = XEN_LU_SEG_PURGATORY, .dest = plan->purgatory_dest,
		.dest_size = size }, e);
	lui_align_up(plan->mbi_size, LUI_PAGE_SIZE, &size);
	if (!ret)
		ret = plan_add(plan, (struct lui_segment){
			.kind = XEN_LU_SEG_MBI, .buf = plan->mbi,
			.buf_size = plan->mbi_size, .dest = plan->mbi_dest,
			.dest_size = size }, e);
	for (i = 0; !ret && i < in->nr_modules; i++) {
		lui_align_up(in->modules[i].size, LUI_PAGE_SIZE, &size);
		ret = plan_add(plan, (struct lui_segment){
			.kind = XEN_LU_SEG_MODULE, .index = i,
			.buf = in->modules[i].buf,
			.buf_size = in->modules[i].size,
			.dest = plan->module_dest[i], .dest_size = size }, e);
	}
	return ret;
}

static int plan_mbi(const struct lui_plan_in *in, struct lui_plan *plan,
		    bool sizing, struct lui_error *e)
{
	struct lui_mbi_in mi = {
		.cmdline = plan->cmdline, .map = in->map, .nr_map = in->nr_map,
		.load_base = in->mb->reloc_tag.present,
		.load_base_addr = (uint32_t)plan->xen_base,
		.nr_modules = in->nr_modules, .modules = in->modules,
		.module_dest = sizing ? NULL : plan->module_dest,
	};

	if (sizing)
		return lui_mbi_size(&mi, &plan->mbi_size, e);
	plan->mbi = malloc(plan->mbi_size);
	if (!plan->mbi)
		return lui_fail(e, LUI_E_NOMEM, "MBI of %zu bytes", plan->mbi_size);
	return lui_mbi_build(&mi, plan->mbi, plan->mbi_size, e);
}

static int plan_place(const struct lui_plan_in *in, struct lui_xen_place *pl,
		      struct plan_alloc *a, struct lui_plan *plan,
		      struct lui_error *e)
{
	int ret;

	if (in->mode == LUI_MODE_COLD) {
		ret = plan_cold_place_xen(in->elf, in->mb, in->map, in->nr_map,
					  pl, e);
		plan_alloc_init(a, in->map, in->nr_map, LUI_MIB,
				(uint64_t)UINT32_MAX + 1);
	} else {
		ret = lui_place_xen(in->elf, in->mb, &in->ma_xen, pl, e);
		if (!ret)
			ret = plan_window(in, pl, plan, e);
		plan_alloc_init(a, NULL, 0, plan->win_lo, plan->win_hi);
	}
	if (!ret)
		ret = plan_alloc_reserve(a, pl->base, pl->limit, e);
	if (!ret && pl->base > UINT32_MAX && in->mb->reloc_tag.present)
		ret = lui_fail(e, LUI_E_ABOVE_4G,
			       "load base %#llx does not fit the MBI's 32-bit field",
			       (unsigned long long)pl->base);
	plan->xen_base = pl->base;
	plan->xen_entry = pl->entry;
	return ret;
}

int lui_plan_build(const struct lui_plan_in *in, struct lui_plan *plan,
		   struct lui_error *e)
{
	struct lui_xen_place pl = { 0 };
	struct plan_alloc a;
	int ret;

	if (!in || !plan)
		return lui_fail(e, LUI_E_USAGE, "plan: bad arguments");
	memset(plan, 0, sizeof(*plan));
	plan->mode = in->mode;
	plan->arch = LUI_EM_386;
	ret = plan_check_in(in, e);
	if (!ret)
		ret = plan_place(in, &pl, &a, plan, e);
	if (!ret)
		ret = lui_cmdline_build(in->image_name, in->append,
					in->mode == LUI_MODE_LIVE_UPDATE ?
					&in->lu : NULL, &plan->cmdline, e);
	if (!ret)
		ret = plan_mbi(in, plan, true, e);
	if (!ret)
		ret = plan_slots(in, &a, plan, e);
	if (!ret)
		ret = plan_mbi(in, plan, false, e);
	if (!ret)
		ret = plan_xen_segments(in, &pl, plan, e);
	if (!ret)
		ret = plan_slot_segments(in, plan, e);
	if (!ret)
		ret = plan_sort_and_fill_low(plan, e);
	if (!ret)
		ret = lui_plan_check(plan, e);
	if (ret)
		lui_plan_free(plan);
	return ret;
}

void lui_plan_free(struct lui_plan *plan)
{
	if (!plan)
		return;
	free(plan->cmdline);
	free(plan->mbi);
	plan->cmdline = NULL;
	plan->mbi = NULL;
	plan->nr = 0;
}
