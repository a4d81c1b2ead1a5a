/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Legacy (pre-4.6) stream -> libxc v3 (optionally wrapped in libxl v2, and
 * behind an xl header), producing what Xen's convert-legacy-stream
 * produces wherever it produces anything; the rules where this differs are
 * in Documentation/userspace-api/xen-legacy-stream.rst.
 */
#ifndef XENSTREAM_CONVERT_H
#define XENSTREAM_CONVERT_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "reader.h"
#include "sink.h"

struct legacy_event;

struct convert_cfg {
	/*
	 * Legacy toolstack word: 4 or 8 octets; 0: width and guest type
	 * (hvm) as legacy_probe() reads them from the stream's first bytes.
	 */
	unsigned int width;
	bool hvm;
	bool libxl;		/* wrap in a libxl v2 stream */
	bool xl;		/* input starts with an xl header; copy it */
	bool skip_qemu;		/* libxc output: drop the device model tail */
	/* Called with every event once it is converted; may be NULL. */
	void (*observe)(void *opaque, const struct legacy_event *ev);
	void *opaque;
};

struct convert_stats {
	uint64_t checkpoints;	/* complete checkpoints read */
	uint64_t batches;	/* PAGE_DATA records written */
	uint64_t pages;		/* pages of data written */
	uint64_t compressed_pages;
	uint64_t vcpus;		/* vcpu contexts in the output */
};

/*
 * Convert in to out.  0 on success; -1 with err filled (the offset is the
 * input's, rule "legacy.*" for input faults, "convert.*" for what v2
 * cannot express, "convert.write" for output errors).  Into a null sink
 * (xs_sink_init_null()) it checks all that and writes nothing.
 */
int legacy_convert(struct xs_reader *in, struct xs_sink *out,
		   const struct convert_cfg *cfg, struct convert_stats *st,
		   struct xs_error *err);

/*
 * libxl toolstack chunk (version 1 physmap list) -> EMULATOR_XENSTORE_DATA
 * key/value pairs appended to *kv (grown with realloc).  width as above.
 * 0 or -1 with err filled (rule "convert.toolstack.*").
 */
int convert_toolstack(const uint8_t *data, uint32_t len, unsigned int width,
		      uint8_t **kv, size_t *kv_len, struct xs_error *err);

#endif /* XENSTREAM_CONVERT_H */
