// SPDX-License-Identifier: GPL-2.0-only
/*
 * The real hypervisor's domains and version, as the simulated xen#1 writes
 * them into the stream and the simulated xen#2 checks them.
 *
 * XEN_SYSCTL_getdomaininfolist with the structures of Xen 4.17's public
 * sysctl.h and domctl.h (XEN_SYSCTL_INTERFACE_VERSION 0x15): Linux has no
 * sysctl interface of its own, so they are restated here with their sizes
 * pinned.  A Xen with another interface version answers -EACCES.
 */

#define pr_fmt(fmt) "xen_lu_sim: SIMULATED: " fmt

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <xen/interface/xen.h>
#include <xen/interface/version.h>
#include <asm/xen/hypercall.h>

#include "sim.h"

#define SIM_SYSCTL_INTERFACE_VERSION	0x00000015
#define SIM_SYSCTL_getdomaininfolist	6
/* DOMID_FIRST_RESERVED: every real domain id is below. */
#define SIM_DOMID_FIRST_RESERVED	0x7ff0U
/* Domains asked for per sysctl. */
#define SIM_DOMAINS_CHUNK		64

/* XEN_DOMINF_* of xen_domctl_getdomaininfo::flags */
#define SIM_DOMINF_HVM_GUEST		BIT(1)
#define SIM_DOMINF_XS_DOMAIN		BIT(7)
#define SIM_DOMINF_HAP			BIT(8)
/* XEN_DOMCTL_CDF_* of LU_DOMAIN_INFO::flags */
#define SIM_CDF_HVM			BIT(0)
#define SIM_CDF_HAP			BIT(1)
#define SIM_CDF_XS_DOMAIN		BIT(4)
#define SIM_INVALID_MAX_VCPU_ID		(~0U)

/* struct xen_domctl_getdomaininfo, x86, domctl interface 0x15. */
struct sim_xen_domaininfo {
	u16 domain;
	u16 pad1;
	u32 flags;
	u64 tot_pages;
	u64 max_pages;
	u64 outstanding_pages;
	u64 shr_pages;
	u64 paged_pages;
	u64 shared_info_frame;
	u64 cpu_time;
	u32 nr_online_vcpus;
	u32 max_vcpu_id;
	u32 ssidref;
	u8 handle[16];
	u32 cpupool;
	u8 gpaddr_bits;
	u8 pad2[7];
	u32 emulation_flags;	/* arch_config (xen_arch_domainconfig) */
	u32 misc_flags;
};

static_assert(sizeof(struct sim_xen_domaininfo) == 112);

/* struct xen_sysctl with its getdomaininfolist member. */
struct sim_xen_sysctl {
	u32 cmd;
	u32 interface_version;
	union {
		struct {
			u16 first_domain;
			u16 pad;
			u32 max_domains;
			u64 buffer;
			u32 num_domains;
		} getdomaininfolist;
		u8 pad[128];
	} __aligned(8) u;
};

static_assert(sizeof(struct sim_xen_sysctl) == 136);

static inline int sim_sysctl(struct sim_xen_sysctl *op)
{
	return _hypercall1(int, sysctl, op);
}

/**
 * sim_xen_version() - the real XENVER_version
 * @major: out
 * @minor: out
 *
 * Return: 0 or the hypervisor's negative errno.
 */
int sim_xen_version(u32 *major, u32 *minor)
{
	int v = HYPERVISOR_xen_version(XENVER_version, NULL);

	if (v < 0)
		return v;
	*major = (u32)v >> 16;
	*minor = (u32)v & 0xffff;
	return 0;
}

/* LU_DOMAIN_INFO of one real domain. */
static int sim_domain_record(const struct sim_xen_domaininfo *d,
			     struct sim_lu_domain_info *rec)
{
	bool hvm = d->flags & SIM_DOMINF_HVM_GUEST;
	u32 flags = 0;

