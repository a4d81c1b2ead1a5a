/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal state of the legacy stream reader (the files of legacy/ only). */
#ifndef XENSTREAM_LEGACY_PRIV_H
#define XENSTREAM_LEGACY_PRIV_H

#include "legacy.h"

enum legacy_state {
	LS_START,
	LS_EXTINFO,
	LS_P2M,
	LS_BODY,
	LS_TAIL,
	LS_NEXT_CKPT,
	LS_DONE,
	LS_FAILED,
};

/* A Format B batch waiting for its compressed pages. */
struct legacy_pending {
	struct legacy_pending *next;
	uint32_t nr;		/* entries */
	uint32_t nr_pages;	/* entries with data */
	uint32_t done;		/* pages decoded */
	uint64_t offset;	/* of the batch's count */
	uint64_t *entry;
	uint8_t *data;		/* nr_pages pages */
};

struct legacy_reader {
	struct xs_reader *src;
	struct xs_error *err;
	struct legacy_cfg cfg;
	enum legacy_state st;
	unsigned int checkpoint;

	uint64_t p2m_size;
	uint8_t guest_width, pt_levels;
	uint32_t vcpu_size;
	bool extv;
	uint32_t xsave_size;

	/* per checkpoint */
	bool last_checkpoint;
	bool compress_next;	/* ENABLE_COMPRESSION seen */
	bool compressing;	/* this body is Format B */
	uint32_t max_vcpu_id;
	uint64_t vcpumap[LEGACY_MAX_VCPUS / 64];
	uint32_t tail_step;	/* position inside the tail */
	uint32_t vcpu_next;	/* next vcpu id to look at */

	/* buffers (allocated once) */
	uint64_t *entry;	/* LEGACY_MAX_BATCH */
	uint8_t *pages;		/* LEGACY_MAX_BATCH pages */
	uint8_t *blob;		/* grows up to LEGACY_BLOB_MAX */
	size_t blob_cap;
	uint64_t *frames;

	/* Format B */
	struct remus_cache cache;
	bool cache_ready;
	struct legacy_pending *pend_head, *pend_tail;
	struct legacy_pending *cursor;	/* first batch awaiting pages */
	uint32_t cursor_entry;	/* next entry of cursor to look at */
	uint32_t pend_pages;	/* undecoded pages queued */
	uint32_t group_left;	/* pages left in the sender's buffer group */
	uint8_t *cbuf;		/* compressed data window */
	struct legacy_pending *ready;	/* popped batch being handed out */
};

/* read.c */
int lr_read(struct legacy_reader *lr, void *dst, size_t n, const char *what);
int lr_skip(struct legacy_reader *lr, uint64_t n, const char *what);
int lr_u32(struct legacy_reader *lr, uint32_t *v, const char *what);
int lr_u64(struct legacy_reader *lr, uint64_t *v, const char *what);
int lr_ulong(struct legacy_reader *lr, uint64_t *v, const char *what);
int lr_blob_grow(struct legacy_reader *lr, size_t n);
int lr_blob(struct legacy_reader *lr, size_t n, const char *what);
int lr_fail(struct legacy_reader *lr, uint64_t off, const char *rule,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static inline uint64_t lr_off(const struct legacy_reader *lr)
{
	return xs_offset(lr->src);
}

/* body.c */
int legacy_body_next(struct legacy_reader *lr, struct legacy_event *ev);
/* chunk.c */
int legacy_chunk(struct legacy_reader *lr, int32_t id, struct legacy_event *ev);
/* format-b.c */
int legacy_b_batch(struct legacy_reader *lr, uint32_t count, uint64_t off);
int legacy_b_data(struct legacy_reader *lr, uint64_t off);
struct legacy_pending *legacy_b_pop_ready(struct legacy_reader *lr);
void legacy_b_free(struct legacy_pending *p);
void legacy_b_reset(struct legacy_reader *lr);
int legacy_check_entries(struct legacy_reader *lr, const uint64_t *e,
			 uint32_t n, uint64_t off, uint32_t *nr_pages);
/* tail.c */
int legacy_tail_next(struct legacy_reader *lr, struct legacy_event *ev);
/* head.c */
int legacy_head_next(struct legacy_reader *lr, struct legacy_event *ev);

#endif /* XENSTREAM_LEGACY_PRIV_H */
