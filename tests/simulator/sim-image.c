// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live-update slot of the simulated hypervisor: the window it answers
 * for get_range(KEXEC_RANGE_MA_LIVEUPDATE), the rules of a live-update
 * kexec_load, and the two stores loaded images are copied into.  No real
 * machine memory is ever written: the window and the xen#1 region are
 * kvmalloc'd stores that stand for those machine ranges.
 */

#define pr_fmt(fmt) "xen_lu_sim: SIMULATED: " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <xen/interface/xen.h>
#include <xen/interface/memory.h>
#include <asm/e820/types.h>
#include <asm/xen/hypercall.h>

#include "sim.h"

/* Xen's E820MAX: the most entries XENMEM_machine_memory_map returns. */
#define SIM_E820_MAX		128
/* kexec-tools maps [0, 1 MiB) with buffer-less segments. */
#define SIM_LOW_END		SZ_1M

static inline int sim_kexec_op(unsigned long cmd, void *arg)
{
	return _hypercall2(int, kexec_op, cmd, arg);
}

/**
 * sim_real_get_range() - ask the real Xen for one of its kexec ranges
 * @range: KEXEC_RANGE_MA_*
 * @out: the answer when 0 is returned
 *
 * Return: 0 or the real hypervisor's negative errno.
 */
int sim_real_get_range(int range, struct xen_lu_range *out)
{
	struct xen_kexec_range arg = { .range = range };
	int rc;

	rc = sim_kexec_op(KEXEC_CMD_kexec_get_range, &arg);
	if (rc)
		return rc;
	out->start = arg.start;
	out->size = arg.size;
	return 0;
}

static bool sim_overlaps(u64 a, u64 a_end, u64 b, u64 b_end)
{
	return a < b_end && b < a_end;
}

/*
 * The window: the lowest 2 MiB aligned range of @size at or above the end
 * of the last RAM below 4 GiB that no entry of Xen's machine memory map
 * covers.  It is no RAM of Xen or of any domain, and below 4 GiB as
 * multiboot2's 32-bit addresses need.
 */
