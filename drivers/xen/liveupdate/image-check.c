// SPDX-License-Identifier: GPL-2.0-only
/*
 * The staging rules that look at segments only: Xen's own kexec_load rules
 * (page-aligned destinations, no overlap, buf_size <= dest_size, at most 15
 * segments), the shape of a multiboot2 image (one purgatory, one MBI, the
 * Xen loads, modules) and where each piece may go.  Each rule has its enum
 * xen_lu_stage_rule value so that user space can say which one failed.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <asm/unaligned.h>

#include "image.h"

int xen_lu_broke(struct xen_lu_image *img, u32 rule, u32 seg, int err)
{
	img->rule = rule;
	img->bad_seg = seg;
	return err;
}

static bool xen_lu_page_aligned(u64 v)
{
	return !(v & (XEN_LU_PAGE_SIZE - 1));
}

static int xen_lu_check_segment(struct xen_lu_image *img, unsigned int i)
{
	const struct xen_lu_segment *s = &img->seg[i];
	bool empty = !s->buf_size;
	u64 end;

	if (s->kind > XEN_LU_SEG_LOW_FILL)
		return xen_lu_broke(img, XEN_LU_RULE_SEG_KIND, i, -EINVAL);
	/* A Xen segment may be a PT_LOAD without file bytes. */
	if (!s->buf != empty ||
	    (s->kind == XEN_LU_SEG_LOW_FILL && !empty) ||
	    (s->kind != XEN_LU_SEG_LOW_FILL && s->kind != XEN_LU_SEG_XEN &&
	     empty))
		return xen_lu_broke(img, XEN_LU_RULE_SEG_BUF, i, -EINVAL);
	if (!s->dest_size || !xen_lu_page_aligned(s->dest) ||
	    !xen_lu_page_aligned(s->dest_size))
		return xen_lu_broke(img, XEN_LU_RULE_SEG_ALIGN, i, -EINVAL);
	if (s->buf_size > s->dest_size ||
	    check_add_overflow(s->dest, s->dest_size, &end))
		return xen_lu_broke(img, XEN_LU_RULE_SEG_SIZE, i, -EINVAL);
	if (i && s->dest < img->seg[i - 1].dest)
		return xen_lu_broke(img, XEN_LU_RULE_SEG_ORDER, i, -EINVAL);
	if (i && s->dest < img->seg[i - 1].dest + img->seg[i - 1].dest_size)
		return xen_lu_broke(img, XEN_LU_RULE_SEG_OVERLAP, i, -EINVAL);
	return 0;
}

/**
 * xen_lu_image_check_table() - rules on the segment table alone
 * @img: @img->seg and @img->nr (1..%XEN_LU_MAX_SEGMENTS) from user space
 *
 * Also finds the purgatory and the MBI and sums the buffers.
 *
 * Return: 0, -EINVAL or -E2BIG with @img->rule set.
 */
int xen_lu_image_check_table(struct xen_lu_image *img)
{
	unsigned int count[XEN_LU_SEG_LOW_FILL + 1] = {};
	unsigned long modules = 0;
	unsigned int i;
	int rc;

	img->bytes = 0;
	for (i = 0; i < img->nr; i++) {
		const struct xen_lu_segment *s = &img->seg[i];

		rc = xen_lu_check_segment(img, i);
		if (rc)
			return rc;
		count[s->kind]++;
		if (s->kind == XEN_LU_SEG_PURGATORY)
			img->purgatory = i;
		else if (s->kind == XEN_LU_SEG_MBI)
			img->mbi = i;
		if (s->kind == XEN_LU_SEG_MODULE) {
			if (s->index >= XEN_LU_MAX_MODULES ||
			    __test_and_set_bit(s->index, &modules))
				return xen_lu_broke(img, XEN_LU_RULE_SEG_COUNT,
						    i, -EINVAL);
		} else if (s->kind != XEN_LU_SEG_XEN && s->index) {
			return xen_lu_broke(img, XEN_LU_RULE_SEG_COUNT, i,
					    -EINVAL);
		}
		img->bytes += s->buf_size;
		if (img->bytes > XEN_LU_MAX_IMAGE_BYTES)
			return xen_lu_broke(img, XEN_LU_RULE_IMAGE_TOO_BIG, i,
					    -E2BIG);
	}

	if (count[XEN_LU_SEG_PURGATORY] != 1 || count[XEN_LU_SEG_MBI] != 1 ||
	    !count[XEN_LU_SEG_XEN] ||
	    modules != GENMASK(count[XEN_LU_SEG_MODULE], 0) >> 1)
		return xen_lu_broke(img, XEN_LU_RULE_SEG_COUNT,
				    XEN_LU_NO_SEGMENT, -EINVAL);
	if (img->entry != img->seg[img->purgatory].dest)
		return xen_lu_broke(img, XEN_LU_RULE_ENTRY, img->purgatory,
				    -EINVAL);
	return 0;
}

static bool xen_lu_inside(const struct xen_lu_segment *s, u64 lo, u64 hi)
{
	return s->dest >= lo && s->dest + s->dest_size <= hi;
}

static bool xen_lu_in_ram(const struct xen_lu_segment *s,
			  const struct xen_lu_layout *layout)
{
	unsigned int i;

	for (i = 0; i < layout->nr_map; i++) {
		const struct xen_lu_mem_entry *m = &layout->map[i];

		if (m->type == XEN_LU_MEM_RAM &&
		    xen_lu_inside(s, m->addr, m->addr + m->size))
			return true;
	}
	return false;
}

