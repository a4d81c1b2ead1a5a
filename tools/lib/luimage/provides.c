// SPDX-License-Identifier: GPL-2.0-only
/* The MBI tag types lui_mbi_build() writes (see mbi.c). */
#include <xen/liveupdate-mb2.h>

#include "luimage.h"

bool lui_mbi_provides(uint32_t type)
{
	switch (type) {
	case XEN_LU_MB2_TAG_CMDLINE:
	case XEN_LU_MB2_TAG_LOADER_NAME:
	case XEN_LU_MB2_TAG_MODULE:
	case XEN_LU_MB2_TAG_BASIC_MEMINFO:
	case XEN_LU_MB2_TAG_MMAP:
	case XEN_LU_MB2_TAG_LOAD_BASE_ADDR:
		return true;
	default:
		return false;
	}
}
