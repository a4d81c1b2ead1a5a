/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libxenstream reader: pulls framed records from a file descriptor or a
 * memory buffer with one fixed-size window, so memory use does not depend
 * on the stream size.  Record bodies are consumed in pieces of at most
 * XS_READER_WINDOW bytes; nothing is kept once consumed.
 *
 * Offsets are counted from where the source started.  All functions that
 * can fail return a negative value and fill the reader's struct xs_error.
 */
#ifndef XENSTREAM_READER_H
#define XENSTREAM_READER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "format.h"

/* Window for fd sources, and the largest piece xs_body() hands out. */
#define XS_READER_WINDOW	(256U << 10)

struct xs_reader {
	/* source */
	int fd;			/* -1 for memory */
	bool fd_seekable;	/* regular file: skip with lseek */
	uint64_t src_size;	/* known size (memory, regular file) */
	bool size_known;
	const uint8_t *mem;	/* memory source, or the window */
	uint8_t *win;		/* owned window for fd sources */
	size_t pos;		/* next unread byte in mem/win */
	size_t fill;		/* valid bytes in mem/win */
	uint64_t win_base;	/* stream offset of mem/win[0] */
	bool eof;		/* fd returned 0 */

	/* current record */
	bool in_rec;
	uint32_t type;
	uint32_t length;
	uint64_t rec_offset;
	uint64_t body_offset;
	uint32_t body_left;
	uint64_t nr_records;	/* headers read so far */
	/* names record types in messages; set by the current layer */
	const char *(*type_name)(uint32_t type);

	struct xs_error *err;
};

int xs_reader_init_fd(struct xs_reader *r, int fd, struct xs_error *err);
void xs_reader_init_mem(struct xs_reader *r, const void *p, size_t len,
			struct xs_error *err);
void xs_reader_fini(struct xs_reader *r);

/* Stream offset of the next unread byte. */
static inline uint64_t xs_offset(const struct xs_reader *r)
{
	return r->win_base + r->pos;
}

/*
 * Look at up to n (<= XS_READER_WINDOW) bytes without consuming them.
 * *got is how many are available (fewer only at end of stream).
 */
int xs_peek(struct xs_reader *r, size_t n, const uint8_t **p, size_t *got);

/*
 * Consume exactly n (<= XS_READER_WINDOW) bytes of a header outside any
 * record.  what names the header in the truncation message.
 */
int xs_read_hdr(struct xs_reader *r, size_t n, const uint8_t **p,
		const char *what);

/*
 * Read the next record header.  Returns 1 with r->type / r->length set,
 * 0 on a clean end of stream exactly at a record boundary, negative on
 * error (truncated header, length above XS_REC_LENGTH_MAX).
 */
int xs_rec_next(struct xs_reader *r);

/* Consume the next n (<= XS_READER_WINDOW, <= body_left) body bytes. */
int xs_body(struct xs_reader *r, size_t n, const uint8_t **p);
/* Skip n body bytes without looking at them. */
int xs_body_skip(struct xs_reader *r, uint64_t n);
/*
 * Skip whatever is left of the body, then read and check the padding.
 * Ends the record.
 */
int xs_rec_finish(struct xs_reader *r);

/* Is everything consumed?  1 yes, 0 no, negative on read error. */
int xs_at_eof(struct xs_reader *r);

/*
 * Record a format violation.  offset is the byte at fault; when the reader
 * is inside a record the record index, type and name are added.  Returns
 * -1 for "return xs_fail(...)" use.
 */
int xs_fail(struct xs_reader *r, uint64_t offset, const char *rule,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int xs_fail_code(struct xs_reader *r, enum xs_err_code code,
		 uint64_t offset, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif /* XENSTREAM_READER_H */
