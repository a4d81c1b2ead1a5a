// SPDX-License-Identifier: GPL-2.0-only
/*
 * Multiboot2 header: found on an 8-byte boundary in the first 32 KiB with a
 * valid checksum, contained there completely, i386 architecture; then every
 * tag walked, sized and recorded.  A required tag we cannot honour fails;
 * an unknown optional tag is counted and skipped; duplicates fail.
 */
#include <string.h>

#include "luimage.h"
#include "util.h"

#define MB2_TAG_NR	(XEN_LU_MB2_HEADER_TAG_RELOCATABLE + 1)

static const struct {
	const char *name;
	uint32_t min_size;
} mb2_tags[MB2_TAG_NR] = {
	[XEN_LU_MB2_HEADER_TAG_END] = { "end", 8 },
	[XEN_LU_MB2_HEADER_TAG_INFO_REQ] = { "information request", 8 },
	[XEN_LU_MB2_HEADER_TAG_ADDRESS] = { "address", 24 },
	[XEN_LU_MB2_HEADER_TAG_ENTRY] = { "entry address", 12 },
	[XEN_LU_MB2_HEADER_TAG_CONSOLE] = { "console flags", 12 },
	[XEN_LU_MB2_HEADER_TAG_FB] = { "framebuffer", 20 },
	[XEN_LU_MB2_HEADER_TAG_MODULE_ALIGN] = { "module alignment", 8 },
	[XEN_LU_MB2_HEADER_TAG_EFI_BS] = { "EFI boot services", 8 },
	[XEN_LU_MB2_HEADER_TAG_ENTRY_EFI32] = { "EFI i386 entry address", 12 },
	[XEN_LU_MB2_HEADER_TAG_ENTRY_EFI64] = { "EFI amd64 entry address", 12 },
	[XEN_LU_MB2_HEADER_TAG_RELOCATABLE] = { "relocatable", 24 },
};

const char *lui_mb2_tag_name(unsigned int type)
{
	return type < MB2_TAG_NR ? mb2_tags[type].name : "unknown";
}

static int mb2_find(const uint8_t *img, size_t len, struct lui_mb2 *mb,
		    struct lui_error *e)
{
	size_t lim = len < XEN_LU_MB2_HEADER_SEARCH ? len : XEN_LU_MB2_HEADER_SEARCH;
	uint32_t off, sum, bad_at = 0;
	bool bad_sum = false;
	const uint8_t *p;

	for (off = 0; off + 16 <= lim; off += XEN_LU_MB2_HEADER_ALIGN) {
		p = img + off;
		if (lui_get32(p) != XEN_LU_MB2_HEADER_MAGIC)
			continue;
		sum = XEN_LU_MB2_HEADER_MAGIC + lui_get32(p + 4) + lui_get32(p + 8) +
		      lui_get32(p + 12);
		if (sum) {
			if (!bad_sum)
				bad_at = off;
			bad_sum = true;
			continue;
		}
		mb->offset = off;
		mb->architecture = lui_get32(p + 4);
		mb->header_length = lui_get32(p + 8);
		mb->checksum = lui_get32(p + 12);
		return 0;
	}
	if (bad_sum)
		return lui_fail(e, LUI_E_MB2_CHECKSUM,
				"multiboot2 magic at %#x but checksum does not sum to 0",
				bad_at);
	return lui_fail(e, LUI_E_NO_MB2,
			"no multiboot2 header (magic %#x) on an 8-byte boundary in the first %zu bytes",
			XEN_LU_MB2_HEADER_MAGIC, lim);
}

static int mb2_info_req(const uint8_t *t, uint32_t size, struct lui_mb2 *mb,
			struct lui_error *e)
{
	uint32_t i, n = (size - 8) / 4;

	if ((size - 8) % 4 || n > LUI_MAX_INFO_REQ)
		return lui_fail(e, LUI_E_MB2_BAD,
				"information request tag of %u bytes", size);
	mb->nr_info_req = n;
	for (i = 0; i < n; i++) {
		mb->info_req[i] = lui_get32(t + 8 + 4 * i);
		if (!mb->info_req_tag.optional &&
		    !lui_mbi_provides(mb->info_req[i]))
			return lui_fail(e, LUI_E_MB2_UNSUPPORTED,
					"image requires MBI tag type %u, which lu-ctl does not provide",
					mb->info_req[i]);
	}
	return 0;
}

