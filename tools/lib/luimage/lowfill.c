// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sort the segments by destination, then do what kexec-tools' Xen backend
 * (xen_kexec_load) does: cover every gap below 1 MiB with a segment that has
 * no buffer, so the image's identity map includes low memory (VGA, BIOS
 * tables, the trampoline area).  Those segments count towards Xen's 15.
 */
#include <stdlib.h>

#include "plan.h"

static int seg_cmp(const void *a, const void *b)
{
	const struct lui_segment *x = a, *y = b;

	return x->dest < y->dest ? -1 : x->dest > y->dest;
}

int plan_sort_and_fill_low(struct lui_plan *plan, struct lui_error *e)
{
	struct lui_segment out[LUI_MAX_SEGMENTS];
	uint64_t mark = 0, fill_end;
	unsigned int i, n = 0;

	qsort(plan->seg, plan->nr, sizeof(plan->seg[0]), seg_cmp);
	for (i = 0; i <= plan->nr; i++) {
		fill_end = i < plan->nr ? plan->seg[i].dest : LUI_LOW_FILL_END;
		if (fill_end > LUI_LOW_FILL_END)
			fill_end = LUI_LOW_FILL_END;
		if (mark < fill_end) {
			if (n == LUI_MAX_SEGMENTS)
				goto too_many;
			out[n++] = (struct lui_segment){
				.kind = XEN_LU_SEG_LOW_FILL,
				.dest = mark,
				.dest_size = fill_end - mark,
			};
		}
		if (i == plan->nr)
			break;
		if (n == LUI_MAX_SEGMENTS)
			goto too_many;
		out[n++] = plan->seg[i];
		if (plan->seg[i].dest + plan->seg[i].dest_size > mark)
			mark = plan->seg[i].dest + plan->seg[i].dest_size;
	}
	for (i = 0; i < n; i++)
		plan->seg[i] = out[i];
	plan->nr = n;
	return 0;
too_many:
	return lui_fail(e, LUI_E_TOO_MANY_SEGMENTS,
			"%u segments plus the fillers below 1 MiB exceed Xen's %u",
			plan->nr, LUI_MAX_SEGMENTS);
}
