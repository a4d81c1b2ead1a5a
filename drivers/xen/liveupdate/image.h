/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A kexec image on its way to the hypervisor: the kernel's copy of what user
 * space asked to stage, and the checks that run on it before Xen sees it.
 */
#ifndef _XEN_LIVEUPDATE_IMAGE_H
#define _XEN_LIVEUPDATE_IMAGE_H

#include <linux/types.h>

#include <crypto/sha2.h>
#include <xen/liveupdate.h>

#include "hypervisor.h"

#define XEN_LU_PAGE_SIZE	4096ULL
#define XEN_LU_BREADCRUMB_SIZE	XEN_LU_PAGE_SIZE
#define XEN_LU_LOW_FILL_END	0x100000ULL

/**
 * struct xen_lu_image - one image being staged
 * @type: an enum xen_lu_image_type.
 * @nr: segments in @seg.
 * @seg: user space's descriptors; @seg[i].buf is still a user pointer.
 * @buf: kernel copies of the buffers (NULL for low fills).
 * @entry: the purgatory's destination.
 * @xen_entry: xen#2's multiboot2 entry.
 * @bytes: sum of every buf_size.
 * @mbi: index of the MBI segment in @seg.
 * @purgatory: index of the purgatory segment in @seg.
 * @cmdline: xen#2's command line, from the MBI.
 * @sha256: the image digest (UAPI "Image digest").
 * @rule: the enum xen_lu_stage_rule broken, for user space.
 * @bad_seg: the segment that broke it, or %XEN_LU_NO_SEGMENT.
 */
struct xen_lu_image {
	u32 type;
	unsigned int nr;
	struct xen_lu_segment seg[XEN_LU_MAX_SEGMENTS];
	void *buf[XEN_LU_MAX_SEGMENTS];
	u64 entry;
	u64 xen_entry;
	u64 bytes;
	unsigned int mbi;
	unsigned int purgatory;
	char cmdline[XEN_LU_CMDLINE_MAX];
	u8 sha256[SHA256_DIGEST_SIZE];
	u32 rule;
	u32 bad_seg;
};

/**
 * struct xen_lu_layout - where the hypervisor lets an image go
 * @ma_xen: KEXEC_RANGE_MA_XEN: xen#1, which xen#2 replaces on live update.
 * @lu: KEXEC_RANGE_MA_LIVEUPDATE (live update only).
 * @map: the machine memory map (cold only), @nr_map entries.
 */
struct xen_lu_layout {
	struct xen_lu_range ma_xen;
	struct xen_lu_range lu;
	struct xen_lu_mem_entry *map;
	unsigned int nr_map;
};

/* Record which rule @img broke; returns @err for "return xen_lu_broke()". */
int xen_lu_broke(struct xen_lu_image *img, u32 rule, u32 seg, int err);

int xen_lu_image_check_table(struct xen_lu_image *img);
int xen_lu_image_check_layout(struct xen_lu_image *img,
			      const struct xen_lu_layout *layout);
int xen_lu_image_check_purgatory(struct xen_lu_image *img);

int xen_lu_mbi_check(struct xen_lu_image *img,
		     const struct xen_lu_layout *layout);

int xen_lu_lockdown_gate(struct xen_lu_image *img,
			 const struct xen_lu_stage *arg);
int xen_lu_signature_check(struct xen_lu_image *img,
			   const struct xen_lu_stage *arg);

/**
 * struct xen_lu_image_extra - what the records handover changes in a load
 * @mbi: the MBI to load instead of the image's (its segment keeps its
 *	destination).
 * @mbi_size: its bytes.
 * @data: one more segment after the image's: the records module.
 * @len: its bytes.
 * @dest: its machine address.
 * @dest_size: the room it is given there.
 */
struct xen_lu_image_extra {
	const void *mbi;
	u64 mbi_size;
	const void *data;
	u64 len;
	u64 dest;
	u64 dest_size;
};

struct xen_lu_image *xen_lu_image_alloc(void);
void xen_lu_image_free(struct xen_lu_image *img);
void *xen_lu_copy_in(u64 uptr, u64 len);
int xen_lu_image_copy_in(struct xen_lu_image *img);
void xen_lu_image_digest(struct xen_lu_image *img);
int xen_lu_image_load(const struct xen_lu_image *img,
		      const struct xen_lu_image_extra *extra);
int xen_lu_image_stage_locked(struct xen_lu_image **imgp,
			      const struct xen_lu_range *lu);
int xen_lu_image_unload_locked(void);
void xen_lu_image_forget_locked(void);

#endif /* _XEN_LIVEUPDATE_IMAGE_H */
