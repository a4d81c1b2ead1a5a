// SPDX-License-Identifier: GPL-2.0-only
/*
 * dom0's backend devices, from xenstore: for every
 * <home>/backend/<type>/<domid>/<devid>, the states of both ends, the
 * rings and event channels the frontend published, its protocol and the
 * feature keys of both ends: one XEN_LU_REC_DOM0_BACKEND record each
 * (UAPI "Ring keys" gives the order), sorted by type, domid, devid.
 *
 * A device that disappears while it is read (the guest went away) is
 * skipped; a device with more rings than the record holds fails the
 * collection with -E2BIG and is named in the log: never truncated.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include <xen/xenbus.h>

#include "records.h"

#define XEN_LU_PATH_MAX		256
#define XEN_LU_MAX_QUEUES	16
#define XEN_LU_MAX_FEATURES	128

/* A device being read. */
struct xen_lu_backend {
	struct xen_lu_rec_dom0_backend rec;
	char bpath[XEN_LU_PATH_MAX];
	char *fpath;
	char *features[XEN_LU_MAX_FEATURES];
	unsigned int nr_features;
	size_t features_len;
};

/* After ring-ref and ring-ref<n>. */
static const char *const xen_lu_ring_keys[] = {
	"tx-ring-ref", "rx-ring-ref",
};

static const char *const xen_lu_evtchn_keys[] = {
	"event-channel", "event-channel-tx", "event-channel-rx",
};

static int xen_lu_read_u32(const char *dir, const char *node, u32 *val)
{
	int rc = xenbus_scanf(XBT_NIL, dir, node, "%u", val);

	return rc == 1 ? 0 : rc < 0 ? rc : -EINVAL;
}

static int xen_lu_add_u32(struct xen_lu_backend *b, u32 *arr, u32 *nr,
			  unsigned int max, const char *dir, const char *node)
{
	u32 val;

	if (xen_lu_read_u32(dir, node, &val))
		return 0;	/* the frontend did not publish it */
	if (*nr == max) {
		pr_notice("%s: more than %u rings or event channels\n",
			  b->bpath, max);
		return -E2BIG;
	}
	arr[(*nr)++] = val;
	return 0;
}

/* The ring keys of one queue directory ("" or "queue-<n>/"), in order. */
static int xen_lu_backend_rings(struct xen_lu_backend *b, const char *queue)
{
	struct xen_lu_rec_dom0_backend *r = &b->rec;
	unsigned int i, before;
	char node[48];
	int rc;

	snprintf(node, sizeof(node), "%sring-ref", queue);
	rc = xen_lu_add_u32(b, r->ring_refs, &r->nr_ring_refs,
			    XEN_LU_MAX_RING_REFS, b->fpath, node);
	/* Multi-page rings: ring-ref0, ring-ref1, ... until one is missing. */
	for (i = 0; !rc; i++) {
		before = r->nr_ring_refs;
		snprintf(node, sizeof(node), "%sring-ref%u", queue, i);
		rc = xen_lu_add_u32(b, r->ring_refs, &r->nr_ring_refs,
				    XEN_LU_MAX_RING_REFS, b->fpath, node);
		if (r->nr_ring_refs == before)
			break;
	}
	for (i = 0; !rc && i < ARRAY_SIZE(xen_lu_ring_keys); i++) {
		snprintf(node, sizeof(node), "%s%s", queue, xen_lu_ring_keys[i]);
		rc = xen_lu_add_u32(b, r->ring_refs, &r->nr_ring_refs,
				    XEN_LU_MAX_RING_REFS, b->fpath, node);
	}
	for (i = 0; !rc && i < ARRAY_SIZE(xen_lu_evtchn_keys); i++) {
		snprintf(node, sizeof(node), "%s%s", queue,
			 xen_lu_evtchn_keys[i]);
		rc = xen_lu_add_u32(b, r->evtchns, &r->nr_evtchns,
				    XEN_LU_MAX_EVTCHNS, b->fpath, node);
	}
	return rc;
}

