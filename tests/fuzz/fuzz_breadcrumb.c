// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: breadcrumb decoder, then auto-detected verification. */
#include <stddef.h>
#include <stdint.h>

#include "xenstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xs_lu_breadcrumb bc;
	struct xs_verify_opts o = { .format = XS_FMT_UNKNOWN };
	struct xs_stats st;
	struct xs_error e;
	uint64_t n;

	if (!xs_breadcrumb_decode(data, size, &bc, &n, &e) &&
	    (n == 0 || (bc.mfn_array_physaddr & 0xfff)))
		__builtin_trap();	/* decoder let a bad breadcrumb pass */
	xs_verify_mem(data, size, &o, &st, &e);
	return 0;
}
