// SPDX-License-Identifier: GPL-2.0-only
/*
 * Selftests for /dev/xen/liveupdate: XEN_LU_IOCTL_GET_INFO checked against
 * sources independent of the module (sysfs, libxenctrl, xl), every error
 * path of the ioctl ABI, one per test, and XEN_LU_IOCTL_COLLECT's.
 *
 * Must run as root in a Xen PV dom0 with xen_liveupdate loaded; skips
 * otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>
#include <xenctrl.h>
#include <xen/liveupdate.h>

#include "kselftest_harness.h"

#include "lu_dev.h"

/* Xen's public kexec.h values, restated: libxenctrl takes raw numbers. */
#define KEXEC_RANGE_MA_CRASH		0
#define KEXEC_RANGE_MA_XEN		1
#define KEXEC_RANGE_MA_LIVEUPDATE	7

/*
 * After an update through the simulated live-update hypervisor, GET_INFO
 * presents simulated xen#2: the real changeset followed by
 * " [simulated live update <n>]" and xen#2's build id
 * (Documentation/dev-tools/xen-liveupdate-simulator.rst).
 */
static bool simulated_xen2(const struct xen_lu_info *info)
{
	return lu_simulated() &&
	       strstr(info->out_xen_changeset, "[simulated live update ");
}

/* @got is the real changeset @want, or simulated xen#2's. */
static bool changeset_matches(const struct xen_lu_info *info,
			      const char *want)
{
	if (simulated_xen2(info))
		return !strncmp(info->out_xen_changeset, want, strlen(want));
	return !strcmp(info->out_xen_changeset, want);
}

FIXTURE(lu_info) {
	int fd;
};

FIXTURE_SETUP(lu_info)
{
	LU_OPEN(self->fd, O_RDONLY, return);
}

FIXTURE_TEARDOWN(lu_info)
{
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * Test Case: basic answer
 *
 * GET_INFO succeeds with a full-size structure and reports this ABI and an
 * idle device.
 */
TEST_F(lu_info, basic)
{
	struct xen_lu_info info;

	RETURN_IF_SKIPPED();

	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_ABI_VERSION, info.out_abi_version);
	EXPECT_EQ(XEN_LU_STATE_IDLE, info.out_state);
	EXPECT_EQ(0, info.__reserved);
	EXPECT_NE(0, info.out_xen_size);
	EXPECT_EQ(0, info.out_xen_start & 0xfff);
	/* The capability flag and its errno always agree. */
	EXPECT_EQ(!info.out_lu_errno,
		  !!(info.out_flags & XEN_LU_INFO_LIVE_UPDATE));
}

/*
 * Test Case: hypervisor identity matches /sys/hypervisor
 *
 * Version, extraversion, changeset and build id equal what the kernel's
 * own Xen sysfs driver reads with its own hypercalls (after a simulated
 * update: version and extraversion, and the changeset as a prefix).
 */
