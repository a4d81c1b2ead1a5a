/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Xen kexec hypercall ABI (xen/include/public/kexec.h).
 *
 * Linux has no include/xen/interface/kexec.h and no kexec_op wrapper: pvops
 * leaves Xen kexec to user space.  These are the hypervisor's public
 * definitions, restated here with their sizes pinned, plus the live-update
 * values of the 2020 Xen live-update series that kexec-tools uses
 * (type 2, range 7).  Stock Xen answers both with -EINVAL.
 */
#ifndef _XEN_LIVEUPDATE_XEN_KEXEC_H
#define _XEN_LIVEUPDATE_XEN_KEXEC_H

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

#define KEXEC_CMD_kexec			0
#define KEXEC_CMD_kexec_get_range	3
#define KEXEC_CMD_kexec_load		4
#define KEXEC_CMD_kexec_unload		5
#define KEXEC_CMD_kexec_status		6

#define KEXEC_TYPE_DEFAULT		0
#define KEXEC_TYPE_CRASH		1
#define KEXEC_TYPE_LIVE_UPDATE		2

#define KEXEC_RANGE_MA_CRASH		0
#define KEXEC_RANGE_MA_XEN		1
#define KEXEC_RANGE_MA_CPU		2
#define KEXEC_RANGE_MA_VMCOREINFO	6
#define KEXEC_RANGE_MA_LIVEUPDATE	7

/*
 * Every structure below is checked against Xen's public/kexec.h (4.17 and
 * later, interface version 0x00040400 and up): size and each field's offset.
 * Xen copies sizeof() of its own definition from the guest, so a structure
 * smaller than Xen's makes Xen read bytes the module never set.
 */

/* KEXEC_CMD_kexec_get_range argument; 24 bytes on x86-64. */
struct xen_kexec_range {
	s32 range;		/* IN: KEXEC_RANGE_MA_* */
	s32 nr;			/* IN: pCPU number for KEXEC_RANGE_MA_CPU */
	unsigned long size;	/* OUT */
	unsigned long start;	/* OUT: machine address */
};

static_assert(sizeof(struct xen_kexec_range) == 24);
static_assert(offsetof(struct xen_kexec_range, nr) == 4);
static_assert(offsetof(struct xen_kexec_range, size) == 8);
static_assert(offsetof(struct xen_kexec_range, start) == 16);

/* Xen: load.nr_segments >= KEXEC_SEGMENT_MAX fails with -EINVAL. */
#define KEXEC_SEGMENT_MAX		16

/* One segment of KEXEC_CMD_kexec_load; 32 bytes. */
struct xen_kexec_segment {
	u64 buf;		/* guest virtual address, 0: nothing to copy */
	u64 buf_size;
	u64 dest_maddr;		/* page aligned */
	u64 dest_size;		/* dest_maddr + dest_size page aligned */
};

static_assert(sizeof(struct xen_kexec_segment) == 32);
static_assert(offsetof(struct xen_kexec_segment, buf_size) == 8);
static_assert(offsetof(struct xen_kexec_segment, dest_maddr) == 16);
static_assert(offsetof(struct xen_kexec_segment, dest_size) == 24);

/* KEXEC_CMD_kexec_load argument; 24 bytes. */
struct xen_kexec_load {
	u8 type;		/* KEXEC_TYPE_* */
	u8 _pad;
	u16 arch;		/* ELF machine: EM_386 enters in 32-bit mode */
	u32 nr_segments;
	u64 segments;		/* guest virtual address of the segment array */
	u64 entry_maddr;
};

static_assert(sizeof(struct xen_kexec_load) == 24);
static_assert(offsetof(struct xen_kexec_load, arch) == 2);
static_assert(offsetof(struct xen_kexec_load, nr_segments) == 4);
static_assert(offsetof(struct xen_kexec_load, segments) == 8);
static_assert(offsetof(struct xen_kexec_load, entry_maddr) == 16);

/*
 * KEXEC_CMD_kexec argument: Xen declares "int type", 4 bytes, unlike unload
 * and status below.  A one-byte structure here let Xen read three bytes of
 * the caller's stack as part of the type.
 */
struct xen_kexec_exec {
	s32 type;
};

static_assert(sizeof(struct xen_kexec_exec) == 4);

/* KEXEC_CMD_kexec_unload argument; 1 byte (uint8_t type). */
struct xen_kexec_unload {
	u8 type;
};

static_assert(sizeof(struct xen_kexec_unload) == 1);

/* KEXEC_CMD_kexec_status argument; 1 byte (uint8_t type). */
struct xen_kexec_status {
	u8 type;
};

static_assert(sizeof(struct xen_kexec_status) == 1);

#endif /* _XEN_LIVEUPDATE_XEN_KEXEC_H */
