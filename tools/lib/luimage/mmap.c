// SPDX-License-Identifier: GPL-2.0-only
/*
 * The caller's machine memory map (e820 numbering): checked once here, then
 * copied into the MBI and, for a cold kexec, used to find free RAM.
 */
#include "luimage.h"
#include "util.h"

int lui_mmap_check(const struct lui_mem *map, unsigned int nr,
		   struct lui_error *e)
{
	unsigned int i, j;
	uint64_t end;

	if (!map || !nr || nr > LUI_MAX_MMAP)
		return lui_fail(e, LUI_E_MMAP_BAD,
				"memory map of %u entries, need 1..%u", nr,
				LUI_MAX_MMAP);
	for (i = 0; i < nr; i++) {
		if (!map[i].size || !map[i].type ||
		    __builtin_add_overflow(map[i].addr, map[i].size, &end))
			return lui_fail(e, LUI_E_MMAP_BAD,
					"memory map entry %u [%#llx, +%#llx) type %u is empty, untyped or wraps",
					i, (unsigned long long)map[i].addr,
					(unsigned long long)map[i].size,
					map[i].type);
		if (map[i].type != LUI_MEM_RAM)
			continue;
		for (j = 0; j < i; j++)
			if (map[j].type == LUI_MEM_RAM &&
			    lui_overlaps(map[i].addr, map[i].size, map[j].addr,
					 map[j].size))
				return lui_fail(e, LUI_E_MMAP_BAD,
						"RAM entries %u and %u overlap", j, i);
	}
	return 0;
}
