// SPDX-License-Identifier: GPL-2.0-only
/*
 * Participants: the drivers whose records a collection gathers, built-in
 * collectors first, then every registered driver in registration order
 * (include/xen/xen-liveupdate-participant.h).
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include "hypervisor.h"
#include "liveupdate.h"
#include "participant.h"
#include "records.h"

/*
 * Protects xen_lu_participants and every participant's @prepared; held
 * across a whole collection and every round of callbacks.
 */
static DEFINE_MUTEX(xen_lu_participants_lock);
static LIST_HEAD(xen_lu_participants);

static const struct xen_lu_participant_ops xen_lu_domains_ops = {
	.collect = xen_lu_collect_domains,
};

static const struct xen_lu_participant_ops xen_lu_backends_ops = {
	.collect = xen_lu_collect_backends,
};

static const struct xen_lu_participant_ops xen_lu_evtchns_ops = {
	.collect = xen_lu_collect_evtchns,
};

/* In the order of the records dump. */
static struct xen_lu_participant xen_lu_builtin[] = {
	{ .name = "domains", .version = 1, .ops = &xen_lu_domains_ops },
	{ .name = "backends", .version = 1, .ops = &xen_lu_backends_ops },
	{ .name = "evtchns", .version = 1, .ops = &xen_lu_evtchns_ops },
};

static struct xen_lu_participant *xen_lu_find(const char *name)
{
	struct xen_lu_participant *p;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xen_lu_builtin); i++)
		if (!strcmp(xen_lu_builtin[i].name, name))
			return &xen_lu_builtin[i];
	list_for_each_entry(p, &xen_lu_participants, list)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/**
 * xen_lu_participant_register() - add a driver's records to every collection
 * @p: name, version and ops filled in; must stay valid until unregistered
 *
 * Return: 0; -EINVAL (no name, name too long, no collect); -EEXIST (the
 * name is taken).
 */
int xen_lu_participant_register(struct xen_lu_participant *p)
{
	int rc = 0;

	if (!p->name || !p->name[0] ||
	    strlen(p->name) >= XEN_LU_PARTICIPANT_NAME_LEN ||
	    !p->ops || !p->ops->collect)
		return -EINVAL;

	mutex_lock(&xen_lu_participants_lock);
	if (xen_lu_find(p->name))
		rc = -EEXIST;
	else
		list_add_tail(&p->list, &xen_lu_participants);
	mutex_unlock(&xen_lu_participants_lock);
	if (!rc)
		pr_info("participant %s (version %u) registered\n", p->name,
			p->version);
	return rc;
}
EXPORT_SYMBOL_GPL(xen_lu_participant_register);

/**
 * xen_lu_participant_unregister() - stop asking @p
 * @p: a registered participant
 *
 * Waits for a collection in progress to finish.  A participant that
 * leaves during an update is cancelled first; its records are dropped at
 * the next COMMIT.
 */
void xen_lu_participant_unregister(struct xen_lu_participant *p)
{
	mutex_lock(&xen_lu_participants_lock);
	if (p->prepared && p->ops->cancel)
		p->ops->cancel(p);
	p->prepared = false;
	list_del(&p->list);
	mutex_unlock(&xen_lu_participants_lock);
	pr_info("participant %s unregistered\n", p->name);
}
EXPORT_SYMBOL_GPL(xen_lu_participant_unregister);

int xen_lu_rec_add_data(struct xen_lu_rec_buf *buf,
			struct xen_lu_participant *p, const void *data,
			size_t len)
{
	struct xen_lu_rec_dom0_participant *rec;

	rec = xen_lu_rec_reserve(buf, XEN_LU_REC_DOM0_PARTICIPANT,
				 sizeof(*rec) + len);
	if (IS_ERR(rec))
		return PTR_ERR(rec);
	strscpy(rec->name, p->name, sizeof(rec->name));
	rec->version = p->version;
	rec->data_len = len;
	memcpy(rec + 1, data, len);
	buf->nr_participants++;
	return 0;
}
EXPORT_SYMBOL_GPL(xen_lu_rec_add_data);

static int xen_lu_records_header(struct xen_lu_rec_dom0_header *h)
{
	struct xen_lu_identity id;
	int rc;

	rc = xen_lu_hv_identity(&id);
	if (rc)
		return rc;
	h->records_version = XEN_LU_RECORDS_VERSION;
	h->abi_version = XEN_LU_ABI_VERSION;
	h->xen_major = id.major;
	h->xen_minor = id.minor;
	memcpy(h->xen_extraversion, id.extraversion,
	       sizeof(h->xen_extraversion));
	memcpy(h->xen_changeset, id.changeset, sizeof(h->xen_changeset));
	h->build_id_len = id.build_id_len;
	memcpy(h->build_id, id.build_id, id.build_id_len);
	h->time_ns = ktime_get_real_ns();
	h->generation = 1;
	strscpy(h->kernel_release, utsname()->release,
		sizeof(h->kernel_release));
	strscpy(h->module_version, XEN_LU_MODULE_VERSION,
		sizeof(h->module_version));
	return 0;
}

static int xen_lu_records_run(struct xen_lu_participant *p,
			      struct xen_lu_rec_buf *buf, const char **who)
{
	int rc = p->ops->collect(p, buf);

	if (rc) {
		pr_notice("participant %s failed to collect: %pe\n", p->name,
			  ERR_PTR(rc));
		*who = p->name;
	}
	return rc;
}

/**
 * xen_lu_records_collect() - one full collection, as a records dump
 * @buf: an empty buffer; on error it is freed
 * @who: set to the name of the participant that failed, if one did
 *
 * Return: 0, or the first participant's or the hypervisor's error.
 */
