// SPDX-License-Identifier: GPL-2.0-only
/* Error codes of libluimage and their names. */
#include <stdarg.h>
#include <stdio.h>

#include "luimage.h"

static const char *const lui_names[LUI_E_CODE_MAX] = {
	[LUI_OK] = "success",
	[LUI_E_USAGE] = "invalid arguments",
	[LUI_E_NOMEM] = "out of memory",
	[LUI_E_IO] = "cannot read the image",
	[LUI_E_TOO_BIG] = "image too big",
	[LUI_E_GZIP_TRUNCATED] = "gzip stream truncated",
	[LUI_E_GZIP_CORRUPT] = "gzip stream corrupt",
	[LUI_E_NOT_ELF] = "not an ELF image",
	[LUI_E_ELF_BAD] = "invalid ELF image",
	[LUI_E_NO_MB2] = "no multiboot2 header",
	[LUI_E_MB2_CHECKSUM] = "multiboot2 header checksum mismatch",
	[LUI_E_MB2_ARCH] = "multiboot2 header not for i386",
	[LUI_E_MB2_BAD] = "malformed multiboot2 header",
	[LUI_E_MB2_UNSUPPORTED] = "multiboot2 header needs an unsupported feature",
	[LUI_E_NOT_RELOCATABLE] = "image is not relocatable",
	[LUI_E_OUT_OF_REACH] = "relocatable range cannot reach the target",
	[LUI_E_ALIGN] = "target breaks the image's load alignment",
	[LUI_E_XEN_TOO_BIG] = "new Xen larger than the running Xen's region",
	[LUI_E_BAD_RANGE] = "empty or wrapping address range",
	[LUI_E_CMDLINE_CONFLICT] = "command line already sets liveupdate=",
	[LUI_E_CMDLINE_DOM0] = "command line has a dom0 part (\" -- \")",
	[LUI_E_CMDLINE_TOO_LONG] = "command line too long",
	[LUI_E_CMDLINE_BAD] = "invalid command line or image name",
	[LUI_E_MMAP_BAD] = "invalid memory map",
	[LUI_E_WINDOW_TOO_SMALL] = "live update window too small",
	[LUI_E_NO_ROOM] = "no free RAM for a segment",
	[LUI_E_TOO_MANY_SEGMENTS] = "too many segments",
	[LUI_E_OVERLAP] = "segments overlap",
	[LUI_E_UNALIGNED] = "segment not page aligned",
	[LUI_E_BUF_SIZE] = "segment buffer larger than its destination",
	[LUI_E_ABOVE_4G] = "address above 4 GiB in a 32-bit field",
	[LUI_E_OUTSIDE_WINDOW] = "segment outside the live update window",
};

const char *lui_strerror(enum lui_code code)
{
	if ((unsigned int)code >= LUI_E_CODE_MAX || !lui_names[code])
		return "unknown error";
	return lui_names[code];
}

int lui_fail(struct lui_error *e, enum lui_code code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	e->sys_errno = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}
