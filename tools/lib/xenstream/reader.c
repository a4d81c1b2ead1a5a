// SPDX-License-Identifier: GPL-2.0-only
/*
 * Framed record reader over an fd or a memory buffer.
 *
 * fd sources go through one XS_READER_WINDOW-sized window that is refilled
 * in place; memory sources are read where they lie.  Either way the reader
 * never holds more than the window, whatever the stream size.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "endian.h"
#include "reader.h"

static const char *no_name(uint32_t type)
{
	(void)type;
	return "record";
}

static void reader_reset(struct xs_reader *r, struct xs_error *err)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->err = err;
	r->type_name = no_name;
	memset(err, 0, sizeof(*err));
}

int xs_reader_init_fd(struct xs_reader *r, int fd, struct xs_error *err)
{
	struct stat st;
	off_t cur;

	reader_reset(r, err);
	r->win = malloc(XS_READER_WINDOW);
	if (!r->win) {
		err->code = XS_ERR_NOMEM;
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -1;
	}
	r->mem = r->win;
	r->fd = fd;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode)) {
		cur = lseek(fd, 0, SEEK_CUR);
		if (cur >= 0 && cur <= st.st_size) {
			r->fd_seekable = true;
			r->size_known = true;
			r->src_size = (uint64_t)(st.st_size - cur);
		}
	}
	return 0;
}

void xs_reader_init_mem(struct xs_reader *r, const void *p, size_t len,
			struct xs_error *err)
{
	reader_reset(r, err);
	r->mem = p;
	r->fill = len;
	r->src_size = len;
	r->size_known = true;
}

void xs_reader_fini(struct xs_reader *r)
{
	free(r->win);
	r->win = NULL;
	r->mem = NULL;
}

static void fill_err(struct xs_reader *r, enum xs_err_code code,
		     uint64_t offset, const char *rule, const char *fmt,
		     va_list ap)
{
	struct xs_error *e = r->err;

	if (e->code != XS_OK)
		return;		/* keep the first fault */
	e->code = code;
	e->offset = offset;
	e->rule = rule;
	e->in_record = r->in_rec;
	if (r->in_rec) {
		e->record = r->nr_records - 1;
		e->rec_offset = r->rec_offset;
		e->type = r->type;
		e->type_name = r->type_name(r->type);
	}
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

int xs_fail(struct xs_reader *r, uint64_t offset, const char *rule,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fill_err(r, XS_ERR_INVALID, offset, rule, fmt, ap);
	va_end(ap);
	return -1;
}

int xs_fail_code(struct xs_reader *r, enum xs_err_code code,
		 uint64_t offset, const char *rule, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fill_err(r, code, offset, rule, fmt, ap);
	va_end(ap);
	return -1;
}

static int io_fail(struct xs_reader *r, int e)
{
	r->err->sys_errno = e;
	return xs_fail_code(r, XS_ERR_IO, xs_offset(r), "io.read",
			    "read error: %s", strerror(e));
}

/*
 * Make at least need (<= XS_READER_WINDOW) bytes available at pos, or as
 * many as the stream still has.  *avail gets the number available.
 */
static int ensure(struct xs_reader *r, size_t need, size_t *avail)
{
	size_t have = r->fill - r->pos;

	if (have >= need || r->fd < 0 || r->eof) {
		*avail = have;
		return 0;
	}

	if (r->pos) {
		memmove(r->win, r->win + r->pos, have);
		r->win_base += r->pos;
		r->fill = have;
		r->pos = 0;
	}
	while (r->fill < need && !r->eof) {
		ssize_t n = read(r->fd, r->win + r->fill,
				 XS_READER_WINDOW - r->fill);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return io_fail(r, errno);
		}
		if (n == 0)
			r->eof = true;
		r->fill += (size_t)n;
	}
	*avail = r->fill - r->pos;
	return 0;
}

int xs_peek(struct xs_reader *r, size_t n, const uint8_t **p, size_t *got)
{
	size_t avail = 0;

	if (n > XS_READER_WINDOW)
		return xs_fail_code(r, XS_ERR_USAGE, xs_offset(r), "usage",
				    "peek of %zu bytes exceeds window", n);
	if (ensure(r, n, &avail))
		return -1;
	*p = r->mem + r->pos;
	*got = avail < n ? avail : n;
	return 0;
}

static int truncated(struct xs_reader *r, uint64_t off, const char *what,
		     size_t got, size_t want)
{
	return xs_fail_code(r, XS_ERR_TRUNCATED, off, "stream.truncated",
			    "stream ends inside %s: %zu of %zu bytes",
			    what, got, want);
}

int xs_read_hdr(struct xs_reader *r, size_t n, const uint8_t **p,
		const char *what)
{
	size_t avail = 0;

	if (xs_peek(r, n, p, &avail))
		return -1;
	if (avail < n)
		return truncated(r, xs_offset(r) + avail, what, avail, n);
	r->pos += n;
	return 0;
}

