// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec(KEXEC_TYPE_LIVE_UPDATE) on the simulated hypervisor: the handover
 * of the handover spec, done for real in memory.  xen#1 follows the loaded
 * image's purgatory to its multiboot2 information, takes dom0's records
 * from the records module (UAPI "Records handover"), writes the live
 * update stream and the breadcrumb; then xen#2 is played from the
 * breadcrumb alone.  When xen#2 accepts the stream the update is done and
 * identity() presents xen#2.
 */

#define pr_fmt(fmt) "xen_lu_sim: SIMULATED: " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <asm/unaligned.h>

#include <xen/liveupdate-image.h>
#include <xen/liveupdate-records.h>

#include "sim.h"

/* A module tag: its fixed part and at least the string's NUL. */
#define MBI_MODULE_MIN		(XEN_LU_MB2_MODULE_FIXED + 1)
#define SIM_BUILD_ID_DEFAULT	20

/* The purgatory (UAPI "Purgatory"): the MBI and xen#2's entry it holds. */
static int sim_purgatory(u32 *mbi, u32 *xen_entry)
{
	static const u8 head[] = { 0xfa, 0xfc, 0xb8 };
	static const u8 tail[] = { 0xff, 0xe1, 0xf4 };
	const u8 *p = sim_window_ptr(sim.entry, XEN_LU_PURGATORY_SIZE);
	unsigned int i;

	if (!p || memcmp(p, head, sizeof(head)) ||
	    get_unaligned_le32(p + 3) != XEN_LU_MB2_BOOTLOADER_MAGIC ||
	    p[7] != 0xbb || p[12] != 0xb9 || memcmp(p + 17, tail, sizeof(tail))) {
		pr_err("exec: no purgatory at entry %#llx: a real Xen would jump into the unknown\n",
		       sim.entry);
		return -EINVAL;
	}
	*mbi = get_unaligned_le32(p + 8);
	*xen_entry = get_unaligned_le32(p + 13);
	for (i = 0; i < sim.nr; i++) {
		const struct sim_segment *s = &sim.seg[i];

		if (s->region == SIM_REGION_XEN && *xen_entry >= s->dest &&
		    *xen_entry - s->dest < s->buf_size)
			return 0;
	}
	pr_err("exec: the purgatory jumps to %#x, in no loaded Xen segment\n",
	       *xen_entry);
	return -EINVAL;
}

/* Is @str (NUL-terminated) the records module's string? */
static bool sim_records_string(const char *str)
{
	size_t n = strlen(XEN_LU_RECORDS_MODULE_STRING);

	return !strncmp(str, XEN_LU_RECORDS_MODULE_STRING, n) &&
	       (str[n] == '\0' || str[n] == ' ');
}

/*
 * The records module's machine range from the MBI at @mbi_ma; 0 if none.
 * A xen#2 that boots normally (Xen 4.17 __start_xen) takes module 0 as
 * dom0's kernel and module 1 as its initrd (XSM policies and ucode= aside,
 * which the simulator does not model): the records module must be neither.
 */
static int sim_mbi_records(u64 mbi_ma, u64 *start, u64 *end)
{
	const u8 *mbi = sim_window_ptr(mbi_ma, 16), *tag;
	u32 total, off, type, size;
	unsigned int nr = 0;
	bool found = false;

	if (!mbi)
		goto bad;
	total = get_unaligned_le32(mbi);
	if (total < XEN_LU_MB2_INFO_HEADER + XEN_LU_MB2_TAG_HEADER ||
	    !sim_window_ptr(mbi_ma, total))
		goto bad;
	for (off = XEN_LU_MB2_INFO_HEADER;; off = ALIGN(off + size, XEN_LU_MB2_TAG_ALIGN)) {
		if (off > total - XEN_LU_MB2_TAG_HEADER)
			goto bad;
		tag = mbi + off;
		type = get_unaligned_le32(tag);
		size = get_unaligned_le32(tag + 4);
		if (size < XEN_LU_MB2_TAG_HEADER || size > total - off)
			goto bad;
		if (type == XEN_LU_MB2_TAG_END)
			break;
		if (type != XEN_LU_MB2_TAG_MODULE)
			continue;
		if (size < MBI_MODULE_MIN || tag[size - 1])
			goto bad;
		if (!sim_records_string((const char *)tag +
					XEN_LU_MB2_MODULE_FIXED)) {
			nr++;
			continue;
		}
		if (found) {
			pr_err("exec: two records modules in the MBI\n");
			return -EINVAL;
		}
		if (nr < 2) {
			pr_err("exec: the records are module %u: a xen#2 booting normally would take them as dom0's %s\n",
			       nr, nr ? "initrd" : "kernel");
			return -EINVAL;
		}
		nr++;
		found = true;
		*start = get_unaligned_le32(tag + 8);
		*end = get_unaligned_le32(tag + 12);
	}
	return 0;
bad:
	pr_err("exec: malformed multiboot2 information at %#llx\n", mbi_ma);
	return -EINVAL;
}

