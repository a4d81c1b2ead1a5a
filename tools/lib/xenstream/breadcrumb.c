// SPDX-License-Identifier: GPL-2.0-only
/* Live update breadcrumb decoder. */
#include <stdio.h>
#include <string.h>

#include "endian.h"
#include "xenstream.h"

static int bc_fail(struct xs_error *err, uint64_t off, const char *rule,
		   const char *msg, unsigned long long v)
{
	memset(err, 0, sizeof(*err));
	err->code = XS_ERR_INVALID;
	err->offset = off;
	err->rule = rule;
	snprintf(err->msg, sizeof(err->msg), msg, v);
	return -1;
}

int xs_breadcrumb_decode(const void *p, size_t len,
			 struct xs_lu_breadcrumb *out, uint64_t *nr_pages,
			 struct xs_error *err)
{
	const uint8_t *b = p;
	const uint64_t limit = 1ULL << XS_LU_M2P_PADDR_BITS;
	struct xs_lu_breadcrumb bc;
	uint64_t n;

	if (len < sizeof(bc)) {
		bc_fail(err, len, "breadcrumb.truncated",
			"breadcrumb is %llu bytes, expected 24",
			(unsigned long long)len);
		err->code = XS_ERR_TRUNCATED;
		return -1;
	}
	bc.magic = xs_get_le64(b);
	bc.mfn_array_physaddr = xs_get_le64(b + 8);
	bc.shifted_nr_pages = xs_get_le64(b + 16);

	if (bc.magic != XS_LU_BREADCRUMB_MAGIC)
		return bc_fail(err, 0, "breadcrumb.magic",
			       "magic %#llx, expected 0x4c69766555706000",
			       (unsigned long long)bc.magic);
	if (!bc.mfn_array_physaddr ||
	    (bc.mfn_array_physaddr & (XS_PAGE_SIZE - 1)))
		return bc_fail(err, 8, "breadcrumb.mfn-array",
			       "MFN array address %#llx is not a non-zero page address",
			       (unsigned long long)bc.mfn_array_physaddr);
	if (bc.shifted_nr_pages & (XS_PAGE_SIZE - 1))
		return bc_fail(err, 16, "breadcrumb.nr-pages",
			       "shifted page count %#llx has low bits set",
			       (unsigned long long)bc.shifted_nr_pages);
	n = bc.shifted_nr_pages >> XS_PAGE_SHIFT;
	if (!n)
		return bc_fail(err, 16, "breadcrumb.nr-pages",
			       "page count %llu, expected at least 1",
			       (unsigned long long)n);
	/* The MFN array (8 bytes a page) must lie below 2^52. */
	if (bc.mfn_array_physaddr >= limit ||
	    n > (limit - bc.mfn_array_physaddr) / 8)
		return bc_fail(err, 16, "breadcrumb.range",
			       "MFN array of %llu entries runs past the physical address space",
			       (unsigned long long)n);
	if (out)
		*out = bc;
	if (nr_pages)
		*nr_pages = n;
	return 0;
}
