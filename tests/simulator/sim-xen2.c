// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated xen#2 after the kexec: it knows nothing but the breadcrumb
 * in the first words of the live-update window.  From there it maps the
 * MFN array by machine address, maps the data pages by their MFNs, and
 * reads the live update stream as strictly as a Xen restoring domains from
 * it would have to; any doubt fails the update with -EINVAL.
 */

#define pr_fmt(fmt) "xen_lu_sim: SIMULATED: xen#2: " fmt

#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <asm/unaligned.h>
#include <asm/xen/page.h>

#include <xen/liveupdate-records.h>

#include "sim.h"

/* The MFN array may span this many (machine-contiguous) pages. */
#define SIM_XEN2_MAX_ARRAY_PAGES	8
#define SIM_XEN2_MAX_PAGES	\
	(SIM_XEN2_MAX_ARRAY_PAGES * PAGE_SIZE / sizeof(u64))
#define SIM_DOMID_LIMIT		0x7ff0U
#define SIM_DOM0_KINDS		5

/* Fixed sizes of dom0's record bodies (UAPI "dom0 records"), by kind. */
static const u32 sim_dom0_min_len[SIM_DOM0_KINDS] = {
	sizeof(struct xen_lu_rec_dom0_header),
	sizeof(struct xen_lu_rec_dom0_domain),
	sizeof(struct xen_lu_rec_dom0_backend),
	sizeof(struct xen_lu_rec_dom0_evtchn),
	sizeof(struct xen_lu_rec_dom0_participant),
};

/**
 * struct sim_parse - xen#2 reading the stream
 * @p: the stream, mapped.
 * @len: its bytes (whole pages).
 * @off: the current record's offset.
 * @major: the running Xen's version, which LU_VERSION must be.
 * @minor: see @major.
 * @live: the running Xen's domains (LU_DOMAIN_INFO bodies).
 * @nr_live: their number.
 * @described: LU_DOMAIN_INFO records read.
 * @domid_seen: domains already described.
 * @version: LU_VERSION was read.
 * @m2p: LU_M2P was read.
 * @m2p_compat: LU_M2P_COMPAT was read.
 * @in_domain: an LU_DOMAIN_INFO was read (global records are over).
 * @dtype: the type of the last LU_DOMAIN_INFO (1 PV, 2 HVM).
 * @in_dom0: a dom0 record was read (domain groups are over).
 * @dom0_kind: the kind of the last dom0 record.
 * @nr: the dom0 header's count of each kind.
 * @seen: dom0 records read of each kind.
 */
struct sim_parse {
	const u8 *p;
	size_t len;
	size_t off;
	u32 major;
	u32 minor;
	const struct sim_lu_domain_info *live;
	unsigned int nr_live;
	unsigned int described;
	unsigned long *domid_seen;
	bool version;
	bool m2p;
	bool m2p_compat;
	bool in_domain;
	u32 dtype;
	bool in_dom0;
	u32 dom0_kind;
	u32 nr[SIM_DOM0_KINDS];
	u32 seen[SIM_DOM0_KINDS];
};

