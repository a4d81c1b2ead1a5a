// SPDX-License-Identifier: GPL-2.0-only
/*
 * The domains dom0's xenstore knows: /local/domain/<domid>, with the
 * domain's name and UUID, one XEN_LU_REC_DOM0_DOMAIN record each, sorted
 * by domid.  After an update the same list must come back.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include <xen/xenbus.h>

#include "records.h"

#define XEN_LU_MAX_DOMID	0x7ff0U	/* DOMID_FIRST_RESERVED */

static int xen_lu_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int xen_lu_collect_domain(struct xen_lu_rec_buf *buf, u32 domid)
{
	struct xen_lu_rec_dom0_domain *rec;
	char dir[32], vm[64];

	snprintf(dir, sizeof(dir), "/local/domain/%u", domid);
	rec = xen_lu_rec_reserve(buf, XEN_LU_REC_DOM0_DOMAIN, sizeof(*rec));
	if (IS_ERR(rec))
		return PTR_ERR(rec);
	rec->domid = domid;
	xen_lu_xs_read_string(dir, "name", rec->name, sizeof(rec->name));
	xen_lu_xs_read_string(dir, "vm", vm, sizeof(vm));
	/* "/vm/<uuid>": anything else leaves the field empty, not cut. */
	if (!strncmp(vm, "/vm/", 4) && strlen(vm + 4) == 36)
		strscpy(rec->uuid, vm + 4, sizeof(rec->uuid));
	buf->nr_domains++;
	return 0;
}

int xen_lu_collect_domains(struct xen_lu_participant *p,
			   struct xen_lu_rec_buf *buf)
{
	unsigned int n, i, nr = 0;
	char **dir;
	u32 *ids;
	int rc = 0;

	dir = xenbus_directory(XBT_NIL, "/local/domain", "", &n);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	ids = kcalloc(n, sizeof(*ids), GFP_KERNEL);
	if (!ids) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		if (!kstrtou32(dir[i], 10, &ids[nr]) &&
		    ids[nr] < XEN_LU_MAX_DOMID)
			nr++;
	sort(ids, nr, sizeof(*ids), xen_lu_cmp_u32, NULL);
	for (i = 0; !rc && i < nr; i++)
		rc = xen_lu_collect_domain(buf, ids[i]);
out:
	kfree(ids);
	kfree(dir);
	return rc;
}
