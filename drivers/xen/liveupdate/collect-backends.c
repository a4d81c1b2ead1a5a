// SPDX-License-Identifier: GPL-2.0-only
/*
 * dom0's backend devices, from xenstore: for every
 * <home>/backend/<type>/<domid>/<devid>, the states of both ends, the
 * rings and event channels the frontend published, its protocol and the
 * feature keys of both ends: one XEN_LU_REC_DOM0_BACKEND record each
 * (UAPI "Ring keys" gives the order), sorted by type, domid, devid.
 *
 * Each directory is listed once and only the keys present are read.
 * Devices are read several at a time (see xen_lu_backend_set), each into
 * its own slot, and appended in order.  The frontend directory is the
 * guest's to write: every array is sized from what is there, up to the
 * caps of the UAPI's "Unrecordable devices", past which the device is
 * recorded without rings, event channels or features and named in the
 * log.  A device that disappears while it is read (the guest went away)
 * is skipped.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include <xen/xenbus.h>

#include "collect.h"
#include "delta.h"
#include "records.h"
#include "xenstore.h"

#define XEN_LU_PATH_MAX		256

/* Rings and event channels of the top level and of every queue. */
#define XEN_LU_MAX_RINGS_PER_QUEUE	(1 + XEN_LU_MAX_RING_PAGES + 2)
#define XEN_LU_MAX_REFS		((XEN_LU_MAX_QUEUES + 1) * \
				 XEN_LU_MAX_RINGS_PER_QUEUE)
#define XEN_LU_MAX_PORTS	((XEN_LU_MAX_QUEUES + 1) * \
				 XEN_LU_MAX_QUEUE_EVTCHNS)

/* The keys of one xenstore directory, as xenbus_directory() gave them. */
struct xen_lu_keys {
	char **key;
	unsigned int nr;
};

/* A device being read. */
struct xen_lu_backend {
	struct xen_lu_rec_dom0_backend rec;
	char *bpath;
	char *fpath;
	u32 refs[XEN_LU_MAX_REFS];
	u32 ports[XEN_LU_MAX_PORTS];
	char *features[XEN_LU_MAX_FEATURES];
	unsigned int nr_features;
	size_t features_len;
};

