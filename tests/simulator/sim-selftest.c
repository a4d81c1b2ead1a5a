// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen_lu_sim_selftest.ko: the simulator's own rules, black box, through the
 * xen_lu_sim_ops it exports (test only).  xen_liveupdate checks every image
 * before the simulator sees it, so the simulator's kexec_load rules and its
 * exec failures are unreachable from user space; this module feeds it what
 * xen_liveupdate never would, at init, and reports TAP lines in the kernel
 * log.  Init fails with -EINVAL when a case fails.
 *
 * Load it with xen_liveupdate removed (or idle, nothing staged) and every
 * fault of the simulator off: it loads, executes and unloads images, and
 * one case completes a simulated update.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <asm/unaligned.h>
#include <asm/xen/hypercall.h>

#include <xen/liveupdate-image.h>
#include <xen/liveupdate-records.h>

#include "sim.h"

#define ST_PAGE		4096U
#define ST_HDR_LEN	296	/* struct xen_lu_rec_dom0_header */

/* The pieces of a test image, each one page. */
enum { ST_XEN, ST_PURG, ST_MBI, ST_REC, ST_NR };

/**
 * struct st_ctx - one run of the cases
 * @ops: the simulator's.
 * @xen: real KEXEC_RANGE_MA_XEN.
 * @win: the simulator's window.
 * @buf: one page per piece.
 * @seg: the image being loaded.
 * @rec_module: empty module tags before the records module.
 * @nr: segments in @seg.
 * @n: cases run.
 * @failed: cases failed.
 */
struct st_ctx {
	const struct xen_lu_sim_ops *ops;
	struct xen_lu_range xen;
	struct xen_lu_range win;
	u8 *buf[ST_NR];
	struct xen_kexec_segment seg[KEXEC_SEGMENT_MAX];
	unsigned int rec_module;
	unsigned int nr;
	unsigned int n;
	unsigned int failed;
};

static void st_expect(struct st_ctx *c, int got, int want, const char *what)
{
	c->n++;
	if (got == want) {
		pr_info("ok %u - %s (%d)\n", c->n, what, got);
		return;
	}
	c->failed++;
	pr_err("not ok %u - %s: got %d, want %d\n", c->n, what, got, want);
}

static int st_real_ma_xen(struct xen_lu_range *out)
{
	struct xen_kexec_range arg = { .range = KEXEC_RANGE_MA_XEN };
	int rc = _hypercall2(int, kexec_op, KEXEC_CMD_kexec_get_range, &arg);

	out->start = arg.start;
	out->size = arg.size;
	return rc;
}

static u64 st_win(const struct st_ctx *c, unsigned int page)
{
	return c->win.start + (u64)page * ST_PAGE;
}

static void st_seg(struct st_ctx *c, const void *buf, u64 len, u64 dest,
		   u64 size)
{
	c->seg[c->nr++] = (struct xen_kexec_segment){
		.buf.h = buf,
		.buf_size = len,
		.dest_maddr = dest,
		.dest_size = size,
	};
}

/* The purgatory of the UAPI, entering @xen_entry with the MBI at page 2. */
static void st_purgatory(struct st_ctx *c, u32 xen_entry)
{
	static const u8 head[] = { 0xfa, 0xfc, 0xb8 };
	u8 *p = c->buf[ST_PURG];

	memset(p, 0, ST_PAGE);
	memcpy(p, head, sizeof(head));
	put_unaligned_le32(XEN_LU_MB2_BOOTLOADER_MAGIC, p + 3);
	p[7] = 0xbb;
	put_unaligned_le32((u32)st_win(c, 2), p + 8);
	p[12] = 0xb9;
	put_unaligned_le32(xen_entry, p + 13);
	p[17] = 0xff;
	p[18] = 0xe1;
	p[19] = 0xf4;
}

/*
 * An MBI with, when @rec_len, the records module at page 3 after
 * @c->rec_module empty modules (as the module hands them over: the records
 * never dom0's kernel or initrd); its size.
 */
