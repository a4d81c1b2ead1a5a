// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_LU_IOCTL_STAGE and XEN_LU_IOCTL_UNSTAGE: the image broker.
 *
 * User space builds xen#2's kexec image; the module copies every byte into
 * kernel memory, checks the copy (image-check.c, mbi.c, lockdown.c) against
 * what the hypervisor reports at that moment, and only then hands it to
 * KEXEC_CMD_kexec_load.  The copy stays mapped for the whole hypercall,
 * since Xen reads it page by page through dom0's page tables, and is freed
 * right after: Xen keeps its own.
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

#include "handover.h"
#include "image.h"
#include "liveupdate.h"
#include "xen-kexec.h"

#define XEN_LU_STAGE_FLAGS	(XEN_LU_STAGE_COLD | XEN_LU_STAGE_REPLACE)

u8 xen_lu_kexec_type(u32 type)
{
	return type == XEN_LU_IMAGE_COLD ? KEXEC_TYPE_DEFAULT :
					   KEXEC_TYPE_LIVE_UPDATE;
}

static const char *xen_lu_image_type_name(u32 type)
{
	return type == XEN_LU_IMAGE_COLD ? "cold" : "live-update";
}

void xen_lu_image_free(struct xen_lu_image *img)
{
	unsigned int i;

	if (!img)
		return;
	for (i = 0; i < img->nr; i++)
		kvfree(img->buf[i]);
	kfree(img);
}

/* Arguments and the segment table: nothing here asks the hypervisor. */
static int xen_lu_stage_table(const struct xen_lu_stage *arg,
			      struct xen_lu_image *img)
{
	if (arg->flags & ~XEN_LU_STAGE_FLAGS)
		return xen_lu_broke(img, XEN_LU_RULE_FLAGS, XEN_LU_NO_SEGMENT,
				    -EINVAL);
	img->type = arg->flags & XEN_LU_STAGE_COLD ? XEN_LU_IMAGE_COLD :
						     XEN_LU_IMAGE_LIVE_UPDATE;
	img->entry = arg->entry;
	img->xen_entry = arg->xen_entry;
	if (!arg->nr_segments || arg->nr_segments > XEN_LU_MAX_SEGMENTS)
		return xen_lu_broke(img, XEN_LU_RULE_NR_SEGMENTS,
				    XEN_LU_NO_SEGMENT,
				    arg->nr_segments ? -E2BIG : -EINVAL);
	img->nr = arg->nr_segments;
	if (copy_from_user(img->seg, u64_to_user_ptr(arg->segments),
			   array_size(img->nr, sizeof(img->seg[0]))))
		return -EFAULT;
	return xen_lu_image_check_table(img);
}

/*
 * Called with xen_lu_dev.lock held: an image is staged and the caller did
 * not ask to replace it, or asked to replace one of the other type (which
 * may live in another kexec slot: unstage it first).
 */
static int xen_lu_stage_conflict(u32 flags, u32 type)
{
	lockdep_assert_held(&xen_lu_dev.lock);
	if (xen_lu_dev.state == XEN_LU_STATE_IDLE)
		return 0;
	if (xen_lu_dev.state != XEN_LU_STATE_STAGED)
		return -EBUSY;
	if (!(flags & XEN_LU_STAGE_REPLACE) || xen_lu_dev.staged.type != type)
		return -EEXIST;
	return 0;
}

static int xen_lu_stage_exists(u32 flags, u32 type)
{
	int rc;

	rc = mutex_lock_killable(&xen_lu_dev.lock);
	if (rc)
		return rc;
	rc = xen_lu_stage_conflict(flags, type);
	mutex_unlock(&xen_lu_dev.lock);
	return rc;
}

static int xen_lu_stage_layout(const struct xen_lu_image *img,
			       struct xen_lu_layout *layout)
{
	int rc;

	rc = xen_lu_hv_get_range(KEXEC_RANGE_MA_XEN, &layout->ma_xen);
	if (rc)
		return rc;
	if (img->type == XEN_LU_IMAGE_COLD)
		return xen_lu_hv_memory_map(&layout->map, &layout->nr_map);

