// SPDX-License-Identifier: GPL-2.0-only
/*
 * The segment planner, live update and cold, on the real Xen 4.17 image
 * with the MA_XEN range measured on the test host, plus one generated case
 * per refusal and a seeded random sweep checked against Xen's rules.
 *
 * The live-update window is INVENTED: stock Xen has no
 * KEXEC_RANGE_MA_LIVEUPDATE (get_range(7) answers -EINVAL), so we use
 * 64 MiB just below MA_XEN, where Woodhouse's and Grall's designs put it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/tap.h"
#include "gen.h"
#include "luimage.h"

#define HOST_MA_XEN_START	0x7fa00000ULL	/* measured: get_range(MA_XEN) */
#define HOST_MA_XEN_SIZE	0x3a6140ULL
#define LU_START		(HOST_MA_XEN_START - (64ULL << 20))	/* invented */
#define LU_SIZE			(64ULL << 20)
#define PURGATORY_SIZE		0x5000ULL	/* a slot only, for now */

/* e820 of the QEMU TCG test host (-m 2G), as Xen reports it. */
static const struct lui_mem host_map[] = {
	{ 0, 0x9fc00, LUI_MEM_RAM },
	{ 0x9fc00, 0x400, LUI_MEM_RESERVED },
	{ 0xf0000, 0x10000, LUI_MEM_RESERVED },
	{ 0x100000, 0x7fee0000, LUI_MEM_RAM },
	{ 0x7ffe0000, 0x20000, LUI_MEM_RESERVED },
	{ 0xfffc0000, 0x40000, LUI_MEM_RESERVED },
};

struct fixture {
	uint8_t *img;
	size_t len;
	struct lui_elf elf;
	struct lui_mb2 mb;
	uint8_t *mod_buf[2];
	struct lui_module mods[LUI_MAX_MODULES + 1];
	bool real;
};

/*
 * dom0's kernel and initrd as modules: sizes like Debian's, contents
 * generated, so that every machine plans the same image (the plan reads
 * no module byte).
 */
#define FIXTURE_KERNEL_SIZE	(8U << 20)
#define FIXTURE_INITRD_SIZE	(40U << 20)

static void fixture_modules(struct fixture *f)
{
	static const size_t size[2] = { FIXTURE_KERNEL_SIZE,
					FIXTURE_INITRD_SIZE };
	static const char *const cmd[2] = { "/boot/vmlinuz console=hvc0",
					    "/boot/initrd.img" };
	int i;

	for (i = 0; i < 2; i++) {
		f->mod_buf[i] = malloc(size[i]);
		if (!f->mod_buf[i])
			abort();
		memset(f->mod_buf[i], 0x5a + i, size[i]);
		f->mods[i] = (struct lui_module){ f->mod_buf[i], size[i], cmd[i] };
	}
	for (i = 2; i <= LUI_MAX_MODULES; i++)
		f->mods[i] = (struct lui_module){ f->mod_buf[1], 4096, "extra" };
}

static void fixture_init(struct fixture *f)
{
	struct lui_blob b;
	struct gen_image g;

	memset(f, 0, sizeof(*f));
	if (!lui_load_file("/boot/xen-4.17-amd64.gz", LUI_MAX_IMAGE, &b, NULL)) {
		f->img = b.data;
		f->len = b.len;
		f->real = true;
	} else {
		gen_xen_like(&g);
		g.memsz = 0x3a7000;
		f->img = gen_build(&g, &f->len);
	}
	if (lui_elf_parse(f->img, f->len, &f->elf, NULL) ||
	    lui_mb2_parse(f->img, f->len, &f->mb, NULL))
		abort();
	fixture_modules(f);
}

static struct lui_plan_in lu_in(struct fixture *f)
{
	return (struct lui_plan_in){
		.mode = LUI_MODE_LIVE_UPDATE, .img = f->img, .img_len = f->len,
		.elf = &f->elf, .mb = &f->mb,
		.ma_xen = { HOST_MA_XEN_START, HOST_MA_XEN_SIZE },
		.lu = { LU_START, LU_SIZE },
		.map = host_map, .nr_map = 6, .image_name = "xen.gz",
		.append = "console=com1 dom0_mem=1G",
		.purgatory_size = PURGATORY_SIZE,
		.nr_modules = 2, .modules = f->mods,
	};
}

