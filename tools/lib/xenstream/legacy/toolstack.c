// SPDX-License-Identifier: GPL-2.0-only
/*
 * libxl's legacy toolstack blob (libxl__toolstack_save(), version 1):
 *   u32 version (1); u32 count; count times
 *   struct libxl__physmap_info { u64 phys_offset, start_addr, size;
 *                                u32 namelen; char name[namelen]; }
 * written as sizeof(struct) + namelen octets, so a 64-bit toolstack left 4
 * octets of struct padding after the name.  Each entry becomes the
 * xenstore keys physmap/<phys>/{start_addr,size,name}, as
 * convert-legacy-stream writes them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "endian.h"

static int fail(struct xs_error *err, const char *rule, const char *msg)
{
	err->code = XS_ERR_INVALID;
	err->rule = rule;
	snprintf(err->msg, sizeof(err->msg), "toolstack data: %s", msg);
	return -1;
}

static int add(uint8_t **kv, size_t *len, const char *s, size_t n,
	       struct xs_error *err)
{
	uint8_t *p = realloc(*kv, *len + n + 1);

	if (!p) {
		err->code = XS_ERR_NOMEM;
		err->rule = "convert.nomem";
		snprintf(err->msg, sizeof(err->msg), "no memory for toolstack data");
		return -1;
	}
	memcpy(p + *len, s, n);
	p[*len + n] = 0;
	*kv = p;
	*len += n + 1;
	return 0;
}

int convert_toolstack(const uint8_t *data, uint32_t len, unsigned int width,
		      uint8_t **kv, size_t *kv_len, struct xs_error *err)
{
	uint32_t count, i, pad = width == 8 ? 4 : 0;
	size_t pos = 8;

	if (len < 8)
		return fail(err, "convert.toolstack.short", "shorter than its header");
	if (xs_get_le32(data) != 1)
		return fail(err, "convert.toolstack.version", "version is not 1");
	count = xs_get_le32(data + 4);
	for (i = 0; i < count; i++) {
		uint64_t phys, start, size;
		uint32_t namelen;
		char root[40], key[64], val[24];
		int rc = 0;

		if (len - pos < 28)
			return fail(err, "convert.toolstack.short",
				    "too short for a physmap entry");
		phys = xs_get_le64(data + pos);
		start = xs_get_le64(data + pos + 8);
		size = xs_get_le64(data + pos + 16);
		namelen = xs_get_le32(data + pos + 24);
		pos += 28;
		if (!namelen)
			return fail(err, "convert.toolstack.name", "empty physmap name");
		if (len - pos < (uint64_t)namelen + pad)
			return fail(err, "convert.toolstack.short",
				    "too short for a physmap name");
		if (data[pos + namelen - 1])
			return fail(err, "convert.toolstack.name",
				    "physmap name not NUL terminated");
		snprintf(root, sizeof(root), "physmap/%" PRIx64, phys);
		snprintf(key, sizeof(key), "%s/start_addr", root);
		snprintf(val, sizeof(val), "%" PRIx64, start);
		rc |= add(kv, kv_len, key, strlen(key), err);
		rc |= add(kv, kv_len, val, strlen(val), err);
		snprintf(key, sizeof(key), "%s/size", root);
		snprintf(val, sizeof(val), "%" PRIx64, size);
		rc |= add(kv, kv_len, key, strlen(key), err);
		rc |= add(kv, kv_len, val, strlen(val), err);
		snprintf(key, sizeof(key), "%s/name", root);
		rc |= add(kv, kv_len, key, strlen(key), err);
		rc |= add(kv, kv_len, (const char *)data + pos, namelen - 1, err);
		if (rc)
			return -1;
		pos += (size_t)namelen + pad;
	}
	return 0;
}
