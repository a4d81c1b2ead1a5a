// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypercalls to the running Xen: kexec_op, memory_op and xen_version.
 *
 * Every argument lives in kernel memory for the whole call, so Xen can read
 * and write it through dom0's page tables.  Xen's errno values equal
 * Linux's for everything kexec_op and xen_version return, so results are
 * passed back unchanged.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/elf-em.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include <xen/interface/xen.h>
#include <xen/interface/memory.h>
#include <xen/interface/version.h>
#include <asm/e820/types.h>
#include <asm/xen/hypercall.h>

#include "hypervisor.h"

/*
 * Xen copies sizeof() of its own definitions from the guest: a structure
 * of another size or layout here makes Xen read bytes the module never
 * set.  These are Xen's x86-64 sizes and offsets.
 */
static_assert(sizeof(struct xen_kexec_exec) == 4);
static_assert(sizeof(struct xen_kexec_range) == 24);
static_assert(offsetof(struct xen_kexec_range, nr) == 4);
static_assert(offsetof(struct xen_kexec_range, size) == 8);
static_assert(offsetof(struct xen_kexec_range, start) == 16);
static_assert(sizeof(struct xen_kexec_segment) == 32);
static_assert(offsetof(struct xen_kexec_segment, buf_size) == 8);
static_assert(offsetof(struct xen_kexec_segment, dest_maddr) == 16);
static_assert(offsetof(struct xen_kexec_segment, dest_size) == 24);
static_assert(sizeof(struct xen_kexec_load) == 24);
static_assert(offsetof(struct xen_kexec_load, arch) == 2);
static_assert(offsetof(struct xen_kexec_load, nr_segments) == 4);
static_assert(offsetof(struct xen_kexec_load, segments) == 8);
static_assert(offsetof(struct xen_kexec_load, entry_maddr) == 16);
static_assert(sizeof(struct xen_kexec_unload) == 1);
static_assert(sizeof(struct xen_kexec_status) == 1);

/*
 * The kexec_op hypercall, as asm/xen/hypercall.h has one for every other
 * hypercall Linux makes.  Only this file calls it.
 */
static inline int HYPERVISOR_kexec_op(unsigned long cmd, void *arg)
{
	return _hypercall2(int, kexec_op, cmd, arg);
}

/**
 * xen_lu_hv_get_range() - ask Xen for one of its kexec ranges
 * @range: KEXEC_RANGE_MA_*
 * @out: the answer, valid only when 0 is returned
 *
 * Return: 0, or the hypervisor's negative errno: -EINVAL for a range it does
 * not know, -EPERM when dom0 is not the control domain, -ENOSYS when kexec
 * is not available to this domain (not PV, or Xen built without kexec).
 */
int xen_lu_hv_get_range(int range, struct xen_lu_range *out)
{
	const struct xen_lu_sim_ops *sim = xen_lu_hv_sim();
	struct xen_kexec_range arg = { .range = range };
	int rc;

	if (sim && range == KEXEC_RANGE_MA_LIVEUPDATE)
		return sim->get_range(out);
	rc = HYPERVISOR_kexec_op(KEXEC_CMD_kexec_get_range, &arg);
	if (rc)
		return rc;

	out->start = arg.start;
	out->size = arg.size;
	return 0;
}

/**
 * xen_lu_hv_kexec_load() - load an image into one of Xen's kexec slots
 * @type: KEXEC_TYPE_DEFAULT or KEXEC_TYPE_LIVE_UPDATE
 * @segs: @nr segments whose buffers are kernel memory, mapped until return
 * @nr: number of segments, below KEXEC_SEGMENT_MAX
 * @entry: machine address Xen jumps to, in 32-bit mode (EM_386)
 *
 * Xen copies every buffer page by page during the call and replaces the
 * image of the slot only when all of it succeeded.
 *
 * Return: 0, or the hypervisor's negative errno.
 */
