// SPDX-License-Identifier: GPL-2.0-only
/*
 * sr-fault.so: faults for the save-restore method's tests, injected from
 * outside lu-ctl (LD_PRELOAD), so that lu-ctl carries no test hooks.
 * SR_FAULT in the environment picks one:
 *
 *   enospc   every write to a stream being saved ("*.lxs.part") fails
 *            with ENOSPC once 8 MiB are written: a full disk.
 *   corrupt  at the fsync of a stream being saved, its last 8 bytes (the
 *            libxl END record's header) are overwritten: a stream damaged
 *            before the exec, as a torn write leaves it.
 *   reset    the cold exec (XEN_LU_IOCTL_COMMIT with XEN_LU_COMMIT_COLD)
 *            becomes a machine reset after "@@FIRMWARE-REBOOT": xen#2
 *            never runs, and firmware boots the old Xen again.
 *
 * Test-only: built into the test host's initramfs, never installed.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/uio.h>
#include <unistd.h>

#include <xen/liveupdate.h>

#define ENOSPC_AFTER	(8u << 20)

static bool is_fault(const char *name)
{
	const char *f = getenv("SR_FAULT");

	return f && !strcmp(f, name);
}

/* Whether @fd is a stream being saved. */
static bool is_stream(int fd)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 10)
		return false;
	path[n] = '\0';
	return !strcmp(path + n - 9, ".lxs.part");
}

/* ENOSPC once the stream on @fd holds ENOSPC_AFTER bytes. */
static bool disk_full(int fd)
{
	off_t pos;

	if (!is_fault("enospc") || !is_stream(fd))
		return false;
	pos = lseek(fd, 0, SEEK_CUR);
	return pos >= (off_t)ENOSPC_AFTER;
}

ssize_t write(int fd, const void *buf, size_t len)
{
	static ssize_t (*real)(int, const void *, size_t);

	if (!real)
		real = dlsym(RTLD_NEXT, "write");
	if (disk_full(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd, buf, len);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	static ssize_t (*real)(int, const struct iovec *, int);

	if (!real)
		real = dlsym(RTLD_NEXT, "writev");
	if (disk_full(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd, iov, cnt);
}

int fsync(int fd)
{
	static int (*real)(int);
	static const unsigned char junk[8] = {
		0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef
	};
	off_t end;

	if (!real)
		real = dlsym(RTLD_NEXT, "fsync");
	if (is_fault("corrupt") && is_stream(fd)) {
		end = lseek(fd, 0, SEEK_END);
		if (end >= (off_t)sizeof(junk))
			pwrite(fd, junk, sizeof(junk), end - sizeof(junk));
	}
	return real(fd);
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, ...);
	struct xen_lu_commit *arg;
	va_list ap;

	if (!real)
		real = dlsym(RTLD_NEXT, "ioctl");
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (is_fault("reset") && req == XEN_LU_IOCTL_COMMIT && (arg->flags & XEN_LU_COMMIT_COLD)) {
		printf("@@FIRMWARE-REBOOT instead of the cold exec\n");
		fflush(stdout);
		sync();
		reboot(RB_AUTOBOOT);
	}
	return real(fd, req, arg);
}
