/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dom0's records as lu-ctl reads them: collected by the module
 * (XEN_LU_IOCTL_COLLECT), checked by libxenstream, walked record by record.
 */
#ifndef LU_CTL_DOM0_RECORDS_H
#define LU_CTL_DOM0_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/liveupdate.h>

#include "device.h"

/* One record of a dump. */
struct lu_rec {
	uint32_t type;
	uint32_t length;
	const uint8_t *body;
};

/*
 * A backend record's variable part (records version 2): ring_refs[],
 * evtchns[], the two paths, the features.  Only for a checked dump, where
 * every length is the body's.
 */
struct lu_backend {
	const struct xen_lu_rec_dom0_backend *b;
	const uint8_t *refs;
	const uint8_t *evtchns;
	const char *bpath;
	const char *fpath;
	const char *feat;
	size_t feat_len;
};

/* The next record at *@off, false at the end of @buf or on a bad length. */
bool lu_rec_next(const uint8_t *buf, size_t len, size_t *off, struct lu_rec *r);
void lu_backend_parts(const struct lu_rec *r, struct lu_backend *be);
uint32_t lu_u32_at(const uint8_t *p, uint32_t i);

/*
 * COLLECT with @flags into a buffer of the size the module asks for.
 * 0 with *@out (free it) and *@out_len, or a positive errno.
 */
int lu_records_collect(struct lu_device *dev, uint32_t flags, uint8_t **out,
		       size_t *out_len);

/*
 * libxenstream's check of a records dump: 0, or -1 with "(rule): message"
 * in @msg.
 */
int lu_records_check(const uint8_t *buf, size_t len, char *msg, size_t msg_len);

#endif /* LU_CTL_DOM0_RECORDS_H */