#define sim_refuse(ps, fmt, ...)					\
	({								\
		pr_err("stream offset %#zx: " fmt "\n", (ps)->off,	\
		       ##__VA_ARGS__);					\
		-EINVAL;						\
	})

/* A frame of dom0's RAM, by machine frame number; NULL for anything else. */
static struct page *sim_dom0_frame(u64 mfn)
{
	unsigned long pfn;

	if (mfn > ULONG_MAX)
		return NULL;
	pfn = mfn_to_pfn(mfn);
	if (pfn == ~0UL || !pfn_valid(pfn) || pfn_to_mfn(pfn) != mfn ||
	    !page_is_ram(pfn))
		return NULL;
	return pfn_to_page(pfn);
}

static int sim_version(struct sim_parse *ps, const u8 *body, u32 len)
{
	u32 major, minor;

	if (ps->version)
		return sim_refuse(ps, "second LU_VERSION");
	if (len != 8)
		return sim_refuse(ps, "LU_VERSION of %u bytes, not 8", len);
	major = get_unaligned_le32(body);
	minor = get_unaligned_le32(body + 4);
	if (major != ps->major || minor != ps->minor)
		return sim_refuse(ps, "LU_VERSION %u.%u, but xen#1 is %u.%u",
				  major, minor, ps->major, ps->minor);
	ps->version = true;
	return 0;
}

static int sim_m2p(struct sim_parse *ps, u32 type, u32 len)
{
	bool *seen = type == SIM_REC_LU_M2P ? &ps->m2p : &ps->m2p_compat;

	if (*seen)
		return sim_refuse(ps, "second M2P record %#x", type);
	if (ps->in_domain || ps->in_dom0)
		return sim_refuse(ps, "global record %#x after the domains",
				  type);
	if (!len || len % 8)
		return sim_refuse(ps, "M2P record of %u bytes", len);
	*seen = true;
	return 0;
}

static int sim_domain_info(struct sim_parse *ps, const u8 *body, u32 len)
{
	const struct sim_lu_domain_info *rec = (const void *)body;
	unsigned int i;
	u16 domid;

	if (ps->in_dom0)
		return sim_refuse(ps, "LU_DOMAIN_INFO after dom0's records");
	if (len != sizeof(*rec))
		return sim_refuse(ps, "LU_DOMAIN_INFO of %u bytes, not %zu",
				  len, sizeof(*rec));
	domid = get_unaligned_le16(&rec->domain_id);
	if (domid >= SIM_DOMID_LIMIT)
		return sim_refuse(ps, "LU_DOMAIN_INFO of reserved domid %#x",
				  domid);
	if (test_and_set_bit(domid, ps->domid_seen))
		return sim_refuse(ps, "domain %u described twice", domid);
	for (i = 0; i < ps->nr_live; i++)
		if (le16_to_cpu(ps->live[i].domain_id) == domid)
			break;
	if (i == ps->nr_live)
		return sim_refuse(ps, "domain %u does not exist", domid);
	if (memcmp(&ps->live[i], rec, sizeof(*rec)))
		return sim_refuse(ps, "domain %u: LU_DOMAIN_INFO differs from the live domain",
				  domid);
	ps->described++;
	ps->in_domain = true;
	ps->dtype = get_unaligned_le32(&rec->type);
	return 0;
}

/*
 * libxc records inside a domain group: the handover spec uses "X86_PV_INFO,
 * X86_PV_VCPU_BASIC, HVM_CONTEXT and other records containing
 * domain-specific data" as they are.  Allowed are those that describe a
 * domain of the group's type, as lu-ctl verify allows them; PAGE_DATA
 * (memory stays in place) and the stream-control records are not.  The
 * simulated xen#2 restores nothing from their bodies.
 */
static int sim_libxc(struct sim_parse *ps, u32 type)
{
	bool pv = ps->dtype == SIM_DOM_PV, ok;

	if (!ps->in_domain || ps->in_dom0)
		return sim_refuse(ps, "libxc record %#x outside a domain group",
				  type);
	switch (type) {
	case 0x02:	/* X86_PV_INFO */
	case 0x03:	/* X86_PV_P2M_FRAMES */
	case 0x04:	/* X86_PV_VCPU_BASIC */
	case 0x05:	/* X86_PV_VCPU_EXTENDED */
	case 0x06:	/* X86_PV_VCPU_XSAVE */
	case 0x07:	/* SHARED_INFO */
	case 0x0c:	/* X86_PV_VCPU_MSRS */
		ok = pv;
		break;
	case 0x09:	/* HVM_CONTEXT */
	case 0x0a:	/* HVM_PARAMS */
		ok = ps->dtype == SIM_DOM_HVM;
		break;
	case 0x08:	/* X86_TSC_INFO */
	case 0x11:	/* X86_CPUID_POLICY */
	case 0x12:	/* X86_MSR_POLICY */
		ok = true;
		break;
	default:
		ok = false;
	}
	if (!ok)
		return sim_refuse(ps, "libxc record %#x not allowed for a domain of type %u",
				  type, ps->dtype);
	return 0;
}

/* dom0's records (0xC0000000-0xC00000FF): header first, kind order, counts. */
static int sim_dom0(struct sim_parse *ps, u32 type, const u8 *body, u32 len)
{
	u32 kind = type - XEN_LU_REC_DOM0_HEADER;
	const struct xen_lu_rec_dom0_header *h = (const void *)body;

	if (kind >= SIM_DOM0_KINDS)
		return 0;	/* optional, unknown: skipped */
	if (len < sim_dom0_min_len[kind])
		return sim_refuse(ps, "dom0 record %#x of %u bytes, at least %u",
				  type, len, sim_dom0_min_len[kind]);
	if (kind == 0) {
		if (ps->in_dom0)
			return sim_refuse(ps, "DOM0_HEADER not first of dom0's records");
		if (get_unaligned_le32(&h->records_version) !=
		    XEN_LU_RECORDS_VERSION)
			return sim_refuse(ps, "dom0 records version %u, expected %u",
					  get_unaligned_le32(&h->records_version),
					  XEN_LU_RECORDS_VERSION);
		ps->nr[1] = get_unaligned_le32(&h->nr_domains);
		ps->nr[2] = get_unaligned_le32(&h->nr_backends);
		ps->nr[3] = get_unaligned_le32(&h->nr_evtchns);
		ps->nr[4] = get_unaligned_le32(&h->nr_participants);
	} else {
		if (!ps->seen[0])
			return sim_refuse(ps, "dom0 record %#x before DOM0_HEADER",
					  type);
		if (kind < ps->dom0_kind)
			return sim_refuse(ps, "dom0 record %#x out of order",
					  type);
		if (ps->seen[kind] >= ps->nr[kind])
			return sim_refuse(ps, "more dom0 records %#x than the header's %u",
					  type, ps->nr[kind]);
	}
	ps->seen[kind]++;
	ps->dom0_kind = kind;
	ps->in_dom0 = true;
	return 0;
}

static int sim_end(struct sim_parse *ps, u32 len)
{
	size_t after = ps->off + SIM_REC_HDR_LEN;
	unsigned int k;

	if (len)
		return sim_refuse(ps, "END of %u bytes", len);
	if (memchr_inv(ps->p + after, 0, ps->len - after))
		return sim_refuse(ps, "non-zero bytes after END");
	for (k = 1; k < SIM_DOM0_KINDS; k++)
		if (ps->seen[k] != ps->nr[k])
			return sim_refuse(ps, "%u dom0 records %#x, the header counts %u",
					  ps->seen[k],
					  XEN_LU_REC_DOM0_HEADER + k,
					  ps->nr[k]);
	if (ps->described != ps->nr_live)
		return sim_refuse(ps, "%u domains described, %u live",
				  ps->described, ps->nr_live);
	return 0;
}

static int sim_record(struct sim_parse *ps, u32 type, const u8 *body,
		      u32 len)
{
	if (!ps->version && type != SIM_REC_LU_VERSION)
		return sim_refuse(ps, "first record %#x, not LU_VERSION", type);
	switch (type) {
	case SIM_REC_LU_VERSION:
		return sim_version(ps, body, len);
	case SIM_REC_LU_M2P:
	case SIM_REC_LU_M2P_COMPAT:
		return sim_m2p(ps, type, len);
	case SIM_REC_LU_DOMAIN_INFO:
		return sim_domain_info(ps, body, len);
	}
	if (type <= SIM_REC_LIBXC_MAX)
		return sim_libxc(ps, type);
	if (!(type & SIM_REC_OPTIONAL))
		return sim_refuse(ps, "unknown mandatory record %#010x", type);
	if (type >= XEN_LU_REC_DOM0_HEADER && type <= XEN_LU_REC_DOM0_LAST)
		return sim_dom0(ps, type, body, len);
	return 0;	/* optional, unknown: skipped */
}

/* Every record, bounds first: 0 at a good END, else -EINVAL. */
static int sim_parse(struct sim_parse *ps)
{
	u32 type, len;
	size_t room, padded;
	const u8 *body;
	int rc;

	for (;;) {
		if (ps->len - ps->off < SIM_REC_HDR_LEN)
			return sim_refuse(ps, "no END before the end of the stream");
		type = get_unaligned_le32(ps->p + ps->off);
		len = get_unaligned_le32(ps->p + ps->off + 4);
		room = ps->len - ps->off - SIM_REC_HDR_LEN;
		padded = ALIGN((size_t)len, 8);
		if (padded > room)
			return sim_refuse(ps, "record %#x of %u bytes runs past the stream",
					  type, len);
		body = ps->p + ps->off + SIM_REC_HDR_LEN;
		if (memchr_inv(body + len, 0, padded - len))
			return sim_refuse(ps, "record %#x: padding not zero",
					  type);
		if (type == SIM_REC_END) {
			if (!ps->version)
				return sim_refuse(ps, "END before LU_VERSION");
			return sim_end(ps, len);
		}
		rc = sim_record(ps, type, body, len);
		if (rc)
			return rc;
		ps->off += SIM_REC_HDR_LEN + padded;
	}
}

/* The MFN array's pages, by machine address, and then the data pages. */
static int sim_map_stream(u64 array_ma, u64 n, struct page **pages)
{
	u64 first = array_ma >> PAGE_SHIFT;
	unsigned int k, i;
	struct page *ap;
	const __le64 *mfn;

	for (k = 0; k * (PAGE_SIZE / sizeof(u64)) < n; k++) {
		ap = sim_dom0_frame(first + k);
		if (!ap) {
			pr_err("MFN array page %#llx is not dom0 RAM\n",
			       first + k);
			return -EINVAL;
		}
		mfn = page_address(ap);
		for (i = 0; i < PAGE_SIZE / sizeof(u64); i++) {
			size_t at = k * (PAGE_SIZE / sizeof(u64)) + i;

			if (at >= n)
				break;
			pages[at] = sim_dom0_frame(le64_to_cpu(mfn[i]));
			if (!pages[at]) {
				pr_err("data page %zu, MFN %#llx, is not dom0 RAM\n",
				       at, le64_to_cpu(mfn[i]));
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int sim_crumb(const u8 *crumb, u64 *array_ma, u64 *n)
{
	u64 magic = get_unaligned_le64(crumb);
	u64 shifted = get_unaligned_le64(crumb + 16);

	*array_ma = get_unaligned_le64(crumb + 8);
	*n = shifted >> PAGE_SHIFT;
	if (magic != SIM_MAGIC_MASKED) {
		pr_err("breadcrumb magic %#llx, not %#llx: no live update\n",
		       magic, SIM_MAGIC_MASKED);
		return -EINVAL;
	}
	if (!*array_ma || !PAGE_ALIGNED(*array_ma) || !PAGE_ALIGNED(shifted) ||
	    !*n || *n > SIM_XEN2_MAX_PAGES) {
		pr_err("breadcrumb: MFN array %#llx, %#llx pages: refused\n",
		       *array_ma, *n);
		return -EINVAL;
	}
	return 0;
}

/**
 * sim_xen2_play() - be xen#2: find, map and read the live update stream
 * @crumb: the first %SIM_BREADCRUMB_LEN bytes of the window, and nothing
 *	else of what xen#1 did
 *
 * Return: 0 when xen#2 accepts the stream, -EINVAL when it does not (the
 * log says why), -ENOMEM, or an errno of the real hypervisor's answers.
 */
int sim_xen2_play(const u8 *crumb)
{
	struct sim_parse ps = {};
	struct sim_lu_domain_info *live = NULL;
	struct page **pages = NULL;
	void *va = NULL;
	u64 array_ma, n;
	int rc;

	rc = sim_crumb(crumb, &array_ma, &n);
	if (rc)
		return rc;
	rc = -ENOMEM;
	pages = kcalloc(n, sizeof(*pages), GFP_KERNEL);
	ps.domid_seen = bitmap_zalloc(SIM_DOMID_LIMIT, GFP_KERNEL);
	if (!pages || !ps.domid_seen)
		goto out;
	rc = sim_map_stream(array_ma, n, pages);
	if (rc)
		goto out;
	rc = -ENOMEM;
	va = vmap(pages, n, VM_MAP, PAGE_KERNEL_RO);
	if (!va)
		goto out;

	rc = sim_xen_version(&ps.major, &ps.minor);
	if (!rc)
		rc = sim_domains_read(&live, &ps.nr_live);
	if (rc)
		goto out;
	ps.p = va;
	ps.len = n * PAGE_SIZE;
	ps.live = live;
	rc = sim_parse(&ps);
	if (!rc)
		pr_info("stream of %llu pages accepted: %u domains restored\n",
			n, ps.described);
out:
	if (va)
		vunmap(va);
	kfree(live);
	bitmap_free(ps.domid_seen);
	kfree(pages);
	return rc;
}
