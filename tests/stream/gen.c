// SPDX-License-Identifier: GPL-2.0-only
/* Stream generators; see gen.h. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/liveupdate-records.h>
#include <xen/liveupdate.h>	/* XEN_LU_ABI_VERSION, for the header record */

#include "endian.h"
#include "gen.h"
#include "xenstream.h"

/* dom0 records are written as the UAPI structs lie in memory. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "little endian");

#define CK(x) do { rc = (x); if (rc) goto out; } while (0)

static const uint8_t blob[8192];

static int page_batch(struct xs_writer *w, uint32_t first, uint32_t n)
{
	uint64_t *pfns = malloc(sizeof(*pfns) * (n ? n : 1));
	uint32_t i;
	int rc;

	if (!pfns)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		pfns[i] = first + i;
	/* make the last pfn of a batch a page-table, the first XTAB-free */
	if (n > 1)
		pfns[n - 1] |= (uint64_t)0x1 << XS_PAGE_DATA_TYPE_SHIFT;
	rc = xs_write_page_data(w, n, pfns, NULL);
	free(pfns);
	return rc;
}

static int pages_out(struct xs_writer *w, uint32_t pages, uint32_t batch)
{
	uint32_t done = 0;
	int rc = 0;

	while (!rc && done < pages) {
		uint32_t n = pages - done < batch ? pages - done : batch;

		rc = page_batch(w, done, n);
		done += n;
	}
	return rc;
}

static int static_data(struct xs_writer *w, unsigned int f)
{
	uint8_t cpuid[48] = { 0 }, msr[16] = { 0 };
	int rc = 0;

	if (!(f & G_HVM)) {
		CK(xs_write_x86_pv_info(w, 8, 4));
		if (f & G_DUP_PV_INFO)
			CK(xs_write_x86_pv_info(w, 8, 4));
	}
	if (f & G_V2)
		return 0;
	CK(xs_write_record(w, XS_REC_X86_CPUID_POLICY, cpuid, sizeof(cpuid)));
	CK(xs_write_record(w, XS_REC_X86_MSR_POLICY, msr, sizeof(msr)));
	if (!(f & G_NO_STATIC_END))
		CK(xs_write_record(w, XS_REC_STATIC_DATA_END, NULL, 0));
	if (f & G_DUP_STATIC_END)
		CK(xs_write_record(w, XS_REC_STATIC_DATA_END, NULL, 0));
out:
	return rc;
}

static int tail(struct xs_writer *w, unsigned int f)
{
	struct xs_rec_hvm_params_entry p[2] = { { 2, 0xfeff }, { 5, 1 } };
	uint8_t shinfo[XS_PAGE_SIZE] = { 0 };
	int rc = 0;

	CK(xs_write_x86_tsc_info(w, 0, 2500000, 123456789, 1));
	if (f & G_DUP_TSC)
		CK(xs_write_x86_tsc_info(w, 0, 2500000, 123456789, 1));
	if (f & G_HVM) {
		if (!(f & G_PARAMS_AFTER_CONTEXT))
			CK(xs_write_hvm_params(w, p, (f & G_ZERO_CONTENT) ?
					       0 : 2));
		CK(xs_write_record(w, XS_REC_HVM_CONTEXT, blob, 1036));
		if (f & G_PARAMS_AFTER_CONTEXT)
			CK(xs_write_hvm_params(w, p, 2));
		goto out;
	}
	if (!(f & G_NO_SHARED_INFO))
		CK(xs_write_record(w, XS_REC_SHARED_INFO, shinfo,
				   sizeof(shinfo)));
	if (f & G_EXT_BEFORE_BASIC)
		CK(xs_write_x86_pv_vcpu(w, XS_REC_X86_PV_VCPU_EXTENDED, 0,
					blob, 64));
	/* odd blob length: the record carries padding */
	CK(xs_write_x86_pv_vcpu(w, XS_REC_X86_PV_VCPU_BASIC, 0, blob, 100));
	if (!(f & G_EXT_BEFORE_BASIC))
		CK(xs_write_x86_pv_vcpu(w, XS_REC_X86_PV_VCPU_EXTENDED, 0,
					blob, 64));
	if (f & G_ZERO_CONTENT) {
		CK(xs_write_x86_pv_vcpu(w, XS_REC_X86_PV_VCPU_XSAVE, 0,
					NULL, 0));
		CK(xs_write_x86_pv_vcpu(w, XS_REC_X86_PV_VCPU_MSRS, 0,
					NULL, 0));
	}
	CK(xs_write_x86_pv_vcpu(w, XS_REC_X86_PV_VCPU_BASIC, 1, blob, 100));
out:
	return rc;
}

int gen_libxc(struct xs_writer *w, unsigned int f, uint32_t pages,
	      uint32_t batch)
{
	uint64_t frames[64] = { 0 };
	uint32_t end_pfn = pages ? pages - 1 : 0;
	int rc = 0;

	CK(xs_write_ihdr(w, (f & G_V2) ? 2 : 3));
	CK(xs_write_dhdr(w, (f & G_HVM) ? XS_DHDR_TYPE_X86_HVM :
			 XS_DHDR_TYPE_X86_PV, 4, 17));
	CK(static_data(w, f));
	if (f & G_PAGE_BEFORE_P2M)
		CK(page_batch(w, 0, 1));
	if (!(f & G_HVM))
		CK(xs_write_x86_pv_p2m_frames(w, 0, end_pfn, frames,
					      end_pfn / 512 + 1));
	if (f & G_UNKNOWN_OPTIONAL)
		CK(xs_write_record(w, 0x80001234U, blob, 13));
	CK(pages_out(w, pages, batch));
	CK(tail(w, f));
	if (f & G_PAGE_AFTER_TAIL)
		CK(page_batch(w, 0, 1));
	if (f & G_STATIC_AFTER_END)
		CK(xs_write_x86_pv_info(w, 8, 4));
	if (f & G_CHECKPOINT) {
		CK(xs_write_record(w, XS_REC_CHECKPOINT, NULL, 0));
		CK(page_batch(w, 0, 2));
		CK(tail(w, f));
	}
	if (f & G_UNKNOWN_MANDATORY)
		CK(xs_write_record(w, 0x00000033U, blob, 8));
	if (!(f & G_NO_END))
		CK(xs_write_end(w));
out:
	return rc;
}

