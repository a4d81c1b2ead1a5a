// SPDX-License-Identifier: GPL-2.0-only
/*
 * The record buffer: records appended with their header and zero padding,
 * as the UAPI "dom0 records" section lays them out.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "records.h"

#define XEN_LU_REC_BUF_MIN	SZ_16K
#define XEN_LU_REC_BUF_MAX	SZ_64M

static int xen_lu_rec_grow(struct xen_lu_rec_buf *buf, size_t need)
{
	size_t cap = max_t(size_t, buf->cap, XEN_LU_REC_BUF_MIN);
	u8 *data;

	while (cap < need)
		cap *= 2;
	if (cap > XEN_LU_REC_BUF_MAX)
		return -E2BIG;
	data = kvrealloc(buf->data, buf->cap, cap, GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	buf->data = data;
	buf->cap = cap;
	return 0;
}

/* The count the header keeps of @type's records, or NULL. */
static u32 *xen_lu_rec_count(struct xen_lu_rec_buf *buf, u32 type)
{
	switch (type) {
	case XEN_LU_REC_DOM0_DOMAIN:
		return &buf->nr_domains;
	case XEN_LU_REC_DOM0_BACKEND:
		return &buf->nr_backends;
	case XEN_LU_REC_DOM0_EVTCHN:
		return &buf->nr_evtchns;
	case XEN_LU_REC_DOM0_PARTICIPANT:
		return &buf->nr_participants;
	default:
		return NULL;
	}
}

/**
 * xen_lu_rec_reserve() - append a record and return its zeroed body
 * @buf: the buffer
 * @type: %XEN_LU_REC_*
 * @len: body bytes, at most %XEN_LU_REC_MAX_BODY
 *
 * Counts the record in @buf's count of its kind, for the header.
 *
 * Return: the body, or an ERR_PTR: -E2BIG (body or buffer too large),
 * -ENOMEM.
 */
void *xen_lu_rec_reserve(struct xen_lu_rec_buf *buf, u32 type, size_t len)
{
	size_t total = sizeof(struct xen_lu_rec_hdr) +
		       ALIGN(len, XEN_LU_REC_ALIGN);
	struct xen_lu_rec_hdr *hdr;
	u32 *nr;
	int rc;

	if (len > XEN_LU_REC_MAX_BODY)
		return ERR_PTR(-E2BIG);
	if (buf->len + total > buf->cap) {
		rc = xen_lu_rec_grow(buf, buf->len + total);
		if (rc)
			return ERR_PTR(rc);
	}
	hdr = (struct xen_lu_rec_hdr *)(buf->data + buf->len);
	memset(hdr, 0, total);
	hdr->type = type;
	hdr->length = len;
	buf->len += total;
	nr = xen_lu_rec_count(buf, type);
	if (nr)
		(*nr)++;
	return hdr + 1;
}

int xen_lu_rec_add(struct xen_lu_rec_buf *buf, u32 type, const void *body,
		   size_t len)
{
	void *dst = xen_lu_rec_reserve(buf, type, len);

	if (IS_ERR(dst))
		return PTR_ERR(dst);
	if (len)
		memcpy(dst, body, len);
	return 0;
}

/**
 * xen_lu_rec_iter_next() - step to the next record
 * @it: the iterator
 *
 * Return: false past the last record, or at a record that does not fit
 * (which the module never writes).
 */
bool xen_lu_rec_iter_next(struct xen_lu_rec_iter *it)
{
	const struct xen_lu_rec_buf *buf = it->buf;
	const struct xen_lu_rec_hdr *hdr;

	if (buf->len - it->off < sizeof(*hdr))
		return false;
	hdr = (const void *)(buf->data + it->off);
	if (buf->len - it->off - sizeof(*hdr) < ALIGN(hdr->length,
						      XEN_LU_REC_ALIGN))
		return false;
	it->hdr = hdr;
	it->body = hdr + 1;
	it->off += sizeof(*hdr) + ALIGN(hdr->length, XEN_LU_REC_ALIGN);
	return true;
}

/* Append the record @it stands on to @dst. */
int xen_lu_rec_copy(struct xen_lu_rec_buf *dst,
		    const struct xen_lu_rec_iter *it)
{
	return xen_lu_rec_add(dst, it->hdr->type, it->body, it->hdr->length);
}

