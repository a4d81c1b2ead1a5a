/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-kernel participant API of xen_liveupdate: how a dom0 driver adds
 * its own records to what dom0 hands over across a Xen live update.
 *
 * A participant registers a name, its own record version and callbacks,
 * in the spirit of Linux LUO's file handlers.  Every callback runs with the
 * participant list locked (a participant cannot unregister while it is
 * being asked), in registration order, the module's own participants
 * (domains, backends, event channels) first:
 *
 *  - collect(): add this participant's records to @buf.  Called by every
 *    collection: XEN_LU_IOCTL_COLLECT (a preview), PREPARE, FINISH's
 *    verification.  Must not change the participant's state.
 *  - prepare(): the update is prepared with the records just collected;
 *    start whatever tracking commit() needs.  An error fails PREPARE, and
 *    every participant already prepared gets cancel().
 *  - commit(): dom0's backends are frozen and the exec is next; add to @buf
 *    the records that replace those collect() gave, for what changed since
 *    prepare() (nothing when nothing changed; @buf is then left empty).
 *    Must be quick and must not change state: if anything fails, the
 *    device goes back to PREPARED and commit() may be called again.
 *  - finish(): xen#2 runs and dom0 was verified; stop tracking.
 *  - cancel(): the update was cancelled (or prepare() of a later
 *    participant failed, or the module is going away); undo prepare().
 *
 * Only collect() is required.  Whatever collect() or commit() adds with
 * xen_lu_rec_add_data() becomes one XEN_LU_REC_DOM0_PARTICIPANT record
 * carrying (name, version); a participant's commit() records replace all
 * of its collect() records.
 */
#ifndef _XEN_LIVEUPDATE_PARTICIPANT_H
#define _XEN_LIVEUPDATE_PARTICIPANT_H

#include <linux/list.h>
#include <linux/types.h>

struct module;
struct xen_lu_rec_buf;
struct xen_lu_participant;

/**
 * struct xen_lu_participant_ops - what a participant does
 * @collect: add this participant's records to @buf; 0 or a negative
 *	errno, which fails the whole collection.
 * @prepare: optional; 0 or a negative errno, which fails PREPARE.
 * @commit: optional; records for what changed since prepare(); 0 or a
 *	negative errno, which fails COMMIT before the exec.
 * @finish: optional; the update is done.
 * @cancel: optional; undo prepare().
 */
struct xen_lu_participant_ops {
	int (*collect)(struct xen_lu_participant *p, struct xen_lu_rec_buf *buf);
	int (*prepare)(struct xen_lu_participant *p);
	int (*commit)(struct xen_lu_participant *p, struct xen_lu_rec_buf *buf);
	void (*finish)(struct xen_lu_participant *p);
	void (*cancel)(struct xen_lu_participant *p);
};

/**
 * struct xen_lu_participant - one registered participant
 * @name: unique, at most 31 bytes; goes into its records.
 * @version: the participant's own record version.
 * @ops: its callbacks.
 * @owner: THIS_MODULE of the registering driver.
 * @list: private to xen_liveupdate.
 * @prepared: private to xen_liveupdate: prepare() succeeded, and neither
 *	finish() nor cancel() was called since.
 */
struct xen_lu_participant {
	const char *name;
	u32 version;
	const struct xen_lu_participant_ops *ops;
	struct module *owner;
	struct list_head list;
	bool prepared;
};

int xen_lu_participant_register(struct xen_lu_participant *p);
void xen_lu_participant_unregister(struct xen_lu_participant *p);

/* For collect(): one XEN_LU_REC_DOM0_PARTICIPANT record with @len bytes. */
int xen_lu_rec_add_data(struct xen_lu_rec_buf *buf,
			struct xen_lu_participant *p, const void *data,
			size_t len);

#endif /* _XEN_LIVEUPDATE_PARTICIPANT_H */
