// SPDX-License-Identifier: GPL-2.0-only
/*
 * Format detection from the first bytes of a stream.  Built-in formats are
 * recognised by their magic; other code (the legacy stream support)
 * registers extra detectors that run afterwards.
 */
#include <errno.h>
#include <string.h>

#include <xen/liveupdate.h>

#include "endian.h"
#include "xenstream.h"

#define MAX_EXTRA 8

static const struct xs_detector *extra[MAX_EXTRA];
static unsigned int nr_extra;

int xs_detect_register(const struct xs_detector *d)
{
	unsigned int i;

	for (i = 0; i < nr_extra; i++)
		if (extra[i] == d)
			return 0;
	if (nr_extra == MAX_EXTRA)
		return -ENOSPC;
	extra[nr_extra++] = d;
	return 0;
}

enum xs_format xs_detect(const uint8_t *p, size_t n)
{
	unsigned int i;

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

	for (i = 0; i < nr_extra; i++)
		if (extra[i]->probe(p, n))
			return extra[i]->format;
	return XS_FMT_UNKNOWN;
}
