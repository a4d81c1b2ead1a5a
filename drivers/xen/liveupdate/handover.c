// SPDX-License-Identifier: GPL-2.0-only
/*
 * Handing dom0's records to the hypervisor: the live-update image again,
 * with one more multiboot2 module holding the records dump (UAPI
 * "Records handover").  The records travel the way xen#2's own modules do,
 * so no new hypervisor interface is needed; that a live-update xen#2 reads
 * them is this project's proposal, no Xen does it yet.
 *
 * A xen#2 that boots normally (Xen 4.17 __start_xen) takes module 0 as
 * dom0's kernel and the first other module that is neither an XSM policy
 * nor the ucode= module as dom0's initrd, whatever the module strings say.
 * Appended alone after an image with only dom0's kernel, the records would
 * become dom0's initrd.  So an empty module (start == end, page aligned)
 * always goes right before them: with no initrd in the image it is the one
 * Xen picks, and an empty initrd is no initrd to Xen and to Linux; with
 * one it is a later candidate Xen ignores.  An image without modules
 * (a live-update xen#2 needs no dom0 kernel) gets two: the records
 * module is never module 0 nor the first candidate.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <asm/unaligned.h>

#include "handover.h"
#include "image.h"
#include "records.h"

/* The empty module before the records; no reader needs its string. */
#define XEN_LU_RECORDS_GUARD_STRING	"xen-liveupdate-empty"

/* The first free page of the window past every segment in it. */
static u64 xen_lu_handover_dest(const struct xen_lu_image *img,
				const struct xen_lu_range *lu)
{
	u64 dest = lu->start + XEN_LU_BREADCRUMB_SIZE;
	unsigned int i;

	for (i = 0; i < img->nr; i++) {
		const struct xen_lu_segment *s = &img->seg[i];

		if (s->dest >= lu->start && s->dest - lu->start < lu->size)
			dest = max(dest, s->dest + s->dest_size);
	}
	return dest;
}

/* Write a module tag for [@start, @end) at @tag; return its aligned size. */
static u32 xen_lu_handover_module_tag(u8 *tag, u64 start, u64 end,
				      const char *str)
{
	u32 size = XEN_LU_MB2_MODULE_FIXED + strlen(str) + 1;

	put_unaligned_le32(XEN_LU_MB2_TAG_MODULE, tag);
	put_unaligned_le32(size, tag + 4);
	put_unaligned_le32(start, tag + 8);
	put_unaligned_le32(end, tag + 12);
	memcpy(tag + XEN_LU_MB2_MODULE_FIXED, str, strlen(str) + 1);
	return ALIGN(size, XEN_LU_MB2_TAG_ALIGN);
}

/*
 * The MBI with the empty module(s) and the records' module tag appended
 * after the last tag; the image's MBI was checked at STAGE, so its tags are
 * well formed.
 */
static void *xen_lu_handover_mbi(const struct xen_lu_image *img, u64 dest,
				 u64 len, u64 generation, u64 *size)
{
	const struct xen_lu_segment *s = &img->seg[img->mbi];
	const u8 *old = img->buf[img->mbi];
	u32 off = XEN_LU_MB2_INFO_HEADER, type, total;
	unsigned int nr_modules = 0, guards, i;
	char str[64];
	u8 *mbi;

	for (;;) {
		type = get_unaligned_le32(old + off);
		if (type == XEN_LU_MB2_TAG_END)
			break;
		nr_modules += type == XEN_LU_MB2_TAG_MODULE;
		off = ALIGN(off + get_unaligned_le32(old + off + 4),
			    XEN_LU_MB2_TAG_ALIGN);
	}
	guards = nr_modules ? 1 : 2;
	scnprintf(str, sizeof(str), "%s generation=%llu",
		  XEN_LU_RECORDS_MODULE_STRING, generation);
	total = off + guards *
		ALIGN(XEN_LU_MB2_MODULE_FIXED +
		      sizeof(XEN_LU_RECORDS_GUARD_STRING), XEN_LU_MB2_TAG_ALIGN) +
		ALIGN(XEN_LU_MB2_MODULE_FIXED + strlen(str) + 1,
		      XEN_LU_MB2_TAG_ALIGN) + XEN_LU_MB2_TAG_HEADER;
	if (total > s->dest_size)
		return ERR_PTR(-ENOSPC);

	mbi = kzalloc(total, GFP_KERNEL);
	if (!mbi)
		return ERR_PTR(-ENOMEM);
	memcpy(mbi, old, off);
	put_unaligned_le32(total, mbi);
	for (i = 0; i < guards; i++)
		off += xen_lu_handover_module_tag(mbi + off, dest, dest,
						  XEN_LU_RECORDS_GUARD_STRING);
	off += xen_lu_handover_module_tag(mbi + off, dest, dest + len, str);
	put_unaligned_le32(XEN_LU_MB2_TAG_END, mbi + off);
	put_unaligned_le32(XEN_LU_MB2_TAG_HEADER, mbi + off + 4);
	*size = total;
	return mbi;
}

/**
 * xen_lu_handover_load() - load the live-update image with the records
 * @img: the staged image (kernel copy)
 * @lu: the live-update window the image was staged for
 * @records: a records dump
 * @generation: its generation, for the module string
 * @dest: set to the records' machine address
 * @check: set to the enum xen_lu_check that failed
 *
 * The hypervisor replaces the slot's image only when it accepts all of
 * the new one, so on failure the previous image (with or without older
 * records) is still loaded.
 *
 * Return: 0; -ENOSPC (%XEN_LU_CHECK_RECORDS_ROOM); -ENOMEM; or the
 * hypervisor's errno (%XEN_LU_CHECK_LOAD).
 */
int xen_lu_handover_load(const struct xen_lu_image *img,
			 const struct xen_lu_range *lu,
			 const struct xen_lu_rec_buf *records, u64 generation,
			 u64 *dest, u32 *check)
{
	u64 at = xen_lu_handover_dest(img, lu), room;
	struct xen_lu_image_extra extra = {
		.data = records->data,
		.len = records->len,
		.dest = at,
	};
	void *mbi = NULL;
	int rc;

	room = PAGE_ALIGN(records->len + max_t(u64, XEN_LU_RECORDS_ROOM_MIN,
					       records->len / 4));
	*check = XEN_LU_CHECK_RECORDS_ROOM;
	if (img->nr >= XEN_LU_MAX_SEGMENTS || at + room > lu->start + lu->size ||
	    at + room > U32_MAX) {
		rc = -ENOSPC;
		goto out;
	}
	extra.dest_size = room;
	mbi = xen_lu_handover_mbi(img, at, records->len, generation,
				  &extra.mbi_size);
	if (IS_ERR(mbi)) {
		rc = PTR_ERR(mbi);
		mbi = NULL;
		goto out;
	}
	extra.mbi = mbi;

	*check = XEN_LU_CHECK_LOAD;
	rc = xen_lu_image_load(img, &extra);
	if (rc) {
		pr_notice("hypervisor refused the image with dom0's records: %pe\n",
			  ERR_PTR(rc));
		goto out;
	}
	*check = XEN_LU_CHECK_NONE;
	*dest = at;
	pr_info("records handed over: generation %llu, %zu bytes at %#llx\n",
		generation, records->len, at);
out:
	kfree(mbi);
	return rc;
}