/*
 * dom0's records from the records module: a records dump whose records are
 * dom0's own types only; its END is left out (the stream has one END).
 */
static int sim_dom0_records(u64 start, u64 end, const u8 **rec, size_t *len)
{
	const u8 *p = end > start ? sim_window_ptr(start, end - start) : NULL;
	size_t n = end - start, off = 0, padded;
	u32 type, length;

	if (!p)
		goto bad;
	while (n - off >= SIM_REC_HDR_LEN) {
		type = get_unaligned_le32(p + off);
		length = get_unaligned_le32(p + off + 4);
		padded = ALIGN((size_t)length, 8);
		if (padded > n - off - SIM_REC_HDR_LEN)
			goto bad;
		if (type == XEN_LU_REC_END) {
			off += SIM_REC_HDR_LEN;
			if (length || memchr_inv(p + off, 0, n - off))
				goto bad;
			*rec = p;
			*len = off - SIM_REC_HDR_LEN;
			return 0;
		}
		if (type < XEN_LU_REC_DOM0_HEADER ||
		    type > XEN_LU_REC_DOM0_LAST) {
			pr_err("exec: records module holds record %#010x, not dom0's\n",
			       type);
			return -EINVAL;
		}
		off += SIM_REC_HDR_LEN + padded;
	}
bad:
	pr_err("exec: records module [%#llx, %#llx) is not a records dump\n",
	       start, end);
	return -EINVAL;
}

/* xen#1's part: what goes into the stream, from the image and from Xen. */
static int sim_gather(struct sim_stream_in *in)
{
	u64 start = 0, end = 0;
	u32 mbi, xen_entry;
	int rc;

	rc = sim_purgatory(&mbi, &xen_entry);
	if (!rc)
		rc = sim_mbi_records(mbi, &start, &end);
	if (!rc && end)
		rc = sim_dom0_records(start, end, &in->dom0, &in->dom0_len);
	if (!rc)
		rc = sim_xen_version(&in->major, &in->minor);
	if (!rc)
		rc = sim_domains_read(&in->dom, &in->nr_dom);
	in->inject = sim.knob[SIM_INJECT_MANDATORY];
	in->inject_libxc = sim.knob[SIM_INJECT_LIBXC];
	return rc;
}

/* xen#2's build id: SHA-256 over its loaded segments and the count. */
static void sim_build_id(u64 n)
{
	struct sha256_state sha;
	unsigned int i;
	__le64 v;

	sha256_init(&sha);
	for (i = 0; i < sim.nr; i++) {
		const struct sim_segment *s = &sim.seg[i];

		if (s->region != SIM_REGION_XEN)
			continue;
		v = cpu_to_le64(s->dest);
		sha256_update(&sha, (const u8 *)&v, sizeof(v));
		v = cpu_to_le64(s->dest_size);
		sha256_update(&sha, (const u8 *)&v, sizeof(v));
		sha256_update(&sha, sim.xen1 + (s->dest - sim.xen_start),
			      s->dest_size);
	}
	v = cpu_to_le64(n);
	sha256_update(&sha, (const u8 *)&v, sizeof(v));
	sha256_final(&sha, sim.build_id);
}

/* The handover; sim.lock held, an image loaded. */
static int sim_handover(void)
{
	struct sim_stream_in in = {};
	struct sim_stream s = {};
	u8 *copy = NULL;
	size_t copy_len = 0;
	int rc;

	rc = sim_gather(&in);
	if (!rc)
		rc = sim_stream_write(&s, &in);
	if (rc)
		goto out;
	sim_stream_breadcrumb(&s, sim.win);
	if (!sim_stream_copy(&s, &copy, &copy_len)) {
		kvfree(sim.stream);
		sim.stream = copy;
		sim.stream_len = copy_len;
		sim.stats = (struct sim_stream_stats){
			.bytes = s.len, .pages = s.nr_pages,
			.domains = in.nr_dom, .dom0_bytes = in.dom0_len,
			.injected = in.inject,
		};
	}
	pr_info("exec: xen#1 wrote %zu bytes in %u pages (%u domains, %zu bytes of dom0 records%s); kexec into xen#2\n",
		s.len, s.nr_pages, in.nr_dom, in.dom0_len,
		in.inject ? ", injected mandatory record" : "");

	rc = sim_xen2_play(sim.win);
	if (rc) {
		pr_err("exec: xen#2 refused the stream (%pe): no update, xen#1 still runs\n",
		       ERR_PTR(rc));
		goto out;
	}
	sim.updates++;
	sim_build_id(sim.updates);
	sim_image_consume();
	pr_info("exec: live update %llu done: xen#2 runs\n", sim.updates);
out:
	sim_stream_free(&s);
	kfree(in.dom);
	return rc;
}

