/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A growing buffer of records in the UAPI "dom0 records" format.
 */
#ifndef _XEN_LIVEUPDATE_RECORDS_H
#define _XEN_LIVEUPDATE_RECORDS_H

#include <linux/types.h>

#include <xen/liveupdate-records.h>

/**
 * struct xen_lu_rec_buf - records being written
 * @data: kvmalloc'd bytes.
 * @len: bytes written.
 * @cap: bytes allocated.
 * @nr_domains: records of each kind written so far, for the header;
 *	counted by xen_lu_rec_reserve() only.
 * @nr_backends: see @nr_domains.
 * @nr_evtchns: see @nr_domains.
 * @nr_participants: see @nr_domains.
 */
struct xen_lu_rec_buf {
	u8 *data;
	size_t len;
	size_t cap;
	u32 nr_domains;
	u32 nr_backends;
	u32 nr_evtchns;
	u32 nr_participants;
};

/**
 * struct xen_lu_rec_iter - walking the records of a buffer the module wrote
 * @buf: the buffer.
 * @off: offset of the next record.
 * @hdr: the current record's header.
 * @body: its body.
 */
struct xen_lu_rec_iter {
	const struct xen_lu_rec_buf *buf;
	size_t off;
	const struct xen_lu_rec_hdr *hdr;
	const void *body;
};

bool xen_lu_rec_iter_next(struct xen_lu_rec_iter *it);

static inline struct xen_lu_rec_iter *
xen_lu_rec_iter_init(struct xen_lu_rec_iter *it, const struct xen_lu_rec_buf *b)
{
	*it = (struct xen_lu_rec_iter){ .buf = b };
	return it;
}

/* Every record of @b in order, END included. */
#define xen_lu_rec_for_each(it, b)					\
	for (struct xen_lu_rec_iter *__it = xen_lu_rec_iter_init(it, b); \
	     xen_lu_rec_iter_next(__it);)

/**
 * struct xen_lu_rec_section - where one kind's records sit in a dump
 * @off: offset of the first one.
 * @len: bytes of all of them, headers and padding included.
 */
struct xen_lu_rec_section {
	size_t off;
	size_t len;
};

/**
 * struct xen_lu_rec_sections - the sections COMMIT compares as a whole
 * @evtchns: the event-channel records.
 * @participants: the participant records.
 */
struct xen_lu_rec_sections {
	struct xen_lu_rec_section evtchns;
	struct xen_lu_rec_section participants;
};

void xen_lu_rec_sections(const struct xen_lu_rec_buf *dump,
			 struct xen_lu_rec_sections *out);
bool xen_lu_rec_section_equal(const struct xen_lu_rec_buf *dump,
			      const struct xen_lu_rec_section *sec,
			      const struct xen_lu_rec_buf *records);

/* The variable part of a backend record, in its order. */
static inline const u32 *
xen_lu_backend_ring_refs(const struct xen_lu_rec_dom0_backend *b)
{
	return (const u32 *)(b + 1);
}

static inline const u32 *
xen_lu_backend_evtchns(const struct xen_lu_rec_dom0_backend *b)
{
	return xen_lu_backend_ring_refs(b) + b->nr_ring_refs;
}

static inline const char *
xen_lu_backend_path(const struct xen_lu_rec_dom0_backend *b)
{
	return (const char *)(xen_lu_backend_evtchns(b) + b->nr_evtchns);
}

static inline const char *
xen_lu_frontend_path(const struct xen_lu_rec_dom0_backend *b)
{
	return xen_lu_backend_path(b) + b->backend_path_len;
}

void *xen_lu_rec_reserve(struct xen_lu_rec_buf *buf, u32 type, size_t len);
int xen_lu_rec_add(struct xen_lu_rec_buf *buf, u32 type, const void *body,
		   size_t len);
void xen_lu_rec_buf_free(struct xen_lu_rec_buf *buf);

int xen_lu_rec_begin(struct xen_lu_rec_buf *buf);
struct xen_lu_rec_dom0_header *
xen_lu_rec_header(const struct xen_lu_rec_buf *buf);
int xen_lu_rec_seal(struct xen_lu_rec_buf *buf,
		    const struct xen_lu_rec_dom0_header *hdr);
int xen_lu_rec_dup(struct xen_lu_rec_buf *dst,
		   const struct xen_lu_rec_buf *src);
int xen_lu_rec_copy(struct xen_lu_rec_buf *dst,
		    const struct xen_lu_rec_iter *it);

#endif /* _XEN_LIVEUPDATE_RECORDS_H */
