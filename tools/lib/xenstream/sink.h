/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Output sinks for libxenstream writers: a file descriptor, a growing
 * heap buffer, a fixed caller-supplied buffer, or nothing (a check that
 * writes no output counts the bytes only).
 *
 * Errors are sticky: after the first failure every later write fails with
 * the same negative errno, so a writer may check only at the end.
 */
#ifndef XENSTREAM_SINK_H
#define XENSTREAM_SINK_H

#include <stddef.h>
#include <stdint.h>

enum xs_sink_kind {
	XS_SINK_FD,
	XS_SINK_MEM,		/* heap buffer that grows */
	XS_SINK_BUF,		/* fixed buffer; -ENOSPC when full */
	XS_SINK_NULL,		/* discards; counts the offset only */
};

struct xs_sink {
	enum xs_sink_kind kind;
	int fd;
	uint8_t *buf;
	size_t len;		/* bytes in buf (MEM, BUF) */
	size_t cap;
	uint64_t offset;	/* bytes written so far, all kinds */
	int err;		/* first negative errno, 0 if none */
};

void xs_sink_init_fd(struct xs_sink *s, int fd);
void xs_sink_init_mem(struct xs_sink *s);
void xs_sink_init_buf(struct xs_sink *s, void *buf, size_t cap);
void xs_sink_init_null(struct xs_sink *s);

/* Write n bytes; 0 or negative errno (sticky). */
int xs_sink_write(struct xs_sink *s, const void *p, size_t n);
/* Write n zero bytes. */
int xs_sink_zero(struct xs_sink *s, size_t n);

/*
 * XS_SINK_MEM only: hand the buffer to the caller (who frees it) and reset
 * the sink to empty.  Returns NULL if nothing was written or on error.
 */
uint8_t *xs_sink_take(struct xs_sink *s, size_t *len);
/* Free what the sink owns (XS_SINK_MEM buffer); the fd is not closed. */
void xs_sink_release(struct xs_sink *s);

#endif /* XENSTREAM_SINK_H */
