/* SPDX-License-Identifier: ((GPL-2.0-only WITH Linux-syscall-note) OR MIT) */
/*
 * Interface to /dev/xen/liveupdate: the dom0 side of Xen hypervisor live
 * update.
 *
 * A live update kexecs from the running Xen (xen#1) into a new Xen (xen#2)
 * while every domain, dom0 included, keeps its memory.  This device lets a
 * privileged dom0 process query the hypervisor's live-update capability,
 * and (in later ABI revisions) stage xen#2, hand over dom0's records,
 * commit and verify.
 */
#ifndef _UAPI_XEN_LIVEUPDATE_H
#define _UAPI_XEN_LIVEUPDATE_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * DOC: General ioctl format
 *
 * Every ioctl takes a pointer to a structure whose first __u32 is the size
 * of that structure as user space knows it.  The kernel zero-extends a
 * shorter structure from older user space, rejects a structure shorter than
 * the last field the command needs with EINVAL, and rejects non-zero bytes
 * beyond what it understands with E2BIG.  On return the kernel copies back
 * no more than the size user space gave.  Fields prefixed ``out_`` are
 * outputs; everything else is input.
 *
 * Common errno values:
 *
 *  - ENOTTY: the ioctl number is not known.
 *  - EFAULT: the argument pointer cannot be read or written.
 *  - EINVAL: the size is too small, a flag is unknown or a reserved field is
 *    not zero.
 *  - E2BIG: the structure has non-zero bytes past what the kernel knows.
 *  - EPERM: the caller lacks CAP_SYS_ADMIN (checked at open).
 *  - EBUSY: another file already holds the device open for writing.
 *  - ENOMEM: out of memory.
 */

/**
 * DOC: Exclusivity
 *
 * Any number of processes may open the device read-only and issue
 * %XEN_LU_IOCTL_GET_INFO.  At most one file may hold it open for writing:
 * that file is the live-update *controller*, and a second open for writing
 * fails with EBUSY until the controller's file is released.
 */

#define XEN_LU_IOCTL_TYPE	0xB9

/* The version of this ABI; bumped when a command or field is added. */
#define XEN_LU_ABI_VERSION	1

enum {
	XEN_LU_CMD_BASE = 0x00,
	XEN_LU_CMD_GET_INFO = XEN_LU_CMD_BASE,
};

/**
 * enum xen_lu_state - where the device is in the live-update sequence
 * @XEN_LU_STATE_IDLE: nothing staged; the hypervisor is as it booted.
 */
enum xen_lu_state {
	XEN_LU_STATE_IDLE = 0,
};

/* Lengths of the hypervisor identity strings (Xen's public version.h). */
#define XEN_LU_EXTRAVERSION_LEN	16
#define XEN_LU_CHANGESET_LEN	64
#define XEN_LU_BUILD_ID_MAX	64

/* For xen_lu_info::out_flags */
/* get_range(KEXEC_RANGE_MA_LIVEUPDATE) returned a non-empty range. */
#define XEN_LU_INFO_LIVE_UPDATE		(1U << 0)
/* get_range(KEXEC_RANGE_MA_CRASH) returned a non-empty range. */
#define XEN_LU_INFO_CRASH_RANGE		(1U << 1)
/* XENVER_build_id returned a build id (out_build_id_len > 0). */
#define XEN_LU_INFO_BUILD_ID		(1U << 2)

/**
 * struct xen_lu_info - ioctl(XEN_LU_IOCTL_GET_INFO)
 * @size: Input; sizeof(struct xen_lu_info).
 * @flags: Input; must be 0.
 * @out_abi_version: Output; %XEN_LU_ABI_VERSION of the running module.
 * @out_state: Output; an enum xen_lu_state.
 * @out_flags: Output; %XEN_LU_INFO_* bits.
 * @out_xen_major: Output; hypervisor major version (XENVER_version).
 * @out_xen_minor: Output; hypervisor minor version (XENVER_version).
 * @out_xen_extraversion: Output; NUL-terminated XENVER_extraversion,
 *	e.g. ".7" or "-rc".
 * @out_xen_changeset: Output; NUL-terminated XENVER_changeset.
 * @out_build_id_len: Output; number of valid bytes in @out_build_id, 0 when
 *	the hypervisor has no build id.
 * @out_build_id_errno: Output; positive errno of XENVER_build_id when
 *	@out_build_id_len is 0, else 0.
 * @out_build_id: Output; the raw build id (XENVER_build_id).
 * @out_xen_start: Output; machine address of Xen itself
 *	(get_range KEXEC_RANGE_MA_XEN).
 * @out_xen_size: Output; size of that range in bytes.
 * @out_crash_start: Output; machine address of the crash kernel area
 *	(get_range KEXEC_RANGE_MA_CRASH), 0 when none is reserved.
 * @out_crash_size: Output; size of the crash area, 0 when none.
 * @out_lu_start: Output; machine address of the live-update boot memory
 *	(get_range KEXEC_RANGE_MA_LIVEUPDATE), 0 when unsupported.
 * @out_lu_size: Output; its size, 0 when unsupported.
 * @out_lu_errno: Output; 0 when the hypervisor supports live update,
 *	otherwise the positive errno that explains why not: the errno of
 *	get_range(KEXEC_RANGE_MA_LIVEUPDATE) (EINVAL: the hypervisor does not
 *	know the range, i.e. has no live update) or ENOSPC when it answered
 *	with an empty range (live update compiled in, no boot memory
 *	reserved with ``liveupdate=``).
 * @out_crash_errno: Output; positive errno of get_range(KEXEC_RANGE_MA_CRASH),
 *	0 on success.
 *
 * Every value comes from a hypercall made during this ioctl; nothing is
 * cached, so the answer is the hypervisor's own at the time of the call.
 *
 * Return: 0 on success, -1 with errno set otherwise (see the general
 * ioctl format).
 */
struct xen_lu_info {
	__u32 size;
	__u32 flags;
	__u32 out_abi_version;
	__u32 out_state;
	__u32 out_flags;
	__u32 out_xen_major;
	__u32 out_xen_minor;
	__u32 out_build_id_len;
	char out_xen_extraversion[XEN_LU_EXTRAVERSION_LEN];
	char out_xen_changeset[XEN_LU_CHANGESET_LEN];
	__u8 out_build_id[XEN_LU_BUILD_ID_MAX];
	__u32 out_build_id_errno;
	__u32 out_lu_errno;
	__aligned_u64 out_xen_start;
	__aligned_u64 out_xen_size;
	__aligned_u64 out_crash_start;
	__aligned_u64 out_crash_size;
	__aligned_u64 out_lu_start;
	__aligned_u64 out_lu_size;
	__u32 out_crash_errno;
	__u32 __reserved;
};

#define XEN_LU_IOCTL_GET_INFO	_IO(XEN_LU_IOCTL_TYPE, XEN_LU_CMD_GET_INFO)

#endif /* _UAPI_XEN_LIVEUPDATE_H */
