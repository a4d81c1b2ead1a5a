/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libxenstream writer: headers and records for libxc v2/v3, libxl v2, xl
 * save files and live update streams, to any struct xs_sink.
 *
 * All functions return 0 or a negative errno; errors are also latched in
 * the sink.  Integers are written little-endian except the libxc image
 * header and the libxl header (big-endian), as the formats require.
 *
 * A record is either written whole (xs_write_record) or streamed:
 * xs_rec_open() with the final body length, any number of xs_rec_append()
 * calls, then xs_rec_close(), which checks the byte count and adds the zero
 * padding to 8 octets.  Lengths above XS_REC_LENGTH_MAX give -E2BIG.
 */
#ifndef XENSTREAM_WRITER_H
#define XENSTREAM_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format.h"
#include "sink.h"

struct xs_writer {
	struct xs_sink *sink;
	bool open;		/* a record is being streamed */
	uint32_t type;
	uint32_t length;	/* declared body length */
	uint32_t done;		/* body bytes written so far */
};

void xs_writer_init(struct xs_writer *w, struct xs_sink *sink);

/* Streaming records */
int xs_rec_open(struct xs_writer *w, uint32_t type, uint32_t length);
int xs_rec_append(struct xs_writer *w, const void *p, size_t n);
int xs_rec_append_le32(struct xs_writer *w, uint32_t v);
int xs_rec_append_le64(struct xs_writer *w, uint64_t v);
int xs_rec_close(struct xs_writer *w);

/* Whole records; body may be NULL when length is 0. */
int xs_write_record(struct xs_writer *w, uint32_t type,
		    const void *body, uint32_t length);
int xs_write_end(struct xs_writer *w);

/* libxc */
int xs_write_ihdr(struct xs_writer *w, uint32_t version);
int xs_write_dhdr(struct xs_writer *w, uint32_t type, uint32_t xen_major,
		  uint32_t xen_minor);
/*
 * PAGE_DATA: pfns[] carry the type in bits 63-60; pages holds one 4 KiB
 * page for each pfn whose type has data (NOTAB, L1-L4, pinned L1-L4), in
 * order.  pages may be NULL to write zero-filled pages.
 */
int xs_write_page_data(struct xs_writer *w, uint32_t count,
		       const uint64_t *pfns, const void *pages);
int xs_write_x86_pv_info(struct xs_writer *w, uint8_t guest_width,
			 uint8_t pt_levels);
int xs_write_x86_pv_p2m_frames(struct xs_writer *w, uint32_t start_pfn,
			       uint32_t end_pfn, const uint64_t *frames,
			       uint32_t nr_frames);
/* X86_PV_VCPU_{BASIC,EXTENDED,XSAVE,MSRS}: vcpu header + blob */
int xs_write_x86_pv_vcpu(struct xs_writer *w, uint32_t type,
			 uint32_t vcpu_id, const void *blob, uint32_t len);
int xs_write_x86_tsc_info(struct xs_writer *w, uint32_t mode, uint32_t khz,
			  uint64_t nsec, uint32_t incarnation);
int xs_write_hvm_params(struct xs_writer *w,
			const struct xs_rec_hvm_params_entry *p,
			uint32_t count);

/* libxl */
int xs_write_libxl_hdr(struct xs_writer *w, uint32_t options);
/* EMULATOR_XENSTORE_DATA / EMULATOR_CONTEXT: emulator header + blob */
int xs_write_libxl_emulator(struct xs_writer *w, uint32_t type,
			    uint32_t emulator_id, uint32_t index,
			    const void *blob, uint32_t len);

/*
 * xl save-file header.  config (config_len bytes, may be 0) goes into the
 * optional data behind its 32-bit length, as xl itself does.
 */
int xs_write_xl_hdr(struct xs_writer *w, uint32_t mandatory_flags,
		    const void *config, uint32_t config_len);

/* Live update */
int xs_write_lu_version(struct xs_writer *w, uint32_t major, uint32_t minor);
int xs_write_lu_domain_info(struct xs_writer *w,
			    const struct xs_lu_domain_info *di);
/* LU_M2P or LU_M2P_COMPAT: entries already encoded (address | order). */
int xs_write_lu_m2p(struct xs_writer *w, uint32_t type,
		    const uint64_t *entries, uint32_t nr);

/* Encode a breadcrumb (24 octets, little-endian) into out. */
void xs_breadcrumb_encode(void *out, uint64_t mfn_array_physaddr,
			  uint64_t nr_pages);

#endif /* XENSTREAM_WRITER_H */
