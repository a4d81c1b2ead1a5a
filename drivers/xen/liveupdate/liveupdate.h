/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen_liveupdate internals shared between the device core and the ioctl
 * handlers.
 */
#ifndef _XEN_LIVEUPDATE_H
#define _XEN_LIVEUPDATE_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/uaccess.h>

#include <xen/liveupdate.h>

#include "hypervisor.h"
#include "records.h"

struct xen_lu_image;
struct xen_lu_tracker;

/*
 * Out of tree (make, DKMS), Kbuild defines XEN_LU_MODULE_VERSION from the
 * project's VERSION file.  In a kernel tree the module is the kernel's and
 * carries its release, as in-tree drivers do.
 */
#ifndef XEN_LU_MODULE_VERSION
#include <generated/utsrelease.h>
#define XEN_LU_MODULE_VERSION UTS_RELEASE
#endif

/**
 * struct xen_lu_staged - the image this module last loaded into Xen
 * @type: an enum xen_lu_image_type.
 * @nr: segments in @seg.
 * @seg: the segments, buf cleared.
 * @entry: the purgatory's machine address.
 * @xen_entry: xen#2's multiboot2 entry.
 * @bytes: sum of buf_size.
 * @time_ns: CLOCK_REALTIME of the stage.
 * @sha256: the UAPI "Image digest".
 * @cmdline: xen#2's command line.
 * @lu: the live-update range the command line brokered (live update only).
 */
struct xen_lu_staged {
	u32 type;
	unsigned int nr;
	struct xen_lu_segment seg[XEN_LU_MAX_SEGMENTS];
	u64 entry;
	u64 xen_entry;
	u64 bytes;
	u64 time_ns;
	u8 sha256[32];
	char cmdline[XEN_LU_CMDLINE_MAX];
	struct xen_lu_range lu;
};

/**
 * struct xen_lu_update - a live update from PREPARE on
 * @records: the records dump handed over to the hypervisor.
 * @sections: where its event-channel and participant records are.
 * @generation: its header's generation.
 * @records_dest: machine address of the records module.
 * @before: the hypervisor's identity at PREPARE.
 * @tracker: what changed since PREPARE (tracker.c).
 * @commit_result: enum xen_lu_commit_result of the last COMMIT, or 0.
 * @frozen: dom0's backends are frozen (freeze.c) and the participants
 *	parked.
 * @frozen_at: jiffies when they froze, for the watchdog.
 * @watchdog_thawed: the freeze watchdog thawed them.
 */
struct xen_lu_update {
	struct xen_lu_rec_buf records;
	struct xen_lu_rec_sections sections;
	u64 generation;
	u64 records_dest;
	struct xen_lu_identity before;
	struct xen_lu_tracker *tracker;
	u32 commit_result;
	bool frozen;
	unsigned long frozen_at;
	bool watchdog_thawed;
};

/**
 * struct xen_lu_device - the one live-update device of this dom0
 * @lock: see the comment on the field.
 * @controller: the file open for writing, or NULL; see "Exclusivity" in the
 *	UAPI header.
 * @state: an enum xen_lu_state.
 * @staged: valid when @state is not %XEN_LU_STATE_IDLE.
 * @image: the kernel's copy of a staged live-update image, kept to reload
 *	it with the records (UAPI "Records handover"); NULL otherwise.
 * @update: valid from %XEN_LU_STATE_PREPARED on.
 * @updates: updates finished since the module loaded.
 *
 * The hypercalls that change the hypervisor's kexec slot (load, unload) are
 * made with @lock held, so @state and @staged always say what the slot
 * holds, as far as this module put it there.  COMMIT moves the state to
 * %XEN_LU_STATE_COMMITTING under @lock and then runs the freeze and the
 * exec without it, so that readers (GET_INFO, COLLECT) are never held up
 * by a freeze; every state-changing command refuses COMMITTING.  COMMIT
 * only reads @update's records while unlocked; whatever it changes in
 * @update (the records, the generation, @frozen) it changes under @lock,
 * where every reader reads it.
 */
struct xen_lu_device {
	struct mutex lock;	/* protects every field below */
	struct file *controller;
	enum xen_lu_state state;
	struct xen_lu_staged staged;
	struct xen_lu_image *image;
	struct xen_lu_update update;
	u64 updates;
};

extern struct xen_lu_device xen_lu_dev;

/**
 * struct xen_lu_ucmd - one ioctl call, after its argument was copied in
 * @ubuffer: the user's argument pointer.
 * @user_size: the size user space put in the argument's first __u32.
 * @cmd: the kernel copy, zero-extended to the kernel's structure size.
 */
struct xen_lu_ucmd {
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
};

/**
 * xen_lu_ucmd_respond() - copy an ioctl's answer back to user space
 * @ucmd: the call
 * @kernel_size: size of the kernel's structure
 *
 * Copies the minimum of what user space provided and what the kernel has,
 * so older user space gets the prefix it knows.
 *
 * Return: 0 or -EFAULT.
 */
static inline int xen_lu_ucmd_respond(struct xen_lu_ucmd *ucmd,
				      size_t kernel_size)
{
	if (copy_to_user(ucmd->ubuffer, ucmd->cmd,
			 min_t(size_t, ucmd->user_size, kernel_size)))
		return -EFAULT;
	return 0;
}

long xen_lu_ioctl_get_info(struct file *file, struct xen_lu_ucmd *ucmd);
long xen_lu_ioctl_get_memory_map(struct file *file, struct xen_lu_ucmd *ucmd);
long xen_lu_ioctl_stage(struct file *file, struct xen_lu_ucmd *ucmd);
long xen_lu_ioctl_unstage(struct file *file, struct xen_lu_ucmd *ucmd);
long xen_lu_ioctl_collect(struct file *file, struct xen_lu_ucmd *ucmd);
long xen_lu_ioctl_prepare(struct file *file, struct xen_lu_ucmd *ucmd);
long xen_lu_ioctl_commit(struct file *file, struct xen_lu_ucmd *ucmd);
long xen_lu_ioctl_finish(struct file *file, struct xen_lu_ucmd *ucmd);
long xen_lu_ioctl_cancel(struct file *file, struct xen_lu_ucmd *ucmd);

int xen_lu_state_errno(enum xen_lu_state from, enum xen_lu_state to);
int xen_lu_update_freeze(void);
void xen_lu_update_thaw_locked(void);
void xen_lu_watchdog_arm(void);
void xen_lu_update_exit(void);
void xen_lu_update_end(bool finished);

#endif /* _XEN_LIVEUPDATE_H */