static const char xenstore[] =
	"physmap/1f0000/start_addr\0f0000000\0"
	"physmap/1f0000/size\0800000\0"
	"physmap/1f0000/name\0vram";	/* + implicit NUL */

int gen_libxl(struct xs_writer *w, unsigned int f, uint32_t pages)
{
	int rc = 0;

	CK(xs_write_libxl_hdr(w, 0));
	if (f & G_LIBXL_END_EARLY) {
		CK(xs_write_end(w));
		goto out;
	}
	CK(xs_write_record(w, XS_LIBXL_REC_LIBXC_CONTEXT, NULL, 0));
	CK(gen_libxc(w, f & ~G_CHECKPOINT, pages, 512));
	if (f & G_XENSTORE)
		CK(xs_write_libxl_emulator(w,
					   XS_LIBXL_REC_EMULATOR_XENSTORE_DATA,
					   XS_EMULATOR_QEMU_UPSTREAM, 0,
					   xenstore, sizeof(xenstore)));
	if (f & G_HVM)
		CK(xs_write_libxl_emulator(w, XS_LIBXL_REC_EMULATOR_CONTEXT,
					   XS_EMULATOR_QEMU_UPSTREAM, 0,
					   blob, 777));
	CK(xs_write_end(w));
out:
	return rc;
}

int gen_xl(struct xs_writer *w, unsigned int f, uint32_t pages)
{
	static const char cfg[] = "{ \"c_info\": { \"type\": \"pv\" } }";
	int rc = 0;

	CK(xs_write_xl_hdr(w, XS_XL_MANDATORY_FLAG_STREAMV2 |
			   XS_XL_MANDATORY_FLAG_JSON, cfg, sizeof(cfg)));
	CK(gen_libxl(w, f, pages));
out:
	return rc;
}

static int lu_domain(struct xs_writer *w, unsigned int f, uint32_t i,
		     uint32_t vcpus, uint32_t blen)
{
	struct xs_lu_domain_info di = { 0 };
	struct xs_rec_hvm_params_entry p[1] = { { 2, 0xfeff } };
	uint8_t shinfo[XS_PAGE_SIZE] = { 0 };
	bool hvm = i & 1;
	uint64_t frames[2] = { 0 };
	uint32_t v;
	int rc = 0;

	di.type = hvm ? XS_DHDR_TYPE_X86_HVM : XS_DHDR_TYPE_X86_PV;
	di.page_shift = XS_PAGE_SHIFT;
	di.domain_id = (f & L_DUP_DOMID) ? 1 : (uint16_t)(i + 1);
	memset(di.domain_handle, (int)i, sizeof(di.domain_handle));
	di.max_vcpus = vcpus;
	CK(xs_write_lu_domain_info(w, &di));
	if (hvm) {
		CK(xs_write_hvm_params(w, p, 1));
		for (v = 0; v < vcpus; v++)
			CK(xs_write_record(w, XS_REC_HVM_CONTEXT, blob,
					   blen ? blen : 1));
		goto out;
	}
	CK(xs_write_x86_pv_info(w, 8, 4));
	CK(xs_write_x86_pv_p2m_frames(w, 0, 1023, frames, 2));
	CK(xs_write_record(w, XS_REC_SHARED_INFO, shinfo, sizeof(shinfo)));
	if (f & L_HVM_REC_IN_PV)
		CK(xs_write_record(w, XS_REC_HVM_CONTEXT, blob, 8));
	if (f & L_PAGE_DATA)
		CK(page_batch(w, 0, 1));
	for (v = 0; v < vcpus; v++)
		CK(xs_write_x86_pv_vcpu(w, XS_REC_X86_PV_VCPU_BASIC, v, blob,
					blen ? blen : 1));
out:
	return rc;
}

int gen_lu(struct xs_writer *w, unsigned int f, uint32_t domains,
	   uint32_t vcpus, uint32_t blen)
{
	uint64_t m2p[4] = {
		0x4c0000000ULL | 30,	/* 1 GiB page (spec example) */
		(0x100000ULL << 12),	/* discontiguity: next MFN */
		0x200000ULL | 21,	/* 2 MiB page */
		0x7000ULL | 12,		/* 4 KiB page */
	};
	uint8_t hook[16] = { 'd', 'o', 'm', '0' };
	uint32_t i;
	int rc = 0;

	if (f & L_REC_BEFORE_DOMAIN && f & L_NO_VERSION)
		CK(xs_write_x86_pv_info(w, 8, 4));
	if (!(f & L_NO_VERSION))
		CK(xs_write_lu_version(w, 4, 17));
	if (f & L_DUP_VERSION)
		CK(xs_write_lu_version(w, 4, 17));
	if (f & L_REC_BEFORE_DOMAIN)
		CK(xs_write_x86_pv_info(w, 8, 4));
	CK(xs_write_lu_m2p(w, XS_LU_REC_M2P, m2p, 4));
	CK(xs_write_lu_m2p(w, XS_LU_REC_M2P_COMPAT, m2p + 2, 2));
	if (f & L_UNKNOWN_OPTIONAL)
		CK(xs_write_record(w, GEN_OPT_TYPE, blob, 21));
	if (f & (L_HOOKED_OPTIONAL | L_HOOKED_BAD)) {
		if (f & L_HOOKED_BAD)
			hook[0] = 'X';
		CK(xs_write_record(w, GEN_HOOK_TYPE, hook, sizeof(hook)));
	}
	if (f & L_DOM0_EARLY)
		CK(gen_dom0(w, &gen_dom0_default));
	for (i = 0; i < domains; i++) {
		CK(lu_domain(w, f, i, vcpus, blen));
		if (i == 0 && (f & L_M2P_AFTER_DOMAIN))
			CK(xs_write_lu_m2p(w, XS_LU_REC_M2P, m2p, 1));
	}
	if (f & L_UNKNOWN_MANDATORY)
		CK(xs_write_record(w, 0x40000077U, blob, 8));
	if (f & L_DOM0)
		CK(gen_dom0(w, &gen_dom0_default));
	if (!(f & L_NO_END))
		CK(xs_write_end(w));
	if (f & L_PAGE_FILL && w->sink->offset % XS_PAGE_SIZE)
		CK(xs_sink_zero(w->sink, XS_PAGE_SIZE -
				w->sink->offset % XS_PAGE_SIZE));
	if (f & L_TRAILING_GARBAGE)
		CK(xs_sink_write(w->sink, "junk", 4));
out:
	return rc;
}

