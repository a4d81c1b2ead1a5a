// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names and descriptions for staged images, shared by "stage", "unstage"
 * and "status".
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "luimage.h"
#include "staging.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const image_types[] = {
	[XEN_LU_IMAGE_NONE] = "none",
	[XEN_LU_IMAGE_LIVE_UPDATE] = "live-update",
	[XEN_LU_IMAGE_COLD] = "cold",
};

/* One line per enum xen_lu_stage_rule, in the UAPI header's words. */
static const char *const rules[] = {
	[XEN_LU_RULE_NONE] = "no rule broken",
	[XEN_LU_RULE_FLAGS] = "unknown flag, reserved field set, or signature arguments incomplete",
	[XEN_LU_RULE_NR_SEGMENTS] = "an image has 1 to 15 segments",
	[XEN_LU_RULE_SEG_KIND] = "unknown segment kind",
	[XEN_LU_RULE_SEG_BUF] = "only a low fill has no buffer",
	[XEN_LU_RULE_SEG_ALIGN] = "destination and size must be page aligned and non-empty",
	[XEN_LU_RULE_SEG_SIZE] = "buffer larger than its destination, or destination wraps",
	[XEN_LU_RULE_SEG_ORDER] = "segments must be sorted by destination",
	[XEN_LU_RULE_SEG_OVERLAP] = "segment destinations overlap",
	[XEN_LU_RULE_SEG_COUNT] = "need one purgatory, one MBI, Xen segments and modules numbered 0..n-1 (at most 8)",
	[XEN_LU_RULE_IMAGE_TOO_BIG] = "image larger than 1 GiB",
	[XEN_LU_RULE_PLACE_XEN] = "live update: the new Xen must start at, and stay within, the running Xen's range",
	[XEN_LU_RULE_PLACE_WINDOW] = "live update: purgatory, MBI and modules must be in the live-update window past the breadcrumb page",
	[XEN_LU_RULE_PLACE_LOW_FILL] = "low fills must be below 1 MiB",
	[XEN_LU_RULE_PLACE_RAM] = "cold: every segment must be in RAM of the machine memory map",
	[XEN_LU_RULE_PLACE_4G] = "multiboot2 addresses must be below 4 GiB",
	[XEN_LU_RULE_ENTRY] = "the entry point must be the purgatory",
	[XEN_LU_RULE_XEN_ENTRY] = "the new Xen's entry is not inside its loaded image",
	[XEN_LU_RULE_PURGATORY] = "the purgatory is not the one the module accepts",
	[XEN_LU_RULE_MBI] = "the multiboot2 information is malformed",
	[XEN_LU_RULE_MBI_MODULES] = "multiboot2 module tags do not match the module segments",
	[XEN_LU_RULE_MBI_LOAD_BASE] = "the load-base tag is not the new Xen's address",
	[XEN_LU_RULE_CMDLINE] = "need exactly one command line of at most 1023 bytes",
	[XEN_LU_RULE_CMDLINE_RANGE] = "the command line does not end in the hypervisor's liveupdate= range",
	[XEN_LU_RULE_CMDLINE_CONFLICT] = "the command line sets liveupdate=/no-liveupdate itself, has '--' or unbalanced quotes",
	[XEN_LU_RULE_LOCKDOWN] = "the kernel is locked down: a signed live-update image is required (cold images are refused)",
	[XEN_LU_RULE_SIGNED_IMAGE] = "the Xen segments are not the signed image's contents",
};

static const char *name_of(const char *const *names, size_t n, unsigned int v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

const char *lu_image_type_name(unsigned int type)
{
	return name_of(image_types, ARRAY_SIZE(image_types), type);
}

const char *lu_stage_rule_text(unsigned int rule)
{
	return name_of(rules, ARRAY_SIZE(rules), rule);
}

void lu_staged_sha256_hex(const struct xen_lu_info *info, char out[LU_SHA256_HEX + 1])
{
	unsigned int i;

	for (i = 0; i < sizeof(info->out_staged_sha256); i++)
		sprintf(out + 2 * i, "%02x", info->out_staged_sha256[i]);
}

static void time_text(uint64_t ns, char *buf, size_t len)
{
	time_t t = ns / 1000000000ULL;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "%" PRIu64 " ns", ns);
}

