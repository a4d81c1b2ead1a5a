// SPDX-License-Identifier: GPL-2.0-only
/*
 * Participants: the drivers whose records a collection gathers after the
 * module's own (collect.c), in registration order
 * (include/xen/xen-liveupdate-participant.h).
 *
 * No callback runs while xenwatch is parked (UAPI "Participants and the
 * freeze"): COMMIT parks the participants before it freezes dom0 and
 * unparks them after the thaw.  While parked, a collection that would
 * call other drivers fails with -EBUSY and an unregistration waits.  So a
 * callback may wait for xenwatch (unregister_xenbus_watch(), as a driver's
 * cancel() does): the kselftest lu_sim.participant_waits_xenwatch holds
 * the module to that.  Lockdep cannot see the parking, so no lockdep map
 * claims otherwise.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "collect.h"
#include "participant.h"
#include "records.h"

/*
 * Protects xen_lu_participants, every participant's @prepared and
 * xen_lu_participants_parked; held across every round of registered
 * participants' callbacks (never across the module's own collectors).
 */
static DEFINE_MUTEX(xen_lu_participants_lock);
static LIST_HEAD(xen_lu_participants);
static bool xen_lu_participants_parked;
static DECLARE_WAIT_QUEUE_HEAD(xen_lu_participants_unparked);

/* The built-in collections' names (collect.c) are taken too. */
static const char *const xen_lu_builtin_names[] = {
	XEN_LU_COLLECT_DOMAINS, XEN_LU_COLLECT_BACKENDS, XEN_LU_COLLECT_EVTCHNS,
};

static bool xen_lu_name_taken(const char *name)
{
	struct xen_lu_participant *p;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xen_lu_builtin_names); i++)
		if (!strcmp(xen_lu_builtin_names[i], name))
			return true;
	list_for_each_entry(p, &xen_lu_participants, list)
		if (!strcmp(p->name, name))
			return true;
	return false;
}

/**
 * xen_lu_participant_register() - add a driver's records to every collection
 * @p: name, version, ops and owner filled in; must stay valid until
 *	unregistered
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
	if (xen_lu_name_taken(p->name)) {
		rc = -EEXIST;
	} else {
		/* Whatever a previous registration left, it is not prepared. */
		p->prepared = false;
		list_add_tail(&p->list, &xen_lu_participants);
	}
	mutex_unlock(&xen_lu_participants_lock);
	if (!rc)
		pr_info("participant %s (version %u) registered\n", p->name,
			p->version);
	return rc;
}
EXPORT_SYMBOL_GPL(xen_lu_participant_register);

/* End @p's part in an update; called with the participants lock held. */
static void xen_lu_participant_end(struct xen_lu_participant *p,
				   bool finished)
{
	lockdep_assert_held(&xen_lu_participants_lock);
	if (!p->prepared)
		return;
	if (finished && p->ops->finish)
		p->ops->finish(p);
	else if (!finished && p->ops->cancel)
		p->ops->cancel(p);
	p->prepared = false;
	module_put(p->owner);
}

/**
 * xen_lu_participant_unregister() - stop asking @p
 * @p: a registered participant
 *
 * Waits for a collection in progress to finish, and while dom0 is frozen
 * for the thaw.  A participant that leaves during an update is cancelled
 * first; its records are dropped at the next COMMIT.  Must not be called
 * from a participant callback.
 */
void xen_lu_participant_unregister(struct xen_lu_participant *p)
{
	mutex_lock(&xen_lu_participants_lock);
	while (xen_lu_participants_parked) {
		mutex_unlock(&xen_lu_participants_lock);
		wait_event(xen_lu_participants_unparked,
			   !READ_ONCE(xen_lu_participants_parked));
		mutex_lock(&xen_lu_participants_lock);
	}
	xen_lu_participant_end(p, false);
	list_del(&p->list);
	mutex_unlock(&xen_lu_participants_lock);
	pr_info("participant %s unregistered\n", p->name);
}
EXPORT_SYMBOL_GPL(xen_lu_participant_unregister);

/**
 * xen_lu_participants_park() - no participant callback from now on
 *
 * Called by COMMIT before it freezes dom0; waits for a callback round in
 * progress.
 */
void xen_lu_participants_park(void)
{
	mutex_lock(&xen_lu_participants_lock);
	xen_lu_participants_parked = true;
	mutex_unlock(&xen_lu_participants_lock);
}

/**
 * xen_lu_participants_unpark() - callbacks again, after the thaw
 */
