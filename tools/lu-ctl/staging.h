/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What lu-ctl says about staged images: names for the UAPI's image types
 * and staging rules (segment kinds: libluimage's lui_seg_kind_name()), and
 * the staged-image part of "status".
 */
#ifndef LU_CTL_STAGING_H
#define LU_CTL_STAGING_H

#include <stdio.h>

#include <json-c/json.h>
#include <xen/liveupdate.h>

/* A SHA-256 digest as hex digits. */
#define LU_SHA256_HEX	64

const char *lu_image_type_name(unsigned int type);
const char *lu_stage_rule_text(unsigned int rule);
/* The staged image's SHA-256 (GET_INFO's out_staged_sha256) as hex. */
void lu_staged_sha256_hex(const struct xen_lu_info *info, char out[LU_SHA256_HEX + 1]);
void lu_staged_print(FILE *f, const struct xen_lu_info *info);
struct json_object *lu_staged_json(const struct xen_lu_info *info);

#endif /* LU_CTL_STAGING_H */
