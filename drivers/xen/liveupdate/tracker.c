// SPDX-License-Identifier: GPL-2.0-only
/*
 * The change tracker: from PREPARE on, which backend devices changed in
 * xenstore, so that COMMIT re-reads only those while dom0 is frozen.
 *
 * One watch on /local/domain covers both ends of every device (dom0's
 * backend directories live under its own /local/domain/<id>/backend) and
 * the domains' names; @introduceDomain and @releaseDomain cover domains
 * coming and going.  Each event's path is pinned on a device through a
 * hash of the backend and frontend paths handed over: O(1) per event, no
 * xenstore access in the callback.  Events that arrive before the hash is
 * built (during PREPARE's collection) are kept and replayed.
 *
 * Events are taken as xenbus receives them (the watches' will_handle,
 * in the xenbus reader with a spinlock held) and never queued for
 * xenwatch: a guest that writes its own directories in a loop, even while
 * xenwatch is parked, costs dom0 no memory (XSA-349).  The freeze
 * (freeze.c) waits for an event xenstored sent after every earlier one,
 * so once frozen the tracker has seen every change made before.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/stringhash.h>

#include <xen/xenbus.h>

#include "freeze.h"
#include "records.h"
#include "tracker.h"
#include "xenstore.h"

#define XEN_LU_TRACK_HASH_BITS	10
#define XEN_LU_TRACK_PENDING	256

/* A path handed over: a device's backend or frontend directory. */
struct xen_lu_tracked_path {
	struct hlist_node node;
	u32 hash;
	unsigned int index;	/* the backend record; U32_MAX: an ancestor */
	char path[];
};

struct xen_lu_pending_path {
	struct list_head list;
	char path[];
};

/**
 * struct xen_lu_tracker - see the file comment
 * @lock: protects @armed, @indexed, @pending, @nr_pending, @dirty,
 *	@nr_dirty, @domains and @rescan.
 * @paths: the paths handed over; built once by xen_lu_tracker_index()
 *	before @indexed is set, read-only after.
 * @nr_backends: bits in @dirty.
 * @home: dom0's /local/domain/<id>.
 * @armed: events count (the ones xenstored fires at registration do not).
 * @indexed: @paths is built; events are pinned at once.
 * @pending: paths seen while armed and not yet indexed.
 * @nr_pending: entries in @pending.
 * @dirty: backend records that changed.
 * @nr_dirty: bits set in @dirty.
 * @domains: see &struct xen_lu_changes.
 * @rescan: see &struct xen_lu_changes.
 * @watch_local: on /local/domain.
 * @watch_intro: on @introduceDomain.
 * @watch_release: on @releaseDomain.
 */
struct xen_lu_tracker {
	spinlock_t lock;	/* see above */
	DECLARE_HASHTABLE(paths, XEN_LU_TRACK_HASH_BITS);
	unsigned int nr_backends;
	char home[32];
	bool armed;
	bool indexed;
	struct list_head pending;
	unsigned int nr_pending;
	unsigned long *dirty;
	unsigned int nr_dirty;
	bool domains;
	bool rescan;
	struct xenbus_watch watch_local;
	struct xenbus_watch watch_intro;
	struct xenbus_watch watch_release;
};

static u32 xen_lu_path_hash(const char *path, size_t len)
{
	return full_name_hash(NULL, path, len);
}

static struct xen_lu_tracked_path *
xen_lu_tracker_find(struct xen_lu_tracker *t, const char *path, size_t len)
{
	struct xen_lu_tracked_path *p;
	u32 hash = xen_lu_path_hash(path, len);

	hash_for_each_possible(t->paths, p, node, hash)
		if (p->hash == hash && !strncmp(p->path, path, len) &&
		    !p->path[len])
			return p;
	return NULL;
}

/* Called with t->lock held, t->indexed set. */
static void xen_lu_tracker_mark(struct xen_lu_tracker *t, unsigned int index)
{
	if (index >= t->nr_backends || __test_and_set_bit(index, t->dirty))
		return;
	t->nr_dirty++;
}

static bool xen_lu_is_domain_node(const char *rest)
{
	/* rest follows "/local/domain/": "<id>", "<id>/name", "<id>/vm" */
	const char *slash = strchr(rest, '/');

	return !slash || !strcmp(slash, "/name") || !strcmp(slash, "/vm");
}

