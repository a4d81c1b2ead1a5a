// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the first bytes of a stream say about a legacy stream.  A legacy
 * stream has no magic: it starts with p2m_size, a toolstack "unsigned
 * long" of 4 or 8 octets.  A PV stream follows it with the extended-info
 * signature ~0UL, its size and a block ("vcpu", "extv" or "xcnt"), which
 * no other format starts with: that is a sure sign.  An HVM stream goes on
 * with its body (a page batch count or a negative chunk id): a likely sign
 * only, which names the format in an error but never picks it.
 */
#include <string.h>

#include "endian.h"
#include "legacy.h"

static bool block_known(const uint8_t *tag)
{
	return !memcmp(tag, "vcpu", 4) || !memcmp(tag, "extv", 4) ||
	       !memcmp(tag, "xcnt", 4);
}

static bool body_start(int32_t v)
{
	return (v >= XC_SAVE_ID_MIN && v < 0) ||
	       (v > 0 && (uint32_t)v <= LEGACY_MAX_BATCH);
}

enum legacy_guess legacy_probe(const uint8_t *p, size_t n,
			       struct legacy_geometry *g)
{
	uint64_t p2m_size;
	bool sig, block;

	/* p2m_size < 2^28, so its upper half is zero at width 8 */
	g->width = n >= 8 && !xs_get_le32(p + 4) ? 8 : 4;
	if (g->width == 8)
		sig = n >= 16 && xs_get_le64(p + 8) == UINT64_MAX;
	else
		sig = n >= 8 && xs_get_le32(p + 4) == UINT32_MAX;
	/* p2m_size, ~0UL, u32 size, then the first block's tag */
	block = n >= 3 * g->width + 8 && block_known(p + 2 * g->width + 4);
	/* either PV sign makes it PV, so a broken one fails as PV would */
	g->hvm = !sig && !block;
	if (n < g->width)
		return LEGACY_NO;
	p2m_size = g->width == 8 ? xs_get_le64(p) : xs_get_le32(p);
	if (!p2m_size || p2m_size > LEGACY_P2M_SIZE_MAX)
		return LEGACY_NO;
	if (!g->hvm)
		return sig && block ? LEGACY_SURE : LEGACY_LIKELY;
	if (n < g->width + 4)
		return LEGACY_NO;
	return body_start((int32_t)xs_get_le32(p + g->width)) ? LEGACY_LIKELY :
								LEGACY_NO;
}
