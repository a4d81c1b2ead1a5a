// SPDX-License-Identifier: GPL-2.0-only
/*
 * The multiboot2 information structure xen#2 gets in %ebx: the tags
 * kexec-tools writes, in its order (basic meminfo, memory map, load base,
 * command line, loader name, modules, end), each 8-byte aligned.  Sizing
 * and writing share one walk so they cannot disagree.
 */
#include <string.h>

#include <xen/liveupdate-mb2.h>

#include "luimage.h"
#include "util.h"

struct mbi_cursor {
	uint8_t *buf;		/* NULL while sizing */
	size_t size;		/* capacity when writing */
	size_t off;
};

static uint8_t *mbi_tag(struct mbi_cursor *c, uint32_t type, size_t len)
{
	uint8_t *t = c->buf ? c->buf + c->off : NULL;

	if (t) {
		memset(t, 0, (len + XEN_LU_MB2_TAG_ALIGN - 1) & ~(size_t)(XEN_LU_MB2_TAG_ALIGN - 1));
		lui_put32(t, type);
		lui_put32(t + 4, len);
	}
	c->off += (len + XEN_LU_MB2_TAG_ALIGN - 1) & ~(size_t)(XEN_LU_MB2_TAG_ALIGN - 1);
	return t;
}

static void mbi_string(struct mbi_cursor *c, uint32_t type, const char *s)
{
	size_t n = strlen(s) + 1;
	uint8_t *t = mbi_tag(c, type, XEN_LU_MB2_TAG_HEADER + n);

	if (t)
		memcpy(t + XEN_LU_MB2_TAG_HEADER, s, n);
}

static void mbi_meminfo(struct mbi_cursor *c, const struct lui_mem *map,
			unsigned int nr)
{
	uint64_t lower = 0, upper = 0, end;
	unsigned int i;
	uint8_t *t;

	for (i = 0; i < nr; i++) {
		if (map[i].type != LUI_MEM_RAM)
			continue;
		end = map[i].addr + map[i].size;
		if (map[i].addr <= 0x10000 && end > lower)
			lower = end;
		if (map[i].addr <= LUI_MIB && end > LUI_MIB + upper)
			upper = end - LUI_MIB;
	}
	lower = lower > 0xa0000 ? 640 : lower >> 10;
	upper = (upper >> 10) > UINT32_MAX ? UINT32_MAX : upper >> 10;
	t = mbi_tag(c, XEN_LU_MB2_TAG_BASIC_MEMINFO, XEN_LU_MB2_MEMINFO_SIZE);
	if (t) {
		lui_put32(t + 8, lower);
		lui_put32(t + 12, upper);
	}
}

static void mbi_mmap(struct mbi_cursor *c, const struct lui_mem *map,
		     unsigned int nr)
{
	uint8_t *t = mbi_tag(c, XEN_LU_MB2_TAG_MMAP, XEN_LU_MB2_MMAP_HEADER + nr * XEN_LU_MB2_MMAP_ENTRY);
	uint8_t *en;
	unsigned int i;

	if (!t)
		return;
	lui_put32(t + 8, XEN_LU_MB2_MMAP_ENTRY);
	lui_put32(t + 12, 0);
	for (i = 0; i < nr; i++) {
		en = t + XEN_LU_MB2_MMAP_HEADER + i * XEN_LU_MB2_MMAP_ENTRY;
		lui_put64(en, map[i].addr);
		lui_put64(en + 8, map[i].size);
		lui_put32(en + 16, map[i].type <= LUI_MEM_UNUSABLE ?
				   map[i].type : LUI_MEM_RESERVED);
	}
}

static void mbi_module(struct mbi_cursor *c, const struct lui_module *m,
		       uint64_t dest)
{
	size_t n = strlen(m->cmdline) + 1;
	uint8_t *t = mbi_tag(c, XEN_LU_MB2_TAG_MODULE, XEN_LU_MB2_MODULE_FIXED + n);

	if (!t)
		return;
	lui_put32(t + 8, dest);
	lui_put32(t + 12, dest + m->size);
	memcpy(t + XEN_LU_MB2_MODULE_FIXED, m->cmdline, n);
}

