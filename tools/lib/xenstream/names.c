// SPDX-License-Identifier: GPL-2.0-only
/* Record type, layer and format names for messages and dumps. */
#include <string.h>

#include "ctx.h"
#include "lu/optional.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const libxc_names[] = {
	[XS_REC_END]				= "END",
	[XS_REC_PAGE_DATA]			= "PAGE_DATA",
	[XS_REC_X86_PV_INFO]			= "X86_PV_INFO",
	[XS_REC_X86_PV_P2M_FRAMES]		= "X86_PV_P2M_FRAMES",
	[XS_REC_X86_PV_VCPU_BASIC]		= "X86_PV_VCPU_BASIC",
	[XS_REC_X86_PV_VCPU_EXTENDED]		= "X86_PV_VCPU_EXTENDED",
	[XS_REC_X86_PV_VCPU_XSAVE]		= "X86_PV_VCPU_XSAVE",
	[XS_REC_SHARED_INFO]			= "SHARED_INFO",
	[XS_REC_X86_TSC_INFO]			= "X86_TSC_INFO",
	[XS_REC_HVM_CONTEXT]			= "HVM_CONTEXT",
	[XS_REC_HVM_PARAMS]			= "HVM_PARAMS",
	[XS_REC_TOOLSTACK]			= "TOOLSTACK",
	[XS_REC_X86_PV_VCPU_MSRS]		= "X86_PV_VCPU_MSRS",
	[XS_REC_VERIFY]				= "VERIFY",
	[XS_REC_CHECKPOINT]			= "CHECKPOINT",
	[XS_REC_CHECKPOINT_DIRTY_PFN_LIST]	= "CHECKPOINT_DIRTY_PFN_LIST",
	[XS_REC_STATIC_DATA_END]		= "STATIC_DATA_END",
	[XS_REC_X86_CPUID_POLICY]		= "X86_CPUID_POLICY",
	[XS_REC_X86_MSR_POLICY]			= "X86_MSR_POLICY",
};

static const char *const libxl_names[] = {
	[XS_LIBXL_REC_END]			= "END",
	[XS_LIBXL_REC_LIBXC_CONTEXT]		= "LIBXC_CONTEXT",
	[XS_LIBXL_REC_EMULATOR_XENSTORE_DATA]	= "EMULATOR_XENSTORE_DATA",
	[XS_LIBXL_REC_EMULATOR_CONTEXT]		= "EMULATOR_CONTEXT",
	[XS_LIBXL_REC_CHECKPOINT_END]		= "CHECKPOINT_END",
	[XS_LIBXL_REC_CHECKPOINT_STATE]		= "CHECKPOINT_STATE",
};

static const char *const lu_names[] = {
	[XS_LU_REC_VERSION - XS_REC_TYPE_LIVE_UPDATE]	  = "LU_VERSION",
	[XS_LU_REC_M2P - XS_REC_TYPE_LIVE_UPDATE]	  = "LU_M2P",
	[XS_LU_REC_M2P_COMPAT - XS_REC_TYPE_LIVE_UPDATE] = "LU_M2P_COMPAT",
	[XS_LU_REC_DOMAIN_INFO - XS_REC_TYPE_LIVE_UPDATE] = "LU_DOMAIN_INFO",
};

static const char *unknown(uint32_t type)
{
	return (type & XS_REC_TYPE_OPTIONAL) ? "unknown optional" :
					       "unknown mandatory";
}

const char *xs_libxc_rec_name(uint32_t type)
{
	if (type < ARRAY_SIZE(libxc_names) && libxc_names[type])
		return libxc_names[type];
	return unknown(type);
}

const char *xs_libxl_rec_name(uint32_t type)
{
	if (type < ARRAY_SIZE(libxl_names) && libxl_names[type])
		return libxl_names[type];
	return unknown(type);
}

const char *xs_lu_rec_name(uint32_t type)
{
	uint32_t i = type - XS_REC_TYPE_LIVE_UPDATE;
	const struct xs_rec_desc *d;

	if (type < XS_REC_TYPE_LIVE_UPDATE)
		return xs_libxc_rec_name(type);
	if (i < ARRAY_SIZE(lu_names) && lu_names[i])
		return lu_names[i];
	for (d = xs_lu_optional_records; d->type; d++)
		if (d->type == type)
			return d->name;
	return unknown(type);
}

const char *xs_layer_name(enum xs_layer l)
{
	switch (l) {
	case XS_LAYER_XL:
		return "xl";
	case XS_LAYER_LIBXL:
		return "libxl";
	case XS_LAYER_LIBXC:
		return "libxc";
	case XS_LAYER_LU:
		return "lu";
	case XS_LAYER_LEGACY:
		return "legacy";
	}
	return "?";
}

static const char *const format_names[] = {
	[XS_FMT_UNKNOWN]	= "unknown",
	[XS_FMT_LU]		= "lu",
	[XS_FMT_LIBXC]		= "libxc",
	[XS_FMT_LIBXL]		= "libxl",
	[XS_FMT_XL]		= "xl",
	[XS_FMT_LEGACY]		= "legacy",
	[XS_FMT_LU_RECORDS]	= "lu-records",
};

const char *xs_format_name(enum xs_format f)
{
	if ((size_t)f < ARRAY_SIZE(format_names))
		return format_names[f];
	return "unknown";
}

int xs_format_parse(const char *s, enum xs_format *f)
{
	size_t i;

	for (i = 1; i < ARRAY_SIZE(format_names); i++) {
		if (!strcmp(s, format_names[i])) {
			*f = (enum xs_format)i;
			return 0;
		}
	}
	return -1;
}