static u32 st_mbi(struct st_ctx *c, u32 rec_len)
{
	static const char str[] = XEN_LU_RECORDS_MODULE_STRING " generation=1";
	u8 *m = c->buf[ST_MBI];
	u32 off = 8, tag = 16 + sizeof(str);
	unsigned int i;

	memset(m, 0, ST_PAGE);
	for (i = 0; rec_len && i < c->rec_module; i++) {
		put_unaligned_le32(3, m + off);
		put_unaligned_le32(17, m + off + 4);
		put_unaligned_le32((u32)st_win(c, 3), m + off + 8);
		put_unaligned_le32((u32)st_win(c, 3), m + off + 12);
		off += 24;
	}
	if (rec_len) {
		put_unaligned_le32(3, m + off);
		put_unaligned_le32(tag, m + off + 4);
		put_unaligned_le32((u32)st_win(c, 3), m + off + 8);
		put_unaligned_le32((u32)st_win(c, 3) + rec_len, m + off + 12);
		memcpy(m + off + 16, str, sizeof(str));
		off += ALIGN(tag, 8);
	}
	put_unaligned_le32(0, m + off);
	put_unaligned_le32(8, m + off + 4);
	off += 8;
	put_unaligned_le32(off, m);
	return off;
}

/* A records dump: DOM0_HEADER with no records counted, @extra, END. */
static u32 st_records(struct st_ctx *c, u32 extra_type, bool end)
{
	u8 *r = c->buf[ST_REC];
	u32 off = 0;

	memset(r, 0, ST_PAGE);
	put_unaligned_le32(XEN_LU_REC_DOM0_HEADER, r);
	put_unaligned_le32(ST_HDR_LEN, r + 4);
	put_unaligned_le32(XEN_LU_RECORDS_VERSION, r + 8);
	off = 8 + ST_HDR_LEN;
	if (extra_type) {
		put_unaligned_le32(extra_type, r + off);
		off += 8;
	}
	if (end)
		off += 8;	/* END: type 0, length 0 */
	return off;
}

/* low map, xen#2, purgatory, MBI, and the records when @rec_len. */
static void st_image(struct st_ctx *c, u32 rec_len, u32 xen_entry)
{
	u32 mbi_len;

	c->nr = 0;
	st_purgatory(c, xen_entry);
	mbi_len = st_mbi(c, rec_len);
	st_seg(c, NULL, 0, 0, SZ_1M);
	st_seg(c, c->buf[ST_XEN], ST_PAGE, c->xen.start, ST_PAGE);
	st_seg(c, c->buf[ST_PURG], ST_PAGE, st_win(c, 1), ST_PAGE);
	st_seg(c, c->buf[ST_MBI], mbi_len, st_win(c, 2), ST_PAGE);
	if (rec_len)
		st_seg(c, c->buf[ST_REC], rec_len, st_win(c, 3), ST_PAGE);
}

static int st_load(struct st_ctx *c)
{
	return c->ops->load(c->seg, c->nr, st_win(c, 1));
}

/* An image whose purgatory is zeros: loads, never executes. */
static void st_dud(struct st_ctx *c)
{
	st_image(c, 0, (u32)c->xen.start);
	memset(c->buf[ST_PURG], 0, ST_PAGE);
	st_expect(c, st_load(c), 0, "load an image with a zero purgatory");
}

/* A rule broken; the image loaded before must stay loaded. */
static void st_bad_load(struct st_ctx *c, int want, const char *what)
{
	st_expect(c, st_load(c), want, what);
	st_expect(c, c->ops->exec(), -EINVAL,
		  "... the image before it is still loaded (exec reaches its purgatory)");
}