/* ---- dom0 records ------------------------------------------------------- */

const struct gen_dom0 gen_dom0_default = {
	.domains = 3, .backends = 3, .evtchns = 5, .participants = 1,
	.data_len = 13,
};

static const uint8_t extra_bytes[256] = { [0 ... 255] = 0xa5 };

/* A fixed-size record, plus g->extra bytes a later layout would add. */
static int dom0_fixed(struct xs_writer *w, const struct gen_dom0 *g,
		      uint32_t type, const void *rec, uint32_t len)
{
	uint32_t extra = g->extra, n;
	int rc = 0;

	CK(xs_rec_open(w, type, len + extra));
	CK(xs_rec_append(w, rec, len));
	while (extra) {
		n = extra < sizeof(extra_bytes) ? extra : sizeof(extra_bytes);
		CK(xs_rec_append(w, extra_bytes, n));
		extra -= n;
	}
	CK(xs_rec_close(w));
out:
	return rc;
}

static int dom0_header(struct xs_writer *w, const struct gen_dom0 *g)
{
	struct xen_lu_rec_dom0_header h = {
		.records_version = XEN_LU_RECORDS_VERSION,
		.abi_version = XEN_LU_ABI_VERSION,
		.xen_major = 4, .xen_minor = 17,
		.xen_extraversion = ".3-pre",
		.xen_changeset = "Tue Jan 9 12:00:00 2024 +0000 git:c4a5d1f2",
		.build_id_len = 20,
		.time_ns = 1700000000123456789ULL,
		.generation = 1,
		.kernel_release = "generated-kernel-release",
		.module_version = "1.0",
		.nr_domains = g->domains,
		.nr_backends = g->backends,
		.nr_evtchns = g->evtchns,
		.nr_participants = g->participants,
	};
	uint32_t i;

	for (i = 0; i < h.build_id_len; i++)
		h.build_id[i] = (uint8_t)(0x11 * (i + 1));
	if (g->flags & D_COUNT_SHORT)
		h.nr_backends++;
	if (g->flags & D_COUNT_OVER)
		h.nr_backends--;
	return dom0_fixed(w, g, XEN_LU_REC_DOM0_HEADER, &h, sizeof(h));
}

