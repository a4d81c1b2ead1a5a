// SPDX-License-Identifier: GPL-2.0-only
/* Record framing and header writers for every stream format we emit. */
#include <errno.h>
#include <string.h>

#include "endian.h"
#include "writer.h"

void xs_writer_init(struct xs_writer *w, struct xs_sink *sink)
{
	memset(w, 0, sizeof(*w));
	w->sink = sink;
}

int xs_rec_open(struct xs_writer *w, uint32_t type, uint32_t length)
{
	uint8_t hdr[sizeof(struct xs_rhdr)];

	if (w->open)
		return -EBUSY;
	if (length > XS_REC_LENGTH_MAX)
		return -E2BIG;
	xs_put_le32(hdr, type);
	xs_put_le32(hdr + 4, length);
	w->open = true;
	w->type = type;
	w->length = length;
	w->done = 0;
	return xs_sink_write(w->sink, hdr, sizeof(hdr));
}

int xs_rec_append(struct xs_writer *w, const void *p, size_t n)
{
	if (!w->open)
		return -EINVAL;
	if (n > w->length - w->done)
		return -EOVERFLOW;
	w->done += (uint32_t)n;
	return xs_sink_write(w->sink, p, n);
}

int xs_rec_append_le32(struct xs_writer *w, uint32_t v)
{
	uint8_t b[4];

	xs_put_le32(b, v);
	return xs_rec_append(w, b, sizeof(b));
}

int xs_rec_append_le64(struct xs_writer *w, uint64_t v)
{
	uint8_t b[8];

	xs_put_le64(b, v);
	return xs_rec_append(w, b, sizeof(b));
}

int xs_rec_close(struct xs_writer *w)
{
	size_t pad;

	if (!w->open)
		return -EINVAL;
	w->open = false;
	if (w->done != w->length)
		return -EPROTO;
	pad = (XS_REC_ALIGN - (w->length % XS_REC_ALIGN)) % XS_REC_ALIGN;
	return xs_sink_zero(w->sink, pad);
}

int xs_write_record(struct xs_writer *w, uint32_t type,
		    const void *body, uint32_t length)
{
	int rc;

	rc = xs_rec_open(w, type, length);
	if (!rc && length)
		rc = xs_rec_append(w, body, length);
	if (!rc)
		rc = xs_rec_close(w);
	return rc;
}

int xs_write_end(struct xs_writer *w)
{
	return xs_write_record(w, XS_REC_END, NULL, 0);
}

int xs_write_ihdr(struct xs_writer *w, uint32_t version)
{
	uint8_t b[sizeof(struct xs_ihdr)] = { 0 };

	xs_put_be64(b, XS_IHDR_MARKER);
	xs_put_be32(b + 8, XS_IHDR_ID);
	xs_put_be32(b + 12, version);
	/* options 0: little-endian; reserved fields 0 */
	return xs_sink_write(w->sink, b, sizeof(b));
}

int xs_write_dhdr(struct xs_writer *w, uint32_t type, uint32_t xen_major,
		  uint32_t xen_minor)
{
	uint8_t b[sizeof(struct xs_dhdr)] = { 0 };

	xs_put_le32(b, type);
	xs_put_le16(b + 4, XS_PAGE_SHIFT);
	xs_put_le32(b + 8, xen_major);
	xs_put_le32(b + 12, xen_minor);
	return xs_sink_write(w->sink, b, sizeof(b));
}

static bool pfn_type_has_data(uint64_t pfn)
{
	unsigned int t = (unsigned int)(pfn >> XS_PAGE_DATA_TYPE_SHIFT);

	return (t & ~XS_PFINFO_LPINTAB) <= XS_PFINFO_L4TAB;
}