int xen_lu_hv_kexec_load(u8 type, struct xen_kexec_segment *segs,
			 unsigned int nr, u64 entry)
{
	struct xen_kexec_load load = {
		.type = type,
		.arch = EM_386,
		.nr_segments = nr,
		.entry_maddr = entry,
	};
	const struct xen_lu_sim_ops *sim = xen_lu_hv_sim();

	if (sim && type == KEXEC_TYPE_LIVE_UPDATE)
		return sim->load(segs, nr, entry);
	set_xen_guest_handle(load.segments.h, segs);
	return HYPERVISOR_kexec_op(KEXEC_CMD_kexec_load, &load);
}

/**
 * xen_lu_hv_kexec_unload() - empty a kexec slot
 * @type: the image type the slot was loaded with
 *
 * Return: 0 (also when the slot was empty), or the hypervisor's negative
 * errno: -EBUSY while a kexec is in progress.
 */
int xen_lu_hv_kexec_unload(u8 type)
{
	struct xen_kexec_unload unload = { .type = type };
	const struct xen_lu_sim_ops *sim = xen_lu_hv_sim();

	if (sim && type == KEXEC_TYPE_LIVE_UPDATE)
		return sim->unload();
	return HYPERVISOR_kexec_op(KEXEC_CMD_kexec_unload, &unload);
}

/**
 * xen_lu_hv_kexec_exec() - execute the image of a kexec slot
 * @type: KEXEC_TYPE_LIVE_UPDATE, or KEXEC_TYPE_DEFAULT for a cold exec
 *
 * For a live update the call returns in the updated hypervisor (or, when
 * the hypervisor defers the update, in the same one); dom0 carries on.
 * A cold exec returns only when the hypervisor refused it.
 *
 * Return: 0, or the hypervisor's negative errno; nothing was executed.
 */
int xen_lu_hv_kexec_exec(u8 type)
{
	struct xen_kexec_exec exec = { .type = type };
	const struct xen_lu_sim_ops *sim = xen_lu_hv_sim();

	if (WARN_ON_ONCE(type != KEXEC_TYPE_LIVE_UPDATE &&
			 type != KEXEC_TYPE_DEFAULT))
		return -EINVAL;
	if (sim && type == KEXEC_TYPE_LIVE_UPDATE)
		return sim->exec();
	return HYPERVISOR_kexec_op(KEXEC_CMD_kexec, &exec);
}

/**
 * xen_lu_hv_machine_memory_map() - the hypervisor's own e820
 * @map: room for @max entries
 * @max: at least Xen's E820MAX (128) so that Xen never refuses for room
 *
 * Return: the number of entries, or the hypervisor's negative errno.
 */
static int xen_lu_hv_machine_memory_map(struct e820_entry *map, unsigned int max)
{
	struct xen_memory_map memmap = { .nr_entries = max };
	int rc;

	set_xen_guest_handle(memmap.buffer, map);
	rc = HYPERVISOR_memory_op(XENMEM_machine_memory_map, &memmap);
	if (rc)
		return rc;
	return min(memmap.nr_entries, max);
}

/**
 * xen_lu_hv_memory_map() - read the machine memory map
 * @map: set to a kcalloc'd array the caller frees
 * @nr: set to the number of entries
 *
 * Return: 0 or a negative errno (-ENOMEM, or the hypervisor's).
 */
int xen_lu_hv_memory_map(struct xen_lu_mem_entry **map, unsigned int *nr)
{
	struct xen_lu_mem_entry *out;
	struct e820_entry *e820;
	int rc, i;

	e820 = kcalloc(XEN_LU_MAX_MEMORY_MAP, sizeof(*e820), GFP_KERNEL);
	out = kcalloc(XEN_LU_MAX_MEMORY_MAP, sizeof(*out), GFP_KERNEL);
	if (!e820 || !out) {
		rc = -ENOMEM;
		goto out;
	}

	rc = xen_lu_hv_machine_memory_map(e820, XEN_LU_MAX_MEMORY_MAP);
	if (rc < 0)
		goto out;
	for (i = 0; i < rc; i++) {
		out[i].addr = e820[i].addr;
		out[i].size = e820[i].size;
		out[i].type = e820[i].type;
	}
	*nr = rc;
	*map = out;
	out = NULL;
	rc = 0;
out:
	kfree(out);
	kfree(e820);
	return rc;
}