static int mbi_check(const struct lui_mbi_in *in, bool writing,
		     struct lui_error *e)
{
	unsigned int i;
	int ret;

	if (!in || !in->cmdline || (in->nr_modules && !in->modules) ||
	    (writing && in->nr_modules && !in->module_dest))
		return lui_fail(e, LUI_E_USAGE, "mbi: bad arguments");
	if (in->nr_modules > LUI_MAX_MODULES)
		return lui_fail(e, LUI_E_TOO_MANY_SEGMENTS,
				"%u modules, at most %u", in->nr_modules,
				LUI_MAX_MODULES);
	if (strnlen(in->cmdline, LUI_CMDLINE_MAX + 1) > LUI_CMDLINE_MAX)
		return lui_fail(e, LUI_E_CMDLINE_TOO_LONG, "MBI command line too long");
	ret = lui_mmap_check(in->map, in->nr_map, e);
	if (ret)
		return ret;
	for (i = 0; i < in->nr_modules; i++) {
		const struct lui_module *m = &in->modules[i];

		if (!m->cmdline ||
		    strnlen(m->cmdline, LUI_MODULE_CMDLINE_MAX + 1) >
		    LUI_MODULE_CMDLINE_MAX)
			return lui_fail(e, LUI_E_CMDLINE_BAD,
					"module %u: command line missing or over %u bytes",
					i, LUI_MODULE_CMDLINE_MAX);
		if (!m->size || m->size > LUI_MAX_MODULE_SIZE || !m->buf)
			return lui_fail(e, LUI_E_USAGE,
					"module %u: size %#llx not in 1..%#llx",
					i, (unsigned long long)m->size,
					(unsigned long long)LUI_MAX_MODULE_SIZE);
		if (writing && in->module_dest[i] + m->size > UINT32_MAX)
			return lui_fail(e, LUI_E_ABOVE_4G,
					"module %u at %#llx ends above 4 GiB: MB2 module addresses are 32-bit",
					i, (unsigned long long)in->module_dest[i]);
	}
	return 0;
}

static void mbi_walk(const struct lui_mbi_in *in, struct mbi_cursor *c)
{
	uint8_t *t;
	unsigned int i;

	c->off = XEN_LU_MB2_INFO_HEADER;
	mbi_meminfo(c, in->map, in->nr_map);
	mbi_mmap(c, in->map, in->nr_map);
	if (in->load_base) {
		t = mbi_tag(c, XEN_LU_MB2_TAG_LOAD_BASE_ADDR, XEN_LU_MB2_LOAD_BASE_SIZE);
		if (t)
			lui_put32(t + 8, in->load_base_addr);
	}
	mbi_string(c, XEN_LU_MB2_TAG_CMDLINE, in->cmdline);
	mbi_string(c, XEN_LU_MB2_TAG_LOADER_NAME, LUI_LOADER_NAME);
	for (i = 0; i < in->nr_modules; i++)
		mbi_module(c, &in->modules[i],
			   in->module_dest ? in->module_dest[i] : 0);
	mbi_tag(c, XEN_LU_MB2_TAG_END, XEN_LU_MB2_END_SIZE);
	if (c->buf) {
		lui_put32(c->buf, c->off);
		lui_put32(c->buf + 4, 0);
	}
}

int lui_mbi_size(const struct lui_mbi_in *in, size_t *size,
		 struct lui_error *e)
{
	struct mbi_cursor c = { 0 };
	int ret = mbi_check(in, false, e);

	if (ret)
		return ret;
	if (!size)
		return lui_fail(e, LUI_E_USAGE, "mbi: bad arguments");
	mbi_walk(in, &c);
	*size = c.off;
	return 0;
}

int lui_mbi_build(const struct lui_mbi_in *in, void *buf, size_t size,
		  struct lui_error *e)
{
	struct mbi_cursor c = { 0 };
	size_t need;
	int ret;

	ret = lui_mbi_size(in, &need, e);
	if (ret)
		return ret;
	ret = mbi_check(in, true, e);
	if (ret)
		return ret;
	if (!buf || size != need)
		return lui_fail(e, LUI_E_USAGE, "mbi: buffer of %zu bytes, need %zu",
				size, need);
	c.buf = buf;
	c.size = size;
	mbi_walk(in, &c);
	return 0;
}
