/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The /dev/xen/liveupdate selftests' device helpers (lu_dev.c): opening
 * the device, thin wrappers of the ioctls every test uses, the names of
 * the UAPI's rules and states, and whether the test suite's simulator
 * answers the live-update hypercalls.
 *
 * The functions know nothing of the kselftest harness.  The macros at the
 * end expand to the harness's SKIP and ASSERT: use them after including
 * kselftest_harness.h.
 */
#ifndef _XEN_LU_SELFTEST_DEV_H
#define _XEN_LU_SELFTEST_DEV_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <xen/liveupdate.h>

/*
 * lu_simulated(): does the test suite's SIMULATED live-update hypervisor
 * answer the live-update hypercalls?  GET_INFO does not say since ABI 6;
 * the simulator does, as lu-ctl status reads it (tools/lib/lusysfs).
 */
#include "lusysfs.h"

#define LU_DEV "/dev/xen/liveupdate"

#ifndef offsetofend
#define offsetofend(TYPE, MEMBER) \
	(offsetof(TYPE, MEMBER) + sizeof(((TYPE *)0)->MEMBER))
#endif

/* A user pointer as the UAPI's __aligned_u64 fields take it. */
#define ptr(p) ((uint64_t)(uintptr_t)(p))

/* CLOCK_REALTIME in ns, the clock of the UAPI's timestamps. */
uint64_t now_ns(void);

/*
 * Open the device with @flags (O_CLOEXEC added).  Returns the file, or -1:
 * with *@skip set to why there is nothing to test here (not root, not a
 * Xen domain, no xen_liveupdate), or with errno set.
 */
int lu_dev_open(int flags, const char **skip);

int get_info(int fd, struct xen_lu_info *info);
int get_map(int fd, struct xen_lu_mem_entry *map, unsigned int room,
	    unsigned int *nr);
int unstage(int fd, uint32_t flags);

/*
 * Bring the device back to IDLE: @undo(@fd, state, @arg) for each
 * STAGED, PREPARED or COMMITTED it is found in, 100 ms of waiting for
 * any other state, GET_INFO again, at most @tries times.  Returns the
 * state it ended in, UINT32_MAX when GET_INFO fails.
 */
uint32_t lu_to_idle(int fd, unsigned int tries,
		    void (*undo)(int fd, uint32_t state, void *arg), void *arg);

/* The name of an out_rule (XEN_LU_RULE_*), "?" when unknown. */
const char *rule_name(uint32_t rule);
/* The name of an out_state (XEN_LU_STATE_*), "?" when unknown. */
const char *state_name(uint32_t state);

/* The device's state and staged record are the same in @a and @b. */
bool staged_same(const struct xen_lu_info *a, const struct xen_lu_info *b);

/* With the kselftest harness. */

#define EXPECT_ERRNO(expected_errno, cmd)				\
	({								\
		ASSERT_EQ(-1, cmd);					\
		EXPECT_EQ(expected_errno, errno);			\
	})

/*
 * The 6.1 harness still runs a test's body after a SKIP in FIXTURE_SETUP;
 * every test starts with this.
 */
#define RETURN_IF_SKIPPED()						\
	do {								\
		if (_metadata->skip)					\
			return;						\
	} while (0)

/*
 * Open the device into @fd with @flags; SKIP and run @statement where
 * there is nothing to test, fail where it cannot be opened.
 */
#define LU_OPEN(fd, flags, statement)					\
	do {								\
		const char *_skip;					\
									\
		(fd) = lu_dev_open((flags), &_skip);			\
		if (_skip)						\
			SKIP(statement, "%s", _skip);			\
		ASSERT_LE(0, (fd))					\
			TH_LOG("open %s: %s", LU_DEV, strerror(errno));	\
	} while (0)

/*
 * Open the controller into @fd and bring the device back to IDLE with
 * @restore (a function of the file that returns the state it ended in);
 * SKIP and run @statement where there is nothing to test.
 */
#define LU_OPEN_IDLE(fd, restore, statement)				\
	do {								\
		uint32_t _state;					\
									\
		LU_OPEN(fd, O_RDWR, statement);				\
		_state = restore(fd);					\
		ASSERT_EQ(XEN_LU_STATE_IDLE, _state)			\
			TH_LOG("the device is %s and cannot be brought back to IDLE", \
			       state_name(_state));			\
	} while (0)

#endif /* _XEN_LU_SELFTEST_DEV_H */