/* Live update: xen#2 over xen#1, the rest in the window past the breadcrumb. */
static int xen_lu_check_live_update(struct xen_lu_image *img,
				    const struct xen_lu_layout *layout,
				    unsigned int i, bool first_xen)
{
	const struct xen_lu_segment *s = &img->seg[i];
	u64 xen_lo = layout->ma_xen.start;
	u64 xen_hi = round_up(xen_lo + layout->ma_xen.size, XEN_LU_PAGE_SIZE);
	u64 win_lo = layout->lu.start + XEN_LU_BREADCRUMB_SIZE;
	u64 win_hi = layout->lu.start + layout->lu.size;

	switch (s->kind) {
	case XEN_LU_SEG_XEN:
		if (!xen_lu_inside(s, xen_lo, xen_hi) ||
		    (first_xen && s->dest != xen_lo))
			return xen_lu_broke(img, XEN_LU_RULE_PLACE_XEN, i,
					    -EINVAL);
		return 0;
	case XEN_LU_SEG_LOW_FILL:
		return 0;
	default:
		if (!xen_lu_inside(s, win_lo, win_hi))
			return xen_lu_broke(img, XEN_LU_RULE_PLACE_WINDOW, i,
					    -EINVAL);
		return 0;
	}
}

/**
 * xen_lu_image_check_layout() - where each segment may go
 * @img: an image that passed xen_lu_image_check_table()
 * @layout: the hypervisor's ranges (live update) or memory map (cold)
 *
 * Return: 0 or -EINVAL with @img->rule set.
 */
int xen_lu_image_check_layout(struct xen_lu_image *img,
			      const struct xen_lu_layout *layout)
{
	bool first_xen = true, entry_ok = false;
	unsigned int i;
	int rc;

	for (i = 0; i < img->nr; i++) {
		const struct xen_lu_segment *s = &img->seg[i];

		if (s->kind == XEN_LU_SEG_LOW_FILL &&
		    s->dest + s->dest_size > XEN_LU_LOW_FILL_END)
			return xen_lu_broke(img, XEN_LU_RULE_PLACE_LOW_FILL, i,
					    -EINVAL);
		if (s->kind != XEN_LU_SEG_XEN &&
		    s->dest + s->dest_size > SZ_4G)
			return xen_lu_broke(img, XEN_LU_RULE_PLACE_4G, i,
					    -EINVAL);
		if (img->type == XEN_LU_IMAGE_LIVE_UPDATE) {
			rc = xen_lu_check_live_update(img, layout, i,
						      first_xen);
			if (rc)
				return rc;
		} else if (s->kind != XEN_LU_SEG_LOW_FILL &&
			   !xen_lu_in_ram(s, layout)) {
			return xen_lu_broke(img, XEN_LU_RULE_PLACE_RAM, i,
					    -EINVAL);
		}
		if (s->kind == XEN_LU_SEG_XEN) {
			first_xen = false;
			if (img->xen_entry >= s->dest &&
			    img->xen_entry < s->dest + s->buf_size)
				entry_ok = true;
		}
	}

	if (img->xen_entry >= SZ_4G)
		return xen_lu_broke(img, XEN_LU_RULE_PLACE_4G,
				    XEN_LU_NO_SEGMENT, -EINVAL);
	if (!entry_ok)
		return xen_lu_broke(img, XEN_LU_RULE_XEN_ENTRY,
				    XEN_LU_NO_SEGMENT, -EINVAL);
	return 0;
}

/**
 * xen_lu_purgatory_build() - the purgatory of the UAPI "Purgatory" section
 * @code: %XEN_LU_PURGATORY_SIZE bytes
 * @mbi: machine address of the MBI, loaded into %ebx
 * @xen_entry: xen#2's multiboot2 entry, jumped to
 */
static void xen_lu_purgatory_build(u8 *code, u32 mbi, u32 xen_entry)
{
	static const u8 head[] = { 0xfa, 0xfc, 0xb8 };

	memcpy(code, head, sizeof(head));
	put_unaligned_le32(XEN_LU_MB2_BOOTLOADER_MAGIC, code + 3);
	code[7] = 0xbb;
	put_unaligned_le32(mbi, code + 8);
	code[12] = 0xb9;
	put_unaligned_le32(xen_entry, code + 13);
	code[17] = 0xff;
	code[18] = 0xe1;
	code[19] = 0xf4;	/* hlt: never reached */
}

/**
 * xen_lu_image_check_purgatory() - the purgatory is ours, byte for byte
 * @img: an image whose buffers are copied in and whose layout is checked
 *
 * The tail up to buf_size must be zero, so no other code rides along.
 *
 * Return: 0 or -EINVAL with %XEN_LU_RULE_PURGATORY.
 */
int xen_lu_image_check_purgatory(struct xen_lu_image *img)
{
	const struct xen_lu_segment *s = &img->seg[img->purgatory];
	const u8 *buf = img->buf[img->purgatory];
	u8 code[XEN_LU_PURGATORY_SIZE];

	xen_lu_purgatory_build(code, (u32)img->seg[img->mbi].dest,
			       (u32)img->xen_entry);
	if (s->buf_size < sizeof(code) || memcmp(buf, code, sizeof(code)) ||
	    memchr_inv(buf + sizeof(code), 0, s->buf_size - sizeof(code)))
		return xen_lu_broke(img, XEN_LU_RULE_PURGATORY, img->purgatory,
				    -EINVAL);
	return 0;
}
