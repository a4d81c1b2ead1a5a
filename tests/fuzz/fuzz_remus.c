// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: Remus page decoder.  Decodes pages until the input is
 * used up; every page that decodes must re-encode (as a delta against the
 * base it was applied to) to something that decodes back to it.
 */
#include <stdint.h>
#include <string.h>

#include "legacy/remus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t page[REMUS_PAGE_SIZE], old[REMUS_PAGE_SIZE];
	static uint8_t enc[REMUS_WORST_SIZE], back[REMUS_PAGE_SIZE];
	size_t pos = 0, fault, p2, sz;

	memset(page, 0x5a, sizeof(page));
	while (pos < size) {
		memcpy(old, page, sizeof(old));
		if (remus_decode_page(data, size, &pos, page, &fault) != REMUS_OK) {
			if (fault >= size + 1)
				__builtin_trap();
			break;
		}
		memcpy(back, old, sizeof(back));
		sz = remus_encode_delta(page, old, enc);
		p2 = 0;
		if (sz > REMUS_WORST_SIZE ||
		    remus_decode_page(enc, sz, &p2, back, &fault) != REMUS_OK ||
		    p2 != sz || memcmp(back, page, sizeof(back)))
			__builtin_trap();
	}
	return 0;
}