int xen_lu_records_collect(struct xen_lu_rec_buf *buf, const char **who)
{
	struct xen_lu_rec_dom0_header *h;
	struct xen_lu_participant *p;
	unsigned int i;
	int rc;

	h = xen_lu_rec_reserve(buf, XEN_LU_REC_DOM0_HEADER, sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	rc = xen_lu_records_header(h);
	if (rc)
		goto out;

	mutex_lock(&xen_lu_participants_lock);
	for (i = 0; !rc && i < ARRAY_SIZE(xen_lu_builtin); i++)
		rc = xen_lu_records_run(&xen_lu_builtin[i], buf, who);
	list_for_each_entry(p, &xen_lu_participants, list) {
		if (rc)
			break;
		rc = xen_lu_records_run(p, buf, who);
	}
	mutex_unlock(&xen_lu_participants_lock);
	if (rc)
		goto out;

	rc = xen_lu_rec_add(buf, XEN_LU_REC_END, NULL, 0);
	if (rc)
		goto out;
	/* The buffer may have moved: find the header again. */
	h = (void *)(buf->data + sizeof(struct xen_lu_rec_hdr));
	h->nr_domains = buf->nr_domains;
	h->nr_backends = buf->nr_backends;
	h->nr_evtchns = buf->nr_evtchns;
	h->nr_participants = buf->nr_participants;
out:
	if (rc)
		xen_lu_rec_buf_free(buf);
	return rc;
}

/**
 * xen_lu_participants_prepare() - every registered participant's prepare()
 * @who: set to the name of the participant that failed, if one did
 *
 * Return: 0, or the failing participant's errno; the participants already
 * prepared have then been cancelled.
 */
int xen_lu_participants_prepare(const char **who)
{
	struct xen_lu_participant *p;
	int rc = 0;

	mutex_lock(&xen_lu_participants_lock);
	list_for_each_entry(p, &xen_lu_participants, list) {
		rc = p->ops->prepare ? p->ops->prepare(p) : 0;
		if (rc) {
			pr_notice("participant %s refused to prepare: %pe\n",
				  p->name, ERR_PTR(rc));
			*who = p->name;
			break;
		}
		p->prepared = true;
	}
	if (rc) {
		list_for_each_entry(p, &xen_lu_participants, list) {
			if (p->prepared && p->ops->cancel)
				p->ops->cancel(p);
			p->prepared = false;
		}
	}
	mutex_unlock(&xen_lu_participants_lock);
	return rc;
}

/* Copy @name's participant records of @old to @out. */
static int xen_lu_participant_keep(const struct xen_lu_rec_buf *old,
				   const char *name, struct xen_lu_rec_buf *out)
{
	const struct xen_lu_rec_dom0_participant *rec;
	struct xen_lu_rec_iter it;
	int rc;

	xen_lu_rec_for_each(&it, old) {
		if (it.hdr->type != XEN_LU_REC_DOM0_PARTICIPANT)
			continue;
		rec = it.body;
		if (strncmp(rec->name, name, sizeof(rec->name)))
			continue;
		rc = xen_lu_rec_copy(out, &it);
		if (rc)
			return rc;
		out->nr_participants++;
	}
	return 0;
}

/**
 * xen_lu_participants_commit() - the participant records at COMMIT
 * @old: the records handed over so far
 * @out: receives, participant by participant, commit()'s records, or the
 *	ones handed over when commit() added none
 * @who: set to the name of the participant that failed, if one did
 *
 * Only participants still prepared are asked; one that left since
 * PREPARE has no records any more.
 *
 * Return: 0, or the failing participant's errno.
 */
int xen_lu_participants_commit(const struct xen_lu_rec_buf *old,
			       struct xen_lu_rec_buf *out, const char **who)
{
	struct xen_lu_participant *p;
	size_t before;
	int rc = 0;

	mutex_lock(&xen_lu_participants_lock);
	list_for_each_entry(p, &xen_lu_participants, list) {
		if (!p->prepared)
			continue;
		before = out->len;
		rc = p->ops->commit ? p->ops->commit(p, out) : 0;
		if (rc) {
			pr_notice("participant %s failed to commit: %pe\n",
				  p->name, ERR_PTR(rc));
			*who = p->name;
			break;
		}
		if (out->len == before)
			rc = xen_lu_participant_keep(old, p->name, out);
		if (rc)
			break;
	}
	mutex_unlock(&xen_lu_participants_lock);
	return rc;
}

/**
 * xen_lu_participants_commit_wanted() - does a prepared participant have
 *	a commit()
 *
 * Return: true when COMMIT must ask participants for changed records.
 */
bool xen_lu_participants_commit_wanted(void)
{
	struct xen_lu_participant *p;
	bool wanted = false;

	mutex_lock(&xen_lu_participants_lock);
	list_for_each_entry(p, &xen_lu_participants, list)
		wanted |= p->prepared && p->ops->commit;
	mutex_unlock(&xen_lu_participants_lock);
	return wanted;
}

/**
 * xen_lu_participants_end() - finish() or cancel() every prepared one
 * @finished: the update is done (finish()), rather than abandoned
 */
void xen_lu_participants_end(bool finished)
{
	struct xen_lu_participant *p;

	mutex_lock(&xen_lu_participants_lock);
	list_for_each_entry(p, &xen_lu_participants, list) {
		if (!p->prepared)
			continue;
		if (finished && p->ops->finish)
			p->ops->finish(p);
		else if (!finished && p->ops->cancel)
			p->ops->cancel(p);
		p->prepared = false;
	}
	mutex_unlock(&xen_lu_participants_lock);
}
