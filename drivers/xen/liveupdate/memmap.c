// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_LU_IOCTL_GET_MEMORY_MAP: the hypervisor's machine memory map, which
 * is where a cold image may go and what xen#2's MBI describes.
 */

#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <asm/e820/types.h>

#include "image.h"
#include "liveupdate.h"

/**
 * xen_lu_memory_map_read() - read the machine memory map
 * @map: set to a kcalloc'd array the caller frees
 * @nr: set to the number of entries
 *
 * Return: 0 or a negative errno (-ENOMEM, or the hypervisor's).
 */
int xen_lu_memory_map_read(struct xen_lu_mem_entry **map, unsigned int *nr)
{
	struct xen_lu_mem_entry *out;
	struct e820_entry *e820;
	int rc, i;

	e820 = kcalloc(XEN_LU_MAX_MEMORY_MAP, sizeof(*e820), GFP_KERNEL);
	out = kcalloc(XEN_LU_MAX_MEMORY_MAP, sizeof(*out), GFP_KERNEL);
	if (!e820 || !out) {
		rc = -ENOMEM;
		goto out;
	}

	rc = xen_lu_hv_machine_memory_map(e820, XEN_LU_MAX_MEMORY_MAP);
	if (rc < 0)
		goto out;
	for (i = 0; i < rc; i++) {
		out[i].addr = e820[i].addr;
		out[i].size = e820[i].size;
		out[i].type = e820[i].type;
	}
	*nr = rc;
	*map = out;
	out = NULL;
	rc = 0;
out:
	kfree(out);
	kfree(e820);
	return rc;
}

long xen_lu_ioctl_get_memory_map(struct file *file, struct xen_lu_ucmd *ucmd)
{
	struct xen_lu_memory_map *arg = ucmd->cmd;
	struct xen_lu_mem_entry *map;
	unsigned int nr, room = arg->nr_entries;
	int rc;

	if (arg->__reserved)
		return -EINVAL;

	rc = xen_lu_memory_map_read(&map, &nr);
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
