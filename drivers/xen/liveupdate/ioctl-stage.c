// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_LU_IOCTL_STAGE and XEN_LU_IOCTL_UNSTAGE: the image broker.
 *
 * User space builds xen#2's kexec image; the module copies every byte into
 * kernel memory (image.c), checks the copy (image-check.c, mbi.c,
 * lockdown.c) against what the hypervisor reports at that moment, and only
 * then loads it into the hypervisor's kexec slot (image.c).
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "image.h"
#include "liveupdate.h"

#define XEN_LU_STAGE_FLAGS	(XEN_LU_STAGE_COLD | XEN_LU_STAGE_REPLACE)

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

/* Load @img unless another image got in the way since the first check. */
static int xen_lu_stage_load(struct xen_lu_image **imgp, u32 flags,
			     const struct xen_lu_layout *layout)
{
	int rc;

	xen_lu_image_digest(*imgp);
	rc = mutex_lock_killable(&xen_lu_dev.lock);
	if (rc)
		return rc;
	rc = xen_lu_stage_conflict(flags, (*imgp)->type);
	if (!rc)
		rc = xen_lu_image_stage_locked(imgp, &layout->lu);
	mutex_unlock(&xen_lu_dev.lock);
	return rc;
}

long xen_lu_ioctl_stage(struct file *file, struct xen_lu_ucmd *ucmd)
{
	struct xen_lu_stage *arg = ucmd->cmd;
	struct xen_lu_layout layout = {};
	struct xen_lu_image *img;
	int rc;

	img = xen_lu_image_alloc();
	if (!img)
		return -ENOMEM;

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
		rc = xen_lu_image_copy_in(img);
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

long xen_lu_ioctl_unstage(struct file *file, struct xen_lu_ucmd *ucmd)
{
	int rc;

	rc = mutex_lock_killable(&xen_lu_dev.lock);
	if (rc)
		return rc;
	if (xen_lu_dev.state == XEN_LU_STATE_STAGED)
		rc = xen_lu_image_unload_locked();
	else
		rc = xen_lu_state_errno(XEN_LU_STATE_STAGED, XEN_LU_STATE_IDLE);
	mutex_unlock(&xen_lu_dev.lock);
	return rc;
}
