/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Running the participants' callbacks through the live-update sequence.
 */
#ifndef _XEN_LIVEUPDATE_PARTICIPANT_INTERNAL_H
#define _XEN_LIVEUPDATE_PARTICIPANT_INTERNAL_H

#include <linux/string.h>
#include <linux/types.h>

#include <xen/liveupdate.h>
#include <xen/xen-liveupdate-participant.h>

struct xen_lu_rec_buf;

/* Name @p in @who (%XEN_LU_PARTICIPANT_NAME_LEN bytes), unless NULL. */
static inline void xen_lu_participant_who(char *who,
					  const struct xen_lu_participant *p)
{
	if (who)
		strscpy_pad(who, p->name, XEN_LU_PARTICIPANT_NAME_LEN);
}

int xen_lu_participants_collect(struct xen_lu_rec_buf *buf, char *who);

int xen_lu_participants_prepare(char *who);
int xen_lu_participants_commit(const struct xen_lu_rec_buf *old,
			       struct xen_lu_rec_buf *out, char *who);
void xen_lu_participants_end(bool finished);
void xen_lu_participants_park(void);
void xen_lu_participants_unpark(void);

#endif /* _XEN_LIVEUPDATE_PARTICIPANT_INTERNAL_H */
