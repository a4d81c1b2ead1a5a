// SPDX-License-Identifier: GPL-2.0-only
/*
 * The multiboot2 information (MBI) xen#2 will read: its structure, the
 * module tags against the module segments, the load-base tag against
 * xen#2's address, and the brokered command line (UAPI "Brokered command
 * line").  Only the kernel's copy is read, so what is checked is what Xen
 * receives.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <asm/unaligned.h>

#include "image.h"

/* A module tag: its fixed part and at least the string's NUL. */
#define MBI_MODULE_MIN		(XEN_LU_MB2_MODULE_FIXED + 1)

struct xen_lu_mbi_walk {
	unsigned int nr_cmdline;
	unsigned int nr_modules;
	bool end;
};

static int xen_lu_mbi_module(struct xen_lu_image *img, const u8 *tag,
			     u32 size, unsigned int nr)
{
	u32 start, end;
	unsigned int i;

	if (size < MBI_MODULE_MIN || tag[size - 1])
		return xen_lu_broke(img, XEN_LU_RULE_MBI, img->mbi, -EINVAL);
	start = get_unaligned_le32(tag + 8);
	end = get_unaligned_le32(tag + 12);
	for (i = 0; i < img->nr; i++) {
		const struct xen_lu_segment *s = &img->seg[i];

		if (s->kind == XEN_LU_SEG_MODULE && s->index == nr &&
		    s->dest == start && s->dest + s->buf_size == end)
			return 0;
	}
	return xen_lu_broke(img, XEN_LU_RULE_MBI_MODULES, img->mbi, -EINVAL);
}

static int xen_lu_mbi_cmdline(struct xen_lu_image *img, const u8 *tag,
			      u32 size)
{
	const char *str = (const char *)tag + XEN_LU_MB2_TAG_HEADER;
	size_t room = size - XEN_LU_MB2_TAG_HEADER;
	size_t len = strnlen(str, room);

	if (len == room || len >= XEN_LU_CMDLINE_MAX)
		return xen_lu_broke(img, XEN_LU_RULE_CMDLINE, img->mbi,
				    -EINVAL);
	memcpy(img->cmdline, str, len + 1);
	return 0;
}

static int xen_lu_mbi_tag(struct xen_lu_image *img, struct xen_lu_mbi_walk *w,
			  const u8 *tag, u32 type, u32 size)
{
	const struct xen_lu_segment *xen = NULL;
	unsigned int i;

	switch (type) {
	case XEN_LU_MB2_TAG_CMDLINE:
		w->nr_cmdline++;
		return xen_lu_mbi_cmdline(img, tag, size);
	case XEN_LU_MB2_TAG_MODULE:
		return xen_lu_mbi_module(img, tag, size, w->nr_modules++);
	case XEN_LU_MB2_TAG_LOAD_BASE_ADDR:
		for (i = 0; i < img->nr && !xen; i++)
			if (img->seg[i].kind == XEN_LU_SEG_XEN)
				xen = &img->seg[i];
		if (size != XEN_LU_MB2_LOAD_BASE_SIZE ||
		    get_unaligned_le32(tag + 8) != xen->dest)
			return xen_lu_broke(img, XEN_LU_RULE_MBI_LOAD_BASE,
					    img->mbi, -EINVAL);
		return 0;
	default:
		return 0;
	}
}

/*
 * True when Xen would take @word (of @len bytes) as the live-update option,
 * or dom0's part of the line would start there.  Xen (xen/common/kernel.c
 * parse_params) splits its line at spaces only, knows no quoting, takes the
 * text before the first '=' (the whole word when there is none) as the key
 * and reads a "no-" prefix as a negation: "liveupdate", "liveupdate=...",
 * "no-liveupdate" all reach its handler.  Double quotes are dropped from
 * the key before comparing, so a word that a quote-aware reader (Linux, a
 * boot loader) would take as the option is refused too, although Xen
 * itself would call it unknown.
 */
static bool xen_lu_cmdline_reserved_word(const char *word, size_t len)
{
	char key[sizeof("no-liveupdate")];
	size_t n = 0, i;

	if (len == 2 && !memcmp(word, "--", 2))
		return true;
	for (i = 0; i < len && word[i] != '='; i++) {
		if (word[i] == '"')
			continue;
		if (n == sizeof(key) - 1)
			return false;
		key[n++] = word[i];
	}
	key[n] = '\0';
	return !strcmp(key, "liveupdate") || !strcmp(key, "no-liveupdate");
}