/*
 * Pin @path on a device, from the deepest directory up.  Called with
 * t->lock held, t->indexed set.
 */
static void xen_lu_tracker_pin(struct xen_lu_tracker *t, const char *path)
{
	static const char local[] = "/local/domain/";
	struct xen_lu_tracked_path *p;
	size_t len = strlen(path);
	unsigned int up;

	if (!strncmp(path, local, sizeof(local) - 1) &&
	    xen_lu_is_domain_node(path + sizeof(local) - 1))
		t->domains = true;

	for (up = 0; up < 6 && len; up++) {
		p = xen_lu_tracker_find(t, path, len);
		if (p && p->index != U32_MAX) {
			xen_lu_tracker_mark(t, p->index);
			return;
		}
		if (p) {
			/* An ancestor of handed-over devices changed. */
			t->rescan = true;
			return;
		}
		while (len && path[len - 1] != '/')
			len--;
		if (len)
			len--;
	}

	/* A backend directory nobody handed over: a new device. */
	if (str_has_prefix(path, t->home) &&
	    str_has_prefix(path + strlen(t->home), "/backend/"))
		t->rescan = true;
}

static void xen_lu_tracker_keep(struct xen_lu_tracker *t, const char *path)
{
	struct xen_lu_pending_path *pp;

	if (t->nr_pending >= XEN_LU_TRACK_PENDING) {
		t->rescan = true;
		return;
	}
	pp = kmalloc(sizeof(*pp) + strlen(path) + 1, GFP_ATOMIC);
	if (!pp) {
		t->rescan = true;
		return;
	}
	strcpy(pp->path, path);
	list_add_tail(&pp->list, &t->pending);
	t->nr_pending++;
}

static void xen_lu_tracker_event(struct xen_lu_tracker *t, const char *path)
{
	spin_lock(&t->lock);
	if (!t->armed)
		goto out;
	if (!strcmp(path, "@introduceDomain") ||
	    !strcmp(path, "@releaseDomain")) {
		t->domains = true;
		/* A domain that went away takes its devices along. */
		if (path[1] == 'r')
			t->rescan = true;
	} else if (!t->indexed) {
		xen_lu_tracker_keep(t, path);
	} else {
		xen_lu_tracker_pin(t, path);
	}
out:
	spin_unlock(&t->lock);
}

/* The events are taken here and never queued for xenwatch. */
static bool xen_lu_watch_local(struct xenbus_watch *w, const char *path,
			       const char *token)
{
	xen_lu_tracker_event(container_of(w, struct xen_lu_tracker,
					  watch_local), path);
	return false;
}

static bool xen_lu_watch_intro(struct xenbus_watch *w, const char *path,
			       const char *token)
{
	xen_lu_tracker_event(container_of(w, struct xen_lu_tracker,
					  watch_intro), path);
	return false;
}

static bool xen_lu_watch_release(struct xenbus_watch *w, const char *path,
				 const char *token)
{
	xen_lu_tracker_event(container_of(w, struct xen_lu_tracker,
					  watch_release), path);
	return false;
}

/* Never called: will_handle queues nothing. */
static void xen_lu_watch_none(struct xenbus_watch *w, const char *path,
			      const char *token)
{
}

static void xen_lu_tracker_free(struct xen_lu_tracker *t)
{
	struct xen_lu_tracked_path *p;
	struct xen_lu_pending_path *pp, *tmp;
	struct hlist_node *n;
	unsigned int bkt;

	hash_for_each_safe(t->paths, bkt, n, p, node)
		kfree(p);
	list_for_each_entry_safe(pp, tmp, &t->pending, list)
		kfree(pp);
	bitmap_free(t->dirty);
	kfree(t);
}

/**
 * xen_lu_tracker_start() - watch xenstore from now on (PREPARE, before
 *	the collection)
 *
 * Return: the tracker, or an ERR_PTR with the errno of a watch or of the
 * xenwatch barrier.
 */
