// SPDX-License-Identifier: GPL-2.0-only
/* One-line rendering of a struct xs_error (the library itself never prints). */
#include <stdio.h>

#include "xenstream.h"

int xs_error_format(const struct xs_error *e, char *buf, size_t len)
{
	if (e->in_record)
		return snprintf(buf, len,
				"offset %#llx: record %llu (0x%08x %s): %s",
				(unsigned long long)e->offset,
				(unsigned long long)e->record, e->type,
				e->type_name ? e->type_name : "?", e->msg);
	return snprintf(buf, len, "offset %#llx: %s",
			(unsigned long long)e->offset, e->msg);
}
