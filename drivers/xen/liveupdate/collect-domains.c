// SPDX-License-Identifier: GPL-2.0-only
/*
 * The domains dom0's xenstore knows: /local/domain/<domid>, with the
 * domain's name and UUID, one XEN_LU_REC_DOM0_DOMAIN record each, sorted
 * by domid.  After an update the same list must come back.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <xen/xenbus.h>

#include "collect.h"
#include "delta.h"
#include "records.h"
#include "xenstore.h"

#define XEN_LU_MAX_DOMID	0x7ff0U	/* DOMID_FIRST_RESERVED */

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
	return 0;
}

int xen_lu_domains_read(struct xen_lu_rec_buf *buf)
{
	unsigned int nr, i;
	u32 *ids = NULL;
	int rc;

	rc = xen_lu_xs_numeric_dir("/local/domain", XEN_LU_MAX_DOMID, &ids,
				   &nr);
	for (i = 0; !rc && i < nr; i++)
		rc = xen_lu_collect_domain(buf, ids[i]);
	kfree(ids);
	return rc;
}

int xen_lu_collect_domains(struct xen_lu_participant *p,
			   struct xen_lu_rec_buf *buf)
{
	return xen_lu_domains_read(buf);
}
