// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the legacy reader and converter.  The first octet
 * picks width (bit 0), guest type (bit 1), libxl output (bit 2) and a
 * small Remus cache (bit 3, so evictions are reached with short inputs).
 * Then the rest is verified as verify and dump read it, named legacy
 * (bit 4) or detected, its events built.
 */
#include <stddef.h>
#include <stdint.h>

#include "legacy/convert.h"
#include "legacy/legacy.h"
#include "xenstream.h"

static void on_event(void *opaque, const struct xs_event *ev)
{
	(void)opaque;
	(void)ev;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct legacy_cfg lc = { 0 };
	struct convert_cfg cc = { 0 };
	struct xs_verify_opts vo = { .event = on_event };
	struct xs_stats vst;
	struct convert_stats st;
	struct legacy_reader *lr;
	struct legacy_event ev;
	struct xs_reader r;
	struct xs_sink s;
	struct xs_error e;

	if (!size)
		return 0;
	lc.width = cc.width = data[0] & 1 ? 8 : 4;
	lc.hvm = cc.hvm = data[0] & 2;
	cc.libxl = data[0] & 4;
	lc.cache_pages = data[0] & 8 ? 2 : 0;
	xs_reader_init_mem(&r, data + 1, size - 1, &e);
	if (!legacy_open(&lr, &r, &lc, &e)) {
		while (!legacy_next(lr, &ev) && ev.type != LEGACY_EV_EOF)
			;
		legacy_close(lr);
	}
	xs_reader_fini(&r);
	xs_reader_init_mem(&r, data + 1, size - 1, &e);
	xs_sink_init_mem(&s);
	legacy_convert(&r, &s, &cc, &st, &e);
	xs_sink_release(&s);
	xs_reader_fini(&r);
	vo.format = data[0] & 16 ? XS_FMT_LEGACY : XS_FMT_UNKNOWN;
	xs_verify_mem(data + 1, size - 1, &vo, &vst, &e);
	return 0;
}