static int dom0_domain(struct xs_writer *w, const struct gen_dom0 *g,
		       uint32_t i)
{
	struct xen_lu_rec_dom0_domain d = { .domid = i };

	if (i) {
		snprintf(d.uuid, sizeof(d.uuid),
			 "%08x-0000-4000-8000-%012x", 0xd0d0 + i, i);
		snprintf(d.name, sizeof(d.name), "guest-%u", i);
	} else {
		snprintf(d.uuid, sizeof(d.uuid),
			 "00000000-0000-0000-0000-000000000000");
		snprintf(d.name, sizeof(d.name), "Domain-0");
	}
	return dom0_fixed(w, g, XEN_LU_REC_DOM0_DOMAIN, &d, sizeof(d));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "be:..\0fe:..\0", sorted; *len its bytes.  malloc'd. */
static char *feature_list(const char *const *base, uint32_t nbase,
			  uint32_t more, uint32_t *len)
{
	uint32_t n = nbase + more, i;
	char **v = calloc(n ? n : 1, sizeof(*v)), *out = NULL, *q;
	size_t total = 0;

	if (!v)
		return NULL;
	for (i = 0; i < n; i++) {
		char tmp[64];

		if (i < nbase)
			snprintf(tmp, sizeof(tmp), "%s", base[i]);
		else
			snprintf(tmp, sizeof(tmp), "%s:feature-gen%05u=%u",
				 (i & 1) ? "fe" : "be", i, i * 7);
		v[i] = strdup(tmp);
		if (!v[i])
			goto out;
		total += strlen(tmp) + 1;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	out = malloc(total ? total : 1);
	if (!out)
		goto out;
	for (i = 0, q = out; i < n; i++) {
		size_t k = strlen(v[i]) + 1;

		memcpy(q, v[i], k);
		q += k;
	}
	*len = (uint32_t)total;
out:
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return out;
}

/* A device past a cap: states, paths and protocol, nothing else. */
static void unrecordable(struct xen_lu_rec_dom0_backend *b, uint32_t why)
{
	b->flags = XEN_LU_BACKEND_UNRECORDABLE;
	b->unrecordable = why;
}

/* Backend i: shape i % GEN_BACKEND_SHAPES (gen.h). */
static int dom0_backend(struct xs_writer *w, const struct gen_dom0 *g,
			uint32_t i)
{
	static const char *const vbd_f[] = {
		"be:feature-flush-cache=1", "be:feature-persistent=1",
		"fe:feature-persistent=1", "be:feature-barrier=1",
	};
	static const char *const vif_f[] = {
		"be:feature-sg=1", "be:feature-rx-copy=1",
		"fe:request-rx-copy=1", "fe:feature-sg=1",
		"be:feature-multi-queue-max-queues=4",
	};
	struct xen_lu_rec_dom0_backend b = { 0 };
	uint32_t fe = g->domains > 1 ? 1 + i % (g->domains - 1) : 0, j, fl = 0;
	uint32_t k = i / GEN_BACKEND_SHAPES, refs[128], evs[8];
	char bpath[96], fpath[96], *feat = NULL;
	const char *type, *dir = NULL;
	int rc = 0;

	b.frontend_domid = fe;
	b.backend_state = 4;
	b.frontend_state = 4;
	switch (i % GEN_BACKEND_SHAPES) {
	case 0:		/* vbd, one page ring */
		type = "vbd";
		b.devid = 51712 + 256 * k;
		b.nr_ring_refs = 1;
		refs[0] = 8 + i;
		b.nr_evtchns = 1;
		evs[0] = 20 + i;
		snprintf(b.protocol, sizeof(b.protocol), "x86_64-abi");
		feat = feature_list(vbd_f, 4, g->more_features, &fl);
		break;
	case 1:		/* vif, 4 queues: tx and rx ring and channel each */
		type = "vif";
		b.devid = 4 * k;
		b.nr_queues = 4;
		b.nr_ring_refs = 8;
		b.nr_evtchns = 8;
		for (j = 0; j < 8; j++) {
			refs[j] = 100 + 8 * i + j;
			evs[j] = 40 + 8 * i + j;
		}
		feat = feature_list(vif_f, 5, g->more_features, &fl);
		break;
	case 2:		/* vbd, 16-page ring, closing, no features */
		type = "vbd";
		b.devid = 51728 + 256 * k;
		b.backend_state = 5;
		b.frontend_state = 6;
		b.nr_ring_refs = XEN_LU_MAX_RING_PAGES;
		for (j = 0; j < XEN_LU_MAX_RING_PAGES; j++)
			refs[j] = 300 + j;
		b.nr_evtchns = 1;
		evs[0] = 60 + i;
		feat = feature_list(NULL, 0, g->more_features, &fl);
		break;
	case 3:		/* vbd, 8 queues of a 16-page ring and a channel */
		type = "vbd";
		b.devid = 51744 + 256 * k;
		b.nr_queues = 8;
		b.nr_ring_refs = 8 * XEN_LU_MAX_RING_PAGES;
		b.nr_evtchns = 8;
		for (j = 0; j < b.nr_ring_refs; j++)
			refs[j] = 1000 + j;
		for (j = 0; j < 8; j++)
			evs[j] = 70 + j;
		snprintf(b.protocol, sizeof(b.protocol), "x86_64-abi");
		feat = feature_list(vbd_f, 4, g->more_features, &fl);
		break;
	case 4:
		type = "vif";
		b.devid = 4 * k + 1;
		unrecordable(&b, XEN_LU_UNRECORDABLE_QUEUES);
		break;
	case 5:
		type = "vbd";
		b.devid = 51760 + 256 * k;
		snprintf(b.protocol, sizeof(b.protocol), "x86_32-abi");
		unrecordable(&b, XEN_LU_UNRECORDABLE_RING_REFS);
		break;
	case 6:
		type = "vif";
		b.devid = 4 * k + 2;
		b.frontend_state = 3;
		unrecordable(&b, XEN_LU_UNRECORDABLE_EVTCHNS);
		break;
	case 7:
		type = "vbd";
		b.devid = 51776 + 256 * k;
		unrecordable(&b, XEN_LU_UNRECORDABLE_FEATURES);
		break;
	case 8:		/* a type of 16 bytes: the record's type is empty */
		type = "9pfs-passthrough";
		b.devid = k;
		unrecordable(&b, XEN_LU_UNRECORDABLE_SIZE);
		break;
	default:	/* a frontend path too long: recorded empty */
		type = "vif";
		b.devid = 4 * k + 3;
		b.frontend_state = 0;
		unrecordable(&b, XEN_LU_UNRECORDABLE_SIZE);
		dir = "";
		break;
	}
	if (!b.unrecordable && !feat)
		return -ENOMEM;
	if (strlen(type) < sizeof(b.type))
		snprintf(b.type, sizeof(b.type), "%s", type);
	snprintf(bpath, sizeof(bpath), "/local/domain/0/backend/%s/%u/%u",
		 type, fe, b.devid);
	if (dir)
		snprintf(fpath, sizeof(fpath), "%s", dir);
	else
		snprintf(fpath, sizeof(fpath), "/local/domain/%u/device/%s/%u",
			 fe, type, b.devid);
	b.backend_path_len = (uint16_t)(strlen(bpath) + 1);
	b.frontend_path_len = (uint16_t)(strlen(fpath) + 1);
	b.features_len = fl;
	CK(xs_rec_open(w, XEN_LU_REC_DOM0_BACKEND, (uint32_t)sizeof(b) +
		       4 * (b.nr_ring_refs + b.nr_evtchns) +
		       b.backend_path_len + b.frontend_path_len + fl));
	CK(xs_rec_append(w, &b, sizeof(b)));
	CK(xs_rec_append(w, refs, 4 * b.nr_ring_refs));
	CK(xs_rec_append(w, evs, 4 * b.nr_evtchns));
	CK(xs_rec_append(w, bpath, b.backend_path_len));
	CK(xs_rec_append(w, fpath, b.frontend_path_len));
	CK(xs_rec_append(w, feat ? feat : "", fl));
	CK(xs_rec_close(w));
out:
	free(feat);
	return rc;
}

static int dom0_evtchn(struct xs_writer *w, const struct gen_dom0 *g,
		       uint32_t i)
{
	struct xen_lu_rec_dom0_evtchn e = {
		.port = 1 + 2 * i, .status = 1 + i % 5, .vcpu = i % 2,
	};

	switch (e.status) {
	case XEN_LU_EVTCHN_UNBOUND:
		e.remote_domid = 1;
		break;
	case XEN_LU_EVTCHN_INTERDOMAIN:
		e.remote_domid = 1;
		e.remote_port = 5 + i;
		break;
	case XEN_LU_EVTCHN_PIRQ:
		e.irq = 16 + i;
		break;
	case XEN_LU_EVTCHN_VIRQ:
		e.irq = i % 24;
		break;
	}
	return dom0_fixed(w, g, XEN_LU_REC_DOM0_EVTCHN, &e, sizeof(e));
}

static int dom0_participant(struct xs_writer *w, const struct gen_dom0 *g,
			    uint32_t i)
{
	struct xen_lu_rec_dom0_participant p = {
		.version = 2, .data_len = g->data_len,
	};
	uint8_t chunk[256];
	uint32_t left = g->data_len, n, k;
	int rc = 0;

	snprintf(p.name, sizeof(p.name), "participant-%u", i);
	CK(xs_rec_open(w, XEN_LU_REC_DOM0_PARTICIPANT,
		       (uint32_t)sizeof(p) + g->data_len));
	CK(xs_rec_append(w, &p, sizeof(p)));
	while (left) {
		n = left < sizeof(chunk) ? left : sizeof(chunk);
		for (k = 0; k < n; k++)
			chunk[k] = (uint8_t)(i + g->data_len - left + k);
		CK(xs_rec_append(w, chunk, n));
		left -= n;
	}
	CK(xs_rec_close(w));
out:
	return rc;
}

int gen_dom0(struct xs_writer *w, const struct gen_dom0 *g)
{
	unsigned int f = g->flags;
	uint32_t i;
	int rc = 0;

	if (!(f & D_NO_HEADER))
		CK(dom0_header(w, g));
	if (f & D_FOREIGN)
		CK(xs_write_lu_version(w, 4, 17));
	for (i = 0; i < g->domains; i++)
		CK(dom0_domain(w, g, i));
	if (f & D_DUP_HEADER)
		CK(dom0_header(w, g));
	if (f & D_ORDER)
		CK(dom0_evtchn(w, g, 0));
	if (f & D_UNKNOWN)
		CK(xs_write_record(w, GEN_OPT_TYPE, blob, 21));
	for (i = 0; i < g->backends; i++)
		CK(dom0_backend(w, g, i));
	for (i = (f & D_ORDER) ? 1 : 0; i < g->evtchns; i++)
		CK(dom0_evtchn(w, g, i));
	for (i = 0; i < g->participants; i++)
		CK(dom0_participant(w, g, i));
out:
	return rc;
}

int gen_dump(struct xs_writer *w, const struct gen_dom0 *g)
{
	int rc = 0;

	CK(gen_dom0(w, g));
	if (g->flags & D_END_BODY)
		CK(xs_write_record(w, XS_REC_END, blob, 8));
	else if (!(g->flags & D_NO_END))
		CK(xs_write_end(w));
	if (g->flags & D_TRAILING)
		CK(xs_sink_write(w->sink, "\0\0\0\0\0\0\0\0", 8));
out:
	return rc;
}

/* ---- one bad stream per rule --------------------------------------------- */

static uint8_t *gen_mem(const struct gen_bad *b, const struct gen_dom0 *g,
			size_t *len)
{
	struct xs_sink s;
	struct xs_writer w;
	uint8_t *p = NULL;
	int rc;

	xs_sink_init_mem(&s);
	xs_writer_init(&w, &s);
	if (b->format == XS_FMT_LU)
		rc = gen_lu(&w, b->flags, 2, 1, 8);
	else
		rc = gen_dump(&w, g);
	if (!rc)
		p = xs_sink_take(&s, len);
	xs_sink_release(&s);
	return p;
}

/* Body offset of the nth record of type, or 0. */
static size_t body_of(const uint8_t *p, size_t len, uint32_t type, int nth)
{
	size_t off = 0;

	while (off + 8 <= len) {
		uint32_t t = xs_get_le32(p + off), l = xs_get_le32(p + off + 4);

		if (t == type && nth-- == 0)
			return off + 8;
		off += 8 + ((l + 7) & ~(size_t)7);
	}
	return 0;
}

static void poke(uint8_t *p, unsigned int width, uint64_t v)
{
	switch (width) {
	case 1:
		*p = (uint8_t)v;
		break;
	case 2:
		xs_put_le16(p, (uint16_t)v);
		break;
	case 4:
		xs_put_le32(p, (uint32_t)v);
		break;
	case 8:
		xs_put_le64(p, v);
		break;
	}
}

static uint8_t *poke_dump(const struct gen_bad *b, struct gen_dom0 g,
			  size_t *len)
{
	uint8_t *p;
	size_t o;

	if (b->format != XS_FMT_LU)
		g.flags = b->flags;
	p = gen_mem(b, &g, len);
	if (!p || !b->type)
		return p;
	o = body_of(p, *len, b->type, b->nth);
	if (!o || (ptrdiff_t)o + b->off < 0 ||
	    (size_t)((ptrdiff_t)o + b->off) + b->width > *len) {
		free(p);
		return NULL;
	}
	poke(p + (ptrdiff_t)o + b->off, b->width, b->value);
	return p;
}

static uint8_t *make_poke(const struct gen_bad *b, size_t *len)
{
	return poke_dump(b, gen_dom0_default, len);
}

/* The default dump with a backend of every shape (gen.h), then the poke. */
static uint8_t *make_poke_all(const struct gen_bad *b, size_t *len)
{
	struct gen_dom0 g = gen_dom0_default;

	g.backends = GEN_BACKEND_SHAPES;
	return poke_dump(b, g, len);
}

/* One vbd with 253 feature keys, one more than XEN_LU_MAX_FEATURES. */
static uint8_t *make_feat_count(const struct gen_bad *b, size_t *len)
{
	struct gen_dom0 g = gen_dom0_default;

	g.backends = 1;
	g.more_features = XEN_LU_MAX_FEATURES + 1 - 4;
	return poke_dump(b, g, len);
}

/* Replace the first occurrence of from with to (same length). */
static uint8_t *replace(uint8_t *p, size_t len, const char *from,
			const char *to, size_t n)
{
	uint8_t *at = p ? memmem(p, len, from, n) : NULL;

	if (!at) {
		free(p);
		return NULL;
	}
	memcpy(at, to, n);
	return p;
}

#define REPLACE(fn, from, to)						\
static uint8_t *fn(const struct gen_bad *b, size_t *len)		\
{									\
	uint8_t *p = make_poke(b, len);					\
									\
	return replace(p, *len, from, to, sizeof(from) - 1);		\
}

REPLACE(make_path_nul, "/local/domain/1/device", "/local/domain/1\0device")
REPLACE(make_backend_path, "backend/vbd", "backend/vbx")
REPLACE(make_backend_path_domid, "backend/vbd/1/", "backend/vbd/x/")
REPLACE(make_feat_side, "be:feature-barrier", "xe:feature-barrier")
REPLACE(make_feat_key, "be:feature-barrier", "be:featurex-arrier")
REPLACE(make_feat_char, "be:feature-barrier", "be:feature-bar.ier")
REPLACE(make_feat_eq, "be:feature-barrier=1", "be:feature-barrier11")
REPLACE(make_feat_sorted, "be:feature-barrier", "be:feature-zarrier")
REPLACE(make_domain_pad, "guest-1\0\0", "guest-1\0x")

/* All of kernel_release non-zero: no NUL in the field. */
static uint8_t *make_string_nul(const struct gen_bad *b, size_t *len)
{
	uint8_t *p = make_poke(b, len);
	size_t o = p ? body_of(p, *len, XEN_LU_REC_DOM0_HEADER, 0) : 0;

	if (o)
		memset(p + o + offsetof(struct xen_lu_rec_dom0_header,
					kernel_release), 'k',
		       XEN_LU_KERNEL_RELEASE_LEN);
	return p;
}

/* First backend: backend path 1 byte (its NUL), the rest to the frontend. */
static uint8_t *make_path_empty(const struct gen_bad *b, size_t *len)
{
	uint8_t *p = make_poke(b, len);
	size_t o = p ? body_of(p, *len, XEN_LU_REC_DOM0_BACKEND, 0) : 0;
	uint8_t *bl, *fl;

	if (!o)
		return p;
	bl = p + o + offsetof(struct xen_lu_rec_dom0_backend, backend_path_len);
	fl = p + o + offsetof(struct xen_lu_rec_dom0_backend, frontend_path_len);
	xs_put_le16(fl, (uint16_t)(xs_get_le16(fl) + xs_get_le16(bl) - 1));
	xs_put_le16(bl, 1);
	return p;
}

/* Last byte of the first backend's feature list, the body's last. */
static uint8_t *make_feat_nul(const struct gen_bad *b, size_t *len)
{
	uint8_t *p = make_poke(b, len);
	size_t o = p ? body_of(p, *len, XEN_LU_REC_DOM0_BACKEND, 0) : 0;

	if (o)
		p[o + xs_get_le32(p + o - 4) - 1] = 'x';
	return p;
}

/* First backend: backend_path_len one more than the path. */
static uint8_t *make_backend_len(const struct gen_bad *b, size_t *len)
{
	uint8_t *p = make_poke(b, len);
	size_t o = p ? body_of(p, *len, XEN_LU_REC_DOM0_BACKEND, 0) : 0;
	uint8_t *bl;

	if (o) {
		bl = p + o + offsetof(struct xen_lu_rec_dom0_backend,
				      backend_path_len);
		xs_put_le16(bl, (uint16_t)(xs_get_le16(bl) + 1));
	}
	return p;
}

/* First participant: name all zero. */
static uint8_t *make_part_name(const struct gen_bad *b, size_t *len)
{
	uint8_t *p = make_poke(b, len);
	size_t o = p ? body_of(p, *len, XEN_LU_REC_DOM0_PARTICIPANT, 0) : 0;

	if (o)
		memset(p + o + offsetof(struct xen_lu_rec_dom0_participant,
					name), 0, XEN_LU_PARTICIPANT_NAME_LEN);
	return p;
}

#define HOFF(f)	offsetof(struct xen_lu_rec_dom0_header, f)
#define DOFF(f)	offsetof(struct xen_lu_rec_dom0_domain, f)
#define BOFF(f)	offsetof(struct xen_lu_rec_dom0_backend, f)
#define EOFF(f)	offsetof(struct xen_lu_rec_dom0_evtchn, f)
#define POFF(f)	offsetof(struct xen_lu_rec_dom0_participant, f)
#define DUMP	XS_FMT_LU_RECORDS
#define H	XEN_LU_REC_DOM0_HEADER
#define DM	XEN_LU_REC_DOM0_DOMAIN
#define BK	XEN_LU_REC_DOM0_BACKEND
#define EV	XEN_LU_REC_DOM0_EVTCHN
#define PT	XEN_LU_REC_DOM0_PARTICIPANT

/* evtchn i of the default dump has status 1 + i % 5 */
const struct gen_bad gen_bad_dom0[] = {
	{ "lu.optional-length", "DOMAIN body shorter than its fixed part",
	  DUMP, "domain-short", make_poke, 0, DM, 0, -4, 4, 100 },
	{ "lu.optional-length", "BACKEND body above 64 KiB",
	  DUMP, "backend-huge", make_poke, 0, BK, 0, -4, 4, 65537 },
	{ "lu.duplicate", "second DOM0_HEADER", DUMP, "dup-header",
	  make_poke, D_DUP_HEADER, 0, 0, 0, 0, 0 },
	{ "dom0.header-first", "dump without DOM0_HEADER", DUMP, "no-header",
	  make_poke, D_NO_HEADER, 0, 0, 0, 0, 0 },
	{ "dom0.order", "EVTCHN before the BACKENDs", DUMP, "order",
	  make_poke, D_ORDER, 0, 0, 0, 0, 0 },
	{ "dom0.count", "header counts a backend more than present", DUMP,
	  "count-short", make_poke, D_COUNT_SHORT, 0, 0, 0, 0, 0 },
	{ "dom0.count", "a backend more than the header counts", DUMP,
	  "count-over", make_poke, D_COUNT_OVER, 0, 0, 0, 0, 0 },
	{ "dump.record-type", "LU_VERSION inside a dump", DUMP, "foreign",
	  make_poke, D_FOREIGN, 0, 0, 0, 0, 0 },
	{ "stream.trailing", "bytes after END", DUMP, "trailing",
	  make_poke, D_TRAILING, 0, 0, 0, 0, 0 },
	{ "stream.truncated", "dump without END", DUMP, "no-end",
	  make_poke, D_NO_END, 0, 0, 0, 0, 0 },
	{ "lu.length", "END with a body", DUMP, "end-body",
	  make_poke, D_END_BODY, 0, 0, 0, 0, 0 },
	{ "record.padding", "non-zero padding after participant data", DUMP,
	  "padding", make_poke, 0, PT, 0, 40 + 13, 1, 1 },
	{ "dom0.records-version", "records version 3", DUMP,
	  "records-version", make_poke, 0, H, 0, HOFF(records_version), 4, 3 },
	{ "dom0.records-version", "records version 1, the layout before", DUMP,
	  "records-version-1", make_poke, 0, H, 0, HOFF(records_version), 4,
	  1 },
	{ "dom0.abi-version", "ABI version 2", DUMP, "abi-version",
	  make_poke, 0, H, 0, HOFF(abi_version), 4, 2 },
	{ "dom0.string-nul", "kernel_release without NUL", DUMP,
	  "string-nul", make_string_nul, 0, 0, 0, 0, 0, 0 },
	{ "dom0.string-padding", "domain name not zero after its NUL", DUMP,
	  "string-padding", make_domain_pad, 0, 0, 0, 0, 0, 0 },
	{ "dom0.string-padding", "xen_extraversion's last byte non-zero",
	  DUMP, "string-padding-hdr", make_poke, 0, H, 0,
	  HOFF(xen_extraversion) + XEN_LU_EXTRAVERSION_LEN - 1, 1, 'x' },
	{ "dom0.build-id-len", "build id length 65", DUMP, "build-id-len",
	  make_poke, 0, H, 0, HOFF(build_id_len), 4, 65 },
	{ "dom0.unused", "build id byte past build_id_len", DUMP,
	  "unused-build-id", make_poke, 0, H, 0, HOFF(build_id) + 20, 1, 1 },
	{ "dom0.flags", "header flags 1", DUMP, "header-flags",
	  make_poke, 0, H, 0, HOFF(flags), 4, 1 },
	{ "dom0.flags", "domain flags 1", DUMP, "domain-flags",
	  make_poke, 0, DM, 1, DOFF(flags), 4, 1 },
	{ "dom0.generation", "generation 0", DUMP, "generation",
	  make_poke, 0, H, 0, HOFF(generation), 8, 0 },
	{ "dom0.domain-dom0", "header counts no domains", DUMP,
	  "no-domains", make_poke, 0, H, 0, HOFF(nr_domains), 4, 0 },
	{ "dom0.domain-dom0", "first domain is not dom0", DUMP,
	  "first-domain", make_poke, 0, DM, 0, DOFF(domid), 4, 7 },
	{ "dom0.domid", "domain id 0x7ff0", DUMP, "domid",
	  make_poke, 0, DM, 2, DOFF(domid), 4, 0x7ff0 },
	{ "dom0.domid", "backend frontend_domid 0x7ff1", DUMP,
	  "frontend-domid", make_poke, 0, BK, 0, BOFF(frontend_domid), 4,
	  0x7ff1 },
	{ "dom0.domid", "unbound channel for domain 0xffff", DUMP,
	  "evtchn-domid", make_poke, 0, EV, 0, EOFF(remote_domid), 4,
	  0xffff },
	{ "dom0.domain-sorted", "two domains with domid 1", DUMP,
	  "domain-sorted", make_poke, 0, DM, 2, DOFF(domid), 4, 1 },
	{ "dom0.backend-state", "backend state 9", DUMP, "backend-state",
	  make_poke, 0, BK, 1, BOFF(backend_state), 4, 9 },
	{ "dom0.backend-state", "frontend state 0x100", DUMP,
	  "frontend-state", make_poke, 0, BK, 0, BOFF(frontend_state), 4,
	  0x100 },
	{ "dom0.ring-refs", "20 ring refs without queues", DUMP, "ring-refs",
	  make_poke, 0, BK, 0, BOFF(nr_ring_refs), 4, 20 },
	{ "dom0.ring-refs", "128 ring refs of 8 queues, 5 queues said",
	  DUMP, "ring-refs-queues", make_poke_all, 0, BK, 3, BOFF(nr_queues),
	  4, 5 },
	{ "dom0.evtchns", "3 event channels without queues", DUMP, "evtchns",
	  make_poke, 0, BK, 0, BOFF(nr_evtchns), 4, 3 },
	{ "dom0.evtchns", "8 event channels of 4 queues, 2 queues said",
	  DUMP, "evtchns-queues", make_poke, 0, BK, 1, BOFF(nr_queues), 4, 2 },
	{ "dom0.queues", "257 queues", DUMP, "queues",
	  make_poke, 0, BK, 1, BOFF(nr_queues), 4, XEN_LU_MAX_QUEUES + 1 },
	{ "dom0.features-len", "16385 bytes of features", DUMP,
	  "features-len", make_poke, 0, BK, 0, BOFF(features_len), 4,
	  XEN_LU_MAX_FEATURE_BYTES + 1 },
	{ "dom0.features-count", "257 feature keys", DUMP, "features-count",
	  make_feat_count, 0, 0, 0, 0, 0, 0 },
	{ "dom0.flags", "backend flags bit 1", DUMP, "backend-flags",
	  make_poke, 0, BK, 0, BOFF(flags), 4, 2 },
	{ "dom0.reserved", "backend __reserved 1", DUMP, "backend-reserved",
	  make_poke, 0, BK, 1, BOFF(__reserved), 4, 1 },
	{ "dom0.unrecordable", "unrecordable 6", DUMP, "unrecordable",
	  make_poke_all, 0, BK, 4, BOFF(unrecordable), 4, 6 },
	{ "dom0.unrecordable-flag", "XEN_LU_BACKEND_UNRECORDABLE without a reason",
	  DUMP, "unrecordable-flag", make_poke, 0, BK, 0, BOFF(flags), 4,
	  XEN_LU_BACKEND_UNRECORDABLE },
	{ "dom0.unrecordable-flag", "a reason without XEN_LU_BACKEND_UNRECORDABLE",
	  DUMP, "unrecordable-reason", make_poke, 0, BK, 0,
	  BOFF(unrecordable), 4, XEN_LU_UNRECORDABLE_RING_REFS },
	{ "dom0.unrecordable-counts", "unrecordable device with 1 queue", DUMP,
	  "unrecordable-queues", make_poke_all, 0, BK, 4, BOFF(nr_queues), 4,
	  1 },
	{ "dom0.unrecordable-counts", "unrecordable device with a ring ref",
	  DUMP, "unrecordable-ring-refs", make_poke_all, 0, BK, 5,
	  BOFF(nr_ring_refs), 4, 1 },
	{ "dom0.unrecordable-counts", "unrecordable device with a channel",
	  DUMP, "unrecordable-evtchns", make_poke_all, 0, BK, 6,
	  BOFF(nr_evtchns), 4, 1 },
	{ "dom0.unrecordable-counts", "unrecordable device with features",
	  DUMP, "unrecordable-features", make_poke_all, 0, BK, 7,
	  BOFF(features_len), 4, 24 },
	{ "dom0.backend-type", "empty type, unrecordable for its queues",
	  DUMP, "backend-type-queues", make_poke_all, 0, BK, 4, BOFF(type), 4,
	  0 },
	{ "dom0.path-empty", "empty frontend path, unrecordable for its queues",
	  DUMP, "path-empty-queues", make_poke_all, 0, BK, 9,
	  BOFF(unrecordable), 4, XEN_LU_UNRECORDABLE_QUEUES },
	{ "dom0.backend-path", "empty type, backend path of another devid",
	  DUMP, "backend-path-size", make_poke_all, 0, BK, 8, BOFF(devid), 4,
	  7 },
	{ "dom0.backend-length", "one ring ref more than the body holds", DUMP,
	  "backend-length-refs", make_poke, 0, BK, 0, BOFF(nr_ring_refs), 4,
	  2 },
	{ "dom0.backend-type", "empty backend type", DUMP, "backend-type",
	  make_poke, 0, BK, 0, BOFF(type), 4, 0 },
	{ "dom0.backend-length", "backend path length one more", DUMP,
	  "backend-length", make_backend_len, 0, 0, 0, 0, 0, 0 },
	{ "dom0.path-empty", "backend path of its NUL only", DUMP,
	  "path-empty", make_path_empty, 0, 0, 0, 0, 0, 0 },
	{ "dom0.path-nul", "NUL inside the frontend path", DUMP, "path-nul",
	  make_path_nul, 0, 0, 0, 0, 0, 0 },
	{ "dom0.backend-path", "backend path of another type", DUMP,
	  "backend-path", make_backend_path, 0, 0, 0, 0, 0, 0 },
	{ "dom0.backend-path", "backend path with a domid key not decimal",
	  DUMP, "backend-path-domid", make_backend_path_domid, 0, 0, 0, 0, 0,
	  0 },
	{ "dom0.backend-path", "backend path of another devid", DUMP,
	  "backend-path-devid", make_poke, 0, BK, 0, BOFF(devid), 4, 51713 },
	{ "dom0.features-nul", "feature list without final NUL", DUMP,
	  "features-nul", make_feat_nul, 0, 0, 0, 0, 0, 0 },
	{ "dom0.features-entry", "feature of side xe:", DUMP,
	  "features-side", make_feat_side, 0, 0, 0, 0, 0, 0 },
	{ "dom0.features-entry", "feature key featurex-", DUMP,
	  "features-key", make_feat_key, 0, 0, 0, 0, 0, 0 },
	{ "dom0.features-entry", "'.' in a feature key", DUMP,
	  "features-char", make_feat_char, 0, 0, 0, 0, 0, 0 },
	{ "dom0.features-entry", "feature without '='", DUMP,
	  "features-eq", make_feat_eq, 0, 0, 0, 0, 0, 0 },
	{ "dom0.features-sorted", "features out of order", DUMP,
	  "features-sorted", make_feat_sorted, 0, 0, 0, 0, 0, 0 },
	{ "dom0.evtchn-status", "channel status 0 (closed)", DUMP,
	  "evtchn-closed", make_poke, 0, EV, 4, EOFF(status), 4, 0 },
	{ "dom0.evtchn-status", "channel status 6", DUMP, "evtchn-status",
	  make_poke, 0, EV, 4, EOFF(status), 4, 6 },
	{ "dom0.evtchn-vcpu", "channel vcpu 8192", DUMP, "evtchn-vcpu",
	  make_poke, 0, EV, 0, EOFF(vcpu), 4, 8192 },
	{ "dom0.evtchn-field", "remote port of an unbound channel", DUMP,
	  "evtchn-remote-port", make_poke, 0, EV, 0, EOFF(remote_port), 4, 3 },
	{ "dom0.evtchn-field", "irq of an IPI channel", DUMP, "evtchn-irq",
	  make_poke, 0, EV, 4, EOFF(irq), 4, 3 },
	{ "dom0.evtchn-field", "remote domain of a VIRQ channel", DUMP,
	  "evtchn-remote-domid", make_poke, 0, EV, 3, EOFF(remote_domid), 4,
	  1 },
	{ "dom0.evtchn-sorted", "two channels on port 3", DUMP,
	  "evtchn-sorted", make_poke, 0, EV, 2, EOFF(port), 4, 3 },
	{ "dom0.participant-name", "empty participant name", DUMP,
	  "participant-name", make_part_name, 0, 0, 0, 0, 0, 0 },
	{ "dom0.participant-length", "participant data_len one more", DUMP,
	  "participant-length", make_poke, 0, PT, 0, POFF(data_len), 4, 14 },
	{ "lu.trailer-order", "LU_DOMAIN_INFO after the dom0 records",
	  XS_FMT_LU, "lu-trailer-order", make_poke, L_DOM0_EARLY, 0, 0, 0, 0, 0 },
	{ "dom0.header-first", "LU stream: DOM0_DOMAIN before DOM0_HEADER",
	  XS_FMT_LU, "lu-header-first", make_poke, L_DOM0, H, 0, -8, 4, DM },
	{ NULL }
};