void xen_lu_participants_unpark(void)
{
	mutex_lock(&xen_lu_participants_lock);
	xen_lu_participants_parked = false;
	mutex_unlock(&xen_lu_participants_lock);
	wake_up_all(&xen_lu_participants_unparked);
}

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
	return 0;
}
EXPORT_SYMBOL_GPL(xen_lu_rec_add_data);

/* One registered participant's collect(). */
static int xen_lu_participant_collect(struct xen_lu_participant *p,
				      struct xen_lu_rec_buf *buf, char *who)
{
	int rc;

	rc = p->ops->collect(p, buf);
	if (rc) {
		pr_notice("participant %s failed to collect: %pe\n", p->name,
			  ERR_PTR(rc));
		xen_lu_participant_who(who, p);
	}
	return rc;
}

/**
 * xen_lu_participants_collect() - every registered participant's collect()
 * @buf: the records dump being written
 * @who: set to the name of the participant that failed, if one did; or
 *	NULL
 *
 * Return: 0, -EBUSY (the participants are parked), -EINTR (killed while
 * waiting for them), or the first failing participant's errno.
 */
int xen_lu_participants_collect(struct xen_lu_rec_buf *buf, char *who)
{
	struct xen_lu_participant *p;
	int rc;

	rc = mutex_lock_killable(&xen_lu_participants_lock);
	if (rc)
		return rc;
	if (xen_lu_participants_parked)
		rc = -EBUSY;
	list_for_each_entry(p, &xen_lu_participants, list) {
		if (rc)
			break;
		rc = xen_lu_participant_collect(p, buf, who);
	}
	mutex_unlock(&xen_lu_participants_lock);
	return rc;
}

/* Cancel every prepared participant; called with the lock held. */
static void xen_lu_participants_cancel_locked(void)
{
	struct xen_lu_participant *p;

	list_for_each_entry(p, &xen_lu_participants, list)
		xen_lu_participant_end(p, false);
}

/**
 * xen_lu_participants_prepare() - every registered participant's prepare()
 * @who: set to the name of the participant that failed, if one did
 *
 * A module reference on each participant's owner is held from here until
 * its finish() or cancel().
 *
 * Return: 0, or the failing participant's errno (-ENODEV: its module is
 * going away); the participants already prepared have then been
 * cancelled.
 */
int xen_lu_participants_prepare(char *who)
{
	struct xen_lu_participant *p;
	int rc = 0;

	mutex_lock(&xen_lu_participants_lock);
	list_for_each_entry(p, &xen_lu_participants, list) {
		if (!try_module_get(p->owner)) {
			rc = -ENODEV;
		} else {
			rc = p->ops->prepare ? p->ops->prepare(p) : 0;
			if (rc)
				module_put(p->owner);
		}
		if (rc) {
			pr_notice("participant %s refused to prepare: %pe\n",
				  p->name, ERR_PTR(rc));
			xen_lu_participant_who(who, p);
			break;
		}
		p->prepared = true;
	}
	if (rc)
		xen_lu_participants_cancel_locked();
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
	}
	return 0;
}

/**
 * xen_lu_participants_commit() - the participant records at COMMIT
 * @old: the records handed over so far
 * @out: an empty buffer; receives, participant by participant,
 *	commit()'s records, or the ones handed over when commit() added none
 * @who: set to the name of the participant that failed, if one did
 *
 * Called before dom0 freezes.  Only participants still prepared are
 * asked; one that left since PREPARE has no records any more.
 *
 * Return: 0, or the failing participant's errno.
 */
int xen_lu_participants_commit(const struct xen_lu_rec_buf *old,
			       struct xen_lu_rec_buf *out, char *who)
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
			xen_lu_participant_who(who, p);
			break;
		}
		if (out->len == before)
			rc = xen_lu_participant_keep(old, p->name, out);
		if (rc)
			break;
	}
	mutex_unlock(&xen_lu_participants_lock);
	if (rc)
		xen_lu_rec_buf_free(out);
	return rc;
}

/**
 * xen_lu_participants_end() - finish() or cancel() every prepared one
 * @finished: the update is done (finish()), rather than abandoned
 *
 * Called after the thaw.
 */
void xen_lu_participants_end(bool finished)
{
	struct xen_lu_participant *p;

	mutex_lock(&xen_lu_participants_lock);
	list_for_each_entry(p, &xen_lu_participants, list)
		xen_lu_participant_end(p, finished);
	mutex_unlock(&xen_lu_participants_lock);
}
