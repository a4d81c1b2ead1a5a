/* SPDX-License-Identifier: GPL-2.0-only */
/* Private helpers of libluimage: little-endian access and checked arithmetic. */
#ifndef LUIMAGE_UTIL_H
#define LUIMAGE_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static inline uint16_t lui_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t lui_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t lui_get64(const uint8_t *p)
{
	return (uint64_t)lui_get32(p) | (uint64_t)lui_get32(p + 4) << 32;
}

static inline void lui_put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline void lui_put64(uint8_t *p, uint64_t v)
{
	lui_put32(p, (uint32_t)v);
	lui_put32(p + 4, (uint32_t)(v >> 32));
}

static inline bool lui_is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* Round @x up to @align (a power of two); false on overflow. */
static inline bool lui_align_up(uint64_t x, uint64_t align, uint64_t *out)
{
	uint64_t r;

	if (__builtin_add_overflow(x, align - 1, &r))
		return false;
	*out = r & ~(align - 1);
	return true;
}

/* Does [a, a + as) meet [b, b + bs)?  Both sizes non-zero, no wrap. */
static inline bool lui_overlaps(uint64_t a, uint64_t as, uint64_t b,
				uint64_t bs)
{
	return a < b + bs && b < a + as;
}

#endif /* LUIMAGE_UTIL_H */
