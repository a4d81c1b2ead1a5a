// SPDX-License-Identifier: GPL-2.0-only
/*
 * Descriptors of the optional live update records (0xC0000000 and up) that
 * the validator checks instead of skipping.
 *
 * dom0's records are defined in include/uapi/xen/liveupdate.h.  When a type
 * is added there, add a row here: type, name, body length bounds, placement
 * flags and, if the bounds are not the whole rule, a check function that
 * reads the body with xs_ctx_body() and reports with xs_ctx_fail().  The
 * UAPI header defines no record yet, so the table is empty and every
 * optional record is skipped and counted.
 */
#include "lu-optional.h"

const struct xs_rec_desc xs_lu_optional_records[] = {
	{ 0 }	/* sentinel: type 0 is END, never optional */
};

const struct xs_rec_desc *xs_lu_optional_find(const struct xs_rec_desc *t,
					      size_t n, uint32_t type)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].type == type)
			return &t[i];
	return NULL;
}
