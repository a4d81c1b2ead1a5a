// SPDX-License-Identifier: GPL-2.0-only
/*
 * Re-check a finished plan against Xen's do_kimage_alloc() rules (at most
 * 15 segments, page-aligned destinations, buf_size <= dest_size, no
 * overlaps) and ours: live-update segments other than xen#2 inside the
 * window, never on the breadcrumb page; MB2 addresses below 4 GiB.
 */
#include "luimage.h"
#include "util.h"

static const char *const kind_names[] = {
	[XEN_LU_SEG_XEN] = "xen",
	[XEN_LU_SEG_PURGATORY] = "purgatory",
	[XEN_LU_SEG_MBI] = "mbi",
	[XEN_LU_SEG_MODULE] = "module",
	[XEN_LU_SEG_LOW_FILL] = "low-fill",
};

const char *lui_seg_kind_name(enum xen_lu_segment_kind kind)
{
	if ((unsigned int)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "unknown";
	return kind_names[kind];
}

static int check_one(const struct lui_plan *p, unsigned int i,
		     struct lui_error *e)
{
	const struct lui_segment *s = &p->seg[i];
	uint64_t end;

	if (!s->dest_size || __builtin_add_overflow(s->dest, s->dest_size, &end))
		return lui_fail(e, LUI_E_BAD_RANGE,
				"segment %u (%s) [%#llx, +%#llx) is empty or wraps",
				i, lui_seg_kind_name(s->kind),
				(unsigned long long)s->dest,
				(unsigned long long)s->dest_size);
	if ((s->dest | s->dest_size) & (LUI_PAGE_SIZE - 1))
		return lui_fail(e, LUI_E_UNALIGNED,
				"segment %u (%s) [%#llx, +%#llx) is not page aligned",
				i, lui_seg_kind_name(s->kind),
				(unsigned long long)s->dest,
				(unsigned long long)s->dest_size);
	if (s->buf_size > s->dest_size || (!s->buf && s->buf_size))
		return lui_fail(e, LUI_E_BUF_SIZE,
				"segment %u (%s): buf_size %#llx, dest_size %#llx",
				i, lui_seg_kind_name(s->kind),
				(unsigned long long)s->buf_size,
				(unsigned long long)s->dest_size);
	if (s->kind != XEN_LU_SEG_XEN && s->kind != XEN_LU_SEG_LOW_FILL &&
	    end > (uint64_t)UINT32_MAX + 1)
		return lui_fail(e, LUI_E_ABOVE_4G,
				"segment %u (%s) ends at %#llx, above 4 GiB",
				i, lui_seg_kind_name(s->kind),
				(unsigned long long)end);
	if (p->mode == LUI_MODE_LIVE_UPDATE && s->kind != XEN_LU_SEG_XEN &&
	    s->kind != XEN_LU_SEG_LOW_FILL &&
	    (s->dest < p->win_lo || end > p->win_hi))
		return lui_fail(e, LUI_E_OUTSIDE_WINDOW,
				"segment %u (%s) [%#llx, %#llx) outside the live update window [%#llx, %#llx)",
				i, lui_seg_kind_name(s->kind),
				(unsigned long long)s->dest,
				(unsigned long long)end,
				(unsigned long long)p->win_lo,
				(unsigned long long)p->win_hi);
	if (p->mode == LUI_MODE_LIVE_UPDATE && p->win_lo >= LUI_BREADCRUMB_SIZE &&
	    lui_overlaps(s->dest, s->dest_size, p->win_lo - LUI_BREADCRUMB_SIZE,
			 LUI_BREADCRUMB_SIZE))
		return lui_fail(e, LUI_E_OVERLAP,
				"segment %u (%s) covers the breadcrumb page at %#llx",
				i, lui_seg_kind_name(s->kind),
				(unsigned long long)(p->win_lo - LUI_BREADCRUMB_SIZE));
	return 0;
}

int lui_plan_check(const struct lui_plan *p, struct lui_error *e)
{
	unsigned int i, j;
	int ret;

	if (!p)
		return lui_fail(e, LUI_E_USAGE, "check: bad arguments");
	if (!p->nr || p->nr > LUI_MAX_SEGMENTS)
		return lui_fail(e, LUI_E_TOO_MANY_SEGMENTS,
				"%u segments, Xen takes 1..%u", p->nr,
				LUI_MAX_SEGMENTS);
	for (i = 0; i < p->nr; i++) {
		ret = check_one(p, i, e);
		if (ret)
			return ret;
	}
	for (i = 0; i < p->nr; i++)
		for (j = i + 1; j < p->nr; j++)
			if (lui_overlaps(p->seg[i].dest, p->seg[i].dest_size,
					 p->seg[j].dest, p->seg[j].dest_size))
				return lui_fail(e, LUI_E_OVERLAP,
						"segments %u (%s) and %u (%s) overlap at %#llx",
						i, lui_seg_kind_name(p->seg[i].kind),
						j, lui_seg_kind_name(p->seg[j].kind),
						(unsigned long long)p->seg[j].dest);
	return 0;
}