void lu_staged_print(FILE *f, const struct xen_lu_info *info)
{
	char sha[LU_SHA256_HEX + 1], when[64];
	unsigned int i;

	if (!(info->out_flags & XEN_LU_INFO_STAGED)) {
		fprintf(f, "%-14s nothing\n", "staged:");
		return;
	}
	lu_staged_sha256_hex(info, sha);
	time_text(info->out_staged_time_ns, when, sizeof(when));
	fprintf(f, "%-14s %s image%s, %u segments, %" PRIu64 " bytes, at %s\n",
		"staged:", lu_image_type_name(info->out_staged_type),
		info->out_staged_type == XEN_LU_IMAGE_COLD ?
		" (COLD: exec loses every domain)" : "",
		info->out_staged_nr_segments, (uint64_t)info->out_staged_bytes,
		when);
	fprintf(f, "%-14s 0x%" PRIx64 " (purgatory), xen#2 entry 0x%" PRIx64 "\n",
		"entry:", (uint64_t)info->out_staged_entry,
		(uint64_t)info->out_staged_xen_entry);
	fprintf(f, "%-14s %s\n", "cmdline:", info->out_staged_cmdline);
	fprintf(f, "%-14s %s\n", "sha256:", sha);
	for (i = 0; i < info->out_staged_nr_segments &&
	     i < XEN_LU_MAX_SEGMENTS; i++) {
		const struct xen_lu_segment *s = &info->out_staged_segments[i];

		fprintf(f, "  segment %2u   %-9s 0x%09" PRIx64 "-0x%09" PRIx64
			" %10" PRIu64 " bytes\n", i, lui_seg_kind_name(s->kind),
			(uint64_t)s->dest, (uint64_t)(s->dest + s->dest_size - 1),
			(uint64_t)s->buf_size);
	}
}

struct json_object *lu_staged_json(const struct xen_lu_info *info)
{
	struct json_object *st, *segs;
	char sha[LU_SHA256_HEX + 1];
	unsigned int i;

	if (!(info->out_flags & XEN_LU_INFO_STAGED))
		return NULL;
	lu_staged_sha256_hex(info, sha);
	st = json_object_new_object();
	segs = json_object_new_array();
	json_object_object_add(st, "type",
			       json_object_new_string(lu_image_type_name(info->out_staged_type)));
	json_object_object_add(st, "entry",
			       json_object_new_uint64(info->out_staged_entry));
	json_object_object_add(st, "xen_entry",
			       json_object_new_uint64(info->out_staged_xen_entry));
	json_object_object_add(st, "bytes",
			       json_object_new_uint64(info->out_staged_bytes));
	json_object_object_add(st, "time_ns",
			       json_object_new_uint64(info->out_staged_time_ns));
	json_object_object_add(st, "sha256", json_object_new_string(sha));
	json_object_object_add(st, "cmdline",
			       json_object_new_string(info->out_staged_cmdline));
	for (i = 0; i < info->out_staged_nr_segments &&
	     i < XEN_LU_MAX_SEGMENTS; i++) {
		const struct xen_lu_segment *s = &info->out_staged_segments[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "kind",
				       json_object_new_string(lui_seg_kind_name(s->kind)));
		json_object_object_add(o, "index", json_object_new_int(s->index));
		json_object_object_add(o, "dest", json_object_new_uint64(s->dest));
		json_object_object_add(o, "dest_size",
				       json_object_new_uint64(s->dest_size));
		json_object_object_add(o, "buf_size",
				       json_object_new_uint64(s->buf_size));
		json_object_array_add(segs, o);
	}
	json_object_object_add(st, "segments", segs);
	return st;
}
