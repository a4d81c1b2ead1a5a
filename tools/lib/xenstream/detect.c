// SPDX-License-Identifier: GPL-2.0-only
/*
 * Format detection from the first bytes of a stream: every format by its
 * magic or its first record, a legacy PV stream by its extended-info
 * signature (legacy/probe.c).
 */
#include <string.h>

#include <xen/liveupdate-records.h>

#include "endian.h"
#include "legacy/legacy.h"
#include "xenstream.h"

enum xs_format xs_detect(const uint8_t *p, size_t n)
{
	struct legacy_geometry g;

	if (n >= XS_XL_MAGIC_LEN && !memcmp(p, XS_XL_MAGIC, XS_XL_MAGIC_LEN))
		return XS_FMT_XL;
	if (n >= 8 && xs_get_be64(p) == XS_LIBXL_IDENT)
		return XS_FMT_LIBXL;
	if (n >= 12 && xs_get_be64(p) == XS_IHDR_MARKER &&
	    xs_get_be32(p + 8) == XS_IHDR_ID)
		return XS_FMT_LIBXC;
	/* A live update stream starts with LU_VERSION, length 8. */
	if (n >= 8 && xs_get_le32(p) == XS_LU_REC_VERSION &&
	    xs_get_le32(p + 4) == sizeof(struct xs_lu_version))
		return XS_FMT_LU;
	/* A dom0 records dump starts with DOM0_HEADER, fixed part or more. */
	if (n >= 8 && xs_get_le32(p) == XEN_LU_REC_DOM0_HEADER &&
	    xs_get_le32(p + 4) >= sizeof(struct xen_lu_rec_dom0_header) &&
	    xs_get_le32(p + 4) <= XEN_LU_REC_MAX_BODY)
		return XS_FMT_LU_RECORDS;

	if (legacy_probe(p, n, &g) == LEGACY_SURE)
		return XS_FMT_LEGACY;
	return XS_FMT_UNKNOWN;
}