int xs_write_page_data(struct xs_writer *w, uint32_t count,
		       const uint64_t *pfns, const void *pages)
{
	const uint8_t *pg = pages;
	uint64_t len = sizeof(struct xs_rec_page_data_header);
	uint32_t i, nr_data = 0;
	int rc;

	for (i = 0; i < count; i++)
		nr_data += pfn_type_has_data(pfns[i]);
	len += (uint64_t)count * 8 + (uint64_t)nr_data * XS_PAGE_SIZE;
	if (len > XS_REC_LENGTH_MAX)
		return -E2BIG;

	rc = xs_rec_open(w, XS_REC_PAGE_DATA, (uint32_t)len);
	if (!rc)
		rc = xs_rec_append_le32(w, count);
	if (!rc)
		rc = xs_rec_append_le32(w, 0);
	for (i = 0; !rc && i < count; i++)
		rc = xs_rec_append_le64(w, pfns[i]);
	for (i = 0; !rc && i < nr_data; i++) {
		if (pg) {
			rc = xs_rec_append(w, pg, XS_PAGE_SIZE);
			pg += XS_PAGE_SIZE;
		} else {
			w->done += XS_PAGE_SIZE;
			rc = xs_sink_zero(w->sink, XS_PAGE_SIZE);
		}
	}
	if (!rc)
		rc = xs_rec_close(w);
	return rc;
}

int xs_write_x86_pv_info(struct xs_writer *w, uint8_t guest_width,
			 uint8_t pt_levels)
{
	uint8_t b[sizeof(struct xs_rec_x86_pv_info)] = { 0 };

	b[0] = guest_width;
	b[1] = pt_levels;
	return xs_write_record(w, XS_REC_X86_PV_INFO, b, sizeof(b));
}

int xs_write_x86_pv_p2m_frames(struct xs_writer *w, uint32_t start_pfn,
			       uint32_t end_pfn, const uint64_t *frames,
			       uint32_t nr_frames)
{
	uint64_t len = 8 + (uint64_t)nr_frames * 8;
	uint32_t i;
	int rc;

	if (len > XS_REC_LENGTH_MAX)
		return -E2BIG;
	rc = xs_rec_open(w, XS_REC_X86_PV_P2M_FRAMES, (uint32_t)len);
	if (!rc)
		rc = xs_rec_append_le32(w, start_pfn);
	if (!rc)
		rc = xs_rec_append_le32(w, end_pfn);
	for (i = 0; !rc && i < nr_frames; i++)
		rc = xs_rec_append_le64(w, frames[i]);
	if (!rc)
		rc = xs_rec_close(w);
	return rc;
}

/* Header of two 32-bit words followed by an opaque blob. */
static int write_hdr_blob(struct xs_writer *w, uint32_t type, uint32_t a,
			  uint32_t b, const void *blob, uint32_t len)
{
	int rc;

	if (len > XS_REC_LENGTH_MAX - 8)
		return -E2BIG;
	rc = xs_rec_open(w, type, len + 8);
	if (!rc)
		rc = xs_rec_append_le32(w, a);
	if (!rc)
		rc = xs_rec_append_le32(w, b);
	if (!rc && len)
		rc = xs_rec_append(w, blob, len);
	if (!rc)
		rc = xs_rec_close(w);
	return rc;
}

int xs_write_x86_pv_vcpu(struct xs_writer *w, uint32_t type,
			 uint32_t vcpu_id, const void *blob, uint32_t len)
{
	return write_hdr_blob(w, type, vcpu_id, 0, blob, len);
}

int xs_write_x86_tsc_info(struct xs_writer *w, uint32_t mode, uint32_t khz,
			  uint64_t nsec, uint32_t incarnation)
{
	uint8_t b[sizeof(struct xs_rec_x86_tsc_info)] = { 0 };

	xs_put_le32(b, mode);
	xs_put_le32(b + 4, khz);
	xs_put_le64(b + 8, nsec);
	xs_put_le32(b + 16, incarnation);
	return xs_write_record(w, XS_REC_X86_TSC_INFO, b, sizeof(b));
}

int xs_write_hvm_params(struct xs_writer *w,
			const struct xs_rec_hvm_params_entry *p,
			uint32_t count)
{
	uint64_t len = 8 + (uint64_t)count * 16;
	uint32_t i;
	int rc;

	if (len > XS_REC_LENGTH_MAX)
		return -E2BIG;
	rc = xs_rec_open(w, XS_REC_HVM_PARAMS, (uint32_t)len);
	if (!rc)
		rc = xs_rec_append_le32(w, count);
	if (!rc)
		rc = xs_rec_append_le32(w, 0);
	for (i = 0; !rc && i < count; i++) {
		rc = xs_rec_append_le64(w, p[i].index);
		if (!rc)
			rc = xs_rec_append_le64(w, p[i].value);
	}
	if (!rc)
		rc = xs_rec_close(w);
	return rc;
}

