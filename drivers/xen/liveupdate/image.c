// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's copy of a kexec image: its lifetime, the copy from user
 * space, its digest, and every load of it into the hypervisor's kexec slot
 * (STAGE's, and the live-update image reloaded with dom0's records or
 * without them), plus the unload that ends its life.
 *
 * Xen reads the segments page by page through dom0's page tables during
 * KEXEC_CMD_kexec_load, so the copy stays mapped for the whole hypercall;
 * Xen keeps its own copy afterwards.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include <crypto/sha2.h>

#include "image.h"
#include "liveupdate.h"

static u8 xen_lu_kexec_type(u32 type)
{
	return type == XEN_LU_IMAGE_COLD ? KEXEC_TYPE_DEFAULT :
					   KEXEC_TYPE_LIVE_UPDATE;
}

static const char *xen_lu_image_type_name(u32 type)
{
	return type == XEN_LU_IMAGE_COLD ? "cold" : "live-update";
}

/**
 * xen_lu_image_alloc() - an empty image, no rule broken yet
 *
 * Return: the image, or NULL.
 */
struct xen_lu_image *xen_lu_image_alloc(void)
{
	struct xen_lu_image *img = kzalloc(sizeof(*img), GFP_KERNEL);

	if (img)
		img->bad_seg = XEN_LU_NO_SEGMENT;
	return img;
}

/**
 * xen_lu_image_free() - free an image and its copies
 * @img: an image, or NULL
 */
void xen_lu_image_free(struct xen_lu_image *img)
{
	unsigned int i;

	if (!img)
		return;
	for (i = 0; i < img->nr; i++)
		kvfree(img->buf[i]);
	kfree(img);
}

/**
 * xen_lu_copy_in() - a kernel copy of a user buffer
 * @uptr: user address
 * @len: bytes, not 0
 *
 * Return: a kvmalloc'd copy, or ERR_PTR(-ENOMEM) or ERR_PTR(-EFAULT).
 */
void *xen_lu_copy_in(u64 uptr, u64 len)
{
	void *buf = kvmalloc(len, GFP_KERNEL);

	if (!buf)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(buf, u64_to_user_ptr(uptr), len)) {
		kvfree(buf);
		return ERR_PTR(-EFAULT);
	}
	return buf;
}

/**
 * xen_lu_image_copy_in() - copy every segment's buffer into the kernel
 * @img: an image whose @seg table was checked
 *
 * Return: 0, -EINTR (killed), -ENOMEM or -EFAULT.
 */
int xen_lu_image_copy_in(struct xen_lu_image *img)
{
	unsigned int i;
	void *buf;

	for (i = 0; i < img->nr; i++) {
		if (!img->seg[i].buf_size)
			continue;
		if (fatal_signal_pending(current))
			return -EINTR;
		buf = xen_lu_copy_in(img->seg[i].buf, img->seg[i].buf_size);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
		img->buf[i] = buf;
	}
	return 0;
}

/**
 * xen_lu_image_digest() - the UAPI "Image digest", over the kernel's copy
 * @img: an image copied in; sets @img->sha256
 */
void xen_lu_image_digest(struct xen_lu_image *img)
{
	struct sha256_state sha;
	unsigned int i;

	sha256_init(&sha);
	for (i = 0; i < img->nr; i++) {
		const struct xen_lu_segment *s = &img->seg[i];
		__le32 w[2] = { cpu_to_le32(s->kind), cpu_to_le32(s->index) };
		__le64 q[3] = { cpu_to_le64(s->dest), cpu_to_le64(s->dest_size),
				cpu_to_le64(s->buf_size) };

		sha256_update(&sha, (const u8 *)w, sizeof(w));
		sha256_update(&sha, (const u8 *)q, sizeof(q));
		if (s->buf_size)
			sha256_update(&sha, img->buf[i], s->buf_size);
	}
	sha256_final(&sha, img->sha256);
}

/**
 * xen_lu_image_load() - load an image into its kexec slot
 * @img: an image whose buffers are kernel copies
 * @extra: what the records handover changes (handover.c), or NULL to load
 *	@img exactly as staged
 *
 * The hypervisor replaces the slot's image only when it accepts all of the
 * new one.
 *
 * Return: 0, or the hypervisor's negative errno.
 */