static const char *const xen_lu_unrecordable_name[] = {
	[XEN_LU_UNRECORDABLE_QUEUES] = "queues",
	[XEN_LU_UNRECORDABLE_RING_REFS] = "ring-refs",
	[XEN_LU_UNRECORDABLE_EVTCHNS] = "event-channels",
	[XEN_LU_UNRECORDABLE_FEATURES] = "features",
	[XEN_LU_UNRECORDABLE_SIZE] = "size",
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

static int xen_lu_keys_list(const char *dir, struct xen_lu_keys *k)
{
	k->key = xenbus_directory(XBT_NIL, dir, "", &k->nr);
	if (IS_ERR(k->key)) {
		int rc = PTR_ERR(k->key);

		*k = (struct xen_lu_keys){};
		return rc;
	}
	return 0;
}

static void xen_lu_keys_free(struct xen_lu_keys *k)
{
	kfree(k->key);
	*k = (struct xen_lu_keys){};
}

static bool xen_lu_keys_have(const struct xen_lu_keys *k, const char *name)
{
	unsigned int i;

	for (i = 0; i < k->nr; i++)
		if (!strcmp(k->key[i], name))
			return true;
	return false;
}

/* Record why @b cannot be recorded; its arrays are dropped. */
static int xen_lu_unrecordable(struct xen_lu_backend *b, u32 why)
{
	b->rec.flags |= XEN_LU_BACKEND_UNRECORDABLE;
	b->rec.unrecordable = why;
	return -ENOSPC;
}

/*
 * Append the u32 value of @node in @dir to @arr if the key is listed in
 * @k.  -ENOSPC (the device is unrecordable as @why) past @max entries.
 */
static int xen_lu_add_u32(struct xen_lu_backend *b, const struct xen_lu_keys *k,
			  const char *dir, const char *node, u32 *arr, u32 *nr,
			  unsigned int max, u32 why)
{
	u32 val;

	if (!xen_lu_keys_have(k, node) || xen_lu_read_u32(dir, node, &val))
		return 0;	/* not published (or removed as we looked) */
	if (*nr >= max)
		return xen_lu_unrecordable(b, why);
	arr[(*nr)++] = val;
	return 0;
}

/* The ring keys of one directory (the frontend's or a queue's), in order. */
static int xen_lu_backend_rings(struct xen_lu_backend *b, const char *dir,
				const struct xen_lu_keys *k)
{
	struct xen_lu_rec_dom0_backend *r = &b->rec;
	u32 ports_before = r->nr_evtchns;
	unsigned int i;
	char node[24];
	int rc;

	rc = xen_lu_add_u32(b, k, dir, "ring-ref", b->refs, &r->nr_ring_refs,
			    XEN_LU_MAX_REFS, XEN_LU_UNRECORDABLE_RING_REFS);
	/* Multi-page rings: ring-ref0, ring-ref1, ... as long as listed. */
	for (i = 0; !rc; i++) {
		snprintf(node, sizeof(node), "ring-ref%u", i);
		if (!xen_lu_keys_have(k, node))
			break;
		if (i == XEN_LU_MAX_RING_PAGES)
			return xen_lu_unrecordable(b,
					XEN_LU_UNRECORDABLE_RING_REFS);
		rc = xen_lu_add_u32(b, k, dir, node, b->refs, &r->nr_ring_refs,
				    XEN_LU_MAX_REFS,
				    XEN_LU_UNRECORDABLE_RING_REFS);
	}
	for (i = 0; !rc && i < ARRAY_SIZE(xen_lu_ring_keys); i++)
		rc = xen_lu_add_u32(b, k, dir, xen_lu_ring_keys[i], b->refs,
				    &r->nr_ring_refs, XEN_LU_MAX_REFS,
				    XEN_LU_UNRECORDABLE_RING_REFS);
	for (i = 0; !rc && i < ARRAY_SIZE(xen_lu_evtchn_keys); i++)
		rc = xen_lu_add_u32(b, k, dir, xen_lu_evtchn_keys[i], b->ports,
				    &r->nr_evtchns, XEN_LU_MAX_PORTS,
				    XEN_LU_UNRECORDABLE_EVTCHNS);
	if (!rc && r->nr_evtchns - ports_before > XEN_LU_MAX_QUEUE_EVTCHNS)
		rc = xen_lu_unrecordable(b, XEN_LU_UNRECORDABLE_EVTCHNS);
	return rc;
}

static int xen_lu_backend_queues(struct xen_lu_backend *b,
				 const struct xen_lu_keys *fkeys)
{
	char dir[XEN_LU_PATH_MAX + 16];
	struct xen_lu_keys qkeys;
	u32 nr = 0, q;
	int rc;

	rc = xen_lu_backend_rings(b, b->fpath, fkeys);
	if (rc || !xen_lu_keys_have(fkeys, "multi-queue-num-queues"))
		return rc;
	if (xen_lu_read_u32(b->fpath, "multi-queue-num-queues", &nr))
		return 0;
	if (nr > XEN_LU_MAX_QUEUES)
		return xen_lu_unrecordable(b, XEN_LU_UNRECORDABLE_QUEUES);
	b->rec.nr_queues = nr;
	for (q = 0; !rc && q < nr; q++) {
		snprintf(dir, sizeof(dir), "%s/queue-%u", b->fpath, q);
		if (xen_lu_keys_list(dir, &qkeys))
			continue;	/* not written (yet) */
		rc = xen_lu_backend_rings(b, dir, &qkeys);
		xen_lu_keys_free(&qkeys);
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
				   const struct xen_lu_keys *k, const char *end)
{
	unsigned int i;
	char *val, *f;

	for (i = 0; i < k->nr; i++) {
		if (!xen_lu_is_feature(k->key[i]))
			continue;
		if (b->nr_features == XEN_LU_MAX_FEATURES)
			return xen_lu_unrecordable(b,
					XEN_LU_UNRECORDABLE_FEATURES);
		val = xenbus_read(XBT_NIL, dir, k->key[i], NULL);
		if (IS_ERR(val))
			continue;	/* removed while we looked */
		f = kasprintf(GFP_KERNEL, "%s:%s=%s", end, k->key[i], val);
		kfree(val);
		if (!f)
			return -ENOMEM;
		b->features[b->nr_features++] = f;
		b->features_len += strlen(f) + 1;
		if (b->features_len > XEN_LU_MAX_FEATURE_BYTES)
			return xen_lu_unrecordable(b,
					XEN_LU_UNRECORDABLE_FEATURES);
	}
	return 0;
}

static int xen_lu_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An unrecordable device keeps its paths and states, nothing the guest wrote. */
static void xen_lu_backend_drop(struct xen_lu_backend *b)
{
	unsigned int i;

	for (i = 0; i < b->nr_features; i++)
		kfree(b->features[i]);
	b->nr_features = 0;
	b->features_len = 0;
	b->rec.nr_queues = 0;
	b->rec.nr_ring_refs = 0;
	b->rec.nr_evtchns = 0;
	pr_notice_ratelimited("domain %u %s/%u unrecordable: %s\n",
			      b->rec.frontend_domid,
			      b->rec.type[0] ? b->rec.type : "?",
			      b->rec.devid,
			      xen_lu_unrecordable_name[b->rec.unrecordable]);
}

static size_t xen_lu_backend_size(const struct xen_lu_backend *b)
{
	return sizeof(b->rec) +
	       (b->rec.nr_ring_refs + b->rec.nr_evtchns) * sizeof(u32) +
	       strlen(b->bpath) + 1 + strlen(b->fpath) + 1 + b->features_len;
}

/* @b's record body, into @slot: its layout is the UAPI's. */
static int xen_lu_backend_pack(struct xen_lu_backend *b,
			       struct xen_lu_backend_slot *slot)
{
	size_t blen = strlen(b->bpath) + 1, flen = strlen(b->fpath) + 1;
	unsigned int i;
	u8 *body, *p;

	if (xen_lu_backend_size(b) > XEN_LU_REC_MAX_BODY) {
		xen_lu_unrecordable(b, XEN_LU_UNRECORDABLE_SIZE);
		xen_lu_backend_drop(b);
	}
	slot->len = xen_lu_backend_size(b);
	body = kvmalloc(slot->len, GFP_KERNEL);
	if (!body)
		return -ENOMEM;
	b->rec.backend_path_len = blen;
	b->rec.frontend_path_len = flen;
	b->rec.features_len = b->features_len;
	memcpy(body, &b->rec, sizeof(b->rec));
	p = body + sizeof(b->rec);
	memcpy(p, b->refs, b->rec.nr_ring_refs * sizeof(u32));
	p += b->rec.nr_ring_refs * sizeof(u32);
	memcpy(p, b->ports, b->rec.nr_evtchns * sizeof(u32));
	p += b->rec.nr_evtchns * sizeof(u32);
	memcpy(p, b->bpath, blen);
	memcpy(p + blen, b->fpath, flen);
	p += blen + flen;
	sort(b->features, b->nr_features, sizeof(char *), xen_lu_cmp_str,
	     NULL);
	for (i = 0; i < b->nr_features; i++)
		p += sprintf((char *)p, "%s", b->features[i]) + 1;
	slot->body = body;
	return 0;
}

/* The frontend's protocol: a value that does not fit is not cut. */
static int xen_lu_backend_protocol(struct xen_lu_backend *b)
{
	char *val = xenbus_read(XBT_NIL, b->fpath, "protocol", NULL);
	int rc = 0;

	if (IS_ERR(val))
		return 0;	/* removed while we looked */
	if (strscpy_pad(b->rec.protocol, val, sizeof(b->rec.protocol)) < 0) {
		memset(b->rec.protocol, 0, sizeof(b->rec.protocol));
		rc = xen_lu_unrecordable(b, XEN_LU_UNRECORDABLE_SIZE);
	}
	kfree(val);
	return rc;
}

/* What the frontend published: rings, queues, features, state, protocol. */
static int xen_lu_backend_frontend(struct xen_lu_backend *b,
				   const struct xen_lu_keys *bkeys)
{
	struct xen_lu_keys fkeys;
	int rc;

	if (strlen(b->fpath) >= XEN_LU_PATH_MAX) {
		b->fpath[0] = '\0';
		return xen_lu_unrecordable(b, XEN_LU_UNRECORDABLE_SIZE);
	}
	rc = xen_lu_backend_features(b, b->bpath, bkeys, "be");
	if (rc || xen_lu_keys_list(b->fpath, &fkeys))
		return rc;	/* a frontend without a directory: nothing */
	if (xen_lu_keys_have(&fkeys, "state"))
		xen_lu_read_u32(b->fpath, "state", &b->rec.frontend_state);
	if (xen_lu_keys_have(&fkeys, "protocol"))
		rc = xen_lu_backend_protocol(b);
	if (!rc)
		rc = xen_lu_backend_queues(b, &fkeys);
	if (!rc)
		rc = xen_lu_backend_features(b, b->fpath, &fkeys, "fe");
	xen_lu_keys_free(&fkeys);
	return rc;
}

/* Forget the device @b held; its arrays are reused, not cleared. */
static void xen_lu_backend_reset(struct xen_lu_backend *b)
{
	unsigned int i;

	for (i = 0; i < b->nr_features; i++)
		kfree(b->features[i]);
	kfree(b->fpath);
	kfree(b->bpath);
	memset(&b->rec, 0, sizeof(b->rec));
	b->bpath = NULL;
	b->fpath = NULL;
	b->nr_features = 0;
	b->features_len = 0;
}

/*
 * Read the device of @slot with @b: its record body goes to @slot, or
 * nothing when the device is gone or incomplete; one past a cap of
 * "Unrecordable devices" is recorded as such.  Only the keys the
 * directory listings name are read.
 */
static int xen_lu_backend_read(struct xen_lu_backend *b, const char *home,
			       struct xen_lu_backend_slot *slot)
{
	struct xen_lu_keys bkeys = {};
	int rc = 0;

	/* The path as xenstore has it, whatever the type's length. */
	b->bpath = kasprintf(GFP_KERNEL, "%s/backend/%s/%u/%u", home,
			     slot->type, slot->domid, slot->devid);
	if (!b->bpath) {
		rc = -ENOMEM;
		goto out;
	}
	b->rec.devid = slot->devid;
	b->rec.frontend_domid = slot->domid;

	if (xen_lu_keys_list(b->bpath, &bkeys) ||
	    !xen_lu_keys_have(&bkeys, "frontend") ||
	    !xen_lu_keys_have(&bkeys, "state") ||
	    !xen_lu_keys_have(&bkeys, "frontend-id"))
		goto out;	/* gone, or never complete: nothing */
	b->fpath = xenbus_read(XBT_NIL, b->bpath, "frontend", NULL);
	if (IS_ERR(b->fpath)) {
		b->fpath = NULL;
		goto out;
	}
	if (xen_lu_read_u32(b->bpath, "state", &b->rec.backend_state) ||
	    xen_lu_read_u32(b->bpath, "frontend-id", &b->rec.frontend_domid))
		goto out;
	if (strscpy(b->rec.type, slot->type, sizeof(b->rec.type)) < 0) {
		memset(b->rec.type, 0, sizeof(b->rec.type));
		rc = xen_lu_unrecordable(b, XEN_LU_UNRECORDABLE_SIZE);
	} else {
		rc = xen_lu_backend_frontend(b, &bkeys);
	}
	if (rc == -ENOSPC) {
		xen_lu_backend_drop(b);
		rc = 0;
	}
	if (!rc)
		rc = xen_lu_backend_pack(b, slot);
out:
	xen_lu_keys_free(&bkeys);
	xen_lu_backend_reset(b);
	return rc;
}

/*
 * Reading many devices at once.  Linux's xenbus lets several threads
 * each have a request in flight (xs_talkv() waits for its own reply
 * only), and a round trip costs far more waiting than work: a bounded
 * number of readers on system_unbound_wq take the devices one by one
 * from a shared counter; each device's body lands in its own slot, and
 * the caller appends them in slot order.
 */
#define XEN_LU_READERS		16

struct xen_lu_backend_set;

/**
 * struct xen_lu_backend_reader - one reader of a set
 * @work: on system_unbound_wq; the first reader runs in the caller.
 * @set: the set it reads.
 */
struct xen_lu_backend_reader {
	struct work_struct work;
	struct xen_lu_backend_set *set;
};

/**
 * struct xen_lu_backend_set - devices being read
 * @home: dom0's /local/domain/<id>.
 * @slot: the devices, in record order.
 * @nr: entries of @slot.
 * @next: the next slot to read; readers take slots with atomic_inc_return.
 * @error: the first reader's error, 0 while none (cmpxchg).
 * @reader: the readers.
 */
struct xen_lu_backend_set {
	char home[32];
	struct xen_lu_backend_slot *slot;
	unsigned int nr;
	atomic_t next;
	int error;
	struct xen_lu_backend_reader reader[XEN_LU_READERS];
};

static void xen_lu_backend_reader_run(struct work_struct *work)
{
	struct xen_lu_backend_reader *r =
		container_of(work, struct xen_lu_backend_reader, work);
	struct xen_lu_backend_set *s = r->set;
	struct xen_lu_backend *b;
	unsigned int i;
	int rc = 0;

	/* About 24 KiB: every array at its cap, so nothing grows. */
	b = kvzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		rc = -ENOMEM;
	while (!rc && !READ_ONCE(s->error)) {
		i = atomic_inc_return(&s->next) - 1;
		if (i >= s->nr)
			break;
		rc = xen_lu_backend_read(b, s->home, &s->slot[i]);
	}
	if (rc)
		cmpxchg(&s->error, 0, rc);
	kvfree(b);
}

/* Read every slot of @s; the caller is one of the readers. */
static int xen_lu_backend_set_run(struct xen_lu_backend_set *s)
{
	unsigned int nr = min_t(unsigned int, s->nr, XEN_LU_READERS), i;

	atomic_set(&s->next, 0);
	s->error = 0;
	for (i = 0; i < nr; i++) {
		s->reader[i].set = s;
		INIT_WORK(&s->reader[i].work, xen_lu_backend_reader_run);
		if (i)
			queue_work(system_unbound_wq, &s->reader[i].work);
	}
	if (nr)
		xen_lu_backend_reader_run(&s->reader[0].work);
	for (i = 1; i < nr; i++)
		flush_work(&s->reader[i].work);
	return s->error;
}

/**
 * xen_lu_backends_reread() - read some devices again, all at once
 * @set: an array of @nr devices to read; on success each slot's @body is
 *	the device's record body (NULL: the device is gone), which the
 *	caller frees with xen_lu_backends_release()
 * @nr: entries of @set
 *
 * Return: 0, or -ENOMEM; on error no slot holds a body.
 */
int xen_lu_backends_reread(struct xen_lu_backend_slot *set, unsigned int nr)
{
	struct xen_lu_backend_set *s;
	int rc;

	if (!nr)
		return 0;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	xen_lu_dom0_home(s->home, sizeof(s->home));
	s->slot = set;
	s->nr = nr;
	rc = xen_lu_backend_set_run(s);
	if (rc)
		xen_lu_backends_release(s->slot, s->nr);
	kfree(s);
	return rc;
}

/**
 * xen_lu_backends_release() - free the bodies xen_lu_backends_reread() read
 * @set: the slots
 * @nr: entries of @set
 */
void xen_lu_backends_release(struct xen_lu_backend_slot *set, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		kvfree(set[i].body);
		set[i].body = NULL;
	}
}

/**
 * xen_lu_backends_emit() - append a device's record as read
 * @slot: a slot xen_lu_backends_reread() filled
 * @buf: where it goes
 *
 * Return: 0 (a device that is gone adds nothing), or the buffer's errno.
 */
int xen_lu_backends_emit(const struct xen_lu_backend_slot *slot,
			 struct xen_lu_rec_buf *buf)
{
	if (!slot->body)
		return 0;
	return xen_lu_rec_add(buf, XEN_LU_REC_DOM0_BACKEND, slot->body,
			      slot->len);
}

/* Devices are read this many at a time, so memory stays bounded. */
#define XEN_LU_SET_MAX		256

/* Read and append the devices gathered in @s, then empty it. */
static int xen_lu_backend_set_flush(struct xen_lu_backend_set *s,
				    struct xen_lu_rec_buf *buf)
{
	unsigned int i;
	int rc;

	rc = xen_lu_backend_set_run(s);
	for (i = 0; !rc && i < s->nr; i++)
		rc = xen_lu_backends_emit(&s->slot[i], buf);
	xen_lu_backends_release(s->slot, s->nr);
	s->nr = 0;
	return rc;
}

/* One (type, domid) directory's devices into @s, flushing when full. */
static int xen_lu_backend_set_dir(struct xen_lu_backend_set *s,
				  struct xen_lu_rec_buf *buf, const char *type,
				  u32 domid)
{
	char dir[XEN_LU_PATH_MAX];
	unsigned int nr_dev, j;
	u32 *devs = NULL;
	int rc;

	snprintf(dir, sizeof(dir), "%s/backend/%s/%u", s->home, type, domid);
	rc = xen_lu_xs_numeric_dir(dir, U32_MAX, &devs, &nr_dev);
	/* A guest that went away while we looked has no devices. */
	if (rc == -ENOENT)
		rc = 0;
	for (j = 0; !rc && j < nr_dev; j++) {
		s->slot[s->nr++] = (struct xen_lu_backend_slot){
			.type = type, .domid = domid, .devid = devs[j],
		};
		if (s->nr == XEN_LU_SET_MAX)
			rc = xen_lu_backend_set_flush(s, buf);
	}
	kfree(devs);
	return rc;
}

static int xen_lu_backend_set_type(struct xen_lu_backend_set *s,
				   struct xen_lu_rec_buf *buf,
				   const char *type)
{
	char dir[XEN_LU_PATH_MAX];
	unsigned int nr_dom, i;
	u32 *doms = NULL;
	int rc;

	snprintf(dir, sizeof(dir), "%s/backend/%s", s->home, type);
	rc = xen_lu_xs_numeric_dir(dir, U32_MAX, &doms, &nr_dom);
	for (i = 0; !rc && i < nr_dom; i++)
		rc = xen_lu_backend_set_dir(s, buf, type, doms[i]);
	kfree(doms);
	return rc == -ENOENT ? 0 : rc;
}

/**
 * xen_lu_backends_read() - every backend device's record
 * @buf: where they go, sorted by type, frontend domid, devid
 *
 * Return: 0, or a negative errno (-ENOMEM, or the buffer's -E2BIG).
 */
int xen_lu_backends_read(struct xen_lu_rec_buf *buf)
{
	struct xen_lu_backend_set *s;
	char dir[48];
	unsigned int n, i;
	char **types;
	int rc = 0;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->slot = kcalloc(XEN_LU_SET_MAX, sizeof(*s->slot), GFP_KERNEL);
	if (!s->slot) {
		rc = -ENOMEM;
		goto out;
	}
	xen_lu_dom0_home(s->home, sizeof(s->home));
	snprintf(dir, sizeof(dir), "%s/backend", s->home);
	types = xenbus_directory(XBT_NIL, dir, "", &n);
	if (IS_ERR(types)) {
		rc = PTR_ERR(types) == -ENOENT ? 0 : PTR_ERR(types);
		goto out;
	}
	sort(types, n, sizeof(char *), xen_lu_cmp_str, NULL);
	for (i = 0; !rc && i < n; i++)
		rc = xen_lu_backend_set_type(s, buf, types[i]);
	if (!rc)
		rc = xen_lu_backend_set_flush(s, buf);
	xen_lu_backends_release(s->slot, s->nr);
	kfree(types);
out:
	kfree(s->slot);
	kfree(s);
	return rc;
}

int xen_lu_collect_backends(struct xen_lu_participant *p,
			    struct xen_lu_rec_buf *buf)
{
	return xen_lu_backends_read(buf);
}