int xs_rec_next(struct xs_reader *r)
{
	const uint8_t *p;
	uint64_t off = xs_offset(r);
	size_t avail = 0;

	if (ensure(r, sizeof(struct xs_rhdr), &avail))
		return -1;
	if (avail == 0)
		return 0;
	if (avail < sizeof(struct xs_rhdr))
		return truncated(r, off + avail, "a record header", avail,
				 sizeof(struct xs_rhdr));
	p = r->mem + r->pos;
	r->pos += sizeof(struct xs_rhdr);
	r->type = xs_get_le32(p);
	r->length = xs_get_le32(p + 4);
	r->rec_offset = off;
	r->body_offset = off + sizeof(struct xs_rhdr);
	r->body_left = r->length;
	r->in_rec = true;
	r->nr_records++;

	if (r->length > XS_REC_LENGTH_MAX)
		return xs_fail(r, off + 4, "record.length-max",
			       "length %#x exceeds the maximum %#x",
			       r->length, XS_REC_LENGTH_MAX);
	return 1;
}

int xs_body(struct xs_reader *r, size_t n, const uint8_t **p)
{
	size_t avail = 0;

	if (n > r->body_left || n > XS_READER_WINDOW)
		return xs_fail_code(r, XS_ERR_USAGE, xs_offset(r), "usage",
				    "body read of %zu bytes, %u left",
				    n, r->body_left);
	if (ensure(r, n, &avail))
		return -1;
	if (avail < n)
		return truncated(r, xs_offset(r) + avail, "a record body",
				 (size_t)(xs_offset(r) + avail - r->body_offset),
				 r->length);
	*p = r->mem + r->pos;
	r->pos += n;
	r->body_left -= (uint32_t)n;
	return 0;
}

/* Skip n bytes of input, seeking past whatever is not in the window. */
static int skip_bytes(struct xs_reader *r, uint64_t n, const char *what,
		      uint64_t what_start, uint64_t what_len)
{
	size_t have = r->fill - r->pos;
	uint64_t target = xs_offset(r) + n;
	size_t avail = 0;

	if (n <= have) {
		r->pos += n;
		return 0;
	}
	if (r->size_known && target > r->src_size)
		return truncated(r, r->src_size, what,
				 (size_t)(r->src_size - what_start),
				 (size_t)what_len);
	if (r->fd < 0)
		return truncated(r, r->fill, what, 0, (size_t)what_len);

	if (r->fd_seekable) {
		off_t k = (off_t)(n - have);

		if (lseek(r->fd, k, SEEK_CUR) < 0)
			return io_fail(r, errno);
		r->win_base = target;
		r->pos = r->fill = 0;
		return 0;
	}

	n -= have;
	r->pos = r->fill;
	while (n) {
		size_t k = n < XS_READER_WINDOW ? (size_t)n : XS_READER_WINDOW;

		if (ensure(r, k, &avail))
			return -1;
		if (avail < k)
			return truncated(r, xs_offset(r) + avail, what,
					 (size_t)(xs_offset(r) + avail -
						  what_start),
					 (size_t)what_len);
		r->pos += k;
		n -= k;
	}
	return 0;
}

int xs_body_skip(struct xs_reader *r, uint64_t n)
{
	if (n > r->body_left)
		return xs_fail_code(r, XS_ERR_USAGE, xs_offset(r), "usage",
				    "body skip of %llu bytes, %u left",
				    (unsigned long long)n, r->body_left);
	if (skip_bytes(r, n, "a record body", r->body_offset, r->length))
		return -1;
	r->body_left -= (uint32_t)n;
	return 0;
}

int xs_rec_finish(struct xs_reader *r)
{
	size_t pad = (XS_REC_ALIGN - (r->length % XS_REC_ALIGN)) %
		     XS_REC_ALIGN;
	const uint8_t *p;
	size_t avail, i;

	if (r->body_left && xs_body_skip(r, r->body_left))
		return -1;
	if (pad) {
		if (ensure(r, pad, &avail))
			return -1;
		if (avail < pad)
			return truncated(r, xs_offset(r) + avail,
					 "record padding", avail, pad);
		p = r->mem + r->pos;
		for (i = 0; i < pad; i++)
			if (p[i])
				return xs_fail(r, xs_offset(r) + i,
					       "record.padding",
					       "padding byte %zu is %#x, not 0",
					       i, p[i]);
		r->pos += pad;
	}
	r->in_rec = false;
	return 0;
}

int xs_at_eof(struct xs_reader *r)
{
	size_t avail = 0;

	if (ensure(r, 1, &avail))
		return -1;
	return avail == 0;
}
