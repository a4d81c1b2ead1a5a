// SPDX-License-Identifier: GPL-2.0-only
/*
 * The collection engine: one records dump of dom0, the header first, then
 * the module's own collections (domains, backends, event channels, in
 * that order), then every registered participant's records (participant.c),
 * and END.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include "collect.h"
#include "hypervisor.h"
#include "liveupdate.h"
#include "participant.h"
#include "records.h"

static const struct xen_lu_participant_ops xen_lu_domains_ops = {
	.collect = xen_lu_collect_domains,
};

static const struct xen_lu_participant_ops xen_lu_backends_ops = {
	.collect = xen_lu_collect_backends,
};

static const struct xen_lu_participant_ops xen_lu_evtchns_ops = {
	.collect = xen_lu_collect_evtchns,
};

/* In the order of the records dump, from XEN_LU_REC_DOM0_DOMAIN on. */
static struct xen_lu_participant xen_lu_builtin[] = {
	{
		.name = XEN_LU_COLLECT_DOMAINS,
		.version = 1,
		.ops = &xen_lu_domains_ops,
	}, {
		.name = XEN_LU_COLLECT_BACKENDS,
		.version = 1,
		.ops = &xen_lu_backends_ops,
	}, {
		.name = XEN_LU_COLLECT_EVTCHNS,
		.version = 1,
		.ops = &xen_lu_evtchns_ops,
	},
};

/**
 * xen_lu_collect_builtin_name() - the built-in collection of a record kind
 * @type: %XEN_LU_REC_DOM0_DOMAIN, _BACKEND or _EVTCHN
 *
 * Return: its name, as a failure reports it; NULL for another kind.
 */
const char *xen_lu_collect_builtin_name(u32 type)
{
	u32 i = type - XEN_LU_REC_DOM0_DOMAIN;

	return i < ARRAY_SIZE(xen_lu_builtin) ? xen_lu_builtin[i].name : NULL;
}

static int xen_lu_records_header(struct xen_lu_rec_dom0_header *h)
{
	struct xen_lu_identity id;
	int rc;

	memset(h, 0, sizeof(*h));
	rc = xen_lu_hv_identity(&id);
	if (rc)
		return rc;
	h->records_version = XEN_LU_RECORDS_VERSION;
	h->abi_version = XEN_LU_ABI_VERSION;
	h->xen_major = id.major;
	h->xen_minor = id.minor;
	memcpy(h->xen_extraversion, id.extraversion,
	       sizeof(h->xen_extraversion));
	memcpy(h->xen_changeset, id.changeset, sizeof(h->xen_changeset));
	h->build_id_len = id.build_id_len;
	memcpy(h->build_id, id.build_id, id.build_id_len);
	h->time_ns = ktime_get_real_ns();
	h->generation = 1;
	strscpy(h->kernel_release, utsname()->release,
		sizeof(h->kernel_release));
	strscpy(h->module_version, XEN_LU_MODULE_VERSION,
		sizeof(h->module_version));
	return 0;
}

/* One built-in collection; the module's own code, not a participant's. */
static int xen_lu_collect_builtin(struct xen_lu_participant *p,
				  struct xen_lu_rec_buf *buf, char *who)
{
	int rc = p->ops->collect(p, buf);

	if (rc) {
		pr_notice("participant %s failed to collect: %pe\n", p->name,
			  ERR_PTR(rc));
		xen_lu_participant_who(who, p);
	}
	return rc;
}

/**
 * xen_lu_records_collect() - one full collection, as a records dump
 * @buf: an empty buffer; on error it is freed
 * @who: %XEN_LU_PARTICIPANT_NAME_LEN bytes, set to the name of the
 *	participant that failed, if one did; or NULL
 * @builtin_only: collect only the module's own records (domains,
 *	backends, event channels), as FINISH does while dom0 is frozen
 *
 * Return: 0, -EBUSY (participants are parked and @builtin_only is not
 * set), -EINTR (killed while waiting for the participants), or the first
 * participant's or the hypervisor's error.
 */
int xen_lu_records_collect(struct xen_lu_rec_buf *buf, char *who,
			   bool builtin_only)
{
	struct xen_lu_rec_dom0_header h;
	unsigned int i;
	int rc;

	rc = xen_lu_records_header(&h);
	if (!rc)
		rc = xen_lu_rec_begin(buf);
	/*
	 * The module's own collectors take no lock: the xenstore and
	 * hypervisor reads of one collection never wait for another's.
	 */
	for (i = 0; !rc && i < ARRAY_SIZE(xen_lu_builtin); i++)
		rc = xen_lu_collect_builtin(&xen_lu_builtin[i], buf, who);
	if (!rc && !builtin_only)
		rc = xen_lu_participants_collect(buf, who);
	if (!rc)
		rc = xen_lu_rec_seal(buf, &h);
	if (rc)
		xen_lu_rec_buf_free(buf);
	return rc;
}