static void diag_plan(const struct lui_plan *p)
{
	unsigned int i;

	tap_diag("%u segments, arch %u, entry %#llx, MBI %zu bytes at %#llx",
		 p->nr, p->arch, (unsigned long long)p->xen_entry, p->mbi_size,
		 (unsigned long long)p->mbi_dest);
	for (i = 0; i < p->nr; i++)
		tap_diag("  %-9s dest %#11llx size %#9llx buf %s %#llx",
			 lui_seg_kind_name(p->seg[i].kind),
			 (unsigned long long)p->seg[i].dest,
			 (unsigned long long)p->seg[i].dest_size,
			 p->seg[i].buf ? "yes" : "NULL",
			 (unsigned long long)p->seg[i].buf_size);
	tap_diag("  cmdline \"%s\"", p->cmdline);
}

/* Does the MBI name each module where the plan put it? */
static bool mbi_modules_match(const struct lui_plan *p, unsigned int nr)
{
	const uint8_t *b = p->mbi;
	size_t off = 8;
	unsigned int m = 0;
	uint32_t t, s;

	while (off + 8 <= p->mbi_size) {
		memcpy(&t, b + off, 4);
		memcpy(&s, b + off + 4, 4);
		if (t == 0)
			break;
		if (t == 3) {
			uint32_t start;

			memcpy(&start, b + off + 8, 4);
			if (m >= nr || start != p->module_dest[m])
				return false;
			m++;
		}
		off += (s + 7) & ~7U;
	}
	return m == nr;
}

static const struct lui_segment *find_seg(const struct lui_plan *p,
					  enum xen_lu_segment_kind k)
{
	for (unsigned int i = 0; i < p->nr; i++)
		if (p->seg[i].kind == k)
			return &p->seg[i];
	return NULL;
}

static void test_live_update(struct fixture *f)
{
	struct lui_plan_in in = lu_in(f);
	const struct lui_segment *x, *low;
	struct lui_plan p, q;
	struct lui_error e;
	char want[128];
	int r;

	tap_diag("%s Xen image; MA_XEN %#llx+%#llx (measured); LU window %#llx+%#llx (INVENTED)",
		 f->real ? "real" : "generated", HOST_MA_XEN_START,
		 HOST_MA_XEN_SIZE, LU_START, LU_SIZE);
	r = lui_plan_build(&in, &p, &e);
	tap_ok(!r, "live update plan builds: %s", r ? e.msg : "ok");
	if (r) {
		for (r = 0; r < 13; r++)
			tap_skip("no plan");
		return;
	}
	diag_plan(&p);
	x = find_seg(&p, XEN_LU_SEG_XEN);
	low = find_seg(&p, XEN_LU_SEG_LOW_FILL);
	tap_ok(x && x->dest == HOST_MA_XEN_START && x->buf_size == f->elf.load[0].filesz &&
	       x->dest_size == 0x3a7000 && x->buf == f->img + f->elf.load[0].offset,
	       "xen#2 PT_LOAD at MA_XEN start, file bytes from the ELF");
	tap_ok(p.xen_entry == HOST_MA_XEN_START + (f->elf.entry - f->elf.lo) &&
	       p.arch == 3, "entry relocated with the image, kexec arch EM_386");
	tap_ok(p.purgatory_dest == LU_START + 4096,
	       "purgatory slot right after the breadcrumb page");
	tap_ok(p.mbi_dest > p.purgatory_dest && p.module_dest[0] > p.mbi_dest &&
	       p.module_dest[1] > p.module_dest[0] &&
	       p.module_dest[1] + f->mods[1].size <= LU_START + LU_SIZE,
	       "MBI and modules inside [lu_start + 4 KiB, lu_end]");
	tap_ok(low && low->dest == 0 && low->dest_size == 0x100000 && !low->buf,
	       "[0, 1 MiB) covered by one NULL segment");
	tap_ok(p.nr == 6 && !lui_plan_check(&p, &e), "6 segments pass Xen's rules");
	snprintf(want, sizeof(want),
		 "xen.gz console=com1 dom0_mem=1G liveupdate=64M@0x%llx", LU_START);
	tap_ok(!strcmp(p.cmdline, want), "cmdline \"%s\"", p.cmdline);
	tap_ok(memmem(p.mbi, p.mbi_size, want, strlen(want) + 1) &&
	       memmem(p.mbi, p.mbi_size, "lu-ctl", 7) &&
	       mbi_modules_match(&p, 2), "MBI carries cmdline, loader name, module addresses");

	q = p;
	q.seg[3].dest = q.seg[2].dest;
	r = lui_plan_check(&q, &e);
	tap_ok(r == LUI_E_OVERLAP, "check: overlap: %s", e.msg);
	q = p;
	q.seg[2].dest += 0x800;
	r = lui_plan_check(&q, &e);
	tap_ok(r == LUI_E_UNALIGNED, "check: unaligned: %s", e.msg);
	q = p;
	q.seg[3].buf_size = q.seg[3].dest_size + 1;
	r = lui_plan_check(&q, &e);
	tap_ok(r == LUI_E_BUF_SIZE, "check: buf_size > dest_size: %s", e.msg);
	q = p;
	q.seg[1].dest = LU_START;
	r = lui_plan_check(&q, &e);
	tap_ok(r == LUI_E_OUTSIDE_WINDOW, "check: purgatory on the breadcrumb page: %s",
	       e.msg);
	q = p;
	q.nr = 16;
	r = lui_plan_check(&q, &e);
	tap_ok(r == LUI_E_TOO_MANY_SEGMENTS, "check: 16 segments: %s", e.msg);
	lui_plan_free(&p);
}

