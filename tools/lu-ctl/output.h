/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Diagnostics and JSON output shared by every lu-ctl command.  Machine
 * output goes to stdout, diagnostics to stderr as
 * "lu-ctl: <object>: <action> failed: <reason>".
 */
#ifndef LU_CTL_OUTPUT_H
#define LU_CTL_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

void lu_err(const char *object, const char *action, int err);
void lu_errf(const char *object, const char *action, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *lu_errno_name(int err);
/* One line in the kernel log (/dev/kmsg), "lu-ctl: ..."; best effort. */
void lu_kmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int lu_print_json(const char *output, struct json_object *obj);
void lu_json_add_u64(struct json_object *obj, const char *key, uint64_t v);
void lu_json_add_strn(struct json_object *obj, const char *key,
		      const char *s, size_t size);

#endif /* LU_CTL_OUTPUT_H */
