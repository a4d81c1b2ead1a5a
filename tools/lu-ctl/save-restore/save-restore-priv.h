/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of lu-ctl's save-restore method share.
 */
#ifndef LU_CTL_SAVE_RESTORE_PRIV_H
#define LU_CTL_SAVE_RESTORE_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>
#include <xen/liveupdate.h>

#include "exit-codes.h"
#include "save-restore.h"
#include "saverestore.h"

/* The domain record with @uuid in a checked records dump, or NULL. */
const struct xen_lu_rec_dom0_domain *lu_sr_find_domain(const uint8_t *buf, size_t len,
							const char *uuid);
/* The backends of @domid as journal devices.  0, or -1 out of memory. */
int lu_sr_devices(const uint8_t *buf, size_t len, uint32_t domid, struct srj_device **devs,
		  uint32_t *nr);
void lu_sr_devices_free(struct srj_device *devs, uint32_t nr);
/*
 * Compare restored guest @g with the dump: append one object per
 * difference to @diffs and return their number.  *@settled is false while
 * a device is missing or not yet in its recorded state (worth waiting for).
 */
uint32_t lu_sr_compare(const struct srj_guest *g, const uint8_t *buf, size_t len,
		       json_object *diffs, bool *settled);

/*
 * The guests, checked as prepare and commit check them: every one can be
 * saved and the save directory can hold them all.  On a refusal, says why
 * for each and returns LU_EXIT_REFUSED; @info is filled either way.
 */
int lu_sr_preflight(struct sr_ctx *ctx, int dirfd, const struct lu_sr_plan *plan,
		    struct sr_guest **guests, uint32_t *nr, struct sr_dir_info *info);

/* dom0's records now, checked.  LU_EXIT_OK or the exit code, said. */
int lu_sr_collect(struct lu_device *dev, uint8_t **buf, size_t *len);

/* Open the save directory (O_DIRECTORY); -1 with errno. */
int lu_sr_open_dir(const char *path);

/* "lu-ctl: <object>: <action> failed: <reason>" for a libsaverestore error. */
void lu_sr_report(const char *action, const struct sr_error *err);
void lu_sr_show_progress(struct sr_ctx *ctx, bool json);

#endif /* LU_CTL_SAVE_RESTORE_PRIV_H */