	if (d->max_vcpu_id == SIM_INVALID_MAX_VCPU_ID) {
		pr_info("domain %u has no vCPU yet (being built): no update now\n",
			d->domain);
		return -EAGAIN;
	}
	if (d->domain >= SIM_DOMID_FIRST_RESERVED)
		return -EINVAL;
	if (hvm)
		flags |= SIM_CDF_HVM;
	if (d->flags & SIM_DOMINF_HAP)
		flags |= SIM_CDF_HAP;
	if (d->flags & SIM_DOMINF_XS_DOMAIN)
		flags |= SIM_CDF_XS_DOMAIN;

	memset(rec, 0, sizeof(*rec));
	rec->type = cpu_to_le32(hvm ? SIM_DOM_HVM : SIM_DOM_PV);
	rec->page_shift = cpu_to_le16(PAGE_SHIFT);
	rec->domain_id = cpu_to_le16(d->domain);
	memcpy(rec->handle, d->handle, sizeof(rec->handle));
	rec->ssidref = cpu_to_le32(d->ssidref);
	rec->flags = cpu_to_le32(flags);
	rec->max_vcpus = cpu_to_le32(d->max_vcpu_id + 1);
	rec->emulation_flags = cpu_to_le32(d->emulation_flags);
	/* The control domain: domain 0 on this Xen (no late hwdom). */
	rec->extra_flags = cpu_to_le32(d->domain ? 0 : SIM_DOM_PRIVILEGED);
	return 0;
}

/* Append one sysctl's worth of domains from @first; 0 when none left. */
static int sim_domains_chunk(struct sim_xen_domaininfo *info, u16 first,
			     struct sim_lu_domain_info **out,
			     unsigned int *nr)
{
	struct sim_xen_sysctl op = {
		.cmd = SIM_SYSCTL_getdomaininfolist,
		.interface_version = SIM_SYSCTL_INTERFACE_VERSION,
	};
	struct sim_lu_domain_info *grown;
	unsigned int i, got;
	int rc;

	op.u.getdomaininfolist.first_domain = first;
	op.u.getdomaininfolist.max_domains = SIM_DOMAINS_CHUNK;
	op.u.getdomaininfolist.buffer = (u64)(unsigned long)info;
	rc = sim_sysctl(&op);
	if (rc) {
		pr_err("real sysctl getdomaininfolist failed: %pe\n",
		       ERR_PTR(rc));
		return rc;
	}
	got = min_t(u32, op.u.getdomaininfolist.num_domains,
		    SIM_DOMAINS_CHUNK);
	if (!got)
		return 0;

	grown = krealloc_array(*out, *nr + got, sizeof(**out), GFP_KERNEL);
	if (!grown)
		return -ENOMEM;
	*out = grown;
	for (i = 0; i < got; i++) {
		rc = sim_domain_record(&info[i], &grown[*nr]);
		if (rc)
			return rc;
		(*nr)++;
	}
	return got;
}

/**
 * sim_domains_read() - every domain of the real hypervisor
 * @out: kmalloc'd LU_DOMAIN_INFO bodies by domid, for kfree()
 * @nr: their number
 *
 * Return: 0 or a negative errno (@out is then NULL).
 */
int sim_domains_read(struct sim_lu_domain_info **out, unsigned int *nr)
{
	struct sim_xen_domaininfo *info;
	u32 next = 0;
	int rc;

	*out = NULL;
	*nr = 0;
	info = kcalloc(SIM_DOMAINS_CHUNK, sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;

	do {
		rc = sim_domains_chunk(info, next, out, nr);
		if (rc > 0)
			next = le16_to_cpu((*out)[*nr - 1].domain_id) + 1;
	} while (rc == SIM_DOMAINS_CHUNK && next < SIM_DOMID_FIRST_RESERVED);

	kfree(info);
	if (rc < 0) {
		kfree(*out);
		*out = NULL;
		*nr = 0;
		return rc;
	}
	return 0;
}