static int xen_lu_backend_queues(struct xen_lu_backend *b)
{
	char queue[16];
	u32 nr = 0, q;
	int rc;

	rc = xen_lu_backend_rings(b, "");
	if (rc)
		return rc;
	xen_lu_read_u32(b->fpath, "multi-queue-num-queues", &nr);
	if (nr > XEN_LU_MAX_QUEUES) {
		pr_notice("%s: %u queues, at most %u recorded\n", b->bpath, nr,
			  XEN_LU_MAX_QUEUES);
		return -E2BIG;
	}
	for (q = 0; !rc && q < nr; q++) {
		snprintf(queue, sizeof(queue), "queue-%u/", q);
		rc = xen_lu_backend_rings(b, queue);
	}
	return rc;
}

static bool xen_lu_is_feature(const char *key)
{
	return str_has_prefix(key, "feature-") ||
	       str_has_prefix(key, "request-");
}

/* Every feature-* and request-* key of @dir as "<end>:<key>=<value>". */
static int xen_lu_backend_features(struct xen_lu_backend *b, const char *dir,
				   const char *end)
{
	unsigned int n, i;
	char **keys, *val;
	int rc = 0;

	keys = xenbus_directory(XBT_NIL, dir, "", &n);
	if (IS_ERR(keys))
		return 0;	/* an end without a directory has no features */
	for (i = 0; !rc && i < n; i++) {
		if (!xen_lu_is_feature(keys[i]))
			continue;
		if (b->nr_features == XEN_LU_MAX_FEATURES) {
			pr_notice("%s: more than %u feature keys\n", b->bpath,
				  XEN_LU_MAX_FEATURES);
			rc = -E2BIG;
			break;
		}
		val = xenbus_read(XBT_NIL, dir, keys[i], NULL);
		if (IS_ERR(val))
			continue;	/* removed while we looked */
		b->features[b->nr_features] = kasprintf(GFP_KERNEL, "%s:%s=%s",
							end, keys[i], val);
		kfree(val);
		if (!b->features[b->nr_features]) {
			rc = -ENOMEM;
			break;
		}
		b->features_len += strlen(b->features[b->nr_features++]) + 1;
	}
	kfree(keys);
	return rc;
}

static int xen_lu_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int xen_lu_backend_emit(struct xen_lu_rec_buf *buf,
			       struct xen_lu_backend *b)
{
	size_t blen = strlen(b->bpath) + 1, flen = strlen(b->fpath) + 1;
	struct xen_lu_rec_dom0_backend *rec;
	unsigned int i;
	char *p;

	if (sizeof(*rec) + blen + flen + b->features_len >
	    XEN_LU_REC_MAX_BODY) {
		pr_notice("%s: record larger than %u bytes\n", b->bpath,
			  XEN_LU_REC_MAX_BODY);
		return -E2BIG;
	}
	rec = xen_lu_rec_reserve(buf, XEN_LU_REC_DOM0_BACKEND,
				 sizeof(*rec) + blen + flen + b->features_len);
	if (IS_ERR(rec))
		return PTR_ERR(rec);
	b->rec.backend_path_len = blen;
	b->rec.frontend_path_len = flen;
	b->rec.features_len = b->features_len;
	*rec = b->rec;
	p = (char *)(rec + 1);
	memcpy(p, b->bpath, blen);
	memcpy(p + blen, b->fpath, flen);
	p += blen + flen;
	sort(b->features, b->nr_features, sizeof(char *), xen_lu_cmp_str,
	     NULL);
	for (i = 0; i < b->nr_features; i++)
		p += sprintf(p, "%s", b->features[i]) + 1;
	buf->nr_backends++;
	return 0;
}

/**
 * xen_lu_collect_backend() - one device's record
 * @buf: where it goes
 * @home: dom0's /local/domain/<id>
 * @type: the backend type
 * @domid: the frontend domain
 * @devid: the device
 *
 * A device that is gone or incomplete adds nothing.
 *
 * Return: 0, or a negative errno (-E2BIG: beyond the record's limits).
 */
