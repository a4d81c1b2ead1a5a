/* SPDX-License-Identifier: ((GPL-2.0-only WITH Linux-syscall-note) OR MIT) */
/*
 * The kexec image of xen#2 that XEN_LU_IOCTL_STAGE accepts: what the
 * image builder in user space (libluimage) and the module's checks share.
 * The kinds of segment and their limits, the multiboot2 hand-off, the
 * purgatory's exact bytes and the rules of the brokered command line.
 *
 * The ioctl that carries an image (struct xen_lu_stage, struct
 * xen_lu_segment) is in include/uapi/xen/liveupdate.h; where each segment
 * goes is in Documentation/userspace-api/xen-liveupdate-image.rst.
 */
#ifndef _UAPI_XEN_LIVEUPDATE_IMAGE_H
#define _UAPI_XEN_LIVEUPDATE_IMAGE_H

/* The multiboot2 values of an image, XEN_LU_MB2_BOOTLOADER_MAGIC among them. */
#include <xen/liveupdate-mb2.h>

/**
 * enum xen_lu_segment_kind - what a staged segment holds
 * @XEN_LU_SEG_XEN: a PT_LOAD of xen#2, at its relocated address.
 * @XEN_LU_SEG_PURGATORY: the purgatory, exactly as "Purgatory" describes.
 * @XEN_LU_SEG_MBI: the multiboot2 boot information.
 * @XEN_LU_SEG_MODULE: a multiboot2 module (dom0 kernel, initrd, ...).
 * @XEN_LU_SEG_LOW_FILL: no buffer; maps a gap below 1 MiB (kexec-tools
 *	does the same, since Xen identity-maps only the loaded segments).
 */
enum xen_lu_segment_kind {
	XEN_LU_SEG_XEN = 0,
	XEN_LU_SEG_PURGATORY = 1,
	XEN_LU_SEG_MBI = 2,
	XEN_LU_SEG_MODULE = 3,
	XEN_LU_SEG_LOW_FILL = 4,
};

/* Xen: nr_segments < KEXEC_SEGMENT_MAX (16). */
#define XEN_LU_MAX_SEGMENTS	15
/* Modules in one image. */
#define XEN_LU_MAX_MODULES	8
/* Sum of all buf_size of one image. */
#define XEN_LU_MAX_IMAGE_BYTES	(1ULL << 30)
/*
 * xen#2's whole command line (the MBI's, image name included) is at most
 * XEN_LU_CMDLINE_MAX - 1 bytes: Xen's saved copy (xen_commandline_t, NUL
 * included) never cuts it.  The one length rule of the module and lu-ctl.
 */
#define XEN_LU_CMDLINE_MAX	1024

/**
 * DOC: Purgatory
 *
 * Xen enters a 32-bit (EM_386) kexec image in protected mode, paging off,
 * flat segments, with no register defined.  Multiboot2 wants %eax holding
 * %XEN_LU_MB2_BOOTLOADER_MAGIC and %ebx the MBI's address.  The purgatory
 * segment is exactly these 20 bytes, zero-padded to its buf_size::
 *
 *	fa			cli
 *	fc			cld
 *	b8 89 62 d7 36		mov  $0x36d76289, %eax
 *	bb <mbi, le32>		mov  $mbi, %ebx
 *	b9 <entry, le32>	mov  $xen_entry, %ecx
 *	ff e1			jmp  *%ecx
 *	f4			hlt  (never reached)
 *
 * and the image entry point is the purgatory's destination.  The module
 * rebuilds these bytes from the MBI segment's address and @xen_entry and
 * refuses any other purgatory (EINVAL): what the hypervisor jumps to is
 * known to the kernel, not only to user space.
 */
#define XEN_LU_PURGATORY_SIZE	20

/**
 * DOC: Brokered command line
 *
 * The MBI must hold exactly one command-line tag.  For a live-update image
 * its last word must be ``liveupdate=<MiB>M@0x<start>``, formatted as
 * kexec-tools formats it, with the range the hypervisor reports at the time
 * of the stage (MiB = (size - 1) / 1 MiB + 1, start in lower-case hex), and
 * no other word may start with ``liveupdate=`` or be ``no-liveupdate``.  A
 * cold image's line must have neither.  No word may be ``--`` (what
 * follows it goes to dom0, not to Xen) and double quotes must be balanced
 * (Xen's parser joins a quoted span into one word), so the last word is
 * one of Xen's own.  Anything else is refused with
 * EINVAL: the range in xen#2's command line is the one the hypervisor owns,
 * whatever user space believed.
 */

#endif /* _UAPI_XEN_LIVEUPDATE_IMAGE_H */
