// SPDX-License-Identifier: GPL-2.0-only
/*
 * The /dev/xen/liveupdate selftests' device helpers: see lu_dev.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <xen/liveupdate.h>

#include "lu_dev.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int lu_dev_open(int flags, const char **skip)
{
	int fd;

	*skip = NULL;
	if (geteuid() != 0) {
		*skip = "must run as root";
		return -1;
	}
	if (access("/proc/xen/capabilities", F_OK)) {
		*skip = "not a Xen domain (no /proc/xen/capabilities)";
		return -1;
	}
	fd = open(LU_DEV, flags | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		*skip = LU_DEV " does not exist: is xen_liveupdate loaded?";
	return fd;
}

int get_info(int fd, struct xen_lu_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl(fd, XEN_LU_IOCTL_GET_INFO, info);
}

int get_map(int fd, struct xen_lu_mem_entry *map, unsigned int room,
	    unsigned int *nr)
{
	struct xen_lu_memory_map mm = {
		.size = sizeof(mm),
		.nr_entries = room,
		.entries = ptr(map),
	};
	int rc;

	rc = ioctl(fd, XEN_LU_IOCTL_GET_MEMORY_MAP, &mm);
	*nr = mm.nr_entries;
	return rc;
}

int unstage(int fd, uint32_t flags)
{
	struct xen_lu_unstage u = { .size = sizeof(u), .flags = flags };

	return ioctl(fd, XEN_LU_IOCTL_UNSTAGE, &u);
}

uint32_t lu_to_idle(int fd, unsigned int tries,
		    void (*undo)(int fd, uint32_t state, void *arg), void *arg)
{
	struct xen_lu_info info;
	unsigned int i;

	for (i = 0; i < tries; i++) {
		if (get_info(fd, &info))
			return UINT32_MAX;
		switch (info.out_state) {
		case XEN_LU_STATE_IDLE:
			return info.out_state;
		case XEN_LU_STATE_STAGED:
		case XEN_LU_STATE_PREPARED:
		case XEN_LU_STATE_COMMITTED:
			undo(fd, info.out_state, arg);
			break;
		default:
			usleep(100000);
			break;
		}
	}
	get_info(fd, &info);
	return info.out_state;
}

const char *rule_name(uint32_t rule)
{
	static const char *const rule_names[] = {
		"NONE", "FLAGS", "NR_SEGMENTS", "SEG_KIND", "SEG_BUF",
		"SEG_ALIGN", "SEG_SIZE", "SEG_ORDER", "SEG_OVERLAP",
		"SEG_COUNT", "IMAGE_TOO_BIG", "PLACE_XEN", "PLACE_WINDOW",
		"PLACE_LOW_FILL", "PLACE_RAM", "PLACE_4G", "ENTRY",
		"XEN_ENTRY", "PURGATORY", "MBI", "MBI_MODULES",
		"MBI_LOAD_BASE", "CMDLINE", "CMDLINE_RANGE",
		"CMDLINE_CONFLICT", "LOCKDOWN", "SIGNED_IMAGE",
	};

	if (rule < ARRAY_SIZE(rule_names))
		return rule_names[rule];
	return "?";
}

const char *state_name(uint32_t state)
{
	static const char *const state_names[] = {
		"IDLE", "STAGED", "PREPARED", "COMMITTING", "COMMITTED",
	};

	if (state < ARRAY_SIZE(state_names))
		return state_names[state];
	return "?";
}

bool staged_same(const struct xen_lu_info *a, const struct xen_lu_info *b)
{
	size_t off = offsetof(struct xen_lu_info, out_staged_type);

	return a->out_state == b->out_state &&
	       (a->out_flags & XEN_LU_INFO_STAGED) ==
	       (b->out_flags & XEN_LU_INFO_STAGED) &&
	       !memcmp((const char *)a + off, (const char *)b + off,
		       sizeof(*a) - off);
}
