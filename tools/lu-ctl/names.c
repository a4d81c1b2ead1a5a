// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names for the UAPI's values, as lu-ctl prints them and --json says them:
 * device states, checks, commit results, XenbusStates, unrecordable
 * reasons, event channel kinds, and the kinds and fields of differences.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/liveupdate.h>

#include "names.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const states[] = {
	[XEN_LU_STATE_IDLE] = "idle",
	[XEN_LU_STATE_STAGED] = "staged",
	[XEN_LU_STATE_PREPARED] = "prepared",
	[XEN_LU_STATE_COMMITTING] = "committing",
	[XEN_LU_STATE_COMMITTED] = "committed",
};

/* enum xen_lu_check, as --json says it. */
static const char *const checks[] = {
	[XEN_LU_CHECK_NONE] = "none",
	[XEN_LU_CHECK_IMAGE_TYPE] = "image-type",
	[XEN_LU_CHECK_CAPABILITY] = "capability",
	[XEN_LU_CHECK_RANGE] = "range",
	[XEN_LU_CHECK_BACKEND_STATE] = "backend-state",
	[XEN_LU_CHECK_COLLECT] = "collect",
	[XEN_LU_CHECK_PARTICIPANT] = "participant",
	[XEN_LU_CHECK_RECORDS_ROOM] = "records-room",
	[XEN_LU_CHECK_LOAD] = "load",
	[XEN_LU_CHECK_FREEZE] = "freeze",
	[XEN_LU_CHECK_EXEC] = "exec",
	[XEN_LU_CHECK_IDENTITY] = "identity",
};

static const char *const commit_results[] = {
	[XEN_LU_COMMIT_UPDATED] = "updated",
	[XEN_LU_COMMIT_SCHEDULED] = "scheduled",
};

/* XenbusState of Xen's public io/xenbus.h. */
static const char *const xenbus_states[] = {
	"Unknown", "Initialising", "InitWait", "Initialised", "Connected",
	"Closing", "Closed", "Reconfiguring", "Reconfigured",
};

static const char *const evtchn_kinds[] = {
	[XEN_LU_EVTCHN_CLOSED] = "closed",
	[XEN_LU_EVTCHN_UNBOUND] = "unbound",
	[XEN_LU_EVTCHN_INTERDOMAIN] = "interdomain",
	[XEN_LU_EVTCHN_PIRQ] = "pirq",
	[XEN_LU_EVTCHN_VIRQ] = "virq",
	[XEN_LU_EVTCHN_IPI] = "ipi",
};

static const char *const diff_fields[] = {
	[XEN_LU_DIFF_MISSING] = "missing",
	[XEN_LU_DIFF_NEW] = "new",
	[XEN_LU_DIFF_BACKEND_STATE] = "backend-state",
	[XEN_LU_DIFF_FRONTEND_STATE] = "frontend-state",
	[XEN_LU_DIFF_RING_REFS] = "ring-refs",
	[XEN_LU_DIFF_EVTCHNS] = "evtchns",
	[XEN_LU_DIFF_EVTCHN_STATUS] = "evtchn-status",
	[XEN_LU_DIFF_EVTCHN_REMOTE] = "evtchn-remote",
	[XEN_LU_DIFF_DOMAIN_IDENTITY] = "domain-identity",
	[XEN_LU_DIFF_UNRECORDABLE] = "unrecordable",
	[XEN_LU_DIFF_UNVERIFIED] = "unverified",
};

static const char *const unrecordable_names[] = {
	[XEN_LU_UNRECORDABLE_NONE] = "none",
	[XEN_LU_UNRECORDABLE_QUEUES] = "queues",
	[XEN_LU_UNRECORDABLE_RING_REFS] = "ring-refs",
	[XEN_LU_UNRECORDABLE_EVTCHNS] = "event-channels",
	[XEN_LU_UNRECORDABLE_FEATURES] = "features",
	[XEN_LU_UNRECORDABLE_SIZE] = "size",
};

static const char *name_of(const char *const *names, size_t n, uint64_t v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

const char *lu_state_name(unsigned int state)
{
	return name_of(states, ARRAY_SIZE(states), state);
}

const char *lu_check_name(unsigned int check)
{
	return name_of(checks, ARRAY_SIZE(checks), check);
}

/* Whether lu_check_name() knows @check: a newer module may add checks. */
bool lu_check_known(unsigned int check)
{
	return check < ARRAY_SIZE(checks) && checks[check];
}

const char *lu_commit_result_name(unsigned int result)
{
	return name_of(commit_results, ARRAY_SIZE(commit_results), result);
}

const char *lu_unrecordable_name(unsigned int reason)
{
	return name_of(unrecordable_names, ARRAY_SIZE(unrecordable_names),
		       reason);
}

const char *lu_xenbus_state_name(unsigned int state)
{
	return name_of(xenbus_states, ARRAY_SIZE(xenbus_states), state);
}

const char *lu_evtchn_kind_name(unsigned int status)
{
	return name_of(evtchn_kinds, ARRAY_SIZE(evtchn_kinds), status);
}

const char *lu_diff_kind_name(unsigned int kind)
{
	switch (kind) {
	case XEN_LU_REC_DOM0_HEADER:
		return "records";
	case XEN_LU_REC_DOM0_DOMAIN:
		return "domain";
	case XEN_LU_REC_DOM0_BACKEND:
		return "backend";
	case XEN_LU_REC_DOM0_EVTCHN:
		return "evtchn";
	default:
		return "unknown";
	}
}

const char *lu_diff_field_name(unsigned int field)
{
	return name_of(diff_fields, ARRAY_SIZE(diff_fields), field);
}

