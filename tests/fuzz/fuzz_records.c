// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: the dom0 records dump validator on arbitrary input. */
#include <stddef.h>
#include <stdint.h>

#include "xenstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xs_verify_opts o = { .format = XS_FMT_LU_RECORDS };
	struct xs_stats st;
	struct xs_error e;

	xs_verify_mem(data, size, &o, &st, &e);
	return 0;
}
