/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-kernel participant API of xen_liveupdate: how a dom0 driver adds
 * its own records to what dom0 hands over across a Xen live update.
 *
 * A participant registers a name, its own record version and a collect
 * callback.  Each collection (XEN_LU_IOCTL_COLLECT today; prepare and the
 * commit-time delta when the live-update sequence calls it) runs every
 * participant's collect() in registration order, with the participant
 * list locked: a participant cannot unregister while it is being asked.
 * Whatever collect() adds with xen_lu_rec_add_data() becomes one
 * XEN_LU_REC_DOM0_PARTICIPANT record carrying (name, version).
 *
 * The module's own collectors (domains, backends, event channels) are
 * participants too; they write their dedicated record types.
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
 * @collect: add this participant's records to @buf; return 0 or a
 *	negative errno, which fails the whole collection.
 */
struct xen_lu_participant_ops {
	int (*collect)(struct xen_lu_participant *p, struct xen_lu_rec_buf *buf);
};

/**
 * struct xen_lu_participant - one registered participant
 * @name: unique, at most 31 bytes; goes into its records.
 * @version: the participant's own record version.
 * @ops: its callbacks.
 * @owner: THIS_MODULE of the registering driver.
 * @list: private to xen_liveupdate.
 */
struct xen_lu_participant {
	const char *name;
	u32 version;
	const struct xen_lu_participant_ops *ops;
	struct module *owner;
	struct list_head list;
};

int xen_lu_participant_register(struct xen_lu_participant *p);
void xen_lu_participant_unregister(struct xen_lu_participant *p);

/* For collect(): one XEN_LU_REC_DOM0_PARTICIPANT record with @len bytes. */
int xen_lu_rec_add_data(struct xen_lu_rec_buf *buf,
			struct xen_lu_participant *p, const void *data,
			size_t len);

#endif /* _XEN_LIVEUPDATE_PARTICIPANT_H */
