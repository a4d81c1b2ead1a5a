/* SPDX-License-Identifier: GPL-2.0-only */
/* Unaligned fixed-endian loads and stores for stream fields. */
#ifndef XENSTREAM_ENDIAN_H
#define XENSTREAM_ENDIAN_H

#include <stdint.h>
#include <string.h>

/*
 * No <endian.h>: this header is found first by code built with
 * -I tools/lib/xenstream, so it must not rely on the system one.
 */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define XS_LE16(x) (x)
#define XS_LE32(x) (x)
#define XS_LE64(x) (x)
#define XS_BE16(x) __builtin_bswap16(x)
#define XS_BE32(x) __builtin_bswap32(x)
#define XS_BE64(x) __builtin_bswap64(x)
#else
#define XS_LE16(x) __builtin_bswap16(x)
#define XS_LE32(x) __builtin_bswap32(x)
#define XS_LE64(x) __builtin_bswap64(x)
#define XS_BE16(x) (x)
#define XS_BE32(x) (x)
#define XS_BE64(x) (x)
#endif

static inline uint16_t xs_get_le16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return XS_LE16(v);
}

static inline uint32_t xs_get_le32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return XS_LE32(v);
}

static inline uint64_t xs_get_le64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return XS_LE64(v);
}

static inline uint16_t xs_get_be16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return XS_BE16(v);
}

static inline uint32_t xs_get_be32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return XS_BE32(v);
}

static inline uint64_t xs_get_be64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return XS_BE64(v);
}

static inline void xs_put_le16(void *p, uint16_t v)
{
	v = XS_LE16(v);
	memcpy(p, &v, sizeof(v));
}

static inline void xs_put_le32(void *p, uint32_t v)
{
	v = XS_LE32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void xs_put_le64(void *p, uint64_t v)
{
	v = XS_LE64(v);
	memcpy(p, &v, sizeof(v));
}

static inline void xs_put_be16(void *p, uint16_t v)
{
	v = XS_BE16(v);
	memcpy(p, &v, sizeof(v));
}

static inline void xs_put_be32(void *p, uint32_t v)
{
	v = XS_BE32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void xs_put_be64(void *p, uint64_t v)
{
	v = XS_BE64(v);
	memcpy(p, &v, sizeof(v));
}

#endif /* XENSTREAM_ENDIAN_H */