int xs_write_libxl_hdr(struct xs_writer *w, uint32_t options)
{
	uint8_t b[sizeof(struct xs_libxl_hdr)];

	xs_put_be64(b, XS_LIBXL_IDENT);
	xs_put_be32(b + 8, XS_LIBXL_VERSION);
	xs_put_be32(b + 12, options);
	return xs_sink_write(w->sink, b, sizeof(b));
}

int xs_write_libxl_emulator(struct xs_writer *w, uint32_t type,
			    uint32_t emulator_id, uint32_t index,
			    const void *blob, uint32_t len)
{
	return write_hdr_blob(w, type, emulator_id, index, blob, len);
}

int xs_write_xl_hdr(struct xs_writer *w, uint32_t mandatory_flags,
		    const void *config, uint32_t config_len)
{
	uint8_t b[sizeof(struct xs_xl_hdr) + 4];
	int rc;

	if (config_len > XS_XL_OPTIONAL_DATA_MAX - 4)
		return -E2BIG;
	memcpy(b, XS_XL_MAGIC, XS_XL_MAGIC_LEN);
	/* The xl header is in host byte order; x86 is little-endian. */
	xs_put_le32(b + 32, XS_XL_BYTEORDER);
	xs_put_le32(b + 36, mandatory_flags);
	xs_put_le32(b + 40, 0);
	xs_put_le32(b + 44, config_len + 4);
	xs_put_le32(b + 48, config_len);
	rc = xs_sink_write(w->sink, b, sizeof(b));
	if (!rc && config_len)
		rc = xs_sink_write(w->sink, config, config_len);
	return rc;
}

int xs_write_lu_version(struct xs_writer *w, uint32_t major, uint32_t minor)
{
	uint8_t b[sizeof(struct xs_lu_version)];

	xs_put_le32(b, major);
	xs_put_le32(b + 4, minor);
	return xs_write_record(w, XS_LU_REC_VERSION, b, sizeof(b));
}

int xs_write_lu_domain_info(struct xs_writer *w,
			    const struct xs_lu_domain_info *di)
{
	uint8_t b[sizeof(struct xs_lu_domain_info)] = { 0 };

	xs_put_le32(b, di->type);
	xs_put_le16(b + 4, di->page_shift);
	xs_put_le16(b + 6, di->domain_id);
	memcpy(b + 8, di->domain_handle, sizeof(di->domain_handle));
	xs_put_le32(b + 24, di->ssidref);
	xs_put_le32(b + 28, di->flags);
	xs_put_le32(b + 32, di->max_vcpus);
	xs_put_le32(b + 36, di->emulation_flags);
	xs_put_le32(b + 40, di->extra_flags);
	return xs_write_record(w, XS_LU_REC_DOMAIN_INFO, b, sizeof(b));
}

int xs_write_lu_m2p(struct xs_writer *w, uint32_t type,
		    const uint64_t *entries, uint32_t nr)
{
	uint64_t len = (uint64_t)nr * 8;
	uint32_t i;
	int rc;

	if (len > XS_REC_LENGTH_MAX)
		return -E2BIG;
	rc = xs_rec_open(w, type, (uint32_t)len);
	for (i = 0; !rc && i < nr; i++)
		rc = xs_rec_append_le64(w, entries[i]);
	if (!rc)
		rc = xs_rec_close(w);
	return rc;
}

void xs_breadcrumb_encode(void *out, uint64_t mfn_array_physaddr,
			  uint64_t nr_pages)
{
	uint8_t *b = out;

	xs_put_le64(b, XS_LU_BREADCRUMB_MAGIC);
	xs_put_le64(b + 8, mfn_array_physaddr);
	xs_put_le64(b + 16, nr_pages << XS_PAGE_SHIFT);
}