struct xen_lu_tracker *xen_lu_tracker_start(void)
{
	struct xen_lu_tracker *t;
	int rc;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&t->lock);
	hash_init(t->paths);
	INIT_LIST_HEAD(&t->pending);
	xen_lu_dom0_home(t->home, sizeof(t->home));
	t->watch_local = (struct xenbus_watch){
		.node = "/local/domain", .will_handle = xen_lu_watch_local,
		.callback = xen_lu_watch_none };
	t->watch_intro = (struct xenbus_watch){
		.node = "@introduceDomain", .will_handle = xen_lu_watch_intro,
		.callback = xen_lu_watch_none };
	t->watch_release = (struct xenbus_watch){
		.node = "@releaseDomain", .will_handle = xen_lu_watch_release,
		.callback = xen_lu_watch_none };

	rc = xen_lu_freeze_start();
	if (rc)
		goto free;
	rc = register_xenbus_watch(&t->watch_local);
	if (rc)
		goto stop_freeze;
	rc = register_xenbus_watch(&t->watch_intro);
	if (rc)
		goto unwatch_local;
	rc = register_xenbus_watch(&t->watch_release);
	if (rc)
		goto unwatch_intro;
	/* Past the events xenstored fires at registration. */
	rc = xen_lu_freeze_sync();
	if (rc)
		goto unwatch_release;
	spin_lock(&t->lock);
	t->armed = true;
	spin_unlock(&t->lock);
	return t;

unwatch_release:
	unregister_xenbus_watch(&t->watch_release);
unwatch_intro:
	unregister_xenbus_watch(&t->watch_intro);
unwatch_local:
	unregister_xenbus_watch(&t->watch_local);
stop_freeze:
	xen_lu_freeze_stop();
free:
	xen_lu_tracker_free(t);
	return ERR_PTR(rc);
}

