// SPDX-License-Identifier: GPL-2.0-only
/*
 * FINISH's verification: the records handed over against the records of
 * now, kind by kind, in their sort order (UAPI "dom0 records"), one
 * &struct xen_lu_difference per thing that differs.
 */

#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <xen/xenbus.h>

#include "records.h"
#include "verify.h"

/* The records of one kind, in dump order (which is sorted). */
struct xen_lu_rec_list {
	const void **rec;
	unsigned int nr;
};

static int xen_lu_rec_list(const struct xen_lu_rec_buf *b, u32 type,
			   struct xen_lu_rec_list *l)
{
	struct xen_lu_rec_iter it;
	unsigned int n = 0;

	xen_lu_rec_for_each(&it, b)
		n += it.hdr->type == type;
	l->nr = 0;
	l->rec = kcalloc(max(n, 1U), sizeof(*l->rec), GFP_KERNEL);
	if (!l->rec)
		return -ENOMEM;
	xen_lu_rec_for_each(&it, b)
		if (it.hdr->type == type)
			l->rec[l->nr++] = it.body;
	return 0;
}

static u64 xen_lu_fnv1a(const void *data, size_t len)
{
	const u8 *p = data;
	u64 h = 0xcbf29ce484222325ULL;

	while (len--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

static void xen_lu_diff(struct xen_lu_verify *v, u32 kind, u32 field,
			u32 domid, u32 id, u64 expected, u64 found,
			const char *type)
{
	struct xen_lu_difference *d;

	if (v->nr++ >= v->max)
		return;
	d = &v->out[v->nr - 1];
	*d = (struct xen_lu_difference){
		.kind = kind, .field = field, .domid = domid, .id = id,
		.expected = expected, .found = found,
	};
	if (type)
		strscpy_pad(d->type, type, sizeof(d->type));
}

static int xen_lu_cmp_domain(const void *a, const void *b)
{
	const struct xen_lu_rec_dom0_domain *x = a, *y = b;

	return x->domid < y->domid ? -1 : x->domid > y->domid;
}

static void xen_lu_verify_domain(struct xen_lu_verify *v, const void *a,
				 const void *b)
{
	const struct xen_lu_rec_dom0_domain *x = a, *y = b;
	u64 hx = xen_lu_fnv1a(x->uuid, sizeof(x->uuid) + sizeof(x->name));
	u64 hy = xen_lu_fnv1a(y->uuid, sizeof(y->uuid) + sizeof(y->name));

	if (hx != hy)
		xen_lu_diff(v, XEN_LU_REC_DOM0_DOMAIN,
			    XEN_LU_DIFF_DOMAIN_IDENTITY, x->domid, 0, hx, hy,
			    NULL);
}

static int xen_lu_cmp_backend(const void *a, const void *b)
{
	const struct xen_lu_rec_dom0_backend *x = a, *y = b;
	int c = strncmp(x->type, y->type, sizeof(x->type));

	if (c)
		return c;
	if (x->frontend_domid != y->frontend_domid)
		return x->frontend_domid < y->frontend_domid ? -1 : 1;
	return x->devid < y->devid ? -1 : x->devid > y->devid;
}

static void xen_lu_verify_backend(struct xen_lu_verify *v, const void *a,
				  const void *b)
{
	const struct xen_lu_rec_dom0_backend *x = a, *y = b;
	u32 fe = x->frontend_domid, dev = x->devid;
	u64 hx, hy;

	if (x->backend_state == XenbusStateConnected &&
	    y->backend_state == XenbusStateConnected)
		v->nr_connected++;
	if (x->backend_state != y->backend_state)
		xen_lu_diff(v, XEN_LU_REC_DOM0_BACKEND,
			    XEN_LU_DIFF_BACKEND_STATE, fe, dev,
			    x->backend_state, y->backend_state, x->type);
	if (x->frontend_state != y->frontend_state)
		xen_lu_diff(v, XEN_LU_REC_DOM0_BACKEND,
			    XEN_LU_DIFF_FRONTEND_STATE, fe, dev,
			    x->frontend_state, y->frontend_state, x->type);
	/* Of a device past a cap, only its presence and states count. */
	if (x->unrecordable != y->unrecordable)
		xen_lu_diff(v, XEN_LU_REC_DOM0_BACKEND,
			    XEN_LU_DIFF_UNRECORDABLE, fe, dev,
			    x->unrecordable, y->unrecordable, x->type);
	if ((x->flags | y->flags) & XEN_LU_BACKEND_UNRECORDABLE)
		return;
	hx = xen_lu_fnv1a(xen_lu_backend_ring_refs(x),
			  x->nr_ring_refs * sizeof(u32));
	hy = xen_lu_fnv1a(xen_lu_backend_ring_refs(y),
			  y->nr_ring_refs * sizeof(u32));
	if (hx != hy)
		xen_lu_diff(v, XEN_LU_REC_DOM0_BACKEND, XEN_LU_DIFF_RING_REFS,
			    fe, dev, hx, hy, x->type);
	hx = xen_lu_fnv1a(xen_lu_backend_evtchns(x),
			  x->nr_evtchns * sizeof(u32));
	hy = xen_lu_fnv1a(xen_lu_backend_evtchns(y),
			  y->nr_evtchns * sizeof(u32));
	if (hx != hy)
		xen_lu_diff(v, XEN_LU_REC_DOM0_BACKEND, XEN_LU_DIFF_EVTCHNS,
			    fe, dev, hx, hy, x->type);
}

static int xen_lu_cmp_evtchn(const void *a, const void *b)
{
	const struct xen_lu_rec_dom0_evtchn *x = a, *y = b;

	return x->port < y->port ? -1 : x->port > y->port;
}

static void xen_lu_verify_evtchn(struct xen_lu_verify *v, const void *a,
				 const void *b)
{
	const struct xen_lu_rec_dom0_evtchn *x = a, *y = b;
	u64 rx = (u64)x->remote_domid << 32 | x->remote_port;
	u64 ry = (u64)y->remote_domid << 32 | y->remote_port;

	if (x->status != y->status)
		xen_lu_diff(v, XEN_LU_REC_DOM0_EVTCHN,
			    XEN_LU_DIFF_EVTCHN_STATUS, 0, x->port, x->status,
			    y->status, NULL);
	else if (rx != ry)
		xen_lu_diff(v, XEN_LU_REC_DOM0_EVTCHN,
			    XEN_LU_DIFF_EVTCHN_REMOTE, 0, x->port, rx, ry,
			    NULL);
}

/* How each kind is keyed and compared. */
struct xen_lu_verify_kind {
	u32 type;
	int (*cmp)(const void *a, const void *b);
	void (*same_key)(struct xen_lu_verify *v, const void *a,
			 const void *b);
};

static const struct xen_lu_verify_kind xen_lu_verify_kinds[] = {
	{ XEN_LU_REC_DOM0_DOMAIN, xen_lu_cmp_domain, xen_lu_verify_domain },
	{ XEN_LU_REC_DOM0_BACKEND, xen_lu_cmp_backend, xen_lu_verify_backend },
	{ XEN_LU_REC_DOM0_EVTCHN, xen_lu_cmp_evtchn, xen_lu_verify_evtchn },
};

/* The key of a record, for a MISSING or NEW difference. */
static void xen_lu_verify_presence(struct xen_lu_verify *v, u32 type,
				   const void *r, u32 field)
{
	const struct xen_lu_rec_dom0_domain *d = r;
	const struct xen_lu_rec_dom0_backend *b = r;
	const struct xen_lu_rec_dom0_evtchn *e = r;
	u64 exp = field == XEN_LU_DIFF_MISSING;

	if (type == XEN_LU_REC_DOM0_DOMAIN)
		xen_lu_diff(v, type, field, d->domid, 0, exp, !exp, NULL);
	else if (type == XEN_LU_REC_DOM0_BACKEND)
		xen_lu_diff(v, type, field, b->frontend_domid, b->devid, exp,
			    !exp, b->type);
	else
		xen_lu_diff(v, type, field, 0, e->port, exp, !exp, NULL);
}

static int xen_lu_verify_one(struct xen_lu_verify *v,
			     const struct xen_lu_verify_kind *k,
			     const struct xen_lu_rec_buf *expected,
			     const struct xen_lu_rec_buf *now)
{
	struct xen_lu_rec_list a, b;
	unsigned int i = 0, j = 0;
	int rc, c;

	rc = xen_lu_rec_list(expected, k->type, &a);
	if (rc)
		return rc;
	rc = xen_lu_rec_list(now, k->type, &b);
	if (rc)
		goto free_a;
	while (i < a.nr || j < b.nr) {
		c = i == a.nr ? 1 : j == b.nr ? -1 :
		    k->cmp(a.rec[i], b.rec[j]);
		if (c < 0) {
			xen_lu_verify_presence(v, k->type, a.rec[i++],
					       XEN_LU_DIFF_MISSING);
		} else if (c > 0) {
			xen_lu_verify_presence(v, k->type, b.rec[j++],
					       XEN_LU_DIFF_NEW);
		} else {
			k->same_key(v, a.rec[i++], b.rec[j++]);
		}
	}
	kfree(b.rec);
free_a:
	kfree(a.rec);
	return rc;
}

/**
 * xen_lu_verify_unverified() - nothing (more) could be compared
 * @v: the differences so far
 * @err: the negative errno of the collection or comparison
 */
void xen_lu_verify_unverified(struct xen_lu_verify *v, int err)
{
	xen_lu_diff(v, XEN_LU_REC_DOM0_HEADER, XEN_LU_DIFF_UNVERIFIED, 0, 0,
		    0, -err, NULL);
}

/**
 * xen_lu_verify_records() - compare two records dumps
 * @v: @out and @max set; @nr and @nr_connected are counted
 * @expected: the records handed over
 * @now: the records collected now
 *
 * Return: 0 or -ENOMEM.
 */
int xen_lu_verify_records(struct xen_lu_verify *v,
			  const struct xen_lu_rec_buf *expected,
			  const struct xen_lu_rec_buf *now)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; !rc && i < ARRAY_SIZE(xen_lu_verify_kinds); i++)
		rc = xen_lu_verify_one(v, &xen_lu_verify_kinds[i], expected,
				       now);
	return rc;
}
