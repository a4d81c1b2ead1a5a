// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_LU_IOCTL_COLLECT: dom0's records now, as a records dump, with no
 * state change: what a live update would hand over.
 */

#include <linux/errno.h>
#include <linux/uaccess.h>

#include "liveupdate.h"
#include "records.h"

long xen_lu_ioctl_collect(struct file *file, struct xen_lu_ucmd *ucmd)
{
	struct xen_lu_collect *arg = ucmd->cmd;
	struct xen_lu_rec_buf buf = {};
	int rc;

	if (arg->flags)
		return -EINVAL;

	rc = xen_lu_records_collect(&buf);
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
