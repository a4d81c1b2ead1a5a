// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen#2's command line, byte for byte as kexec-tools builds it:
 * concat_cmdline(image_name, append) then cmdline_add_liveupdate().  Xen
 * drops the first word (the image name) for every loader but GRUB 2, so the
 * name stays.  Xen splits its options on spaces, with no quoting.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luimage.h"

static bool word_is_liveupdate(const char *w, size_t n)
{
	static const char key[] = "liveupdate";
	size_t k = sizeof(key) - 1;

	if (n >= 3 && !strncmp(w, "no-", 3)) {
		w += 3;
		n -= 3;
	}
	return n >= k && !strncmp(w, key, k) && (n == k || w[k] == '=');
}

static int cmdline_check_append(const char *s, struct lui_error *e)
{
	const char *p = s, *w;

	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return lui_fail(e, LUI_E_CMDLINE_BAD,
					"control character %#x at byte %zu of the command line",
					(unsigned char)*p, (size_t)(p - s));
	if (!strncmp(s, "-- ", 3) || !strcmp(s, "--") || strstr(s, " -- ") ||
	    (strlen(s) >= 3 && !strcmp(s + strlen(s) - 3, " --")))
		return lui_fail(e, LUI_E_CMDLINE_DOM0,
				"\"--\" starts dom0's part of Xen's command line; liveupdate= would land there");
	for (p = s; *p;) {
		while (*p == ' ')
			p++;
		w = p;
		while (*p && *p != ' ')
			p++;
		if (p > w && word_is_liveupdate(w, p - w))
			return lui_fail(e, LUI_E_CMDLINE_CONFLICT,
					"the command line already has \"%.*s\"; lu-ctl sets liveupdate= from the hypervisor's range",
					(int)(p - w), w);
	}
	return 0;
}

static int cmdline_lu_suffix(const struct lui_range *lu, char *buf, size_t len,
			     struct lui_error *e)
{
	uint64_t last;

	if (!lu->size || __builtin_add_overflow(lu->start, lu->size - 1, &last))
		return lui_fail(e, LUI_E_BAD_RANGE,
				"live update range start %#llx size %#llx is empty or wraps",
				(unsigned long long)lu->start,
				(unsigned long long)lu->size);
	snprintf(buf, len, " liveupdate=%" PRIu64 "M@0x%" PRIx64,
		 (uint64_t)((last - lu->start) / LUI_MIB + 1), lu->start);
	return 0;
}

int lui_cmdline_build(const char *image_name, const char *append,
		      const struct lui_range *lu, char **out,
		      struct lui_error *e)
{
	char suffix[64] = "";
	size_t name_len, xen_len;
	int ret;

	if (!image_name || !out)
		return lui_fail(e, LUI_E_USAGE, "cmdline: bad arguments");
	*out = NULL;
	name_len = strnlen(image_name, LUI_IMAGE_NAME_MAX + 1);
	if (!name_len || name_len > LUI_IMAGE_NAME_MAX ||
	    strpbrk(image_name, " \t\n"))
		return lui_fail(e, LUI_E_CMDLINE_BAD,
				"image name must be 1..%u bytes without spaces: Xen drops the first word",
				LUI_IMAGE_NAME_MAX);
	if (append) {
		if (strnlen(append, LUI_XEN_CMDLINE_MAX + 1) > LUI_XEN_CMDLINE_MAX)
			return lui_fail(e, LUI_E_CMDLINE_TOO_LONG,
					"command line longer than %u bytes",
					LUI_XEN_CMDLINE_MAX);
		ret = cmdline_check_append(append, e);
		if (ret)
			return ret;
	}
	if (lu) {
		ret = cmdline_lu_suffix(lu, suffix, sizeof(suffix), e);
		if (ret)
			return ret;
	}
	/* What Xen keeps: append and suffix, after the name and its space. */
	xen_len = (append ? strlen(append) : 0) + strlen(suffix);
	if (xen_len > LUI_XEN_CMDLINE_MAX)
		return lui_fail(e, LUI_E_CMDLINE_TOO_LONG,
				"Xen's command line would be %zu bytes, at most %u",
				xen_len, LUI_XEN_CMDLINE_MAX);
	if (asprintf(out, "%s%s%s%s", image_name, append ? " " : "",
		     append ? append : "", suffix) < 0) {
		*out = NULL;
		return lui_fail(e, LUI_E_NOMEM, "cmdline: out of memory");
	}
	return 0;
}