TEST_F(lu_info, identity_matches_sysfs)
{
	char buf[256], want[256];
	struct xen_lu_info info;
	unsigned char bid[XEN_LU_BUILD_ID_MAX + 1];
	ssize_t n;
	int fd;

	RETURN_IF_SKIPPED();

	if (access("/sys/hypervisor/version/major", F_OK))
		SKIP(return, "no /sys/hypervisor (CONFIG_XEN_SYS_HYPERVISOR)");
	ASSERT_EQ(0, get_info(self->fd, &info));

	ASSERT_EQ(0, lu_sysfs_read_line("/sys/hypervisor/version/major",
					buf, sizeof(buf)));
	EXPECT_EQ(strtoul(buf, NULL, 10), info.out_xen_major);
	ASSERT_EQ(0, lu_sysfs_read_line("/sys/hypervisor/version/minor",
					buf, sizeof(buf)));
	EXPECT_EQ(strtoul(buf, NULL, 10), info.out_xen_minor);
	ASSERT_EQ(0, lu_sysfs_read_line("/sys/hypervisor/version/extra",
					buf, sizeof(buf)));
	EXPECT_STREQ(buf, info.out_xen_extraversion);
	ASSERT_EQ(0, lu_sysfs_read_line("/sys/hypervisor/properties/changeset",
					want, sizeof(want)));
	EXPECT_TRUE(changeset_matches(&info, want))
		TH_LOG("changeset '%s', sysfs '%s'", info.out_xen_changeset,
		       want);
	if (simulated_xen2(&info)) {
		TH_LOG("simulated xen#2: its build id is not Xen's, not compared");
		return;
	}

	fd = open("/sys/hypervisor/properties/buildid", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		TH_LOG("no /sys/hypervisor/properties/buildid: build id not compared");
		return;
	}
	n = read(fd, bid, sizeof(bid));
	close(fd);
	if (n < 0) {
		/* sysfs forwards XENVER_build_id's error, as GET_INFO does. */
		EXPECT_EQ(0, info.out_build_id_len);
		EXPECT_EQ(errno, (int)info.out_build_id_errno);
		return;
	}
	ASSERT_EQ(n, (ssize_t)info.out_build_id_len);
	EXPECT_EQ(0, memcmp(bid, info.out_build_id, n));
}

/* One kexec range as libxenctrl sees it. */
struct xc_range {
	int rc;
	int err;
	uint64_t start;
	uint64_t size;
};

static void xc_range(xc_interface *xch, int range, struct xc_range *r)
{
	unsigned long size = 0, start = 0;

	r->rc = xc_kexec_get_range(xch, range, 0, &size, &start);
	r->err = r->rc ? errno : 0;
	r->start = r->rc ? 0 : start;
	r->size = r->rc ? 0 : size;
}

/*
 * Test Case: kexec ranges match libxenctrl
 *
 * MA_XEN, MA_CRASH and the live-update range (7) asked through Xen's own
 * library and privcmd give the same answers, errno included; with the
 * simulated live-update hypervisor, whose range Xen does not know, the
 * first two.
 */
TEST_F(lu_info, ranges_match_libxenctrl)
{
	struct xc_range xen, crash, lu;
	struct xen_lu_info info;
	xc_interface *xch;

	RETURN_IF_SKIPPED();

	xch = xc_interface_open(NULL, NULL, 0);
	if (!xch)
		SKIP(return, "libxenctrl cannot open privcmd: %s",
		     strerror(errno));
	xc_range(xch, KEXEC_RANGE_MA_XEN, &xen);
	xc_range(xch, KEXEC_RANGE_MA_CRASH, &crash);
	xc_range(xch, KEXEC_RANGE_MA_LIVEUPDATE, &lu);
	xc_interface_close(xch);

	ASSERT_EQ(0, get_info(self->fd, &info));
	ASSERT_EQ(0, xen.rc);
	EXPECT_EQ(xen.start, info.out_xen_start);
	EXPECT_EQ(xen.size, info.out_xen_size);

	EXPECT_EQ(crash.err, (int)info.out_crash_errno);
	EXPECT_EQ(crash.size != 0,
		  !!(info.out_flags & XEN_LU_INFO_CRASH_RANGE));
	EXPECT_EQ(crash.start, info.out_crash_start);
	EXPECT_EQ(crash.size, info.out_crash_size);

	if (lu_simulated()) {
		/* The simulator answers for the live-update range, not Xen. */
		EXPECT_EQ(0, info.out_lu_errno);
		EXPECT_NE(0, info.out_lu_size);
	} else if (lu.rc) {
		EXPECT_EQ(lu.err, (int)info.out_lu_errno);
	} else {
		EXPECT_EQ(lu.size ? 0 : ENOSPC, (int)info.out_lu_errno);
		EXPECT_EQ(lu.start, info.out_lu_start);
		EXPECT_EQ(lu.size, info.out_lu_size);
	}
	TH_LOG("xen 0x%llx+0x%llx crash %d lu errno %d (libxenctrl errno %d)",
	       (unsigned long long)info.out_xen_start,
	       (unsigned long long)info.out_xen_size, crash.err,
	       info.out_lu_errno, lu.err);
}

