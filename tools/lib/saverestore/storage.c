// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where the streams may go: storage that survives a kexec and a reboot,
 * with room for every guest.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>

#include <linux/magic.h>

#include "sr-priv.h"

#ifndef V9FS_MAGIC
#define V9FS_MAGIC	0x01021997
#endif

static const struct {
	long magic;
	const char *name;
	const char *refusal;	/* NULL: acceptable */
} filesystems[] = {
	{ TMPFS_MAGIC, "tmpfs", "its contents live in memory and are lost by the exec" },
	{ RAMFS_MAGIC, "ramfs", "its contents live in memory and are lost by the exec" },
	{ V9FS_MAGIC, "9p",
	  "libxc writes pages from foreign-mapped guest memory, which 9p refuses (EFAULT)" },
	{ EXT4_SUPER_MAGIC, "ext4", NULL },	/* also ext2 and ext3 */
	{ XFS_SUPER_MAGIC, "xfs", NULL },
	{ BTRFS_SUPER_MAGIC, "btrfs", NULL },
};

int sr_check_save_dir(int dirfd, const struct sr_guest *guests, uint32_t nr, bool live,
		      struct sr_dir_info *info, struct sr_error *err)
{
	struct statfs st;
	uint64_t need = 0;
	unsigned int i;

	memset(info, 0, sizeof(*info));
	if (fstatfs(dirfd, &st)) {
		sr_fail(err, "save-dir", NULL, "statfs: %s", strerror(errno));
		return -1;
	}
	snprintf(info->fs_type, sizeof(info->fs_type), "0x%lx", (long)st.f_type);
	for (i = 0; i < sizeof(filesystems) / sizeof(filesystems[0]); i++) {
		if (filesystems[i].magic != (long)st.f_type)
			continue;
		snprintf(info->fs_type, sizeof(info->fs_type), "%s", filesystems[i].name);
		if (filesystems[i].refusal) {
			sr_fail(err, "save-dir", NULL, "the save directory is on %s: %s",
				filesystems[i].name, filesystems[i].refusal);
			return -1;
		}
	}
	for (i = 0; i < nr; i++)
		need += guests[i].memory_kib * 1024 * (live ? 2 : 1) + SR_MARGIN_PER_GUEST;
	info->need_bytes = need;
	info->free_bytes = (uint64_t)st.f_bavail * st.f_bsize;
	if (info->free_bytes < need) {
		sr_fail(err, "save-dir-room", NULL,
			"the save directory has %llu MiB free; %u guest(s) need %llu MiB%s",
			(unsigned long long)(info->free_bytes >> 20), nr,
			(unsigned long long)(need >> 20), live ? " (live save: twice memory)" : "");
		return -1;
	}
	return 0;
}
