// SPDX-License-Identifier: GPL-2.0-only
/*
 * dom0's records: collect, check, walk.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "dom0-records.h"
#include "xenstream.h"

/* The first buffer COLLECT gets; the module says when it needs more. */
#define RECORDS_FIRST_TRY	(256U << 10)
#define RECORDS_TRIES		4

bool lu_rec_next(const uint8_t *buf, size_t len, size_t *off, struct lu_rec *r)
{
	struct xen_lu_rec_hdr h;

	if (len - *off < sizeof(h))
		return false;
	memcpy(&h, buf + *off, sizeof(h));
	if (h.length > len - *off - sizeof(h))
		return false;
	r->type = h.type;
	r->length = h.length;
	r->body = buf + *off + sizeof(h);
	*off += sizeof(h) + ((h.length + XEN_LU_REC_ALIGN - 1) &
			     ~(size_t)(XEN_LU_REC_ALIGN - 1));
	if (*off > len)
		*off = len;
	return true;
}

void lu_backend_parts(const struct lu_rec *r, struct lu_backend *be)
{
	const struct xen_lu_rec_dom0_backend *b = (const void *)r->body;

	be->b = b;
	be->refs = (const uint8_t *)(b + 1);
	be->evtchns = be->refs + 4 * (size_t)b->nr_ring_refs;
	be->bpath = (const char *)be->evtchns + 4 * (size_t)b->nr_evtchns;
	be->fpath = be->bpath + b->backend_path_len;
	be->feat = be->fpath + b->frontend_path_len;
	be->feat_len = b->features_len;
}

uint32_t lu_u32_at(const uint8_t *p, uint32_t i)
{
	uint32_t v;

	memcpy(&v, p + 4 * (size_t)i, sizeof(v));
	return v;
}

int lu_records_collect(struct lu_device *dev, uint32_t flags, uint8_t **out,
		       size_t *out_len)
{
	struct xen_lu_collect arg;
	size_t room = RECORDS_FIRST_TRY;
	uint8_t *buf = NULL, *nbuf;
	int tries, err = ENOSPC;

	for (tries = 0; tries < RECORDS_TRIES; tries++) {
		nbuf = realloc(buf, room);
		if (!nbuf) {
			err = ENOMEM;
			break;
		}
		buf = nbuf;
		arg = (struct xen_lu_collect){ .size = sizeof(arg),
			.flags = flags, .buf = (uintptr_t)buf, .buf_len = room };
		if (!ioctl(dev->fd, XEN_LU_IOCTL_COLLECT, &arg)) {
			*out = buf;
			*out_len = arg.out_len;
			return 0;
		}
		err = errno;
		if (err != ENOSPC)
			break;
		room = arg.out_len + (arg.out_len >> 2);
	}
	free(buf);
	return err;
}

int lu_records_check(const uint8_t *buf, size_t len, char *msg, size_t msg_len)
{
	struct xs_verify_opts o = { .format = XS_FMT_LU_RECORDS };
	struct xs_stats st;
	struct xs_error e;
	char text[400];

	if (!xs_verify_mem(buf, len, &o, &st, &e))
		return 0;
	xs_error_format(&e, text, sizeof(text));
	snprintf(msg, msg_len, "(%s): %s", e.rule, text);
	return -1;
}