int xen_lu_collect_backend(struct xen_lu_rec_buf *buf, const char *home,
			   const char *type, u32 domid, u32 devid)
{
	struct xen_lu_backend *b;
	unsigned int i;
	int rc = 0;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	snprintf(b->bpath, sizeof(b->bpath), "%s/backend/%s/%u/%u", home,
		 type, domid, devid);
	b->rec.devid = devid;
	if (strscpy(b->rec.type, type, sizeof(b->rec.type)) < 0) {
		pr_notice("%s: backend type longer than %zu bytes\n", b->bpath,
			  sizeof(b->rec.type) - 1);
		rc = -E2BIG;
		goto out;
	}

	b->fpath = xenbus_read(XBT_NIL, b->bpath, "frontend", NULL);
	if (IS_ERR(b->fpath) ||
	    xen_lu_read_u32(b->bpath, "state", &b->rec.backend_state) ||
	    xen_lu_read_u32(b->bpath, "frontend-id", &b->rec.frontend_domid)) {
		/* Gone, or never complete: nothing to hand over. */
		if (IS_ERR(b->fpath))
			b->fpath = NULL;
		goto out;
	}
	xen_lu_read_u32(b->fpath, "state", &b->rec.frontend_state);
	xen_lu_xs_read_string(b->fpath, "protocol", b->rec.protocol,
			      sizeof(b->rec.protocol));
	rc = xen_lu_backend_queues(b);
	if (!rc)
		rc = xen_lu_backend_features(b, b->bpath, "be");
	if (!rc)
		rc = xen_lu_backend_features(b, b->fpath, "fe");
	if (!rc)
		rc = xen_lu_backend_emit(buf, b);
out:
	for (i = 0; i < b->nr_features; i++)
		kfree(b->features[i]);
	kfree(b->fpath);
	kfree(b);
	return rc;
}

static int xen_lu_collect_type(struct xen_lu_rec_buf *buf, const char *home,
			       const char *type)
{
	unsigned int nr_dom, nr_dev, i, j;
	u32 *doms = NULL, *devs;
	char dir[XEN_LU_PATH_MAX];
	int rc;

	snprintf(dir, sizeof(dir), "%s/backend/%s", home, type);
	rc = xen_lu_xs_numeric_dir(dir, U32_MAX, &doms, &nr_dom);
	for (i = 0; !rc && i < nr_dom; i++) {
		devs = NULL;
		snprintf(dir, sizeof(dir), "%s/backend/%s/%u", home, type,
			 doms[i]);
		rc = xen_lu_xs_numeric_dir(dir, U32_MAX, &devs, &nr_dev);
		/* A guest that went away while we looked has no devices. */
		if (rc == -ENOENT)
			rc = 0;
		for (j = 0; !rc && j < nr_dev; j++)
			rc = xen_lu_collect_backend(buf, home, type, doms[i],
						    devs[j]);
		kfree(devs);
	}
	kfree(doms);
	return rc == -ENOENT ? 0 : rc;
}

/**
 * xen_lu_dom0_home() - dom0's own xenstore directory
 * @home: at least 32 bytes
 * @len: its size
 */
void xen_lu_dom0_home(char *home, size_t len)
{
	u32 self = 0;

	xen_lu_read_u32("", "domid", &self);
	snprintf(home, len, "/local/domain/%u", self);
}

int xen_lu_collect_backends(struct xen_lu_participant *p,
			    struct xen_lu_rec_buf *buf)
{
	char home[32], dir[48];
	unsigned int n, i;
	char **types;
	int rc = 0;

	xen_lu_dom0_home(home, sizeof(home));
	snprintf(dir, sizeof(dir), "%s/backend", home);
	types = xenbus_directory(XBT_NIL, dir, "", &n);
	if (IS_ERR(types))
		return PTR_ERR(types) == -ENOENT ? 0 : PTR_ERR(types);
	sort(types, n, sizeof(char *), xen_lu_cmp_str, NULL);
	for (i = 0; !rc && i < n; i++)
		rc = xen_lu_collect_type(buf, home, types[i]);
	kfree(types);
	return rc;
}