/*
 * Test Case: identity matches "xl info"
 *
 * The toolstack's view (xen_major, xen_minor, xen_extra, xen_changeset)
 * equals GET_INFO's.
 */
TEST_F(lu_info, identity_matches_xl_info)
{
	char line[512], key[64], val[256];
	struct xen_lu_info info;
	int matched = 0;
	FILE *p;

	RETURN_IF_SKIPPED();

	p = popen("xl info 2>/dev/null", "re");
	if (!p)
		SKIP(return, "cannot run xl");
	ASSERT_EQ(0, get_info(self->fd, &info));
	while (fgets(line, sizeof(line), p)) {
		val[0] = '\0';
		if (sscanf(line, "%63s : %255[^\n]", key, val) < 1)
			continue;
		if (!strcmp(key, "xen_major")) {
			EXPECT_EQ(strtoul(val, NULL, 10), info.out_xen_major);
			matched++;
		} else if (!strcmp(key, "xen_minor")) {
			EXPECT_EQ(strtoul(val, NULL, 10), info.out_xen_minor);
			matched++;
		} else if (!strcmp(key, "xen_extra")) {
			EXPECT_STREQ(val, info.out_xen_extraversion);
			matched++;
		} else if (!strcmp(key, "xen_changeset")) {
			EXPECT_TRUE(changeset_matches(&info, val))
				TH_LOG("changeset '%s', xl info '%s'",
				       info.out_xen_changeset, val);
			matched++;
		}
	}
	if (pclose(p) != 0 && matched == 0)
		SKIP(return, "xl info failed (toolstack not running?)");
	EXPECT_EQ(4, matched);
}

/*
 * Test Case: outputs are the kernel's, whatever user space left in them
 */
TEST_F(lu_info, outputs_overwritten)
{
	struct xen_lu_info a, b;

	RETURN_IF_SKIPPED();

	ASSERT_EQ(0, get_info(self->fd, &a));
	memset(&b, 0xa5, sizeof(b));
	b.size = sizeof(b);
	b.flags = 0;
	ASSERT_EQ(0, ioctl(self->fd, XEN_LU_IOCTL_GET_INFO, &b));
	EXPECT_EQ(0, memcmp(&a, &b, sizeof(a)));
}

/*
 * Test Case: older user space gets the prefix it knows
 *
 * A structure that ends after out_state is answered, and nothing past its
 * size is written.
 */
TEST_F(lu_info, short_struct_prefix)
{
	size_t sz = offsetofend(struct xen_lu_info, out_state);
	unsigned char buf[sizeof(struct xen_lu_info) + 16];
	struct xen_lu_info *info = (void *)buf;
	size_t i;

	RETURN_IF_SKIPPED();

	memset(buf, 0x5a, sizeof(buf));
	memset(buf, 0, sz);
	info->size = sz;
	ASSERT_EQ(0, ioctl(self->fd, XEN_LU_IOCTL_GET_INFO, info));
	EXPECT_EQ(XEN_LU_ABI_VERSION, info->out_abi_version);
	for (i = sz; i < sizeof(buf); i++)
		ASSERT_EQ(0x5a, buf[i]) TH_LOG("byte %zu was written", i);
}

/*
 * Test Case: a larger structure with a zero tail is accepted
 */
TEST_F(lu_info, zero_tail_accepted)
{
	unsigned char buf[sizeof(struct xen_lu_info) + 8] = { 0 };
	struct xen_lu_info *info = (void *)buf;

	RETURN_IF_SKIPPED();

	info->size = sizeof(buf);
	EXPECT_EQ(0, ioctl(self->fd, XEN_LU_IOCTL_GET_INFO, info));
	EXPECT_EQ(XEN_LU_ABI_VERSION, info->out_abi_version);
}