/* sim.lock held: an exec's checks, then the handover. */
static int sim_exec_locked(void)
{
	lockdep_assert_held(&sim.lock);
	if (!sim.loaded) {
		pr_info("exec: nothing loaded (ENOENT, as Xen's kexec_exec)\n");
		return -ENOENT;
	}
	return sim_handover();
}

/**
 * sim_exec() - kexec(KEXEC_TYPE_LIVE_UPDATE)
 *
 * Return: 0 when the update is done or deferred; -ENOENT with nothing
 * loaded; -EBUSY while a deferred exec is pending; the errno armed in
 * fail_exec; -EINVAL when xen#2 refuses the stream (nothing changed, the
 * image stays loaded); -E2BIG or -ENOMEM when the stream cannot be built.
 */
int sim_exec(void)
{
	const char *op = "exec";
	int rc;

	mutex_lock(&sim.lock);
	rc = -sim.knob[SIM_FAIL_EXEC];
	if (rc) {
		pr_info("exec: injected %pe\n", ERR_PTR(rc));
	} else if (sim.deferred) {
		rc = -EBUSY;
		pr_info("exec: refused (EBUSY): a deferred exec is pending\n");
	} else if (sim.knob[SIM_DEFER] && sim.loaded) {
		sim.deferred = true;
		op = "exec (deferred)";
		pr_info("exec: accepted and deferred (scheduled): write 1 to run_deferred\n");
	} else {
		rc = sim_exec_locked();
	}
	sim.last_op = op;
	sim.last_rc = rc;
	mutex_unlock(&sim.lock);
	return rc;
}

/**
 * sim_run_deferred() - run, or drop, the deferred exec
 * @run: true: perform the handover now; false: forget it
 *
 * Return: the handover's result, 0 when dropped, -ENOENT when no exec is
 * deferred.
 */
int sim_run_deferred(bool run)
{
	int rc = -ENOENT;

	mutex_lock(&sim.lock);
	if (!sim.deferred) {
		pr_info("run_deferred: no deferred exec\n");
		goto out;
	}
	sim.deferred = false;
	rc = 0;
	if (run)
		rc = sim_exec_locked();
	else
		pr_info("run_deferred: deferred exec dropped\n");
	sim.last_op = run ? "run_deferred" : "run_deferred (dropped)";
	sim.last_rc = rc;
out:
	mutex_unlock(&sim.lock);
	return rc;
}

/**
 * sim_identity() - what the hypervisor says it is, once updated
 * @id: the real Xen's identity, rewritten into simulated xen#2's
 *
 * Same version and extraversion; the changeset gains
 * " [simulated live update <n>]" (or is only that when the real one is
 * empty), truncated to fit; the build id is xen#2's SHA-256, as long
 * as the real one (%SIM_BUILD_ID_DEFAULT bytes when the real Xen has none).
 */
void sim_identity(struct xen_lu_identity *id)
{
	char cs[XEN_LU_CHANGESET_LEN];
	u32 len;

	mutex_lock(&sim.lock);
	if (!sim.updates)
		goto out;
	if (id->changeset[0])
		scnprintf(cs, sizeof(cs), "%s [simulated live update %llu]",
			  id->changeset, sim.updates);
	else
		scnprintf(cs, sizeof(cs), "[simulated live update %llu]",
			  sim.updates);
	strscpy(id->changeset, cs, sizeof(id->changeset));
	len = id->build_id_len ? id->build_id_len : SIM_BUILD_ID_DEFAULT;
	len = min_t(u32, len, SHA256_DIGEST_SIZE);
	memset(id->build_id, 0, sizeof(id->build_id));
	memcpy(id->build_id, sim.build_id, len);
	id->build_id_len = len;
	id->build_id_err = 0;
out:
	mutex_unlock(&sim.lock);
}
