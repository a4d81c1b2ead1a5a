// SPDX-License-Identifier: GPL-2.0-only
/* The MBI tag types lui_mbi_build() writes (see mbi.c). */
#include "luimage.h"
#include "mbi.h"

bool lui_mbi_provides(uint32_t type)
{
	switch (type) {
	case MBI_TAG_CMDLINE:
	case MBI_TAG_LOADER_NAME:
	case MBI_TAG_MODULE:
	case MBI_TAG_BASIC_MEMINFO:
	case MBI_TAG_MMAP:
	case MBI_TAG_LOAD_BASE_ADDR:
		return true;
	default:
		return false;
	}
}
