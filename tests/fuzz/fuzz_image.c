// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: libluimage on an untrusted Xen image (gzip or ELF):
 * load, ELF, multiboot2 header, then live-update and cold plans, each of
 * which must pass the plan checker when the planner accepts it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "luimage.h"

static const struct lui_mem map[] = {
	{ 0, 0x9fc00, LUI_MEM_RAM },
	{ 0x100000, 0x7fee0000, LUI_MEM_RAM },
	{ 0x7ffe0000, 0x20000, LUI_MEM_RESERVED },
};

static void plan(const struct lui_blob *b, const struct lui_elf *elf,
		 const struct lui_mb2 *mb, enum lui_mode mode)
{
	static const uint8_t mod[16];
	const struct lui_module mods[1] = { { mod, sizeof(mod), "dom0 x" } };
	struct lui_plan_in in = {
		.mode = mode, .img = b->data, .img_len = b->len, .elf = elf,
		.mb = mb, .ma_xen = { 0x7fa00000, 0x3a6140 },
		.lu = { 0x7ba00000, 64 << 20 }, .map = map, .nr_map = 3,
		.image_name = "xen", .append = "console=com1",
		.purgatory_size = 0x5000, .nr_modules = 1, .modules = mods,
	};
	struct lui_plan p;

	if (lui_plan_build(&in, &p, NULL))
		return;
	if (lui_plan_check(&p, NULL) || !p.cmdline || !p.mbi)
		__builtin_trap();	/* planner accepted what the checker refuses */
	lui_plan_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lui_blob b;
	struct lui_elf elf;
	struct lui_mb2 mb;
	struct lui_error e;

	if (lui_load_buffer(data, size, 8 << 20, &b, &e))
		return 0;
	if (!lui_elf_parse(b.data, b.len, &elf, &e) &&
	    !lui_mb2_parse(b.data, b.len, &mb, &e)) {
		plan(&b, &elf, &mb, LUI_MODE_LIVE_UPDATE);
		plan(&b, &elf, &mb, LUI_MODE_COLD);
	} else {
		lui_mb2_parse(b.data, b.len, &mb, &e);
	}
	lui_blob_free(&b);
	return 0;
}
