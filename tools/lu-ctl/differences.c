// SPDX-License-Identifier: GPL-2.0-only
/*
 * One difference FINISH found between dom0's records and those handed
 * over, in words and as JSON.
 */
#include <inttypes.h>
#include <limits.h>

#include "differences.h"
#include "names.h"
#include "output.h"

/* "domain 2", "backend vif 1/0", "evtchn port 9" */
static void diff_subject(FILE *f, const struct xen_lu_difference *d)
{
	switch (d->kind) {
	case XEN_LU_REC_DOM0_DOMAIN:
		fprintf(f, "domain %u", d->domid);
		break;
	case XEN_LU_REC_DOM0_BACKEND:
		fprintf(f, "backend %.*s %u/%u", (int)sizeof(d->type), d->type,
			d->domid, d->id);
		break;
	case XEN_LU_REC_DOM0_EVTCHN:
		fprintf(f, "evtchn port %u", d->id);
		break;
	case XEN_LU_REC_DOM0_HEADER:
		fputs("records", f);
		break;
	default:
		fprintf(f, "record 0x%08x %u/%u", d->kind, d->domid, d->id);
	}
}

/* A value of a difference by its name; past an unsigned int, "unknown". */
static const char *name64(const char *(*name)(unsigned int), uint64_t v)
{
	return v > UINT_MAX ? "unknown" : name((unsigned int)v);
}

static void diff_names(FILE *f, const char *what,
		       const char *(*name)(unsigned int),
		       const struct xen_lu_difference *d)
{
	fprintf(f, "%s %s -> %s", what, name64(name, d->expected),
		name64(name, d->found));
}

/* What changed, in words; FNV-1a hashes only say "changed". */
static void diff_change(FILE *f, const struct xen_lu_difference *d)
{
	switch (d->field) {
	case XEN_LU_DIFF_MISSING:
		fputs("missing", f);
		break;
	case XEN_LU_DIFF_NEW:
		fputs("new", f);
		break;
	case XEN_LU_DIFF_BACKEND_STATE:
		diff_names(f, "backend state", lu_xenbus_state_name, d);
		break;
	case XEN_LU_DIFF_FRONTEND_STATE:
		diff_names(f, "frontend state", lu_xenbus_state_name, d);
		break;
	case XEN_LU_DIFF_RING_REFS:
		fputs("ring references changed", f);
		break;
	case XEN_LU_DIFF_EVTCHNS:
		fputs("event channels changed", f);
		break;
	case XEN_LU_DIFF_EVTCHN_STATUS:
		diff_names(f, "status", lu_evtchn_kind_name, d);
		break;
	case XEN_LU_DIFF_EVTCHN_REMOTE:
		fprintf(f, "remote %u:%u -> %u:%u",
			(unsigned int)(d->expected >> 32), (unsigned int)d->expected,
			(unsigned int)(d->found >> 32), (unsigned int)d->found);
		break;
	case XEN_LU_DIFF_DOMAIN_IDENTITY:
		fputs("uuid or name changed", f);
		break;
	case XEN_LU_DIFF_UNRECORDABLE:
		diff_names(f, "unrecordable", lu_unrecordable_name, d);
		break;
	case XEN_LU_DIFF_UNVERIFIED:
		fprintf(f, "unverified (%s): dom0's records could not be collected, nothing was compared",
			lu_errno_name((int)d->found));
		break;
	default:
		fprintf(f, "field %u 0x%" PRIx64 " -> 0x%" PRIx64, d->field,
			(uint64_t)d->expected, (uint64_t)d->found);
	}
}

/* One difference on one line, e.g. "backend vif 1/0: backend state Connected -> Closed". */
void lu_diff_print(FILE *f, const struct xen_lu_difference *d)
{
	diff_subject(f, d);
	fputs(": ", f);
	diff_change(f, d);
	fputc('\n', f);
}

struct json_object *lu_diff_json(const struct xen_lu_difference *d)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "kind",
			       json_object_new_string(lu_diff_kind_name(d->kind)));
	json_object_object_add(o, "field",
			       json_object_new_string(lu_diff_field_name(d->field)));
	json_object_object_add(o, "domid", json_object_new_int64(d->domid));
	json_object_object_add(o, "id", json_object_new_int64(d->id));
	if (d->kind == XEN_LU_REC_DOM0_BACKEND)
		lu_json_add_strn(o, "type", d->type, sizeof(d->type));
	lu_json_add_u64(o, "expected", d->expected);
	lu_json_add_u64(o, "found", d->found);
	if (d->field == XEN_LU_DIFF_UNVERIFIED)
		json_object_object_add(o, "errno",
				       json_object_new_string(lu_errno_name((int)d->found)));
	return o;
}
