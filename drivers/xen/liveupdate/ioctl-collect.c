// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_LU_IOCTL_COLLECT: dom0's records now, as a records dump, with no
 * state change: what a live update would hand over.
 */

#include <linux/errno.h>
#include <linux/uaccess.h>

#include "collect.h"
#include "liveupdate.h"
#include "records.h"

/* A copy of the records handed over, under the device lock. */
static int xen_lu_records_handed_over(struct xen_lu_rec_buf *buf)
{
	const struct xen_lu_rec_buf *src = &xen_lu_dev.update.records;
	int rc;

	rc = mutex_lock_killable(&xen_lu_dev.lock);
	if (rc)
		return rc;
	rc = src->len ? xen_lu_rec_dup(buf, src) : -EPROTO;
	mutex_unlock(&xen_lu_dev.lock);
	return rc;
}

long xen_lu_ioctl_collect(struct file *file, struct xen_lu_ucmd *ucmd)
{
	struct xen_lu_collect *arg = ucmd->cmd;
	struct xen_lu_rec_buf buf = {};
	int rc;

	if (arg->flags & XEN_LU_COLLECT_HANDED_OVER)
		rc = xen_lu_records_handed_over(&buf);
	else
		rc = xen_lu_records_collect(&buf, NULL, false);
	if (rc)
		return rc;

	arg->out_len = buf.len;
	arg->out_nr_domains = buf.nr_domains;
	arg->out_nr_backends = buf.nr_backends;
	arg->out_nr_evtchns = buf.nr_evtchns;
	arg->out_nr_participants = buf.nr_participants;
	if (buf.len > arg->buf_len)
		rc = -ENOSPC;
	else if (copy_to_user(u64_to_user_ptr(arg->buf), buf.data, buf.len))
		rc = -EFAULT;
	xen_lu_rec_buf_free(&buf);
	if (rc == -EFAULT)
		return rc;
	return xen_lu_ucmd_respond(ucmd, sizeof(*arg)) ?: rc;
}