/**
 * xen_lu_cmdline_check() - the brokered command line rule
 * @img: @img->cmdline holds xen#2's command line
 * @layout: @layout->lu is the hypervisor's live-update range
 *
 * Words are taken as Xen takes them: split at spaces, quotes meaning
 * nothing.  A live-update line ends in exactly the hypervisor's range,
 * formatted as kexec-tools formats it, after at least one other word: Xen
 * drops the first word (the image name) for every loader but GRUB 2, so a
 * range in first place would never reach it.  No other word may set or
 * clear the range or start dom0's part of the line ("--"), and quotes must
 * be balanced so that no quote-aware reader joins the range to another
 * word either.
 *
 * Return: 0 or -EINVAL with @img->rule set.
 */
static int xen_lu_cmdline_check(struct xen_lu_image *img,
				const struct xen_lu_layout *layout)
{
	char want[48];
	const char *line = img->cmdline, *p, *word;
	size_t len = strlen(line), want_len = 0;
	unsigned int quotes = 0;

	if (img->type == XEN_LU_IMAGE_LIVE_UPDATE) {
		want_len = scnprintf(want, sizeof(want), " liveupdate=%lluM@0x%llx",
				     (layout->lu.size - 1) / SZ_1M + 1,
				     layout->lu.start);
		if (len < want_len ||
		    strcmp(line + len - want_len, want) ||
		    strspn(line, " ") >= len - want_len)
			return xen_lu_broke(img, XEN_LU_RULE_CMDLINE_RANGE,
					    img->mbi, -EINVAL);
		len -= want_len;
	}

	for (p = line; p < line + len; p++)
		quotes += *p == '"';
	if (quotes & 1)
		return xen_lu_broke(img, XEN_LU_RULE_CMDLINE_CONFLICT,
				    img->mbi, -EINVAL);

	for (p = line; p < line + len;) {
		while (p < line + len && *p == ' ')
			p++;
		word = p;
		while (p < line + len && *p != ' ')
			p++;
		if (xen_lu_cmdline_reserved_word(word, p - word))
			return xen_lu_broke(img, XEN_LU_RULE_CMDLINE_CONFLICT,
					    img->mbi, -EINVAL);
	}
	return 0;
}

/**
 * xen_lu_mbi_check() - check the MBI segment and read the command line
 * @img: an image with its buffers copied in and its table checked
 * @layout: unused by the structure checks; passed to the command line rule
 *
 * Return: 0 or -EINVAL with @img->rule set.
 */
int xen_lu_mbi_check(struct xen_lu_image *img,
		     const struct xen_lu_layout *layout)
{
	const struct xen_lu_segment *s = &img->seg[img->mbi];
	const u8 *mbi = img->buf[img->mbi];
	struct xen_lu_mbi_walk w = {};
	u32 total, off, type, size;
	unsigned int nr_modules = 0, i;
	int rc;

	if (s->buf_size < XEN_LU_MB2_INFO_HEADER + XEN_LU_MB2_TAG_HEADER)
		return xen_lu_broke(img, XEN_LU_RULE_MBI, img->mbi, -EINVAL);
	total = get_unaligned_le32(mbi);
	if (total < XEN_LU_MB2_INFO_HEADER + XEN_LU_MB2_TAG_HEADER || total > s->buf_size)
		return xen_lu_broke(img, XEN_LU_RULE_MBI, img->mbi, -EINVAL);

	for (off = XEN_LU_MB2_INFO_HEADER; !w.end; off = ALIGN(off + size, XEN_LU_MB2_TAG_ALIGN)) {
		if (off > total - XEN_LU_MB2_TAG_HEADER)
			return xen_lu_broke(img, XEN_LU_RULE_MBI, img->mbi,
					    -EINVAL);
		type = get_unaligned_le32(mbi + off);
		size = get_unaligned_le32(mbi + off + 4);
		if (size < XEN_LU_MB2_TAG_HEADER || size > total - off)
			return xen_lu_broke(img, XEN_LU_RULE_MBI, img->mbi,
					    -EINVAL);
		if (type == XEN_LU_MB2_TAG_END) {
			if (size != XEN_LU_MB2_TAG_HEADER || off + size != total)
				return xen_lu_broke(img, XEN_LU_RULE_MBI,
						    img->mbi, -EINVAL);
			w.end = true;
			continue;
		}
		rc = xen_lu_mbi_tag(img, &w, mbi + off, type, size);
		if (rc)
			return rc;
	}

	for (i = 0; i < img->nr; i++)
		nr_modules += img->seg[i].kind == XEN_LU_SEG_MODULE;
	if (w.nr_modules != nr_modules)
		return xen_lu_broke(img, XEN_LU_RULE_MBI_MODULES, img->mbi,
				    -EINVAL);
	if (w.nr_cmdline != 1)
		return xen_lu_broke(img, XEN_LU_RULE_CMDLINE, img->mbi,
				    -EINVAL);
	return xen_lu_cmdline_check(img, layout);
}
