// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_LU_IOCTL_GET_MEMORY_MAP: the hypervisor's machine memory map, which
 * is where a cold image may go and what xen#2's MBI describes.
 */

#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hypervisor.h"
#include "liveupdate.h"

long xen_lu_ioctl_get_memory_map(struct file *file, struct xen_lu_ucmd *ucmd)
{
	struct xen_lu_memory_map *arg = ucmd->cmd;
	struct xen_lu_mem_entry *map;
	unsigned int nr, room = arg->nr_entries;
	int rc;

	if (arg->__reserved)
		return -EINVAL;

	rc = xen_lu_hv_memory_map(&map, &nr);
	if (rc)
		return rc;

	arg->nr_entries = nr;
	if (nr > room)
		rc = -ENOSPC;
	else if (copy_to_user(u64_to_user_ptr(arg->entries), map,
			      array_size(nr, sizeof(*map))))
		rc = -EFAULT;
	kfree(map);
	if (rc && rc != -ENOSPC)
		return rc;
	return xen_lu_ucmd_respond(ucmd, sizeof(*arg)) ?: rc;
}