static int sim_window_place(u64 size, u64 *start)
{
	struct xen_memory_map memmap = { .nr_entries = SIM_E820_MAX };
	struct e820_entry *map;
	u64 at = 0, end;
	unsigned int i, n;
	bool moved;
	int rc;

	map = kcalloc(SIM_E820_MAX, sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	set_xen_guest_handle(memmap.buffer, map);
	rc = HYPERVISOR_memory_op(XENMEM_machine_memory_map, &memmap);
	if (rc)
		goto out;
	n = min_t(unsigned int, memmap.nr_entries, SIM_E820_MAX);

	for (i = 0; i < n; i++) {
		end = map[i].addr + map[i].size;
		if (map[i].type == E820_TYPE_RAM && map[i].addr < SZ_4G)
			at = max(at, min_t(u64, end, SZ_4G));
	}
	at = round_up(at, SZ_2M);
	do {
		moved = false;
		for (i = 0; i < n; i++) {
			end = map[i].addr + map[i].size;
			if (sim_overlaps(at, at + size, map[i].addr, end)) {
				at = round_up(end, SZ_2M);
				moved = true;
			}
		}
	} while (moved && at + size <= SZ_4G);

	rc = -ENOSPC;
	if (at + size > SZ_4G)
		goto out;
	*start = at;
	rc = 0;
out:
	kfree(map);
	return rc;
}

/**
 * sim_stores_init() - place the window and allocate both stores
 * @window_mb: the window's size in MiB, even
 *
 * Return: 0 or a negative errno.
 */
int sim_stores_init(unsigned int window_mb)
{
	struct xen_lu_range xen;
	int rc;

	rc = sim_real_get_range(KEXEC_RANGE_MA_XEN, &xen);
	if (rc) {
		pr_err("real get_range(MA_XEN) failed: %pe\n", ERR_PTR(rc));
		return rc;
	}
	sim.xen_start = xen.start;
	sim.xen_size = round_up(xen.start + xen.size, PAGE_SIZE) - xen.start;
	sim.win_size = (u64)window_mb * SZ_1M;

	rc = sim_window_place(sim.win_size, &sim.win_start);
	if (rc) {
		pr_err("no hole of %u MiB below 4 GiB in the machine memory map: %pe\n",
		       window_mb, ERR_PTR(rc));
		return rc;
	}

	rc = -ENOMEM;
	sim.xen1 = kvzalloc(sim.xen_size, GFP_KERNEL);
	if (!sim.xen1)
		goto fail;
	sim.win = kvzalloc(sim.win_size, GFP_KERNEL);
	if (!sim.win)
		goto fail;
	return 0;
fail:
	kvfree(sim.xen1);
	sim.xen1 = NULL;
	return rc;
}

void sim_stores_exit(void)
{
	kvfree(sim.win);
	kvfree(sim.xen1);
	sim.win = NULL;
	sim.xen1 = NULL;
}

/**
 * sim_get_range() - get_range(KEXEC_RANGE_MA_LIVEUPDATE)
 * @out: the window
 *
 * Return: 0, or the errno armed in fail_get_range.
 */
int sim_get_range(struct xen_lu_range *out)
{
	int rc;

	mutex_lock(&sim.lock);
	rc = -sim.knob[SIM_FAIL_GET_RANGE];
	if (!rc) {
		out->start = sim.win_start;
		out->size = sim.win_size;
	} else {
		pr_info("get_range(MA_LIVEUPDATE): injected %pe\n", ERR_PTR(rc));
	}
	mutex_unlock(&sim.lock);
	return rc;
}

const char *sim_region_name(enum sim_region r)
{
	switch (r) {
	case SIM_REGION_WINDOW:
		return "window";
	case SIM_REGION_XEN:
		return "xen#1";
	default:
		return "low-map";
	}
}

/**
 * sim_window_ptr() - the window store's bytes for a machine range
 * @maddr: machine address
 * @len: bytes
 *
 * Only the part of the window an image may use, past the breadcrumb page.
 *
 * Return: a pointer into the window store, or NULL when [@maddr, @maddr +
 * @len) is not inside it.
 */
const u8 *sim_window_ptr(u64 maddr, u64 len)
{
	u64 lo = sim.win_start + SIM_BREADCRUMB_PAGE;
	u64 hi = sim.win_start + sim.win_size;

	if (maddr < lo || maddr > hi || len > hi - maddr)
		return NULL;
	return sim.win + (maddr - sim.win_start);
}

static u8 *sim_store(const struct sim_segment *s)
{
	if (s->region == SIM_REGION_WINDOW)
		return sim.win + (s->dest - sim.win_start);
	if (s->region == SIM_REGION_XEN)
		return sim.xen1 + (s->dest - sim.xen_start);
	return NULL;
}

static bool sim_inside(u64 dest, u64 end, u64 lo, u64 hi)
{
	return dest >= lo && end <= hi;
}

/* One segment's own rules and where it goes; @s is filled. */
static int sim_check_segment(const struct xen_kexec_segment *k,
			     const struct xen_lu_range *xen,
			     struct sim_segment *s, const char **why)
{
	u64 xen_hi = round_up(xen->start + xen->size, PAGE_SIZE);
	u64 win_lo = sim.win_start + SIM_BREADCRUMB_PAGE;
	u64 win_hi = sim.win_start + sim.win_size;
	u64 end;

	s->dest = k->dest_maddr;
	s->dest_size = k->dest_size;
	s->buf_size = k->buf_size;
	if (!k->dest_size) {
		*why = "dest_size is 0";
		return -EINVAL;
	}
	if (check_add_overflow(k->dest_maddr, k->dest_size, &end)) {
		*why = "destination wraps";
		return -EINVAL;
	}
	if (k->buf_size && !k->buf.h) {
		*why = "buffer size without a buffer";
		return -EFAULT;
	}
	if (sim_inside(k->dest_maddr, end, xen->start, xen_hi)) {
		s->region = SIM_REGION_XEN;
	} else if (sim_inside(k->dest_maddr, end, win_lo, win_hi)) {
		s->region = SIM_REGION_WINDOW;
	} else if (!k->buf_size && end <= SIM_LOW_END) {
		s->region = SIM_REGION_LOW;
	} else {
		*why = "outside MA_XEN, the window past its breadcrumb page and the low-memory map";
		return -EINVAL;
	}
	return 0;
}

/*
 * Xen's kexec_load rules in Xen's order (common/kexec.c, common/kimage.c),
 * then the live-update placement rules.  Fills @out; changes nothing.
 */
static int sim_check_image(const struct xen_kexec_segment *segs,
			   unsigned int nr, u64 entry,
			   struct sim_segment *out, unsigned int *bad,
			   const char **why)
{
	struct xen_lu_range xen;
	bool entry_ok = false;
	unsigned int i, j;
	int rc;

	*bad = nr;
	if (nr >= KEXEC_SEGMENT_MAX) {
		*why = "16 segments or more";
		return -EINVAL;
	}
	for (i = 0; i < nr; i++) {
		*bad = i;
		if (!PAGE_ALIGNED(segs[i].dest_maddr) ||
		    !PAGE_ALIGNED(segs[i].dest_maddr + segs[i].dest_size)) {
			*why = "destination not page aligned";
			return -EADDRNOTAVAIL;
		}
	}
	for (i = 0; i < nr; i++) {
		*bad = i;
		for (j = 0; j < i; j++) {
			if (sim_overlaps(segs[i].dest_maddr,
					 segs[i].dest_maddr + segs[i].dest_size,
					 segs[j].dest_maddr,
					 segs[j].dest_maddr + segs[j].dest_size)) {
				*why = "destinations overlap";
				return -EINVAL;
			}
		}
	}
	for (i = 0; i < nr; i++) {
		*bad = i;
		if (segs[i].buf_size > segs[i].dest_size) {
			*why = "buf_size above dest_size";
			return -EINVAL;
		}
	}

	rc = sim_real_get_range(KEXEC_RANGE_MA_XEN, &xen);
	if (rc) {
		*bad = nr;
		*why = "real get_range(MA_XEN) failed";
		return rc;
	}
	for (i = 0; i < nr; i++) {
		*bad = i;
		rc = sim_check_segment(&segs[i], &xen, &out[i], why);
		if (rc)
			return rc;
		if (entry >= out[i].dest && entry - out[i].dest < out[i].dest_size)
			entry_ok = true;
	}
	*bad = nr;
	if (!entry_ok) {
		*why = "entry is in no segment";
		return -EINVAL;
	}
	return 0;
}

/* Zero what the loaded image wrote to the stores and empty the slot. */
static void sim_image_clear(void)
{
	unsigned int i;
	u8 *p;

	for (i = 0; i < sim.nr; i++) {
		p = sim_store(&sim.seg[i]);
		if (p)
			memset(p, 0, sim.seg[i].dest_size);
	}
	sim.nr = 0;
	sim.entry = 0;
	sim.loaded = false;
}

/**
 * sim_load() - kexec_load(KEXEC_TYPE_LIVE_UPDATE)
 * @segs: @nr segments whose buffers are kernel memory
 * @nr: number of segments
 * @entry: the purgatory's machine address
 *
 * The image replaces the loaded one only when every rule holds; after the
 * checks nothing can fail, so the stores never hold half an image.
 *
 * Return: 0, -EINVAL or -EADDRNOTAVAIL as Xen, -EFAULT for a missing
 * buffer, -EBUSY while a deferred exec is pending, or the errno armed in
 * fail_load.
 */
int sim_load(const struct xen_kexec_segment *segs, unsigned int nr, u64 entry)
{
	struct sim_segment *table;
	const char *why = NULL;
	unsigned int i, bad;
	int rc;

	table = kcalloc(KEXEC_SEGMENT_MAX, sizeof(*table), GFP_KERNEL);
	if (!table)
		return -ENOMEM;

	mutex_lock(&sim.lock);
	rc = -sim.knob[SIM_FAIL_LOAD];
	if (rc) {
		pr_info("load: injected %pe\n", ERR_PTR(rc));
		goto out;
	}
	rc = -EBUSY;
	if (sim.deferred) {
		pr_info("load: refused (EBUSY): a deferred exec is pending\n");
		goto out;
	}
	rc = sim_check_image(segs, nr, entry, table, &bad, &why);
	if (rc) {
		if (bad < nr)
			pr_info("load refused (%pe): segment %u (dest %#llx size %#llx): %s\n",
				ERR_PTR(rc), bad, segs[bad].dest_maddr,
				segs[bad].dest_size, why);
		else
			pr_info("load refused (%pe): %s\n", ERR_PTR(rc), why);
		goto out;
	}

	sim_image_clear();
	for (i = 0; i < nr; i++) {
		u8 *p = sim_store(&table[i]);

		if (!p)
			continue;
		memcpy(p, segs[i].buf.h, segs[i].buf_size);
		memset(p + segs[i].buf_size, 0,
		       segs[i].dest_size - segs[i].buf_size);
	}
	memcpy(sim.seg, table, nr * sizeof(*table));
	sim.nr = nr;
	sim.entry = entry;
	sim.loaded = true;
	pr_info("load: %u segments, entry %#llx: image loaded\n", nr, entry);
out:
	sim.last_op = "load";
	sim.last_rc = rc;
	mutex_unlock(&sim.lock);
	kfree(table);
	return rc;
}

/**
 * sim_unload() - kexec_unload(KEXEC_TYPE_LIVE_UPDATE)
 *
 * Return: 0 (also when nothing is loaded), -EBUSY while a deferred exec is
 * pending, or the errno armed in fail_unload.
 */
int sim_unload(void)
{
	int rc;

	mutex_lock(&sim.lock);
	rc = -sim.knob[SIM_FAIL_UNLOAD];
	if (rc) {
		pr_info("unload: injected %pe\n", ERR_PTR(rc));
		goto out;
	}
	rc = -EBUSY;
	if (sim.deferred) {
		pr_info("unload: refused (EBUSY): a deferred exec is pending\n");
		goto out;
	}
	rc = 0;
	if (sim.loaded)
		pr_info("unload: image unloaded\n");
	sim_image_clear();
out:
	sim.last_op = "unload";
	sim.last_rc = rc;
	mutex_unlock(&sim.lock);
	return rc;
}

/* Caller holds sim.lock: xen#2 runs, the image was used up. */
void sim_image_consume(void)
{
	lockdep_assert_held(&sim.lock);
	sim_image_clear();
}