static void st_load_rules(struct st_ctx *c)
{
	unsigned int i;

	st_expect(c, c->ops->unload(), 0, "unload with nothing loaded");
	st_expect(c, c->ops->exec(), -ENOENT, "exec with nothing loaded");
	st_dud(c);

	st_image(c, 0, (u32)c->xen.start);
	for (i = c->nr; i < KEXEC_SEGMENT_MAX; i++)
		st_seg(c, NULL, 0, SZ_1M + (u64)i * ST_PAGE, ST_PAGE);
	st_bad_load(c, -EINVAL, "16 segments");

	st_image(c, 0, (u32)c->xen.start);
	c->seg[2].dest_maddr += 8;
	st_bad_load(c, -EADDRNOTAVAIL, "destination not page aligned");
	st_image(c, 0, (u32)c->xen.start);
	c->seg[3].dest_maddr = c->seg[2].dest_maddr;
	st_bad_load(c, -EINVAL, "overlapping destinations");
	st_image(c, 0, (u32)c->xen.start);
	c->seg[3].buf_size = 2 * ST_PAGE;
	st_bad_load(c, -EINVAL, "buf_size above dest_size");
	st_image(c, 0, (u32)c->xen.start);
	c->seg[3].dest_size = 0;
	c->seg[3].buf_size = 0;
	c->seg[3].buf.h = NULL;
	st_bad_load(c, -EINVAL, "dest_size 0");
	st_image(c, 0, (u32)c->xen.start);
	c->seg[3].buf.h = NULL;
	st_bad_load(c, -EFAULT, "buf_size without a buffer");
	st_image(c, 0, (u32)c->xen.start);
	c->seg[3].dest_maddr = c->win.start;
	st_bad_load(c, -EINVAL, "a segment in the breadcrumb page");
	st_image(c, 0, (u32)c->xen.start);
	c->seg[3].dest_maddr = c->win.start + c->win.size;
	st_bad_load(c, -EINVAL, "a segment past the window");
	st_image(c, 0, (u32)c->xen.start);
	c->seg[1].dest_maddr = round_up(c->xen.start + c->xen.size, ST_PAGE);
	st_bad_load(c, -EINVAL, "a Xen segment past MA_XEN");
	st_image(c, 0, (u32)c->xen.start);
	c->seg[0].buf.h = c->buf[ST_XEN];
	c->seg[0].buf_size = ST_PAGE;
	st_bad_load(c, -EINVAL, "a low-memory segment with a buffer");
	st_image(c, 0, (u32)c->xen.start);
	st_expect(c, c->ops->load(c->seg, c->nr, st_win(c, 5)), -EINVAL,
		  "entry in no segment");
	st_expect(c, c->ops->exec(), -EINVAL,
		  "... the image before it is still loaded");
}

static void st_exec_rules(struct st_ctx *c)
{
	st_image(c, 0, (u32)(c->xen.start + 2 * ST_PAGE));
	st_expect(c, st_load(c), 0, "load: the purgatory jumps past xen#2");
	st_expect(c, c->ops->exec(), -EINVAL, "exec refuses it");

	st_image(c, st_records(c, 0, false), (u32)c->xen.start);
	st_expect(c, st_load(c), 0, "load: records module without END");
	st_expect(c, c->ops->exec(), -EINVAL, "exec refuses it");

	st_image(c, st_records(c, 0x40000003, true), (u32)c->xen.start);
	st_expect(c, st_load(c), 0, "load: records module with a mandatory record");
	st_expect(c, c->ops->exec(), -EINVAL, "exec refuses it");

	for (c->rec_module = 0; c->rec_module < 2; c->rec_module++) {
		st_image(c, st_records(c, 0, true), (u32)c->xen.start);
		st_expect(c, st_load(c), 0, c->rec_module ?
			  "load: records as module 1 (a normal boot's dom0 initrd)" :
			  "load: records as module 0 (a normal boot's dom0 kernel)");
		st_expect(c, c->ops->exec(), -EINVAL, "exec refuses it");
	}

	st_image(c, st_records(c, XEN_LU_REC_DOM0_DOMAIN, true),
		 (u32)c->xen.start);
	st_expect(c, st_load(c), 0, "load: records with a DOM0_DOMAIN of 0 bytes");
	st_expect(c, c->ops->exec(), -EINVAL, "xen#2 refuses the stream");

	st_expect(c, c->ops->unload(), 0, "unload");
	st_expect(c, c->ops->exec(), -ENOENT, "exec after unload");
}

/*
 * libxc records in the stream (inject_libxc): X86_TSC_INFO in dom0's (PV)
 * group is kept, as the handover spec uses libxc domain records as they
 * are; before any LU_DOMAIN_INFO, HVM_CONTEXT in a PV group and PAGE_DATA
 * are refused.  Each run loads a good image first.
 */