/* Record one known tag's fields; refuse required features we lack. */
static int mb2_tag_fields(uint16_t type, const uint8_t *t, uint32_t size,
			  bool optional, struct lui_mb2 *mb,
			  struct lui_error *e)
{
	switch (type) {
	case XEN_LU_MB2_HEADER_TAG_INFO_REQ:
		return mb2_info_req(t, size, mb, e);
	case XEN_LU_MB2_HEADER_TAG_ADDRESS:
		mb->header_addr = lui_get32(t + 8);
		mb->load_addr = lui_get32(t + 12);
		mb->load_end_addr = lui_get32(t + 16);
		mb->bss_end_addr = lui_get32(t + 20);
		if (!optional)
			return lui_fail(e, LUI_E_MB2_UNSUPPORTED,
					"required address tag (a.out kludge): only ELF loading is supported");
		return 0;
	case XEN_LU_MB2_HEADER_TAG_ENTRY:
		mb->entry_addr = lui_get32(t + 8);
		return 0;
	case XEN_LU_MB2_HEADER_TAG_ENTRY_EFI32:
		mb->entry_efi32 = lui_get32(t + 8);
		goto efi_entry;
	case XEN_LU_MB2_HEADER_TAG_ENTRY_EFI64:
		mb->entry_efi64 = lui_get32(t + 8);
efi_entry:
		if (!optional)
			return lui_fail(e, LUI_E_MB2_UNSUPPORTED,
					"required %s tag: kexec does not enter through EFI",
					lui_mb2_tag_name(type));
		return 0;
	case XEN_LU_MB2_HEADER_TAG_CONSOLE:
		mb->console_flags = lui_get32(t + 8);
		if (!optional && (mb->console_flags & XEN_LU_MB2_CONSOLE_REQUIRED))
			return lui_fail(e, LUI_E_MB2_UNSUPPORTED,
					"image requires a console description, which lu-ctl does not provide");
		return 0;
	case XEN_LU_MB2_HEADER_TAG_FB:
		mb->fb_width = lui_get32(t + 8);
		mb->fb_height = lui_get32(t + 12);
		mb->fb_depth = lui_get32(t + 16);
		if (!optional)
			return lui_fail(e, LUI_E_MB2_UNSUPPORTED,
					"required framebuffer tag: lu-ctl sets no video mode");
		return 0;
	case XEN_LU_MB2_HEADER_TAG_EFI_BS:
		if (!optional)
			return lui_fail(e, LUI_E_MB2_UNSUPPORTED,
					"required EFI boot services tag: no EFI boot services under kexec");
		return 0;
	case XEN_LU_MB2_HEADER_TAG_RELOCATABLE:
		mb->reloc_min = lui_get32(t + 8);
		mb->reloc_max = lui_get32(t + 12);
		mb->reloc_align = lui_get32(t + 16);
		mb->reloc_pref = lui_get32(t + 20);
		if (mb->reloc_min > mb->reloc_max ||
		    (mb->reloc_align && !lui_is_pow2(mb->reloc_align)) ||
		    mb->reloc_pref > LUI_MB2_PREF_HIGH)
			return lui_fail(e, LUI_E_MB2_BAD,
					"relocatable tag min %#x max %#x align %#x preference %u",
					mb->reloc_min, mb->reloc_max,
					mb->reloc_align, mb->reloc_pref);
		return 0;
	default:	/* module alignment: every module is page aligned */
		return 0;
	}
}

