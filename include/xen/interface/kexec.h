/* SPDX-License-Identifier: MIT */
/*
 * kexec.h
 *
 * The kexec hypercall of Xen's public interface (Xen's
 * xen/include/public/kexec.h, interface version 0x00040400 and later),
 * as far as Linux uses it: executing, loading and unloading an image,
 * and the machine address ranges Xen reports.  Linux makes the hypercall
 * with HYPERVISOR_kexec_op(cmd, arg).
 */

#ifndef __XEN_PUBLIC_KEXEC_H__
#define __XEN_PUBLIC_KEXEC_H__

#include <xen/interface/xen.h>

/* Image types: the slot an image is loaded into. */
#define KEXEC_TYPE_DEFAULT		0
#define KEXEC_TYPE_CRASH		1

/*
 * Execute the image loaded as @type.  Unlike every other command's, the
 * type is an int.
 */
#define KEXEC_CMD_kexec			0
struct xen_kexec_exec {
	int type;
};

/* Machine address ranges of KEXEC_CMD_kexec_get_range. */
#define KEXEC_RANGE_MA_CRASH		0	/* the crash area */
#define KEXEC_RANGE_MA_XEN		1	/* Xen itself */
#define KEXEC_RANGE_MA_CPU		2	/* one physical CPU's note */
#define KEXEC_RANGE_MA_VMCOREINFO	6	/* vmcoreinfo */

/*
 * Where a range is: @range and @nr (the physical CPU of
 * KEXEC_RANGE_MA_CPU) in, @size and @start (a machine address) out.
 */
#define KEXEC_CMD_kexec_get_range	3
struct xen_kexec_range {
	int range;
	int nr;
	unsigned long size;
	unsigned long start;
};

__DEFINE_GUEST_HANDLE(const_void, const void);

/*
 * One piece of an image: @buf_size bytes at @buf (none when @buf is
 * NULL) loaded at machine address @dest_maddr, the rest of @dest_size
 * zeroed.
 */
struct xen_kexec_segment {
	union {
		GUEST_HANDLE(const_void) h;
		uint64_t _pad;
	} buf;
	uint64_t buf_size;
	uint64_t dest_maddr;
	uint64_t dest_size;
};

DEFINE_GUEST_HANDLE_STRUCT(xen_kexec_segment);

/* Xen refuses a load of this many segments or more. */
#define KEXEC_SEGMENT_MAX		16

/*
 * Load an image of @nr_segments segments into @type's slot; Xen enters
 * it at @entry_maddr in the mode of ELF machine @arch (EM_*).  The slot's
 * image is replaced only when the whole new one is accepted.
 */
#define KEXEC_CMD_kexec_load		4
struct xen_kexec_load {
	uint8_t type;
	uint8_t _pad;
	uint16_t arch;
	uint32_t nr_segments;
	union {
		GUEST_HANDLE(xen_kexec_segment) h;
		uint64_t _pad;
	} segments;
	uint64_t entry_maddr;
};

/* Empty @type's slot. */
#define KEXEC_CMD_kexec_unload		5
struct xen_kexec_unload {
	uint8_t type;
};

/* Whether @type's slot holds an image: 1 it does, 0 it does not. */
#define KEXEC_CMD_kexec_status		6
struct xen_kexec_status {
	uint8_t type;
};

#endif /* __XEN_PUBLIC_KEXEC_H__ */