struct refusal {
	const char *what;
	int want;
};

static void refuse(struct lui_plan_in *in, const struct refusal *c)
{
	struct lui_plan p;
	struct lui_error e;
	int r = lui_plan_build(in, &p, &e);

	tap_ok(r == c->want && !p.cmdline && !p.mbi, "%s refused (%s): %s",
	       c->what, lui_strerror(r), r ? e.msg : "accepted");
	if (!r)
		lui_plan_free(&p);
}

static void test_refusals(struct fixture *f)
{
	struct lui_plan_in in;
	struct lui_mb2 norel = f->mb, wide;
	struct lui_mem badmap[1] = { { 0, 0, LUI_MEM_RAM } };

	in = lu_in(f);
	in.lu.size = 8ULL << 20;
	refuse(&in, &(struct refusal){ "8 MiB window for a 39 MiB load",
				       LUI_E_WINDOW_TOO_SMALL });
	in = lu_in(f);
	in.lu.size = 4096;
	refuse(&in, &(struct refusal){ "window of one page", LUI_E_WINDOW_TOO_SMALL });
	in = lu_in(f);
	in.lu.start += 0x800;
	refuse(&in, &(struct refusal){ "unaligned window", LUI_E_UNALIGNED });
	in = lu_in(f);
	in.lu.start = HOST_MA_XEN_START - (1ULL << 20);
	refuse(&in, &(struct refusal){ "window overlapping MA_XEN", LUI_E_OVERLAP });
	in = lu_in(f);
	in.lu.size = 0;
	refuse(&in, &(struct refusal){ "empty window (Xen without LU)", LUI_E_BAD_RANGE });
	/* kexec-tools' rule: the window inside the relocatable range. */
	in = lu_in(f);
	in.lu.start = 0x100000000ULL;
	refuse(&in, &(struct refusal){ "window past max_addr (above 4 GiB)",
				       LUI_E_OUT_OF_REACH });
	in = lu_in(f);
	in.lu.start = 0xfff00000ULL;
	in.lu.size = 2ULL << 20;
	refuse(&in, &(struct refusal){ "window crossing max_addr",
				       LUI_E_OUT_OF_REACH });
	in = lu_in(f);
	wide = f->mb;
	wide.reloc_min = LU_START + 2 * 4096;
	in.mb = &wide;
	refuse(&in, &(struct refusal){ "window starting below min_addr",
				       LUI_E_OUT_OF_REACH });
	in = lu_in(f);
	norel.reloc_tag.present = false;
	in.mb = &norel;
	refuse(&in, &(struct refusal){ "image without relocatable tag",
				       LUI_E_NOT_RELOCATABLE });
	in = lu_in(f);
	in.ma_xen.start = LU_START + 0x400000;
	refuse(&in, &(struct refusal){ "MA_XEN inside the window", LUI_E_OVERLAP });
	in = lu_in(f);
	in.ma_xen.start = 0x100000000ULL;
	refuse(&in, &(struct refusal){ "MA_XEN beyond max_addr", LUI_E_OUT_OF_REACH });
	in = lu_in(f);
	in.ma_xen.start += 0x1000;
	refuse(&in, &(struct refusal){ "MA_XEN not 2 MiB aligned", LUI_E_ALIGN });
	in = lu_in(f);
	in.ma_xen.size = 0x200000;
	refuse(&in, &(struct refusal){ "xen#1 region smaller than xen#2",
				       LUI_E_XEN_TOO_BIG });
	in = lu_in(f);
	in.nr_modules = LUI_MAX_MODULES + 1;
	refuse(&in, &(struct refusal){ "9 modules", LUI_E_TOO_MANY_SEGMENTS });
	in = lu_in(f);
	in.append = "console=com1 liveupdate=1G@0x1000";
	refuse(&in, &(struct refusal){ "user liveupdate=", LUI_E_CMDLINE_CONFLICT });
	in = lu_in(f);
	in.map = badmap;
	in.nr_map = 1;
	refuse(&in, &(struct refusal){ "empty memory map entry", LUI_E_MMAP_BAD });
	in = lu_in(f);
	in.purgatory_size = 0;
	refuse(&in, &(struct refusal){ "no purgatory size", LUI_E_USAGE });
}