static struct lui_mb2_tag *mb2_slot(struct lui_mb2 *mb, uint16_t type)
{
	switch (type) {
	case XEN_LU_MB2_HEADER_TAG_INFO_REQ: return &mb->info_req_tag;
	case XEN_LU_MB2_HEADER_TAG_ADDRESS: return &mb->address_tag;
	case XEN_LU_MB2_HEADER_TAG_ENTRY: return &mb->entry_tag;
	case XEN_LU_MB2_HEADER_TAG_CONSOLE: return &mb->console_tag;
	case XEN_LU_MB2_HEADER_TAG_FB: return &mb->fb_tag;
	case XEN_LU_MB2_HEADER_TAG_MODULE_ALIGN: return &mb->module_align_tag;
	case XEN_LU_MB2_HEADER_TAG_EFI_BS: return &mb->efi_bs_tag;
	case XEN_LU_MB2_HEADER_TAG_ENTRY_EFI32: return &mb->entry_efi32_tag;
	case XEN_LU_MB2_HEADER_TAG_ENTRY_EFI64: return &mb->entry_efi64_tag;
	case XEN_LU_MB2_HEADER_TAG_RELOCATABLE: return &mb->reloc_tag;
	default: return NULL;
	}
}

static int mb2_tag(const uint8_t *img, uint32_t off, uint32_t room,
		   struct lui_mb2 *mb, uint32_t *size, struct lui_error *e)
{
	const uint8_t *t = img + off;
	uint16_t type = lui_get16(t), flags = lui_get16(t + 2);
	bool optional = flags & XEN_LU_MB2_HEADER_TAG_OPTIONAL;
	struct lui_mb2_tag *slot;

	*size = lui_get32(t + 4);
	if (*size < 8 || *size > room)
		return lui_fail(e, LUI_E_MB2_BAD,
				"tag type %u at %#x: size %u, %u bytes left in the header",
				type, off, *size, room);
	if (type < MB2_TAG_NR && *size < mb2_tags[type].min_size)
		return lui_fail(e, LUI_E_MB2_BAD,
				"%s tag at %#x: size %u, need %u",
				mb2_tags[type].name, off, *size,
				mb2_tags[type].min_size);
	slot = mb2_slot(mb, type);
	if (!slot && type != XEN_LU_MB2_HEADER_TAG_END) {
		if (!optional)
			return lui_fail(e, LUI_E_MB2_UNSUPPORTED,
					"unknown required tag type %u at %#x",
					type, off);
		mb->nr_unknown_optional++;
		return 0;
	}
	if (!slot)
		return 0;
	if (slot->present)
		return lui_fail(e, LUI_E_MB2_BAD, "duplicate %s tag at %#x",
				mb2_tags[type].name, off);
	slot->present = true;
	slot->optional = optional;
	slot->offset = off;
	return mb2_tag_fields(type, t, *size, optional, mb, e);
}

int lui_mb2_parse(const uint8_t *img, size_t len, struct lui_mb2 *mb,
		  struct lui_error *e)
{
	uint32_t off, end, size, lim;
	int ret;

	if (!img || !mb)
		return lui_fail(e, LUI_E_USAGE, "mb2: bad arguments");
	memset(mb, 0, sizeof(*mb));
	ret = mb2_find(img, len, mb, e);
	if (ret)
		return ret;
	if (mb->architecture != 0)
		return lui_fail(e, LUI_E_MB2_ARCH,
				"multiboot2 architecture %u, want 0 (i386)",
				mb->architecture);
	lim = len < XEN_LU_MB2_HEADER_SEARCH ? len : XEN_LU_MB2_HEADER_SEARCH;
	if (mb->header_length < 16 + 8 || mb->header_length > lim - mb->offset)
		return lui_fail(e, LUI_E_MB2_BAD,
				"header_length %u at %#x: not within the first %u bytes",
				mb->header_length, mb->offset, lim);
	end = mb->offset + mb->header_length;
	for (off = mb->offset + 16; off + 8 <= end; off += size) {
		ret = mb2_tag(img, off, end - off, mb, &size, e);
		if (ret)
			return ret;
		mb->nr_tags++;
		if (lui_get16(img + off) == XEN_LU_MB2_HEADER_TAG_END)
			return 0;
		size = (size + 7) & ~7U;
	}
	return lui_fail(e, LUI_E_MB2_BAD, "no end tag within header_length %u",
			mb->header_length);
}