/*
 * Test Case: non-zero bytes past the known structure: E2BIG
 */
TEST_F(lu_info, nonzero_tail_e2big)
{
	unsigned char buf[sizeof(struct xen_lu_info) + 8] = { 0 };
	struct xen_lu_info *info = (void *)buf;

	RETURN_IF_SKIPPED();

	info->size = sizeof(buf);
	buf[sizeof(buf) - 1] = 1;
	EXPECT_ERRNO(E2BIG, ioctl(self->fd, XEN_LU_IOCTL_GET_INFO, info));
}

/*
 * Test Case: a size below the last needed field: EINVAL
 */
TEST_F(lu_info, short_size_einval)
{
	struct xen_lu_info info = { 0 };

	RETURN_IF_SKIPPED();

	info.size = offsetofend(struct xen_lu_info, flags) - 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, XEN_LU_IOCTL_GET_INFO, &info));
}

/*
 * Test Case: an unknown flag: EINVAL
 */
TEST_F(lu_info, unknown_flag_einval)
{
	struct xen_lu_info info = { .size = sizeof(info), .flags = 1 };

	RETURN_IF_SKIPPED();

	EXPECT_ERRNO(EINVAL, ioctl(self->fd, XEN_LU_IOCTL_GET_INFO, &info));
}

/*
 * Test Case: a NULL argument: EFAULT
 */
TEST_F(lu_info, null_pointer_efault)
{
	RETURN_IF_SKIPPED();

	EXPECT_ERRNO(EFAULT, ioctl(self->fd, XEN_LU_IOCTL_GET_INFO, NULL));
}

/*
 * Test Case: a structure that runs into an unmapped page: EFAULT
 */
TEST_F(lu_info, unmapped_tail_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	struct xen_lu_info *info;
	char *map;

	RETURN_IF_SKIPPED();

	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));
	/* size is readable, the rest of the structure is not. */
	info = (void *)(map + page - 8);
	memset(info, 0, 8);
	info->size = sizeof(*info);
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, XEN_LU_IOCTL_GET_INFO, info));
	munmap(map, page);
}

/*
 * Test Case: an unknown ioctl number: ENOTTY
 */
TEST_F(lu_info, unknown_ioctl_enotty)
{
	struct xen_lu_info info = { .size = sizeof(info) };

	RETURN_IF_SKIPPED();

	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO(XEN_LU_IOCTL_TYPE, 0x7f),
				   &info));
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO('P', XEN_LU_CMD_GET_INFO),
				   &info));
	/* The right number with a different direction or size encoding. */
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd,
				   _IOWR(XEN_LU_IOCTL_TYPE, XEN_LU_CMD_GET_INFO,
					 struct xen_lu_info), &info));
}

/* Drop CAP_SYS_ADMIN from this process's effective set; 0 or -errno. */
static int drop_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &=
		~CAP_TO_MASK(CAP_SYS_ADMIN);
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

/*
 * Test Case: a caller without CAP_SYS_ADMIN: EPERM
 *
 * Still uid 0 (so the node's 0600 mode lets it through), but without the
 * capability the module checks.
 */