static void test_cold(struct fixture *f)
{
	static const struct lui_mem high_ram[] = {
		{ 0, 0x9fc00, LUI_MEM_RAM },
		{ 0x10000000, 0x30000000, LUI_MEM_RAM },
	};
	struct lui_plan_in in = lu_in(f);
	struct lui_mb2 norel = f->mb;
	struct gen_image g;
	struct lui_plan p;
	struct lui_error e;
	struct lui_elf elf;
	uint8_t *img;
	size_t len;
	int r;

	in.mode = LUI_MODE_COLD;
	in.lu = (struct lui_range){ 0, 0 };
	r = lui_plan_build(&in, &p, &e);
	tap_ok(!r && p.xen_base == f->elf.lo && !strstr(p.cmdline, "liveupdate") &&
	       p.purgatory_dest >= 0x100000 && mbi_modules_match(&p, 2),
	       "cold plan: xen#2 at its link address, no liveupdate=: %s",
	       r ? e.msg : "ok");
	if (!r) {
		diag_plan(&p);
		lui_plan_free(&p);
	}
	in.map = high_ram;
	in.nr_map = 2;
	r = lui_plan_build(&in, &p, &e);
	tap_ok(!r && p.xen_base == 0x3fc00000,
	       "cold: link address not RAM: relocated high, 2 MiB aligned (%#llx)",
	       (unsigned long long)p.xen_base);
	lui_plan_free(&p);
	norel.reloc_tag.present = false;
	in.mb = &norel;
	refuse(&in, &(struct refusal){ "cold: not RAM, not relocatable", LUI_E_NO_ROOM });
	in = lu_in(f);
	in.mode = LUI_MODE_COLD;
	in.map = (const struct lui_mem[]){ { 0x100000, 0x2000000, LUI_MEM_RAM },
					   { 0x7ff00000, 0x100000, LUI_MEM_RAM } };
	in.nr_map = 2;
	refuse(&in, &(struct refusal){ "cold: modules do not fit in RAM", LUI_E_NO_ROOM });

	gen_xen_like(&g);
	g.paddr = 0x200800;
	g.entry = 0x200800;
	img = gen_build(&g, &len);
	lui_elf_parse(img, len, &elf, NULL);
	in = lu_in(f);
	in.mode = LUI_MODE_COLD;
	in.img = img;
	in.img_len = len;
	in.elf = &elf;
	in.mb = &norel;
	refuse(&in, &(struct refusal){ "cold: PT_LOAD not page aligned", LUI_E_UNALIGNED });
	free(img);
}

/* Seeded sweep: every answer is a pass of lui_plan_check or a named refusal. */
static void test_sweep(struct fixture *f)
{
	unsigned int i, ok = 0, refused = 0, bad = 0;
	struct lui_plan_in in;
	struct lui_module mods[LUI_MAX_MODULES];
	struct lui_plan p;
	struct lui_error e;
	int r;

	srand(4);
	for (i = 0; i < 2000; i++) {
		in = lu_in(f);
		in.nr_modules = rand() % (LUI_MAX_MODULES + 1);
		for (unsigned int m = 0; m < in.nr_modules; m++)
			mods[m] = (struct lui_module){ f->mod_buf[0],
				1 + rand() % (4 << 20), "m" };
		in.modules = mods;
		in.lu.size = (uint64_t)(rand() % 40) << 20 | (rand() % 3) << 12;
		in.lu.start = HOST_MA_XEN_START - in.lu.size -
			      ((uint64_t)(rand() % 4) << 21);
		in.purgatory_size = 1 + rand() % 0x8000;
		in.mode = rand() % 4 ? LUI_MODE_LIVE_UPDATE : LUI_MODE_COLD;
		r = lui_plan_build(&in, &p, &e);
		if (!r) {
			ok++;
			if (lui_plan_check(&p, NULL) || p.nr > 15 ||
			    !mbi_modules_match(&p, in.nr_modules))
				bad++;
			lui_plan_free(&p);
		} else if (r == LUI_E_WINDOW_TOO_SMALL || r == LUI_E_BAD_RANGE) {
			refused++;
		} else {
			bad++;
			tap_diag("unexpected: %s", e.msg);
		}
	}
	tap_ok(!bad && ok && refused,
	       "random sweep: %u plans pass the checker, %u refused as too small, %u bad",
	       ok, refused, bad);
}

int main(void)
{
	struct fixture f;

	fixture_init(&f);
	test_live_update(&f);
	test_refusals(&f);
	test_cold(&f);
	test_sweep(&f);
	free(f.img);
	free(f.mod_buf[0]);
	free(f.mod_buf[1]);
	return tap_done();
}
