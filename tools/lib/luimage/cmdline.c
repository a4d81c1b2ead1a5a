// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen#2's command line, byte for byte as kexec-tools builds it:
 * concat_cmdline(image_name, append) then cmdline_add_liveupdate().  Xen
 * drops the first word (the image name) for every loader but GRUB 2, so the
 * name stays.  Xen splits its options on spaces, with no quoting
 * (xen/common/kernel.c parse_params); the rules are the module's
 * (drivers/xen/liveupdate/mbi.c), so lu-ctl refuses what the module would:
 * a word whose key (before the first '=', quotes dropped) is "liveupdate"
 * or "no-liveupdate", a "--" word, unbalanced double quotes, and a whole
 * line, image name included, of more than XEN_LU_CMDLINE_MAX - 1 bytes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luimage.h"

/* Xen's key of the word: text before the first '=', quotes dropped. */
static bool word_is_liveupdate(const char *w, size_t n)
{
	char key[sizeof("no-liveupdate")];
	size_t k = 0, i;

	for (i = 0; i < n && w[i] != '='; i++) {
		if (w[i] == '"')
			continue;
		if (k == sizeof(key) - 1)
			return false;
		key[k++] = w[i];
	}
	key[k] = '\0';
	return !strcmp(key, "liveupdate") || !strcmp(key, "no-liveupdate");
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
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
	if (count_char(s, '"') & 1)
		return lui_fail(e, LUI_E_CMDLINE_CONFLICT,
				"unbalanced double quotes: a quote-aware reader would join liveupdate= to another word");
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
	size_t name_len, len;
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
		if (strnlen(append, LUI_CMDLINE_MAX + 1) > LUI_CMDLINE_MAX)
			return lui_fail(e, LUI_E_CMDLINE_TOO_LONG,
					"command line longer than %u bytes",
					LUI_CMDLINE_MAX);
		ret = cmdline_check_append(append, e);
		if (ret)
			return ret;
	}
	if (lu) {
		ret = cmdline_lu_suffix(lu, suffix, sizeof(suffix), e);
		if (ret)
			return ret;
	}
	/* The whole line, as the MBI carries it and the module checks it. */
	len = name_len + (append ? 1 + strlen(append) : 0) + strlen(suffix);
	if (len > LUI_CMDLINE_MAX)
		return lui_fail(e, LUI_E_CMDLINE_TOO_LONG,
				"xen#2's command line would be %zu bytes with the image name, at most %u",
				len, LUI_CMDLINE_MAX);
	if (asprintf(out, "%s%s%s%s", image_name, append ? " " : "",
		     append ? append : "", suffix) < 0) {
		*out = NULL;
		return lui_fail(e, LUI_E_NOMEM, "cmdline: out of memory");
	}
	return 0;
}