static int xen_lu_tracker_add(struct xen_lu_tracker *t, const char *path,
			      size_t len, unsigned int index)
{
	struct xen_lu_tracked_path *p;

	p = xen_lu_tracker_find(t, path, len);
	if (p) {
		if (index != U32_MAX)
			p->index = index;
		return 0;
	}
	p = kmalloc(struct_size(p, path, len + 1), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->hash = xen_lu_path_hash(path, len);
	p->index = index;
	memcpy(p->path, path, len);
	p->path[len] = '\0';
	hash_add(t->paths, &p->node, p->hash);
	return 0;
}

/* A device's directory, and the ancestors up to /local/domain/<id>. */
static int xen_lu_tracker_add_device(struct xen_lu_tracker *t,
				     const char *path, unsigned int index)
{
	size_t len = strlen(path);
	unsigned int slashes = 0, i;
	int rc;

	for (i = 0; i < len; i++)
		slashes += path[i] == '/';
	rc = xen_lu_tracker_add(t, path, len, index);
	/* "/local/domain/<id>" has 3 slashes: stop there. */
	while (!rc && slashes > 3) {
		while (len && path[len - 1] != '/')
			len--;
		len--;
		slashes--;
		if (slashes > 3)
			rc = xen_lu_tracker_add(t, path, len, U32_MAX);
	}
	return rc;
}

/**
 * xen_lu_tracker_index() - learn the devices handed over
 * @t: a started tracker
 * @records: the records dump of PREPARE
 *
 * Events kept since the start are pinned now.
 *
 * Return: 0 or -ENOMEM.
 */
int xen_lu_tracker_index(struct xen_lu_tracker *t,
			 const struct xen_lu_rec_buf *records)
{
	const struct xen_lu_rec_dom0_backend *b;
	struct xen_lu_pending_path *pp, *tmp;
	struct xen_lu_rec_iter it;
	unsigned int n = 0;
	int rc = 0;

	xen_lu_rec_for_each(&it, records) {
		if (it.hdr->type != XEN_LU_REC_DOM0_BACKEND)
			continue;
		b = it.body;
		rc = xen_lu_tracker_add_device(t, xen_lu_backend_path(b), n);
		if (!rc && b->frontend_path_len > 1)
			rc = xen_lu_tracker_add_device(t,
						       xen_lu_frontend_path(b),
						       n);
		if (rc)
			return rc;
		n++;
	}
	t->dirty = bitmap_zalloc(max(n, 1U), GFP_KERNEL);
	if (!t->dirty)
		return -ENOMEM;
	t->nr_backends = n;

	spin_lock(&t->lock);
	t->indexed = true;
	list_for_each_entry_safe(pp, tmp, &t->pending, list) {
		xen_lu_tracker_pin(t, pp->path);
		list_del(&pp->list);
		kfree(pp);
	}
	t->nr_pending = 0;
	spin_unlock(&t->lock);
	return 0;
}

/**
 * xen_lu_tracker_take() - what changed so far, and start afresh
 * @t: an indexed tracker
 * @out: filled; @out->dirty is a bitmap the caller frees with bitmap_free()
 *
 * The tracker forgets what it hands out: the next call says what changed
 * after this one.  A caller that could not use it gives it back.
 *
 * Return: 0 or -ENOMEM.
 */
int xen_lu_tracker_take(struct xen_lu_tracker *t, struct xen_lu_changes *out)
{
	out->dirty = bitmap_zalloc(max(t->nr_backends, 1U), GFP_KERNEL);
	if (!out->dirty)
		return -ENOMEM;
	spin_lock(&t->lock);
	bitmap_copy(out->dirty, t->dirty, t->nr_backends);
	out->nr_bits = t->nr_backends;
	out->nr_dirty = t->nr_dirty;
	out->domains = t->domains;
	out->rescan = t->rescan;
	bitmap_zero(t->dirty, t->nr_backends);
	t->nr_dirty = 0;
	t->domains = false;
	t->rescan = false;
	spin_unlock(&t->lock);
	return 0;
}

/**
 * xen_lu_tracker_give_back() - changes taken and not handed over after all
 * @t: an indexed tracker
 * @ch: what xen_lu_tracker_take() gave (or several takes together)
 *
 * Bits of an index the tracker no longer has become a rescan.
 */
void xen_lu_tracker_give_back(struct xen_lu_tracker *t,
			      const struct xen_lu_changes *ch)
{
	unsigned int i;

	spin_lock(&t->lock);
	t->domains |= ch->domains;
	t->rescan |= ch->rescan;
	if (ch->nr_dirty && (!t->indexed || ch->nr_bits != t->nr_backends))
		t->rescan = true;
	else if (ch->nr_dirty)
		for_each_set_bit(i, ch->dirty, ch->nr_bits)
			xen_lu_tracker_mark(t, i);
	spin_unlock(&t->lock);
}

/**
 * xen_lu_tracker_reindex() - learn the devices of new records
 * @t: an indexed tracker
 * @records: records handed over in place of those it was indexed with
 *
 * Events that arrive meanwhile are kept and pinned on the new index; a
 * device marked since the last xen_lu_tracker_take() cannot be pinned on
 * it, and makes a rescan.
 *
 * Return: 0 or -ENOMEM (then every later change is a rescan).
 */
int xen_lu_tracker_reindex(struct xen_lu_tracker *t,
			   const struct xen_lu_rec_buf *records)
{
	struct xen_lu_tracked_path *p;
	struct hlist_node *n;
	unsigned long *dirty;
	unsigned int bkt;
	int rc;

	spin_lock(&t->lock);
	t->indexed = false;
	if (t->nr_dirty)
		t->rescan = true;
	dirty = t->dirty;
	t->dirty = NULL;
	t->nr_backends = 0;
	t->nr_dirty = 0;
	spin_unlock(&t->lock);

	/* Not indexed: events go to the pending list, not to @paths. */
	bitmap_free(dirty);
	hash_for_each_safe(t->paths, bkt, n, p, node) {
		hash_del(&p->node);
		kfree(p);
	}
	rc = xen_lu_tracker_index(t, records);
	if (rc) {
		spin_lock(&t->lock);
		t->rescan = true;
		spin_unlock(&t->lock);
	}
	return rc;
}

/**
 * xen_lu_tracker_rescan() - the records no longer match the index
 * @t: an indexed tracker
 *
 * After the records handed over were replaced by ones the index was not
 * built from, a device's bit would name the wrong record: every later
 * COMMIT re-reads all backends instead.
 */
void xen_lu_tracker_rescan(struct xen_lu_tracker *t)
{
	spin_lock(&t->lock);
	t->rescan = true;
	spin_unlock(&t->lock);
}

/**
 * xen_lu_tracker_stop() - stop watching; xenwatch must not be parked
 * @t: a tracker, or NULL
 */
void xen_lu_tracker_stop(struct xen_lu_tracker *t)
{
	if (!t)
		return;
	unregister_xenbus_watch(&t->watch_release);
	unregister_xenbus_watch(&t->watch_intro);
	unregister_xenbus_watch(&t->watch_local);
	xen_lu_freeze_stop();
	xen_lu_tracker_free(t);
}