/**
 * xen_lu_rec_begin() - start a records dump
 * @buf: an empty buffer
 *
 * Reserves the header, which xen_lu_rec_seal() writes.
 *
 * Return: 0, or the errno of the append.
 */
int xen_lu_rec_begin(struct xen_lu_rec_buf *buf)
{
	return PTR_ERR_OR_ZERO(xen_lu_rec_reserve(buf, XEN_LU_REC_DOM0_HEADER,
				sizeof(struct xen_lu_rec_dom0_header)));
}

/**
 * xen_lu_rec_header() - the header of a records dump
 * @buf: a dump started with xen_lu_rec_begin()
 *
 * Return: the header record's body; valid until @buf grows.
 */
struct xen_lu_rec_dom0_header *
xen_lu_rec_header(const struct xen_lu_rec_buf *buf)
{
	return (void *)(buf->data + sizeof(struct xen_lu_rec_hdr));
}

/**
 * xen_lu_rec_seal() - end a records dump
 * @buf: a dump started with xen_lu_rec_begin()
 * @hdr: its header, but for the counts
 *
 * Appends END and writes the header: @hdr with the counts of the records
 * written.  The one place a header is written.
 *
 * Return: 0, or the errno of the append.
 */
int xen_lu_rec_seal(struct xen_lu_rec_buf *buf,
		    const struct xen_lu_rec_dom0_header *hdr)
{
	struct xen_lu_rec_dom0_header *h;
	int rc;

	rc = xen_lu_rec_add(buf, XEN_LU_REC_END, NULL, 0);
	if (rc)
		return rc;
	/* The buffer may have moved: find the header again. */
	h = xen_lu_rec_header(buf);
	*h = *hdr;
	h->nr_domains = buf->nr_domains;
	h->nr_backends = buf->nr_backends;
	h->nr_evtchns = buf->nr_evtchns;
	h->nr_participants = buf->nr_participants;
	return 0;
}

/**
 * xen_lu_rec_dup() - a copy of a buffer, counts included
 * @dst: an empty buffer
 * @src: the buffer to copy, not empty
 *
 * Return: 0 or -ENOMEM.
 */
int xen_lu_rec_dup(struct xen_lu_rec_buf *dst, const struct xen_lu_rec_buf *src)
{
	u8 *data = kvmalloc(src->len, GFP_KERNEL);

	if (!data)
		return -ENOMEM;
	memcpy(data, src->data, src->len);
	*dst = *src;
	dst->data = data;
	dst->cap = src->len;
	return 0;
}

/**
 * xen_lu_rec_sections() - find the event-channel and participant records
 * @dump: a records dump the module wrote (each kind contiguous)
 * @out: their sections; empty ones have @len 0
 */
void xen_lu_rec_sections(const struct xen_lu_rec_buf *dump,
			 struct xen_lu_rec_sections *out)
{
	struct xen_lu_rec_section *sec;
	struct xen_lu_rec_iter it;
	size_t start;

	memset(out, 0, sizeof(*out));
	xen_lu_rec_for_each(&it, dump) {
		if (it.hdr->type == XEN_LU_REC_DOM0_EVTCHN)
			sec = &out->evtchns;
		else if (it.hdr->type == XEN_LU_REC_DOM0_PARTICIPANT)
			sec = &out->participants;
		else
			continue;
		start = (const u8 *)it.hdr - dump->data;
		if (!sec->len)
			sec->off = start;
		sec->len = it.off - sec->off;
	}
}

/**
 * xen_lu_rec_section_equal() - are @records exactly a section of @dump
 * @dump: a records dump
 * @sec: one of its sections
 * @records: records without header or END
 *
 * Return: true when the bytes are the same.
 */
bool xen_lu_rec_section_equal(const struct xen_lu_rec_buf *dump,
			      const struct xen_lu_rec_section *sec,
			      const struct xen_lu_rec_buf *records)
{
	return sec->len == records->len &&
	       (!sec->len ||
		!memcmp(dump->data + sec->off, records->data, sec->len));
}

void xen_lu_rec_buf_free(struct xen_lu_rec_buf *buf)
{
	kvfree(buf->data);
	memset(buf, 0, sizeof(*buf));
}
