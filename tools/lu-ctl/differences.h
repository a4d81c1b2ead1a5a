/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A difference FINISH reports (struct xen_lu_difference), as a line of
 * text and as JSON.
 */
#ifndef LU_CTL_DIFFERENCES_H
#define LU_CTL_DIFFERENCES_H

#include <stdio.h>

#include <json-c/json.h>
#include <xen/liveupdate.h>

void lu_diff_print(FILE *f, const struct xen_lu_difference *d);
struct json_object *lu_diff_json(const struct xen_lu_difference *d);

#endif /* LU_CTL_DIFFERENCES_H */
