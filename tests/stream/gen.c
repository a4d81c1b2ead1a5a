// SPDX-License-Identifier: GPL-2.0-only
/* Stream generators; see gen.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

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
	for (i = 0; i < domains; i++) {
		CK(lu_domain(w, f, i, vcpus, blen));
		if (i == 0 && (f & L_M2P_AFTER_DOMAIN))
			CK(xs_write_lu_m2p(w, XS_LU_REC_M2P, m2p, 1));
	}
	if (f & L_UNKNOWN_MANDATORY)
		CK(xs_write_record(w, 0x40000077U, blob, 8));
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