	rc = xen_lu_hv_get_range(KEXEC_RANGE_MA_LIVEUPDATE, &layout->lu);
	if (rc || !layout->lu.size) {
		pr_notice("live-update stage refused: the hypervisor has no live-update range (%pe)\n",
			  ERR_PTR(rc ?: -ENOSPC));
		return -EOPNOTSUPP;
	}
	return 0;
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

static int xen_lu_stage_copy(struct xen_lu_image *img)
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

/* The UAPI "Image digest", over the kernel's copy. */
static void xen_lu_stage_digest(struct xen_lu_image *img)
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

static void xen_lu_stage_record(const struct xen_lu_image *img,
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

/*
 * On success a live-update image is kept (*@imgp is then NULL): PREPARE
 * reloads it with dom0's records.
 */
static int xen_lu_stage_load(struct xen_lu_image **imgp, u32 flags,
			     const struct xen_lu_layout *layout)
{
	struct xen_lu_image *img = *imgp;
	struct xen_kexec_segment *segs;
	int rc;

	segs = kcalloc(img->nr, sizeof(*segs), GFP_KERNEL);
	if (!segs)
		return -ENOMEM;
	xen_lu_image_kexec_segments(img, segs);
	xen_lu_stage_digest(img);

	rc = mutex_lock_killable(&xen_lu_dev.lock);
	if (rc)
		goto out;
	rc = xen_lu_stage_conflict(flags, img->type);
	if (rc)
		goto unlock;
	rc = xen_lu_hv_kexec_load(xen_lu_kexec_type(img->type), segs, img->nr,
				  img->entry);
	if (rc) {
		pr_notice("hypervisor refused the %s image: %pe\n",
			  xen_lu_image_type_name(img->type), ERR_PTR(rc));
		goto unlock;
	}
	xen_lu_stage_record(img, &layout->lu);
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
unlock:
	mutex_unlock(&xen_lu_dev.lock);
out:
	kfree(segs);
	return rc;
}

long xen_lu_ioctl_stage(struct file *file, struct xen_lu_ucmd *ucmd)
{
	struct xen_lu_stage *arg = ucmd->cmd;
	struct xen_lu_layout layout = {};
	struct xen_lu_image *img;
	int rc;

	img = kzalloc(sizeof(*img), GFP_KERNEL);
	if (!img)
		return -ENOMEM;
	img->bad_seg = XEN_LU_NO_SEGMENT;

	rc = xen_lu_stage_table(arg, img);
	if (!rc)
		rc = xen_lu_lockdown_gate(img, arg);
	if (!rc)
		rc = xen_lu_stage_exists(arg->flags, img->type);
	if (!rc)
		rc = xen_lu_stage_layout(img, &layout);
	if (!rc)
		rc = xen_lu_image_check_layout(img, &layout);
	if (!rc)
		rc = xen_lu_stage_copy(img);
	if (!rc)
		rc = xen_lu_image_check_purgatory(img);
	if (!rc)
		rc = xen_lu_mbi_check(img, &layout);
	if (!rc)
		rc = xen_lu_signature_check(img, arg);
	if (!rc)
		rc = xen_lu_stage_load(&img, arg->flags, &layout);

	arg->out_rule = img ? img->rule : XEN_LU_RULE_NONE;
	arg->out_segment = img ? img->bad_seg : XEN_LU_NO_SEGMENT;
	/* Staged is staged: a failed copy of the outputs does not undo it. */
	if (xen_lu_ucmd_respond(ucmd, sizeof(*arg)) && !rc)
		pr_notice("image staged, but STAGE's outputs could not be copied back\n");
	kfree(layout.map);
	xen_lu_image_free(img);
	return rc;
}

/* Called with xen_lu_dev.lock held. */
static int xen_lu_unstage_locked(void)
{
	int rc;

	rc = xen_lu_hv_kexec_unload(xen_lu_kexec_type(xen_lu_dev.staged.type));
	if (rc) {
		pr_notice("hypervisor refused to unload the staged image: %pe\n",
			  ERR_PTR(rc));
		return rc;
	}
	pr_info("unstaged the %s image\n",
		xen_lu_image_type_name(xen_lu_dev.staged.type));
	xen_lu_unstaged_locked();
	return 0;
}

/**
 * xen_lu_unstaged_locked() - forget the staged image
 *
 * Called with xen_lu_dev.lock held, once the hypervisor's slot is empty
 * (unloaded, or consumed by the exec).
 */
void xen_lu_unstaged_locked(void)
{
	lockdep_assert_held(&xen_lu_dev.lock);
	memset(&xen_lu_dev.staged, 0, sizeof(xen_lu_dev.staged));
	xen_lu_image_free(xen_lu_dev.image);
	xen_lu_dev.image = NULL;
	xen_lu_dev.state = XEN_LU_STATE_IDLE;
}

long xen_lu_ioctl_unstage(struct file *file, struct xen_lu_ucmd *ucmd)
{
	int rc;

	rc = mutex_lock_killable(&xen_lu_dev.lock);
	if (rc)
		return rc;
	if (xen_lu_dev.state == XEN_LU_STATE_STAGED)
		rc = xen_lu_unstage_locked();
	else
		rc = xen_lu_state_errno(XEN_LU_STATE_STAGED, XEN_LU_STATE_IDLE);
	mutex_unlock(&xen_lu_dev.lock);
	return rc;
}

/**
 * xen_lu_unstage_on_exit() - module unload: leave no image behind
 *
 * An image staged through this module must not outlive it, or the next
 * exec would run something nobody can see or unstage any more.
 */
void xen_lu_unstage_on_exit(void)
{
	mutex_lock(&xen_lu_dev.lock);
	if (xen_lu_dev.state == XEN_LU_STATE_PREPARED ||
	    xen_lu_dev.state == XEN_LU_STATE_COMMITTED) {
		pr_notice("module unloaded with an update %s: cancelled\n",
			  xen_lu_dev.state == XEN_LU_STATE_PREPARED ?
			  "prepared" : "committed but not finished");
		xen_lu_update_end(false);
	}
	if (xen_lu_dev.state != XEN_LU_STATE_IDLE &&
	    xen_lu_unstage_locked())
		pr_err("module unloaded with an image still staged in the hypervisor\n");
	xen_lu_unstaged_locked();
	mutex_unlock(&xen_lu_dev.lock);
}