int xen_lu_image_load(const struct xen_lu_image *img,
		      const struct xen_lu_image_extra *extra)
{
	struct xen_kexec_segment segs[XEN_LU_MAX_SEGMENTS + 1];
	unsigned int i, nr = img->nr;

	for (i = 0; i < img->nr; i++) {
		segs[i] = (struct xen_kexec_segment){
			.buf.h = img->buf[i],
			.buf_size = img->seg[i].buf_size,
			.dest_maddr = img->seg[i].dest,
			.dest_size = img->seg[i].dest_size,
		};
	}
	if (extra) {
		segs[img->mbi].buf.h = extra->mbi;
		segs[img->mbi].buf_size = extra->mbi_size;
		segs[nr++] = (struct xen_kexec_segment){
			.buf.h = extra->data,
			.buf_size = extra->len,
			.dest_maddr = extra->dest,
			.dest_size = extra->dest_size,
		};
	}
	return xen_lu_hv_kexec_load(xen_lu_kexec_type(img->type), segs, nr,
				    img->entry);
}

/* What GET_INFO reports of the image just loaded. */
static void xen_lu_image_record(const struct xen_lu_image *img,
				const struct xen_lu_range *lu)
{
	struct xen_lu_staged *st = &xen_lu_dev.staged;
	unsigned int i;

	memset(st, 0, sizeof(*st));
	st->type = img->type;
	st->nr = img->nr;
	for (i = 0; i < img->nr; i++) {
		st->seg[i] = img->seg[i];
		st->seg[i].buf = 0;
	}
	st->entry = img->entry;
	st->xen_entry = img->xen_entry;
	st->bytes = img->bytes;
	st->time_ns = ktime_get_real_ns();
	memcpy(st->sha256, img->sha256, sizeof(st->sha256));
	strscpy(st->cmdline, img->cmdline, sizeof(st->cmdline));
	if (img->type == XEN_LU_IMAGE_LIVE_UPDATE)
		st->lu = *lu;
	xen_lu_dev.state = XEN_LU_STATE_STAGED;
}

/**
 * xen_lu_image_stage_locked() - load a checked image as the staged one
 * @imgp: the image; on success a live-update image is kept as
 *	xen_lu_dev.image (PREPARE reloads it with dom0's records) and
 *	*@imgp set to NULL
 * @lu: the live-update range the image was checked against
 *
 * The image was copied in and digested (xen_lu_image_digest()).  Called
 * with xen_lu_dev.lock held, once nothing stands in the way.
 *
 * Return: 0, or the hypervisor's negative errno; nothing changed then.
 */
int xen_lu_image_stage_locked(struct xen_lu_image **imgp,
			      const struct xen_lu_range *lu)
{
	struct xen_lu_image *img = *imgp;
	int rc;

	lockdep_assert_held(&xen_lu_dev.lock);
	rc = xen_lu_image_load(img, NULL);
	if (rc) {
		pr_notice("hypervisor refused the %s image: %pe\n",
			  xen_lu_image_type_name(img->type), ERR_PTR(rc));
		return rc;
	}
	xen_lu_image_record(img, lu);
	xen_lu_image_free(xen_lu_dev.image);
	xen_lu_dev.image = NULL;
	if (img->type == XEN_LU_IMAGE_LIVE_UPDATE) {
		xen_lu_dev.image = img;
		*imgp = NULL;
	}
	pr_info("staged %s image: %u segments, %llu bytes, entry %#llx, sha256 %*phN\n",
		xen_lu_image_type_name(img->type), img->nr, img->bytes,
		img->entry, SHA256_DIGEST_SIZE, img->sha256);
	if (img->type == XEN_LU_IMAGE_COLD)
		pr_warn("COLD image staged: executing it reboots the hypervisor and every domain is lost\n");
	return 0;
}

/**
 * xen_lu_image_unload_locked() - empty the hypervisor's slot, then forget
 *
 * Called with xen_lu_dev.lock held and an image staged.
 *
 * Return: 0, or the hypervisor's negative errno; nothing changed then.
 */
int xen_lu_image_unload_locked(void)
{
	int rc;

	lockdep_assert_held(&xen_lu_dev.lock);
	rc = xen_lu_hv_kexec_unload(xen_lu_kexec_type(xen_lu_dev.staged.type));
	if (rc) {
		pr_notice("hypervisor refused to unload the staged image: %pe\n",
			  ERR_PTR(rc));
		return rc;
	}
	pr_info("unstaged the %s image\n",
		xen_lu_image_type_name(xen_lu_dev.staged.type));
	xen_lu_image_forget_locked();
	return 0;
}

/**
 * xen_lu_image_forget_locked() - forget the staged image
 *
 * Called with xen_lu_dev.lock held, once the hypervisor's slot is empty
 * (unloaded, or consumed by the exec).
 */
void xen_lu_image_forget_locked(void)
{
	lockdep_assert_held(&xen_lu_dev.lock);
	memset(&xen_lu_dev.staged, 0, sizeof(xen_lu_dev.staged));
	xen_lu_image_free(xen_lu_dev.image);
	xen_lu_dev.image = NULL;
	xen_lu_dev.state = XEN_LU_STATE_IDLE;
}