static int xen_lu_hv_build_id(struct xen_lu_identity *id)
{
	struct xen_build_id *bid;
	int rc;

	bid = kzalloc(sizeof(*bid) + XEN_LU_BUILD_ID_MAX, GFP_KERNEL);
	if (!bid)
		return -ENOMEM;

	bid->len = XEN_LU_BUILD_ID_MAX;
	rc = HYPERVISOR_xen_version(XENVER_build_id, bid);
	if (rc < 0)
		goto out;
	if (rc > XEN_LU_BUILD_ID_MAX) {
		rc = -EOVERFLOW;
		goto out;
	}

	memcpy(id->build_id, bid->buf, rc);
	id->build_id_len = rc;
	rc = 0;
out:
	kfree(bid);
	return rc;
}

/**
 * xen_lu_hv_identity() - read what the running hypervisor says it is
 * @id: filled with version, extraversion, changeset and build id
 *
 * A missing build id is not an error: @id->build_id_len is 0 and
 * @id->build_id_err says why.
 *
 * Return: 0, or a negative errno when the version strings cannot be read.
 */
int xen_lu_hv_identity(struct xen_lu_identity *id)
{
	struct xen_extraversion extra = {};
	struct xen_changeset_info changeset = {};
	int version;
	int rc;

	memset(id, 0, sizeof(*id));

	version = HYPERVISOR_xen_version(XENVER_version, NULL);
	if (version < 0)
		return version;
	id->major = (u32)version >> 16;
	id->minor = (u32)version & 0xffff;

	rc = HYPERVISOR_xen_version(XENVER_extraversion, &extra);
	if (rc < 0)
		return rc;
	strscpy(id->extraversion, extra.extraversion, sizeof(id->extraversion));

	rc = HYPERVISOR_xen_version(XENVER_changeset, &changeset);
	if (rc < 0)
		return rc;
	strscpy(id->changeset, changeset.info, sizeof(id->changeset));

	rc = xen_lu_hv_build_id(id);
	if (rc == -ENOMEM)
		return rc;
	id->build_id_err = rc;
	if (xen_lu_hv_sim())
		xen_lu_hv_sim()->identity(id);
	return 0;
}

/**
 * xen_lu_hv_identity_equal() - is @a the same hypervisor build as @b
 * @a: an identity
 * @b: another
 *
 * Return: true when version, extraversion, changeset and build id are all
 * equal.
 */
bool xen_lu_hv_identity_equal(const struct xen_lu_identity *a,
			      const struct xen_lu_identity *b)
{
	return a->major == b->major && a->minor == b->minor &&
	       !strcmp(a->extraversion, b->extraversion) &&
	       !strcmp(a->changeset, b->changeset) &&
	       a->build_id_len == b->build_id_len &&
	       !memcmp(a->build_id, b->build_id, a->build_id_len);
}

/**
 * xen_lu_hv_probe() - check that this domain may use kexec_op at all
 *
 * get_range(KEXEC_RANGE_MA_XEN) is answered by every x86 Xen with kexec
 * support, to the control domain only, and only through the PV hypercall
 * table.  No sub-command is invented to probe: Xen before 4.22 returns 0 for
 * unknown kexec commands.
 *
 * Return: 0 when kexec_op works, else the hypervisor's negative errno,
 * already explained in the log: EPERM for a domain that is not the control
 * domain, "invalid hypercall" for a non-PV caller or a Xen built without
 * kexec.
 */
int xen_lu_hv_probe(void)
{
	struct xen_lu_range xen;
	int rc;

	rc = xen_lu_hv_get_range(KEXEC_RANGE_MA_XEN, &xen);
	if (rc == -EPERM)
		pr_err("kexec_op refused (EPERM): this domain is not the control domain\n");
	else if (rc)
		pr_err("kexec_op unusable: get_range(MA_XEN) returned %pe\n",
		       ERR_PTR(rc));
	return rc;
}
