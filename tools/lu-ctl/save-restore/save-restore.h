/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The save-restore update method, as lu-ctl's commands run it.
 *
 * On a hypervisor without the live-update hypercalls, "lu-ctl stage" stages
 * xen#2 cold (the module's XEN_LU_STAGE_COLD) and remembers the method in
 * the plan file; "prepare" checks that every guest can be saved and that
 * the save directory can hold them, and collects dom0's records; "commit"
 * saves every guest through libxenlight, verifies the streams, writes the
 * journal and executes xen#2; "finish", in the next boot, restores every
 * guest from the journal and compares dom0's records with it.
 * Documentation/admin-guide/xen-liveupdate.rst describes it for operators.
 */
#ifndef LU_CTL_SAVE_RESTORE_H
#define LU_CTL_SAVE_RESTORE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "device.h"
#include "srjournal.h"

/* Where streams and the journal go unless --save-dir says otherwise. */
#define LU_SR_DEFAULT_SAVE_DIR	"/var/lib/xen-liveupdate/save"
/*
 * The plan between stage and commit; in /run, so an exec forgets it.  The
 * tests, and only they, put it in another folder with the environment
 * variable LU_CTL_TEST_PLAN_DIR (tests/lu-ctl/test-lu-ctl.sh).
 */
#define LU_SR_PLAN_DIR		"/run/xen-liveupdate"
#define LU_SR_PLAN_NAME		"save-restore.json"
#define LU_SR_PLAN_TEST_ENV	"LU_CTL_TEST_PLAN_DIR"
/* How long finish waits for restored guests' devices to connect. */
#define LU_SR_CONNECT_TIMEOUT_S	60

/* What "stage --method save-restore" decided, read by prepare and commit. */
struct lu_sr_plan {
	char update_id[SRJ_UPDATE_ID_HEX + 1];
	char save_dir[PATH_MAX];
	bool live;
	uint32_t parallel;
	char xen2_sha256[SRJ_SHA256_HEX + 1];
	bool prepared;
};

/* The plan's path: LU_SR_PLAN_DIR "/" LU_SR_PLAN_NAME outside the tests. */
const char *lu_sr_plan_path(void);
int lu_sr_plan_write(const struct lu_sr_plan *plan);
enum lu_sr_found {
	LU_SR_NONE,		/* no save-restore update is staged */
	LU_SR_STAGED,		/* one is: its plan is in @plan */
	LU_SR_DAMAGED,		/* a cold image is staged, its plan is damaged */
};
/*
 * Whether a save-restore update is staged: the plan exists and the module
 * still holds the cold image it was written for.  A plan without a cold
 * image, or for another one, is stale.  @act is for the commands that act
 * on the update (prepare, commit, cancel): they remove a stale plan and
 * say what is wrong with a damaged one and what to do (exit LU_EXIT_IO).
 */
enum lu_sr_found lu_sr_active(struct lu_device *dev, bool act, struct lu_sr_plan *plan);
void lu_sr_plan_remove(void);

/* After the cold image is staged: make the save directory, write the plan. */
int lu_sr_stage(struct lu_device *dev, const char *save_dir, bool live, uint32_t parallel,
		bool json);
/* The steps of the update lu_sr_active() found, with its @plan. */
int lu_sr_prepare(struct lu_device *dev, struct lu_sr_plan *plan, bool json);
int lu_sr_commit(struct lu_device *dev, const struct lu_sr_plan *plan, bool json);
int lu_sr_cancel(struct lu_sr_plan *plan, bool json);
int lu_sr_finish(const char *save_dir, bool retry, uint32_t parallel, bool json);

/*
 * The methods this host can use, for status: each available or not, with
 * the reason.  @lu_errno is GET_INFO's out_lu_errno.
 */
json_object *lu_sr_methods_json(unsigned int lu_errno, bool *usable);
void lu_sr_methods_print(FILE *f, unsigned int lu_errno, bool *usable);

#endif /* LU_CTL_SAVE_RESTORE_H */
