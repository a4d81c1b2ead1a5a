// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated xen#1 at exec: the live update stream in real dom0 pages,
 * the MFN array of those pages, and the breadcrumb that points to it
 * (handover spec: "Breadcrumb", "Data Stream Overview").
 *
 * The stream: LU_VERSION, optionally the injected unknown mandatory record,
 * one LU_DOMAIN_INFO per real domain, dom0's records as its records module
 * carried them (without their END), one END, zero fill to the page.
 */

#define pr_fmt(fmt) "xen_lu_sim: SIMULATED: " fmt

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <asm/unaligned.h>
#include <asm/xen/page.h>

#include "sim.h"

/* Writing records into the stream's (vmapped) pages. */
struct sim_writer {
	u8 *p;
	size_t off;
};

static void sim_put(struct sim_writer *w, u32 type, const void *body,
		    u32 len)
{
	put_unaligned_le32(type, w->p + w->off);
	put_unaligned_le32(len, w->p + w->off + 4);
	w->off += SIM_REC_HDR_LEN;
	if (len)
		memcpy(w->p + w->off, body, len);
	/* The pages are zeroed: the padding already is. */
	w->off += ALIGN(len, 8);
}

static size_t sim_stream_len(const struct sim_stream_in *in)
{
	size_t len = SIM_REC_HDR_LEN + 8;	/* LU_VERSION */

	if (in->inject)
		len += SIM_REC_HDR_LEN;
	if (in->inject_libxc == SIM_LIBXC_TSC_BEFORE_DOMAINS ||
	    (in->inject_libxc && in->nr_dom))
		len += SIM_REC_HDR_LEN + SIM_LIBXC_TSC_INFO_LEN;
	len += (size_t)in->nr_dom *
	       (SIM_REC_HDR_LEN + sizeof(struct sim_lu_domain_info));
	len += in->dom0_len;
	return len + SIM_REC_HDR_LEN;		/* END */
}

void sim_stream_free(struct sim_stream *s)
{
	unsigned int i;

	if (s->pages) {
		for (i = 0; i < s->nr_pages; i++)
			if (s->pages[i])
				__free_page(s->pages[i]);
	}
	kfree(s->pages);
	if (s->mfn_array)
		__free_page(s->mfn_array);
	memset(s, 0, sizeof(*s));
}

/* Data pages and the MFN array page, all zeroed. */
static int sim_stream_alloc(struct sim_stream *s, size_t len)
{
	unsigned int i;
	__le64 *mfns;

	s->len = len;
	s->nr_pages = DIV_ROUND_UP(len, PAGE_SIZE);
	if (s->nr_pages > SIM_STREAM_MAX_PAGES) {
		pr_err("stream of %zu bytes needs %u pages; one MFN page holds %lu\n",
		       len, s->nr_pages, SIM_STREAM_MAX_PAGES);
		return -E2BIG;
	}
	s->pages = kcalloc(s->nr_pages, sizeof(*s->pages), GFP_KERNEL);
	s->mfn_array = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!s->pages || !s->mfn_array)
		return -ENOMEM;

	mfns = page_address(s->mfn_array);
	for (i = 0; i < s->nr_pages; i++) {
		s->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!s->pages[i])
			return -ENOMEM;
		mfns[i] = cpu_to_le64(pfn_to_mfn(page_to_pfn(s->pages[i])));
	}
	return 0;
}

/**
 * sim_stream_write() - write the live update stream into new dom0 pages
 * @s: zeroed; filled, and freed by sim_stream_free() whatever the result
 * @in: what goes into the stream
 *
 * Return: 0, -E2BIG beyond one MFN page of data pages, or -ENOMEM.
 */
int sim_stream_write(struct sim_stream *s, const struct sim_stream_in *in)
{
	static const u8 zero[SIM_LIBXC_TSC_INFO_LEN];
	struct sim_writer w = {};
	u8 version[8];
	unsigned int i;
	int rc;

	rc = sim_stream_alloc(s, sim_stream_len(in));
	if (rc)
		return rc;
	w.p = vmap(s->pages, s->nr_pages, VM_MAP, PAGE_KERNEL);
	if (!w.p)
		return -ENOMEM;

	put_unaligned_le32(in->major, version);
	put_unaligned_le32(in->minor, version + 4);
	sim_put(&w, SIM_REC_LU_VERSION, version, sizeof(version));
	if (in->inject)
		sim_put(&w, SIM_REC_INJECTED, NULL, 0);
	if (in->inject_libxc == SIM_LIBXC_TSC_BEFORE_DOMAINS)
		sim_put(&w, SIM_REC_LIBXC_TSC_INFO, zero, sizeof(zero));
	for (i = 0; i < in->nr_dom; i++) {
		sim_put(&w, SIM_REC_LU_DOMAIN_INFO, &in->dom[i],
			sizeof(in->dom[i]));
		if (i == 0 && in->inject_libxc > SIM_LIBXC_TSC_BEFORE_DOMAINS)
			sim_put(&w, in->inject_libxc == SIM_LIBXC_HVM_IN_PV ?
				SIM_REC_LIBXC_HVM_CONTEXT :
				SIM_REC_LIBXC_PAGE_DATA, zero, sizeof(zero));
		else if (i == 0 &&
			 in->inject_libxc == SIM_LIBXC_TSC_IN_DOMAIN)
			sim_put(&w, SIM_REC_LIBXC_TSC_INFO, zero, sizeof(zero));
	}
	if (in->dom0_len)
		memcpy(w.p + w.off, in->dom0, in->dom0_len);
	w.off += in->dom0_len;
	sim_put(&w, SIM_REC_END, NULL, 0);
	WARN_ON(w.off != s->len);

	vunmap(w.p);
	return 0;
}

/**
 * sim_stream_breadcrumb() - the three words xen#1 leaves for xen#2
 * @s: a written stream
 * @crumb: %SIM_BREADCRUMB_LEN bytes: magic, machine address of the MFN
 *	array, number of data pages << PAGE_SHIFT, little endian.
 */
void sim_stream_breadcrumb(const struct sim_stream *s, u8 *crumb)
{
	u64 mfn = pfn_to_mfn(page_to_pfn(s->mfn_array));

	put_unaligned_le64(SIM_MAGIC_MASKED, crumb);
	put_unaligned_le64(mfn << PAGE_SHIFT, crumb + 8);
	put_unaligned_le64((u64)s->nr_pages << PAGE_SHIFT, crumb + 16);
}

/**
 * sim_stream_copy() - a copy of a written stream's pages, for debugfs
 * @s: a written stream
 * @copy: kvmalloc'd, nr_pages * PAGE_SIZE bytes
 * @len: its length
 *
 * Return: 0 or -ENOMEM.
 */
int sim_stream_copy(const struct sim_stream *s, u8 **copy, size_t *len)
{
	unsigned int i;

	*len = (size_t)s->nr_pages * PAGE_SIZE;
	*copy = kvmalloc(*len, GFP_KERNEL);
	if (!*copy)
		return -ENOMEM;
	for (i = 0; i < s->nr_pages; i++)
		memcpy(*copy + i * PAGE_SIZE, page_address(s->pages[i]),
		       PAGE_SIZE);
	return 0;
}
