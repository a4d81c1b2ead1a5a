// SPDX-License-Identifier: GPL-2.0-only
/*
 * The primitive reads of the legacy stream reader (toolstack-width
 * "unsigned long" included), and its failure: what every part of the
 * reader calls, calling nothing of legacy/ back.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endian.h"
#include "priv.h"

int lr_fail(struct legacy_reader *lr, uint64_t off, const char *rule,
	    const char *fmt, ...)
{
	char msg[sizeof(lr->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lr->st = LS_FAILED;
	return xs_fail(lr->src, off, rule, "%s", msg);
}

/* Copy n bytes out of the stream in window-sized pieces. */
int lr_read(struct legacy_reader *lr, void *dst, size_t n, const char *what)
{
	uint8_t *d = dst;

	while (n) {
		size_t k = n < XS_READER_WINDOW ? n : XS_READER_WINDOW;
		const uint8_t *p;

		if (xs_read_hdr(lr->src, k, &p, what)) {
			lr->st = LS_FAILED;
			return -1;
		}
		if (d) {
			memcpy(d, p, k);
			d += k;
		}
		n -= k;
	}
	return 0;
}

int lr_skip(struct legacy_reader *lr, uint64_t n, const char *what)
{
	while (n) {
		size_t k = n < XS_READER_WINDOW ? n : XS_READER_WINDOW;

		if (lr_read(lr, NULL, k, what))
			return -1;
		n -= k;
	}
	return 0;
}

int lr_u32(struct legacy_reader *lr, uint32_t *v, const char *what)
{
	uint8_t b[4];

	if (lr_read(lr, b, 4, what))
		return -1;
	*v = xs_get_le32(b);
	return 0;
}

int lr_u64(struct legacy_reader *lr, uint64_t *v, const char *what)
{
	uint8_t b[8];

	if (lr_read(lr, b, 8, what))
		return -1;
	*v = xs_get_le64(b);
	return 0;
}

int lr_ulong(struct legacy_reader *lr, uint64_t *v, const char *what)
{
	uint32_t w;

	if (lr->cfg.width == 8)
		return lr_u64(lr, v, what);
	if (lr_u32(lr, &w, what))
		return -1;
	*v = w;
	return 0;
}

/* Make lr->blob hold n octets, keeping its contents. */
int lr_blob_grow(struct legacy_reader *lr, size_t n)
{
	const char *what = "a blob";

	if (n > lr->blob_cap) {
		uint8_t *b = realloc(lr->blob, n);

		if (!b) {
			lr->st = LS_FAILED;
			return xs_fail_code(lr->src, XS_ERR_NOMEM, lr_off(lr),
					    "legacy.nomem",
					    "no memory for %s (%zu octets)",
					    what, n);
		}
		lr->blob = b;
		lr->blob_cap = n;
	}
	return 0;
}

/* Read n (<= LEGACY_BLOB_MAX) bytes into lr->blob. */
int lr_blob(struct legacy_reader *lr, size_t n, const char *what)
{
	if (n > LEGACY_BLOB_MAX)
		return lr_fail(lr, lr_off(lr), "legacy.length.max",
			       "%s length %zu exceeds %u", what, n,
			       LEGACY_BLOB_MAX);
	if (lr_blob_grow(lr, n))
		return -1;
	return lr_read(lr, lr->blob, n, what);
}