TEST_F(lu_info, no_cap_sys_admin_eperm)
{
	int status;
	pid_t pid;

	RETURN_IF_SKIPPED();

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		if (drop_sys_admin())
			_exit(2);
		fd = open(LU_DEV, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			_exit(3);
		_exit(errno == EPERM ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child: 2 capset failed, 3 open succeeded, 4 wrong errno");
}

/*
 * Test Case: one controller at a time: EBUSY
 *
 * A second open for writing fails with EBUSY while the first is held;
 * read-only opens are not affected; releasing the first frees the slot.
 */
TEST_F(lu_info, second_controller_ebusy)
{
	struct xen_lu_info info;
	int ctl, ro, again;

	RETURN_IF_SKIPPED();

	ctl = open(LU_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, ctl);
	EXPECT_ERRNO(EBUSY, open(LU_DEV, O_RDWR | O_CLOEXEC));
	EXPECT_ERRNO(EBUSY, open(LU_DEV, O_WRONLY | O_CLOEXEC));
	ro = open(LU_DEV, O_RDONLY | O_CLOEXEC);
	EXPECT_LE(0, ro);
	EXPECT_EQ(0, get_info(ctl, &info));
	close(ctl);
	again = open(LU_DEV, O_RDWR | O_CLOEXEC);
	EXPECT_LE(0, again);
	if (again >= 0)
		close(again);
	if (ro >= 0)
		close(ro);
}

static int collect(int fd, struct xen_lu_collect *arg, void *buf, size_t len)
{
	memset(arg, 0, sizeof(*arg));
	arg->size = sizeof(*arg);
	arg->buf = (uintptr_t)buf;
	arg->buf_len = len;
	return ioctl(fd, XEN_LU_IOCTL_COLLECT, arg);
}

/*
 * Test Case: COLLECT with too small a buffer says how much it needs, and
 * that much is enough: a dump that starts with the dom0 header and ends
 * with END, its counts those of the ioctl.
 */
TEST_F(lu_info, collect_enospc_then_fits)
{
	struct xen_lu_rec_dom0_header hdr;
	struct xen_lu_rec_hdr first, last;
	struct xen_lu_collect arg;
	uint8_t small[16], *buf;

	RETURN_IF_SKIPPED();

	EXPECT_ERRNO(ENOSPC, collect(self->fd, &arg, small, sizeof(small)));
	ASSERT_LT(sizeof(small), arg.out_len);
	buf = malloc(arg.out_len + 4096);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, collect(self->fd, &arg, buf, arg.out_len + 4096));
	memcpy(&first, buf, sizeof(first));
	memcpy(&hdr, buf + sizeof(first), sizeof(hdr));
	memcpy(&last, buf + arg.out_len - sizeof(last), sizeof(last));
	EXPECT_EQ(XEN_LU_REC_DOM0_HEADER, first.type);
	EXPECT_EQ(sizeof(hdr), first.length);
	EXPECT_EQ(XEN_LU_RECORDS_VERSION, hdr.records_version);
	EXPECT_EQ(arg.out_nr_domains, hdr.nr_domains);
	EXPECT_EQ(arg.out_nr_backends, hdr.nr_backends);
	EXPECT_EQ(arg.out_nr_evtchns, hdr.nr_evtchns);
	EXPECT_LE(1, hdr.nr_domains);
	EXPECT_EQ(XEN_LU_REC_END, last.type);
	EXPECT_EQ(0, last.length);
	free(buf);
}

/*
 * Test Case: COLLECT with an unknown flag: EINVAL (bit 0 is
 * XEN_LU_COLLECT_HANDED_OVER since ABI 4).
 */
TEST_F(lu_info, collect_flags_einval)
{
	struct xen_lu_collect arg;
	uint8_t buf[64];

	RETURN_IF_SKIPPED();

	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.flags = 2;
	arg.buf = (uintptr_t)buf;
	arg.buf_len = sizeof(buf);
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, XEN_LU_IOCTL_COLLECT, &arg));
	arg.flags = XEN_LU_COLLECT_HANDED_OVER | 1U << 31;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, XEN_LU_IOCTL_COLLECT, &arg));
}

/* Test Case: COLLECT into an unmapped buffer that claims room: EFAULT. */
TEST_F(lu_info, collect_bad_buffer_efault)
{
	struct xen_lu_collect arg;
	void *hole;

	RETURN_IF_SKIPPED();

	hole = mmap(NULL, 1 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	EXPECT_ERRNO(EFAULT, collect(self->fd, &arg, hole, 1 << 20));
	munmap(hole, 1 << 20);
}

TEST_HARNESS_MAIN
