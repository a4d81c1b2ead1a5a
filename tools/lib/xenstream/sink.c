// SPDX-License-Identifier: GPL-2.0-only
/* Output sinks: fd, growing heap buffer, fixed buffer, nothing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sink.h"

static void sink_init(struct xs_sink *s, enum xs_sink_kind kind, int fd)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->fd = fd;
}

void xs_sink_init_fd(struct xs_sink *s, int fd)
{
	sink_init(s, XS_SINK_FD, fd);
}

void xs_sink_init_mem(struct xs_sink *s)
{
	sink_init(s, XS_SINK_MEM, -1);
}

void xs_sink_init_buf(struct xs_sink *s, void *buf, size_t cap)
{
	sink_init(s, XS_SINK_BUF, -1);
	s->buf = buf;
	s->cap = cap;
}

void xs_sink_init_null(struct xs_sink *s)
{
	sink_init(s, XS_SINK_NULL, -1);
}

static int sink_grow(struct xs_sink *s, size_t need)
{
	size_t cap = s->cap ? s->cap : 4096;
	uint8_t *nb;

	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			return -ENOMEM;
		cap *= 2;
	}
	nb = realloc(s->buf, cap);
	if (!nb)
		return -ENOMEM;
	s->buf = nb;
	s->cap = cap;
	return 0;
}

static int sink_write_fd(struct xs_sink *s, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t r = write(s->fd, p, n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			return -EIO;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int xs_sink_write(struct xs_sink *s, const void *p, size_t n)
{
	int rc = 0;

	if (s->err)
		return s->err;
	if (!n)
		return 0;

	switch (s->kind) {
	case XS_SINK_FD:
		rc = sink_write_fd(s, p, n);
		break;
	case XS_SINK_MEM:
		if (n > SIZE_MAX - s->len) {
			rc = -ENOMEM;
			break;
		}
		if (s->len + n > s->cap)
			rc = sink_grow(s, s->len + n);
		if (!rc) {
			memcpy(s->buf + s->len, p, n);
			s->len += n;
		}
		break;
	case XS_SINK_BUF:
		if (n > s->cap - s->len) {
			rc = -ENOSPC;
			break;
		}
		memcpy(s->buf + s->len, p, n);
		s->len += n;
		break;
	case XS_SINK_NULL:
		break;
	}

	if (rc)
		s->err = rc;
	else
		s->offset += n;
	return rc;
}

int xs_sink_zero(struct xs_sink *s, size_t n)
{
	static const uint8_t zero[4096];
	int rc = 0;

	while (n && !rc) {
		size_t k = n < sizeof(zero) ? n : sizeof(zero);

		rc = xs_sink_write(s, zero, k);
		n -= k;
	}
	return rc;
}

uint8_t *xs_sink_take(struct xs_sink *s, size_t *len)
{
	uint8_t *b;

	if (s->kind != XS_SINK_MEM || s->err || !s->buf)
		return NULL;
	b = s->buf;
	*len = s->len;
	s->buf = NULL;
	s->len = s->cap = 0;
	s->offset = 0;
	return b;
}

void xs_sink_release(struct xs_sink *s)
{
	if (s->kind == XS_SINK_MEM)
		free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}