static void st_libxc(struct st_ctx *c)
{
	static const struct {
		int inject, want;
		const char *what;
	} cases[] = {
		{ SIM_LIBXC_TSC_BEFORE_DOMAINS, -EINVAL,
		  "X86_TSC_INFO before any LU_DOMAIN_INFO: xen#2 refuses" },
		{ SIM_LIBXC_HVM_IN_PV, -EINVAL,
		  "HVM_CONTEXT in dom0's PV group: xen#2 refuses" },
		{ SIM_LIBXC_PAGE_DATA, -EINVAL,
		  "PAGE_DATA in a group: xen#2 refuses" },
		{ SIM_LIBXC_TSC_IN_DOMAIN, 0,
		  "X86_TSC_INFO in dom0's group: xen#2 accepts, update done" },
	};
	int (*inject)(int v) = symbol_get(xen_lu_sim_selftest_inject_libxc);
	unsigned int i;

	if (!inject) {
		st_expect(c, -ENOENT, 0, "xen_lu_sim_selftest_inject_libxc");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		st_image(c, st_records(c, 0, true), (u32)c->xen.start);
		st_expect(c, st_load(c), 0, "load a good image");
		inject(cases[i].inject);
		st_expect(c, c->ops->exec(), cases[i].want, cases[i].what);
		inject(SIM_LIBXC_NONE);
	}
	st_expect(c, c->ops->unload(), 0, "unload");
	symbol_put(xen_lu_sim_selftest_inject_libxc);
}

static void st_update(struct st_ctx *c)
{
	struct xen_lu_identity *id = kzalloc(sizeof(*id), GFP_KERNEL);
	const char *mark = "[simulated live update ";

	if (!id) {
		st_expect(c, -ENOMEM, 0, "allocate an identity");
		return;
	}
	st_image(c, st_records(c, 0, true), (u32)c->xen.start);
	st_expect(c, st_load(c), 0, "load a good image with dom0's records");
	st_expect(c, c->ops->exec(), 0, "exec: the simulated update is done");
	st_expect(c, c->ops->exec(), -ENOENT, "... and the image consumed");
	strscpy(id->changeset, "selftest", sizeof(id->changeset));
	c->ops->identity(id);
	st_expect(c, !!strstr(id->changeset, mark) && id->build_id_len == 20,
		  1, "identity: xen#2's changeset and a 20-byte build id");
	pr_info("# changeset now \"%s\"\n", id->changeset);
	kfree(id);
}

static int __init st_init(void)
{
	struct st_ctx *c;
	unsigned int i;
	int rc = -ENOMEM;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	for (i = 0; i < ST_NR; i++) {
		c->buf[i] = kzalloc(ST_PAGE, GFP_KERNEL);
		if (!c->buf[i])
			goto out;
	}
	rc = -ENODEV;
	c->ops = symbol_get(xen_lu_sim_ops);
	c->rec_module = 2;
	if (!c->ops) {
		pr_err("xen_lu_sim is not loaded\n");
		goto out;
	}
	rc = st_real_ma_xen(&c->xen);
	if (!rc)
		rc = c->ops->get_range(&c->win);
	if (rc) {
		pr_err("get_range failed: %d\n", rc);
		goto put;
	}
	memset(c->buf[ST_XEN], 0x90, ST_PAGE);

	pr_info("TAP version 13\n");
	st_load_rules(c);
	st_exec_rules(c);
	st_libxc(c);
	st_update(c);
	pr_info("1..%u\n", c->n);
	pr_info("# %u passed, %u failed\n", c->n - c->failed, c->failed);
	rc = c->failed ? -EINVAL : 0;
put:
	symbol_put(xen_lu_sim_ops);
out:
	for (i = 0; i < ST_NR; i++)
		kfree(c->buf[i]);
	kfree(c);
	return rc;
}

static void __exit st_exit(void)
{
}

module_init(st_init);
module_exit(st_exit);

MODULE_DESCRIPTION("Black-box self-test of the SIMULATED live-update hypervisor (test only)");
MODULE_LICENSE("GPL");
