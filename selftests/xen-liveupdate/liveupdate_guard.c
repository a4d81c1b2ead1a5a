// SPDX-License-Identifier: GPL-2.0-only
/*
 * Selftests for /dev/xen/liveupdate (ABI 5): regression tests for the
 * guards against hostile callers and hostile guests.
 *
 *  - lu_cap: CAP_SYS_BOOT at every state-changing command, checked at each
 *    call.  A process that inherits the controller's file and drops
 *    CAP_SYS_BOOT, and one (uid nobody, no capability at all) that gets
 *    it over SCM_RIGHTS, are refused STAGE, UNSTAGE, PREPARE, COMMIT,
 *    FINISH and CANCEL with EPERM (a staged image stays staged) while
 *    GET_INFO, GET_MEMORY_MAP and COLLECT work; the errno order is EBADF
 *    (not the controller's file), EINVAL (unknown flags), then EPERM,
 *    except that STAGE checks its flags in its handler, after EPERM.
 *  - lu_size: an argument size above XEN_LU_MAX_ARG_SIZE is E2BIG for
 *    every command, without reading past the size field, however large;
 *    XEN_LU_MAX_ARG_SIZE itself with a zero tail is accepted.
 *  - lu_rec: backend devices written into dom0's own xenstore by the test
 *    (a netfront-like and a blkfront-like device recorded in full, one
 *    device at each cap, one past each cap of the UAPI's "Unrecordable
 *    devices"), read back from COLLECT's records dump (records version
 *    2), from the kernel log, and (with the SIMULATED live-update
 *    hypervisor, not tested otherwise) from PREPARE's outputs and the
 *    records it handed over.  The devices are vifs of fake guests, each
 *    written in one transaction whose first key is its backend state,
 *    Connected: dom0's xenbus probes only a device that appears in state
 *    Initialising, so netback never binds them (it would rewrite their
 *    states and features and map the fake guests' grants).
 *  - lu_short: a signed image shorter than an ELF header is refused with
 *    EINVAL and XEN_LU_RULE_SIGNED_IMAGE for every length from 1 to 57.
 *
 * Must run as root in a Xen PV dom0 with xen_liveupdate loaded; skips
 * otherwise.  Every test leaves the device IDLE and removes what it wrote
 * into xenstore.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xen/liveupdate.h>

#include "kselftest_harness.h"

#include "lu_dev.h"
#include "lu_image.h"

/* Every command of the ABI, in command-number order. */
enum lu_op {
	OP_GET_INFO,
	OP_GET_MEMORY_MAP,
	OP_STAGE,
	OP_UNSTAGE,
	OP_COLLECT,
	OP_PREPARE,
	OP_COMMIT,
	OP_FINISH,
	OP_CANCEL,
	NR_OPS,
};

static const struct lu_op_desc {
	const char *name;
	unsigned long cmd;
	size_t size;
	bool controller;
	uint32_t bad_flag;	/* a flag the command does not know */
} lu_ops[NR_OPS] = {
	[OP_GET_INFO] = { "GET_INFO", XEN_LU_IOCTL_GET_INFO,
			  sizeof(struct xen_lu_info), false, 1 },
	[OP_GET_MEMORY_MAP] = { "GET_MEMORY_MAP", XEN_LU_IOCTL_GET_MEMORY_MAP,
				sizeof(struct xen_lu_memory_map), false, 1 },
	[OP_STAGE] = { "STAGE", XEN_LU_IOCTL_STAGE,
		       sizeof(struct xen_lu_stage), true, 1U << 31 },
	[OP_UNSTAGE] = { "UNSTAGE", XEN_LU_IOCTL_UNSTAGE,
			 sizeof(struct xen_lu_unstage), true, 1 },
	[OP_COLLECT] = { "COLLECT", XEN_LU_IOCTL_COLLECT,
			 sizeof(struct xen_lu_collect), false, 2 },
	[OP_PREPARE] = { "PREPARE", XEN_LU_IOCTL_PREPARE,
			 sizeof(struct xen_lu_prepare), true, 2 },
	[OP_COMMIT] = { "COMMIT", XEN_LU_IOCTL_COMMIT,
			sizeof(struct xen_lu_commit), true, 2 },
	[OP_FINISH] = { "FINISH", XEN_LU_IOCTL_FINISH,
			sizeof(struct xen_lu_finish), true, 2 },
	[OP_CANCEL] = { "CANCEL", XEN_LU_IOCTL_CANCEL,
			sizeof(struct xen_lu_cancel), true, 1 },
};

/* Room for the records dump of a COLLECT. */
#define DUMP_ROOM	(4U << 20)

/* What one command needs beyond its argument: buffers, an image. */
struct op_ctx {
	struct image *img;	/* STAGE: the image (flags as given) */
	struct xen_lu_mem_entry map[XEN_LU_MAX_MEMORY_MAP];
	uint8_t *dump;		/* COLLECT: DUMP_ROOM bytes */
};

/*
 * Issue @op on @fd with @flags and valid arguments otherwise.  Returns
 * 0, or the errno of the failure (a success is 0, a failure never is).
 */
static int run_op(int fd, enum lu_op op, uint32_t flags, struct op_ctx *ctx)
{
	union {
		struct xen_lu_info info;
		struct xen_lu_memory_map mm;
		struct xen_lu_unstage unstage;
		struct xen_lu_collect collect;
		struct xen_lu_prepare prepare;
		struct xen_lu_commit commit;
		struct xen_lu_finish finish;
		struct xen_lu_cancel cancel;
	} a;
	int rc;

	memset(&a, 0, sizeof(a));
	switch (op) {
	case OP_STAGE: {
		uint32_t saved = ctx->img->flags;

		ctx->img->flags |= flags;
		rc = stage(fd, ctx->img);
		ctx->img->flags = saved;
		return rc ? errno : 0;
	}
	case OP_GET_MEMORY_MAP:
		a.mm.nr_entries = XEN_LU_MAX_MEMORY_MAP;
		a.mm.entries = ptr(ctx->map);
		break;
	case OP_COLLECT:
		a.collect.buf = ptr(ctx->dump);
		a.collect.buf_len = DUMP_ROOM;
		break;
	default:
		break;
	}
	/* size and flags lead every argument. */
	a.info.size = lu_ops[op].size;
	a.info.flags = flags;
	rc = ioctl(fd, lu_ops[op].cmd, &a);
	return rc ? errno : 0;
}

/* One step back towards IDLE from @state (lu_to_idle). */
static void undo(int fd, uint32_t state, void *arg)
{
	struct xen_lu_cancel cancel = { .size = sizeof(cancel) };
	struct xen_lu_finish finish = {
		.size = sizeof(finish),
		.flags = XEN_LU_FINISH_UNCHANGED,
	};

	switch (state) {
	case XEN_LU_STATE_STAGED:
		unstage(fd, 0);
		break;
	case XEN_LU_STATE_PREPARED:
		ioctl(fd, XEN_LU_IOCTL_CANCEL, &cancel);
		break;
	case XEN_LU_STATE_COMMITTED:
		ioctl(fd, XEN_LU_IOCTL_FINISH, &finish);
		break;
	}
}

/* Bring the device back to IDLE from wherever a test left it. */
static uint32_t lu_restore(int fd)
{
	return lu_to_idle(fd, 50, undo, NULL);
}

/* ------------------------------------------------------------------ */
/* lu_cap: CAP_SYS_BOOT at every call */

/* What a child saw, in memory the parent shares. */
struct cap_report {
	int setup_errno;	/* dropping privileges or receiving the fd */
	uint32_t cap_eff[2];	/* the child's effective set afterwards */
	int rc[NR_OPS];		/* errno per command on the controller */
	int rc_bad_flags[NR_OPS];	/* the same with an unknown flag */
	int rc_ro[NR_OPS];	/* on a read-only file */
	int rc_ro_bad_flags[NR_OPS];
	int rc_short[NR_OPS];	/* size 0 */
	uint64_t ns[NR_OPS];	/* time of the call on the controller */
};

/* Drop @cap from this process's effective, permitted, inheritable sets. */
static int drop_cap(unsigned int cap)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return errno;
	d[cap / 32].effective &= ~(1U << (cap % 32));
	d[cap / 32].permitted &= ~(1U << (cap % 32));
	d[cap / 32].inheritable &= ~(1U << (cap % 32));
	if (syscall(SYS_capset, &h, d))
		return errno;
	return 0;
}

/* uid and gid nobody: no capability at all. */
static int become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return errno;
	return 0;
}

static void read_caps(uint32_t eff[2])
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2] = {};

	syscall(SYS_capget, &h, d);
	eff[0] = d[0].effective;
	eff[1] = d[1].effective;
}

static bool has_cap(const uint32_t eff[2], unsigned int cap)
{
	return eff[cap / 32] & (1U << (cap % 32));
}

/* Every command, with and without an unknown flag, on @rw and @ro. */
static void cap_probe(struct cap_report *r, int rw, int ro,
		      struct op_ctx *ctx)
{
	unsigned int op;
	uint32_t zero = 0;

	uint64_t t0;

	read_caps(r->cap_eff);
	for (op = 0; op < NR_OPS; op++) {
		/* Readers run with valid arguments only. */
		if (!lu_ops[op].controller) {
			t0 = now_ns();
			r->rc[op] = run_op(rw, op, 0, ctx);
			r->ns[op] = now_ns() - t0;
			r->rc_ro[op] = run_op(ro, op, 0, ctx);
			continue;
		}
		r->rc_ro_bad_flags[op] = run_op(ro, op, lu_ops[op].bad_flag,
						ctx);
		r->rc_ro[op] = run_op(ro, op, 0, ctx);
		r->rc_bad_flags[op] = run_op(rw, op, lu_ops[op].bad_flag, ctx);
		t0 = now_ns();
		r->rc[op] = run_op(rw, op, 0, ctx);
		r->ns[op] = now_ns() - t0;
		r->rc_short[op] = ioctl(rw, lu_ops[op].cmd, &zero) ? errno : 0;
	}
}

/* Send @fd over the unix socket @sock. */
static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	char byte = 'F';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

enum cap_child {
	CHILD_KEEP,		/* keeps every capability: the control */
	CHILD_DROP_INHERITED,	/* inherits the files, drops CAP_SYS_BOOT */
	CHILD_NOBODY_SCM,	/* becomes nobody, gets the files over a socket */
};

FIXTURE(lu_cap) {
	int fd;
	int ro;
	struct op_ctx *ctx;
	struct cap_report *report;	/* shared with the children */
	uint64_t base;
};

FIXTURE_SETUP(lu_cap)
{
	self->ctx = NULL;
	self->report = MAP_FAILED;
	self->ro = -1;
	LU_OPEN_IDLE(self->fd, lu_restore, return);
	self->ro = open(LU_DEV, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->ro);
	self->report = mmap(NULL, sizeof(*self->report),
			    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			    -1, 0);
	ASSERT_NE(MAP_FAILED, self->report);
	self->ctx = calloc(1, sizeof(*self->ctx));
	ASSERT_NE(NULL, self->ctx);
	self->ctx->img = calloc(1, sizeof(*self->ctx->img));
	self->ctx->dump = malloc(DUMP_ROOM);
	ASSERT_NE(NULL, self->ctx->img);
	ASSERT_NE(NULL, self->ctx->dump);
	self->base = lu_cold_base(self->fd);
	ASSERT_NE(0, self->base)
		TH_LOG("no RAM between 16 MiB and 4 GiB with 1 MiB free");
	img_init(self->ctx->img, self->base);
}

FIXTURE_TEARDOWN(lu_cap)
{
	if (self->fd >= 0) {
		lu_restore(self->fd);
		close(self->fd);
	}
	if (self->ro >= 0)
		close(self->ro);
	if (self->report != MAP_FAILED)
		munmap(self->report, sizeof(*self->report));
	if (self->ctx) {
		free(self->ctx->img);
		free(self->ctx->dump);
		free(self->ctx);
	}
}

/*
 * Run cap_probe() in a child of kind @kind and wait for it; false when
 * the child could not be set up (the report says why).
 */
static bool cap_child(struct __test_metadata *_metadata,
		      FIXTURE_DATA(lu_cap) *self, enum cap_child kind)
{
	struct cap_report *r = self->report;
	int sv[2] = { -1, -1 }, status, rw, ro;
	unsigned int op;
	pid_t pid;

	memset(r, 0xff, sizeof(*r));
	r->setup_errno = 0;
	if (kind == CHILD_NOBODY_SCM) {
		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
					sv));
	}
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* A test killed by its timeout takes its child along. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		rw = self->fd;
		ro = self->ro;
		if (kind == CHILD_DROP_INHERITED) {
			r->setup_errno = drop_cap(CAP_SYS_BOOT);
		} else if (kind == CHILD_NOBODY_SCM) {
			/* Nothing inherited: only what comes over the socket. */
			close(self->fd);
			close(self->ro);
			close(sv[0]);
			r->setup_errno = become_nobody();
			rw = recv_fd(sv[1]);
			ro = recv_fd(sv[1]);
			if (!r->setup_errno && (rw < 0 || ro < 0))
				r->setup_errno = EBADF;
		}
		if (!r->setup_errno)
			cap_probe(r, rw, ro, self->ctx);
		_exit(0);
	}
	if (kind == CHILD_NOBODY_SCM) {
		close(sv[1]);
		EXPECT_EQ(0, send_fd(sv[0], self->fd));
		EXPECT_EQ(0, send_fd(sv[0], self->ro));
		close(sv[0]);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, r->setup_errno)
		TH_LOG("child setup: %s", strerror(r->setup_errno));
	for (op = 0; op < NR_OPS; op++) {
		if (r->ns[op] > 1000000000ULL)
			TH_LOG("%s took %llu ms", lu_ops[op].name,
			       (unsigned long long)r->ns[op] / 1000000);
	}
	return true;
}

/*
 * The report of a child without CAP_SYS_BOOT: EBADF on the read-only
 * file whatever the flags, EINVAL for unknown flags, EPERM for valid
 * arguments; the readers work.  STAGE checks its own flags in its
 * handler (the refusal names the rule), so an unknown STAGE flag is
 * EPERM here.
 */
static void check_refused(struct __test_metadata *_metadata,
			  const struct cap_report *r, const char *who)
{
	unsigned int op;

	EXPECT_FALSE(has_cap(r->cap_eff, CAP_SYS_BOOT))
		TH_LOG("%s: CAP_SYS_BOOT still effective", who);
	for (op = 0; op < NR_OPS; op++) {
		const char *name = lu_ops[op].name;

		if (!lu_ops[op].controller) {
			EXPECT_EQ(0, r->rc[op])
				TH_LOG("%s: %s: %s", who, name,
				       strerror(r->rc[op]));
			EXPECT_EQ(0, r->rc_ro[op])
				TH_LOG("%s: %s (read-only file): %s", who, name,
				       strerror(r->rc_ro[op]));
			continue;
		}
		EXPECT_EQ(EPERM, r->rc[op])
			TH_LOG("%s: %s: %s, want EPERM", who, name,
			       strerror(r->rc[op]));
		EXPECT_EQ(op == OP_STAGE ? EPERM : EINVAL, r->rc_bad_flags[op])
			TH_LOG("%s: %s, flag %#x: %s", who, name,
			       lu_ops[op].bad_flag,
			       strerror(r->rc_bad_flags[op]));
		EXPECT_EQ(EBADF, r->rc_ro[op])
			TH_LOG("%s: %s (read-only file): %s, want EBADF", who,
			       name, strerror(r->rc_ro[op]));
		EXPECT_EQ(EBADF, r->rc_ro_bad_flags[op])
			TH_LOG("%s: %s (read-only file, flag %#x): %s, want EBADF",
			       who, name, lu_ops[op].bad_flag,
			       strerror(r->rc_ro_bad_flags[op]));
		/* The argument itself is checked before anything. */
		EXPECT_EQ(EINVAL, r->rc_short[op])
			TH_LOG("%s: %s, size 0: %s, want EINVAL", who, name,
			       strerror(r->rc_short[op]));
	}
}

/* The device is still STAGED with the image as the parent staged it. */
static void check_still_staged(struct __test_metadata *_metadata, int fd,
			       const struct image *img)
{
	struct xen_lu_info info;
	uint8_t sha[32];

	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(XEN_LU_STATE_STAGED, info.out_state)
		TH_LOG("the device is %s", state_name(info.out_state));
	img_digest(img, sha);
	EXPECT_EQ(0, memcmp(sha, info.out_staged_sha256, sizeof(sha)))
		TH_LOG("the staged image changed");
}

/*
 * Test Case: the control: a child that keeps CAP_SYS_BOOT gets the state
 * rules' answers (ENOENT, nothing staged) and the STAGE rule of an empty
 * image, not EPERM, on the same files
 */
TEST_F_TIMEOUT(lu_cap, control_with_cap_sys_boot, 120)
{
	struct cap_report *r = self->report;
	unsigned int op;

	RETURN_IF_SKIPPED();

	/* STAGE would stage: give the control an image it refuses. */
	self->ctx->img->nr = 0;
	if (!cap_child(_metadata, self, CHILD_KEEP))
		return;
	ASSERT_TRUE(has_cap(r->cap_eff, CAP_SYS_BOOT))
		TH_LOG("the test runs without CAP_SYS_BOOT");
	EXPECT_EQ(EINVAL, r->rc[OP_STAGE]);
	for (op = 0; op < NR_OPS; op++) {
		if (!lu_ops[op].controller) {
			EXPECT_EQ(0, r->rc[op]) TH_LOG("%s", lu_ops[op].name);
			continue;
		}
		if (op != OP_STAGE) {
			EXPECT_EQ(ENOENT, r->rc[op])
				TH_LOG("%s: %s", lu_ops[op].name,
				       strerror(r->rc[op]));
		}
		EXPECT_EQ(EBADF, r->rc_ro[op]) TH_LOG("%s", lu_ops[op].name);
	}
}

/*
 * Test Case: the controller's file inherited by a child that drops
 * CAP_SYS_BOOT: every state-changing command is EPERM, in IDLE and with
 * an image staged, which stays staged; the readers work
 */
TEST_F_TIMEOUT(lu_cap, inherited_controller_without_cap_sys_boot, 120)
{
	struct xen_lu_info info;
	struct image *img;

	RETURN_IF_SKIPPED();
	img = self->ctx->img;

	if (!cap_child(_metadata, self, CHILD_DROP_INHERITED))
		return;
	check_refused(_metadata, self->report, "idle, inherited");
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_IDLE, info.out_state)
		TH_LOG("the child staged an image");

	if (info.out_flags & XEN_LU_INFO_LOCKDOWN)
		SKIP(return, "kernel locked down against kexec: no cold image to stage");
	ASSERT_EQ(0, stage(self->fd, img))
		TH_LOG("cold image refused: %s, rule %s", strerror(errno),
		       rule_name(img->arg.out_rule));
	/* UNSTAGE would succeed, STAGE with REPLACE too. */
	img->flags |= XEN_LU_STAGE_REPLACE;
	if (!cap_child(_metadata, self, CHILD_DROP_INHERITED))
		return;
	check_refused(_metadata, self->report, "staged, inherited");
	check_still_staged(_metadata, self->fd, img);
	EXPECT_EQ(0, unstage(self->fd, 0));
}

/*
 * Test Case: the controller's file passed over SCM_RIGHTS to a process
 * with no capability (uid nobody): EPERM for every state-changing
 * command, in IDLE and with an image staged; the readers work
 */
TEST_F_TIMEOUT(lu_cap, scm_rights_to_unprivileged, 120)
{
	struct xen_lu_info info;
	struct image *img;

	RETURN_IF_SKIPPED();
	img = self->ctx->img;

	if (!cap_child(_metadata, self, CHILD_NOBODY_SCM))
		return;
	check_refused(_metadata, self->report, "idle, SCM_RIGHTS");
	EXPECT_EQ(0, self->report->cap_eff[0] | self->report->cap_eff[1]);
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_IDLE, info.out_state);

	if (info.out_flags & XEN_LU_INFO_LOCKDOWN)
		SKIP(return, "kernel locked down against kexec: no cold image to stage");
	ASSERT_EQ(0, stage(self->fd, img))
		TH_LOG("cold image refused: %s, rule %s", strerror(errno),
		       rule_name(img->arg.out_rule));
	img->flags |= XEN_LU_STAGE_REPLACE;
	if (!cap_child(_metadata, self, CHILD_NOBODY_SCM))
		return;
	check_refused(_metadata, self->report, "staged, SCM_RIGHTS");
	check_still_staged(_metadata, self->fd, img);
	EXPECT_EQ(0, unstage(self->fd, 0));
}

/* ------------------------------------------------------------------ */
/* lu_size: XEN_LU_MAX_ARG_SIZE */

FIXTURE(lu_size) {
	int fd;
	uint8_t *pages;		/* two pages, the second PROT_NONE */
	struct op_ctx *ctx;
};

FIXTURE_SETUP(lu_size)
{
	self->pages = MAP_FAILED;
	self->ctx = NULL;
	LU_OPEN_IDLE(self->fd, lu_restore, return);
	self->pages = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->pages);
	ASSERT_EQ(0, mprotect(self->pages + 2 * PG, PG, PROT_NONE));
	self->ctx = calloc(1, sizeof(*self->ctx));
	ASSERT_NE(NULL, self->ctx);
	self->ctx->dump = malloc(DUMP_ROOM);
	ASSERT_NE(NULL, self->ctx->dump);
}

FIXTURE_TEARDOWN(lu_size)
{
	if (self->fd >= 0) {
		lu_restore(self->fd);
		close(self->fd);
	}
	if (self->pages != MAP_FAILED)
		munmap(self->pages, 3 * PG);
	if (self->ctx) {
		free(self->ctx->dump);
		free(self->ctx);
	}
}

/*
 * The last @len bytes before the guard page, holding @size and zeroes:
 * the kernel can read nothing past them.
 */
static uint8_t *arg_at_guard(FIXTURE_DATA(lu_size) *self, size_t len,
			     uint32_t size)
{
	uint8_t *a = self->pages + 2 * PG - len;

	memset(self->pages, 0, 2 * PG);
	memcpy(a, &size, sizeof(size));
	return a;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/*
 * Test Case: size XEN_LU_MAX_ARG_SIZE + 1 with a zero tail: E2BIG for
 * every command, on the controller, nothing written back
 */
TEST_F_TIMEOUT(lu_size, above_max_zero_tail_e2big, 120)
{
	uint32_t size = XEN_LU_MAX_ARG_SIZE + 1;
	unsigned int op;
	uint8_t *a;

	RETURN_IF_SKIPPED();

	for (op = 0; op < NR_OPS; op++) {
		a = arg_at_guard(self, size, size);
		EXPECT_EQ(-1, ioctl(self->fd, lu_ops[op].cmd, a));
		EXPECT_EQ(E2BIG, errno)
			TH_LOG("%s, size %u: %s, want E2BIG", lu_ops[op].name,
			       size, strerror(errno));
		EXPECT_TRUE(all_zero(a + sizeof(size), size - sizeof(size)))
			TH_LOG("%s wrote into a refused argument",
			       lu_ops[op].name);
	}
	EXPECT_EQ(XEN_LU_STATE_IDLE, lu_restore(self->fd));
}

/*
 * Test Case: a size above XEN_LU_MAX_ARG_SIZE is refused from the size
 * field alone: with nothing mapped past it, E2BIG, not EFAULT
 */
TEST_F_TIMEOUT(lu_size, above_max_reads_only_the_size, 120)
{
	static const uint32_t sizes[] = {
		XEN_LU_MAX_ARG_SIZE + 1, XEN_LU_MAX_ARG_SIZE + 8,
		2 * XEN_LU_MAX_ARG_SIZE, 1U << 20, 0x80000000U, 0xffffffffU,
	};
	unsigned int op, i;
	uint8_t *a;

	RETURN_IF_SKIPPED();

	for (op = 0; op < NR_OPS; op++) {
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			a = arg_at_guard(self, sizeof(uint32_t), sizes[i]);
			EXPECT_EQ(-1, ioctl(self->fd, lu_ops[op].cmd, a));
			EXPECT_EQ(E2BIG, errno)
				TH_LOG("%s, size %#x with 4 readable bytes: %s, want E2BIG",
				       lu_ops[op].name, sizes[i],
				       strerror(errno));
		}
	}
}

/* Zero memory after a huge size: what a scan for a non-zero byte reads. */
#define ZERO_SPAN	(256ULL << 20)

/*
 * Test Case: size 0xffffffff followed by 256 MiB of zero memory is E2BIG
 * at once, not after a scan of the tail for a non-zero byte
 */
TEST_F_TIMEOUT(lu_size, huge_size_fast, 120)
{
	uint64_t t0, worst = 0, dt;
	unsigned int op;
	uint8_t *a;

	RETURN_IF_SKIPPED();

	/* Never written past the first page: the zero page, no memory. */
	a = mmap(NULL, ZERO_SPAN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, a);
	for (op = 0; op < NR_OPS; op++) {
		*(uint32_t *)a = 0xffffffffU;
		t0 = now_ns();
		EXPECT_EQ(-1, ioctl(self->fd, lu_ops[op].cmd, a));
		dt = now_ns() - t0;
		EXPECT_EQ(E2BIG, errno)
			TH_LOG("%s, size 0xffffffff: %s", lu_ops[op].name,
			       strerror(errno));
		if (dt > worst)
			worst = dt;
	}
	munmap(a, ZERO_SPAN);
	/* Generous for an emulated (TCG), shared host: no scan. */
	EXPECT_GT(1000 * 1000 * 1000ULL, worst)
		TH_LOG("slowest refusal took %llu ns",
		       (unsigned long long)worst);
}

/*
 * Test Case: size XEN_LU_MAX_ARG_SIZE with a zero tail is accepted: every
 * command answers as it would with its own size (success for the
 * readers, the state rules' ENOENT, STAGE's rule)
 */
TEST_F_TIMEOUT(lu_size, max_size_zero_tail_accepted, 120)
{
	uint32_t size = XEN_LU_MAX_ARG_SIZE;
	struct xen_lu_info *info;
	struct xen_lu_memory_map *mm;
	struct xen_lu_collect *c;
	struct xen_lu_stage *st;
	unsigned int op;
	uint8_t *a;
	int want;

	RETURN_IF_SKIPPED();

	for (op = 0; op < NR_OPS; op++) {
		a = arg_at_guard(self, size, size);
		want = lu_ops[op].controller ? ENOENT : 0;
		switch (op) {
		case OP_GET_MEMORY_MAP:
			mm = (void *)a;
			mm->nr_entries = XEN_LU_MAX_MEMORY_MAP;
			mm->entries = ptr(self->ctx->map);
			break;
		case OP_COLLECT:
			c = (void *)a;
			c->buf = ptr(self->ctx->dump);
			c->buf_len = DUMP_ROOM;
			break;
		case OP_STAGE:
			want = EINVAL;	/* no segment */
			break;
		default:
			break;
		}
		errno = 0;
		EXPECT_EQ(want ? -1 : 0, ioctl(self->fd, lu_ops[op].cmd, a));
		EXPECT_EQ(want, errno)
			TH_LOG("%s, size %u, zero tail: %s", lu_ops[op].name,
			       size, strerror(errno));
		if (op == OP_GET_INFO) {
			info = (void *)a;
			EXPECT_EQ(XEN_LU_ABI_VERSION, info->out_abi_version);
			EXPECT_EQ(XEN_LU_STATE_IDLE, info->out_state);
			/* Nothing written past the kernel's structure. */
			EXPECT_TRUE(all_zero(a + sizeof(*info),
					     size - sizeof(*info)));
		}
		if (op == OP_STAGE) {
			st = (void *)a;
			EXPECT_EQ(XEN_LU_RULE_NR_SEGMENTS, st->out_rule);
		}
		if (op == OP_COLLECT) {
			c = (void *)a;
			EXPECT_LT(0, c->out_len);
		}
	}
	/* ... and a non-zero byte in the tail is E2BIG. */
	a = arg_at_guard(self, size, size);
	a[size - 1] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, XEN_LU_IOCTL_GET_INFO, a));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(XEN_LU_STATE_IDLE, lu_restore(self->fd));
}

/* ------------------------------------------------------------------ */
/* lu_rec: unrecordable devices */

/*
 * The backend type of the test devices.  A device that first appears
 * Connected is "not new" to dom0's xenbus (xenbus_probe_node()), which
 * never probes it: no backend driver touches what the test wrote.
 */
#define REC_TYPE	"vif"
/* Fake guests: domids no toolstack hands out in the test host. */
#define DOM_A		31000
#define DOM_B		31001

/* The devices the test writes, by device id under DOM_A. */
enum {
	DEV_NET = 0,		/* netfront-like, 8 queues */
	DEV_BLK = 1,		/* blkfront-like, 4 queues of 16 pages */
	DEV_FEAT_CAP = 2,	/* 256 feature keys */
	DEV_BYTES_CAP = 3,	/* features of exactly 16 KiB */
	DEV_RING_CAP = 4,	/* ring-ref0..15 at the top */
	/* Past a cap; string order ("10" < "9") is not numeric order. */
	DEV_QUEUES = 9,		/* 257 queues */
	DEV_RINGS = 10,		/* ring-ref0..16 */
	DEV_EVTCHNS = 11,	/* a queue with three event channels */
	DEV_FEATURES = 12,	/* 257 feature keys */
	DEV_FEAT_BYTES = 13,	/* features of 16 KiB + 1 */
};

/* DOM_B's one device: before DOM_A's in device id, after in domid. */
#define DEV_B_EVTCHNS	1

static const struct unrec_dev {
	uint32_t domid;
	uint32_t devid;
	uint32_t reason;
	const char *name;	/* as the kernel log says it */
} unrec_devs[] = {
	{ DOM_A, DEV_QUEUES, XEN_LU_UNRECORDABLE_QUEUES, "queues" },
	{ DOM_A, DEV_RINGS, XEN_LU_UNRECORDABLE_RING_REFS, "ring-refs" },
	{ DOM_A, DEV_EVTCHNS, XEN_LU_UNRECORDABLE_EVTCHNS, "event-channels" },
	{ DOM_A, DEV_FEATURES, XEN_LU_UNRECORDABLE_FEATURES, "features" },
	{ DOM_A, DEV_FEAT_BYTES, XEN_LU_UNRECORDABLE_FEATURES, "features" },
	{ DOM_B, DEV_B_EVTCHNS, XEN_LU_UNRECORDABLE_EVTCHNS,
	  "event-channels" },
};

/* Feature values of the 16 KiB devices: five keys, sized to the byte. */
#define BYTES_KEYS	5
#define BYTES_KEY_FMT	"feature-b%u"

/* xenstore-write/xenstore-rm with an argument vector: no shell quoting. */
struct xs_args {
	char **argv;
	unsigned int nr, room;
};

static void xs_add(struct xs_args *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void xs_add(struct xs_args *x, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (x->nr + 2 > x->room) {
		x->room = x->room ? 2 * x->room : 256;
		x->argv = realloc(x->argv, x->room * sizeof(*x->argv));
		if (!x->argv)
			abort();
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	x->argv[x->nr++] = s;
	x->argv[x->nr] = NULL;
}

/* Add a key and its value. */
#define XS_KV(x, val, ...)			\
	do {					\
		xs_add(x, __VA_ARGS__);		\
		xs_add(x, "%s", val);		\
	} while (0)

static void xs_free(struct xs_args *x)
{
	unsigned int i;

	for (i = 0; i < x->nr; i++)
		free(x->argv[i]);
	free(x->argv);
	memset(x, 0, sizeof(*x));
}

/* Run argv[0] quietly; 0 when it exits 0. */
static int run_argv(char **argv)
{
	int status, devnull;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0) {
			dup2(devnull, STDOUT_FILENO);
			dup2(devnull, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

static int xs_rm(const char *path)
{
	char *argv[] = { "xenstore-rm", (char *)path, NULL };

	return run_argv(argv);
}

static void dom0_home(char *home, size_t len)
{
	char buf[32] = "";
	FILE *f = popen("xenstore-read domid 2>/dev/null", "re");
	unsigned int id = 0;

	if (f) {
		if (fgets(buf, sizeof(buf), f))
			sscanf(buf, "%u", &id);
		pclose(f);
	}
	snprintf(home, len, "/local/domain/%u", id);
}

/*
 * Write what @x holds (one transaction per xenstore-write) and start
 * again: one device at a time keeps each transaction far below
 * xenstored's per-transaction node quota.
 */
static int xs_flush(struct xs_args *x)
{
	int rc = x->nr > 1 ? run_argv(x->argv) : 0;

	xs_free(x);
	xs_add(x, "xenstore-write");
	return rc;
}

/* The frame of one device: both directories, both states Connected. */
static int dev_frame(struct xs_args *x, const char *home, uint32_t domid,
		     uint32_t devid)
{
	const char *be = home;
	int rc = xs_flush(x);

	XS_KV(x, "4", "%s/backend/" REC_TYPE "/%u/%u/state", be, domid, devid);
	XS_KV(x, "1", "%s/backend/" REC_TYPE "/%u/%u/online", be, domid,
	      devid);
	xs_add(x, "%s/backend/" REC_TYPE "/%u/%u/frontend-id", be, domid,
	       devid);
	xs_add(x, "%u", domid);
	xs_add(x, "%s/backend/" REC_TYPE "/%u/%u/frontend", be, domid, devid);
	xs_add(x, "/local/domain/%u/device/" REC_TYPE "/%u", domid, devid);
	XS_KV(x, "4", "/local/domain/%u/device/" REC_TYPE "/%u/state", domid,
	      devid);
	xs_add(x, "/local/domain/%u/device/" REC_TYPE "/%u/backend-id", domid,
	       devid);
	xs_add(x, "0");
	return rc;
}

#define FE(x, val, devid, fmt, ...)					\
	XS_KV(x, val, "/local/domain/%u/device/" REC_TYPE "/%u/" fmt, DOM_A, \
	      devid, ##__VA_ARGS__)
#define BE(x, home, val, devid, fmt, ...)				\
	XS_KV(x, val, "%s/backend/" REC_TYPE "/%u/%u/" fmt, home, DOM_A,	\
	      devid, ##__VA_ARGS__)

/* The value of length @len of key @k of a 16 KiB device. */
static char *bytes_value(unsigned int k, size_t len)
{
	char *v = malloc(len + 1);

	if (!v)
		abort();
	memset(v, 'a' + k, len);
	v[len] = '\0';
	return v;
}

/*
 * The value lengths that make BYTES_KEYS "fe:feature-bN=<value>" strings,
 * NUL included, total exactly @total bytes.
 */
static void bytes_lengths(size_t total, size_t len[BYTES_KEYS])
{
	size_t fixed = 0, rest;
	char key[32];
	unsigned int k;

	for (k = 0; k < BYTES_KEYS; k++) {
		snprintf(key, sizeof(key), "fe:" BYTES_KEY_FMT "=", k);
		fixed += strlen(key) + 1;
	}
	rest = total - fixed;
	for (k = 0; k < BYTES_KEYS; k++)
		len[k] = rest / BYTES_KEYS + (k < rest % BYTES_KEYS);
}

/* Every device of the test, in one xenstore transaction. */
static int write_devices(const char *home)
{
	struct xs_args x = {};
	size_t len[BYTES_KEYS];
	unsigned int q, n, k;
	char val[16], *v;
	int rc = 0;

	xs_add(&x, "xenstore-write");
	/* A netfront: queues written rx before tx, the order is the key's. */
	rc |= dev_frame(&x, home, DOM_A, DEV_NET);
	FE(&x, "8", DEV_NET, "multi-queue-num-queues");
	FE(&x, "00:16:3e:00:00:01", DEV_NET, "mac");
	FE(&x, "1", DEV_NET, "request-rx-copy");
	FE(&x, "1", DEV_NET, "feature-rx-notify");
	FE(&x, "1", DEV_NET, "feature-sg");
	BE(&x, home, "1", DEV_NET, "feature-sg");
	BE(&x, home, "1", DEV_NET, "feature-gso-tcpv4");
	BE(&x, home, "0", DEV_NET, "handle");
	for (q = 0; q < 8; q++) {
		snprintf(val, sizeof(val), "%u", 101 + 2 * q);
		FE(&x, val, DEV_NET, "queue-%u/event-channel-rx", q);
		snprintf(val, sizeof(val), "%u", 100 + 2 * q);
		FE(&x, val, DEV_NET, "queue-%u/event-channel-tx", q);
		snprintf(val, sizeof(val), "%u", 1001 + 2 * q);
		FE(&x, val, DEV_NET, "queue-%u/rx-ring-ref", q);
		snprintf(val, sizeof(val), "%u", 1000 + 2 * q);
		FE(&x, val, DEV_NET, "queue-%u/tx-ring-ref", q);
	}

	/* A blkfront: 4 queues of 16 ring pages, written last page first. */
	rc |= dev_frame(&x, home, DOM_A, DEV_BLK);
	FE(&x, "4", DEV_BLK, "multi-queue-num-queues");
	FE(&x, "4", DEV_BLK, "ring-page-order");
	FE(&x, "x86_64-abi", DEV_BLK, "protocol");
	FE(&x, "1", DEV_BLK, "feature-persistent");
	BE(&x, home, "1", DEV_BLK, "feature-flush-cache");
	for (q = 0; q < 4; q++) {
		for (n = 16; n-- > 0;) {
			snprintf(val, sizeof(val), "%u", 2000 + 16 * q + n);
			FE(&x, val, DEV_BLK, "queue-%u/ring-ref%u", q, n);
		}
		snprintf(val, sizeof(val), "%u", 200 + q);
		FE(&x, val, DEV_BLK, "queue-%u/event-channel", q);
	}

	/* At the caps: 256 feature keys; 16 KiB of features; 16 pages. */
	rc |= dev_frame(&x, home, DOM_A, DEV_FEAT_CAP);
	/*
	 * Feature keys at the frontend mostly: every node written under
	 * dom0's backend/ costs a xenbus watch event in dom0.
	 */
	for (k = 0; k < 255; k++)
		FE(&x, "1", DEV_FEAT_CAP, "feature-k%03u", k);
	BE(&x, home, "1", DEV_FEAT_CAP, "feature-k%03u", k);
	rc |= dev_frame(&x, home, DOM_A, DEV_BYTES_CAP);
	bytes_lengths(XEN_LU_MAX_FEATURE_BYTES, len);
	for (k = 0; k < BYTES_KEYS; k++) {
		v = bytes_value(k, len[k]);
		FE(&x, v, DEV_BYTES_CAP, BYTES_KEY_FMT, k);
		free(v);
	}
	rc |= dev_frame(&x, home, DOM_A, DEV_RING_CAP);
	FE(&x, "4", DEV_RING_CAP, "ring-page-order");
	FE(&x, "7", DEV_RING_CAP, "event-channel");
	for (n = 0; n < 16; n++) {
		snprintf(val, sizeof(val), "%u", 3000 + n);
		FE(&x, val, DEV_RING_CAP, "ring-ref%u", n);
	}

	/* Past each cap. */
	rc |= dev_frame(&x, home, DOM_A, DEV_QUEUES);
	FE(&x, "257", DEV_QUEUES, "multi-queue-num-queues");
	FE(&x, "5", DEV_QUEUES, "queue-0/tx-ring-ref");
	FE(&x, "1", DEV_QUEUES, "feature-sg");
	rc |= dev_frame(&x, home, DOM_A, DEV_RINGS);
	FE(&x, "1", DEV_RINGS, "feature-persistent");
	FE(&x, "9", DEV_RINGS, "event-channel");
	for (n = 0; n < 17; n++) {
		snprintf(val, sizeof(val), "%u", 4000 + n);
		FE(&x, val, DEV_RINGS, "ring-ref%u", n);
	}
	rc |= dev_frame(&x, home, DOM_A, DEV_EVTCHNS);
	FE(&x, "1", DEV_EVTCHNS, "multi-queue-num-queues");
	FE(&x, "11", DEV_EVTCHNS, "queue-0/event-channel");
	FE(&x, "12", DEV_EVTCHNS, "queue-0/event-channel-tx");
	FE(&x, "13", DEV_EVTCHNS, "queue-0/event-channel-rx");
	FE(&x, "14", DEV_EVTCHNS, "queue-0/tx-ring-ref");
	rc |= dev_frame(&x, home, DOM_A, DEV_FEATURES);
	for (k = 0; k < 256; k++)
		FE(&x, "1", DEV_FEATURES, "feature-k%03u", k);
	BE(&x, home, "1", DEV_FEATURES, "request-one-more");
	rc |= dev_frame(&x, home, DOM_A, DEV_FEAT_BYTES);
	bytes_lengths(XEN_LU_MAX_FEATURE_BYTES + 1, len);
	for (k = 0; k < BYTES_KEYS; k++) {
		v = bytes_value(k, len[k]);
		FE(&x, v, DEV_FEAT_BYTES, BYTES_KEY_FMT, k);
		free(v);
	}
	rc |= dev_frame(&x, home, DOM_B, DEV_B_EVTCHNS);
	XS_KV(&x, "21", "/local/domain/%u/device/" REC_TYPE "/%u/event-channel",
	      DOM_B, DEV_B_EVTCHNS);
	XS_KV(&x, "22",
	      "/local/domain/%u/device/" REC_TYPE "/%u/event-channel-tx",
	      DOM_B, DEV_B_EVTCHNS);
	XS_KV(&x, "23",
	      "/local/domain/%u/device/" REC_TYPE "/%u/event-channel-rx",
	      DOM_B, DEV_B_EVTCHNS);

	rc |= xs_flush(&x);
	xs_free(&x);
	return rc;
}

/* The fake guests' devices and directories; nothing of a real guest. */
static void remove_devices(const char *home)
{
	static const uint32_t doms[] = { DOM_A, DOM_B };
	char path[128];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(doms); i++) {
		snprintf(path, sizeof(path), "%s/backend/" REC_TYPE "/%u", home,
			 doms[i]);
		xs_rm(path);
		snprintf(path, sizeof(path), "/local/domain/%u", doms[i]);
		xs_rm(path);
	}
}

/* One backend record of a records dump, its variable part located. */
struct be_view {
	struct xen_lu_rec_dom0_backend r;
	const uint8_t *refs;	/* nr_ring_refs little-endian u32 */
	const uint8_t *ports;	/* nr_evtchns little-endian u32 */
	const char *bpath;
	const char *fpath;
	const char *features;	/* features_len bytes */
	unsigned int nr_features;
};

struct dump_view {
	struct xen_lu_rec_dom0_header h;
	struct be_view *be;
	unsigned int nr_be;
};

static uint32_t le32_at(const uint8_t *p, unsigned int i)
{
	uint32_t v;

	memcpy(&v, p + 4 * i, sizeof(v));
	return v;
}

/* A string field of @len bytes: NUL-terminated at its last byte only. */
static bool path_ok(const char *p, size_t len)
{
	return len && strnlen(p, len) == len - 1;
}

/* Count the NUL-terminated strings that fill exactly @len bytes. */
static int count_strings(const char *p, size_t len)
{
	size_t off = 0;
	int n = 0;

	while (off < len) {
		size_t l = strnlen(p + off, len - off);

		if (l == len - off || !l)
			return -1;	/* unterminated or empty */
		off += l + 1;
		n++;
	}
	return n;
}

/*
 * Walk a records dump of @len bytes (UAPI "dom0 records", records
 * version 2): header first, END last, bodies padded with zeroes, counts
 * as the header says, and every backend record's variable part exactly
 * its length, in the UAPI order.  Fills @v (v->be to be freed).
 */
static void walk_dump(struct __test_metadata *_metadata, const uint8_t *buf,
		      size_t len, struct dump_view *v)
{
	unsigned int nr[5] = {}, i;
	struct xen_lu_rec_hdr h;
	struct be_view *b;
	size_t off = 0, padded, need;
	const uint8_t *body;

	memset(v, 0, sizeof(*v));
	for (;;) {
		ASSERT_GE(len, off + sizeof(h)) TH_LOG("no END record");
		memcpy(&h, buf + off, sizeof(h));
		off += sizeof(h);
		body = buf + off;
		if (h.type == XEN_LU_REC_END) {
			EXPECT_EQ(0, h.length);
			break;
		}
		ASSERT_GE(XEN_LU_REC_MAX_BODY, h.length);
		padded = (h.length + XEN_LU_REC_ALIGN - 1) &
			 ~(size_t)(XEN_LU_REC_ALIGN - 1);
		ASSERT_GE(len, off + padded)
			TH_LOG("record %#x of %u bytes past the dump", h.type,
			       h.length);
		EXPECT_TRUE(all_zero(body + h.length, padded - h.length))
			TH_LOG("record %#x: padding not zero", h.type);
		off += padded;
		if (!v->h.records_version) {
			ASSERT_EQ(XEN_LU_REC_DOM0_HEADER, h.type)
				TH_LOG("the first record is %#x", h.type);
			ASSERT_LE(sizeof(v->h), h.length);
			memcpy(&v->h, body, sizeof(v->h));
			ASSERT_EQ(XEN_LU_RECORDS_VERSION, v->h.records_version);
			nr[0]++;
			v->be = calloc(v->h.nr_backends + 1, sizeof(*v->be));
			ASSERT_NE(NULL, v->be);
			continue;
		}
		ASSERT_LT(XEN_LU_REC_DOM0_HEADER, h.type);
		ASSERT_GE(XEN_LU_REC_DOM0_PARTICIPANT, h.type);
		/* Kinds in dump order. */
		for (i = h.type - XEN_LU_REC_DOM0_HEADER + 1; i < 5; i++) {
			EXPECT_EQ(0, nr[i])
				TH_LOG("record %#x after a record of kind %u",
				       h.type, i);
		}
		nr[h.type - XEN_LU_REC_DOM0_HEADER]++;
		if (h.type != XEN_LU_REC_DOM0_BACKEND)
			continue;

		ASSERT_GE(v->h.nr_backends, v->nr_be + 1)
			TH_LOG("more backend records than the header says");
		b = &v->be[v->nr_be++];
		ASSERT_LE(sizeof(b->r), h.length);
		memcpy(&b->r, body, sizeof(b->r));
		need = sizeof(b->r) +
		       4 * ((size_t)b->r.nr_ring_refs + b->r.nr_evtchns) +
		       b->r.backend_path_len + b->r.frontend_path_len +
		       b->r.features_len;
		ASSERT_EQ(need, h.length)
			TH_LOG("backend %.16s %u/%u: %u bytes, the layout says %zu",
			       b->r.type, b->r.frontend_domid, b->r.devid,
			       h.length, need);
		EXPECT_EQ(0, b->r.__reserved);
		EXPECT_TRUE(strnlen(b->r.type, sizeof(b->r.type)) <
			    sizeof(b->r.type));
		b->refs = body + sizeof(b->r);
		b->ports = b->refs + 4 * b->r.nr_ring_refs;
		b->bpath = (const char *)b->ports + 4 * b->r.nr_evtchns;
		b->fpath = b->bpath + b->r.backend_path_len;
		b->features = b->fpath + b->r.frontend_path_len;
		EXPECT_TRUE(path_ok(b->bpath, b->r.backend_path_len));
		EXPECT_TRUE(path_ok(b->fpath, b->r.frontend_path_len));
		b->nr_features = count_strings(b->features,
					       b->r.features_len);
		EXPECT_LE(0, (int)b->nr_features)
			TH_LOG("backend %u/%u: a malformed feature list",
			       b->r.frontend_domid, b->r.devid);
		/* Sorted by type, frontend domain, device. */
		if (v->nr_be > 1) {
			const struct xen_lu_rec_dom0_backend *p = &b[-1].r;
			int c = strcmp(p->type, b->r.type);

			EXPECT_TRUE(c < 0 ||
				    (!c && (p->frontend_domid < b->r.frontend_domid ||
					    (p->frontend_domid == b->r.frontend_domid &&
					     p->devid < b->r.devid))))
				TH_LOG("backend %.16s %u/%u after %.16s %u/%u",
				       b->r.type, b->r.frontend_domid,
				       b->r.devid, p->type, p->frontend_domid,
				       p->devid);
		}
	}
	EXPECT_EQ(len, off) TH_LOG("bytes after END");
	EXPECT_EQ(1, nr[0]);
	EXPECT_EQ(v->h.nr_domains, nr[1]);
	EXPECT_EQ(v->h.nr_backends, nr[2]);
	EXPECT_EQ(v->h.nr_evtchns, nr[3]);
	EXPECT_EQ(v->h.nr_participants, nr[4]);
}

static const struct be_view *find_be(const struct dump_view *v,
				     uint32_t domid, uint32_t devid)
{
	unsigned int i;

	for (i = 0; i < v->nr_be; i++)
		if (!strcmp(v->be[i].r.type, REC_TYPE) &&
		    v->be[i].r.frontend_domid == domid &&
		    v->be[i].r.devid == devid)
			return &v->be[i];
	return NULL;
}

/* COLLECT with @flags into a buffer that fits; the caller frees it. */
static uint8_t *collect_dump(struct __test_metadata *_metadata, int fd,
			     uint32_t flags, struct xen_lu_collect *c)
{
	uint64_t room = 1 << 20;
	uint8_t *buf = NULL;
	int tries;

	for (tries = 0; tries < 4; tries++) {
		free(buf);
		buf = malloc(room);
		if (!buf)
			break;
		memset(c, 0, sizeof(*c));
		c->size = sizeof(*c);
		c->flags = flags;
		c->buf = ptr(buf);
		c->buf_len = room;
		if (!ioctl(fd, XEN_LU_IOCTL_COLLECT, c))
			return buf;
		if (errno != ENOSPC)
			break;
		room = c->out_len + PG;
	}
	TH_LOG("COLLECT (flags %#x): %s", flags, strerror(errno));
	free(buf);
	return NULL;
}

/* One of the test's devices (any type) */
static bool is_fake(const struct xen_lu_rec_dom0_backend *r)
{
	return r->frontend_domid == DOM_A || r->frontend_domid == DOM_B;
}

/* Paths and states of a test device. */
static void check_frame(struct __test_metadata *_metadata, const char *home,
			const struct be_view *b, uint32_t domid,
			uint32_t devid)
{
	char path[128];

	EXPECT_EQ(4, b->r.backend_state);
	EXPECT_EQ(4, b->r.frontend_state);
	EXPECT_STREQ(REC_TYPE, b->r.type);
	snprintf(path, sizeof(path), "%s/backend/" REC_TYPE "/%u/%u", home,
		 domid, devid);
	EXPECT_STREQ(path, b->bpath);
	snprintf(path, sizeof(path), "/local/domain/%u/device/" REC_TYPE "/%u",
		 domid, devid);
	EXPECT_STREQ(path, b->fpath);
}

/* A device recorded in full: flags, counts, refs and ports in order. */
static void check_full(struct __test_metadata *_metadata, const char *home,
		       const struct dump_view *v, uint32_t devid,
		       uint32_t queues, uint32_t ref0, uint32_t nr_refs,
		       uint32_t port0, uint32_t nr_ports, int nr_features)
{
	const struct be_view *b = find_be(v, DOM_A, devid);
	unsigned int i;

	ASSERT_NE(NULL, b) TH_LOG("device %u/%u not recorded", DOM_A, devid);
	check_frame(_metadata, home, b, DOM_A, devid);
	EXPECT_EQ(0, b->r.flags) TH_LOG("device %u", devid);
	EXPECT_EQ(XEN_LU_UNRECORDABLE_NONE, b->r.unrecordable)
		TH_LOG("device %u", devid);
	EXPECT_EQ(queues, b->r.nr_queues) TH_LOG("device %u", devid);
	ASSERT_EQ(nr_refs, b->r.nr_ring_refs) TH_LOG("device %u", devid);
	ASSERT_EQ(nr_ports, b->r.nr_evtchns) TH_LOG("device %u", devid);
	for (i = 0; i < nr_refs; i++) {
		EXPECT_EQ(ref0 + i, le32_at(b->refs, i))
			TH_LOG("device %u: ring reference %u", devid, i);
	}
	for (i = 0; i < nr_ports; i++) {
		EXPECT_EQ(port0 + i, le32_at(b->ports, i))
			TH_LOG("device %u: event channel %u", devid, i);
	}
	EXPECT_EQ(nr_features, (int)b->nr_features) TH_LOG("device %u", devid);
}

/* The features of @b are exactly the @n strings of @want, in order. */
static void check_features(struct __test_metadata *_metadata,
			   const struct be_view *b, const char *const *want,
			   unsigned int n)
{
	const char *f = b->features;
	unsigned int i;

	ASSERT_EQ(n, b->nr_features);
	for (i = 0; i < n; i++) {
		EXPECT_STREQ(want[i], f);
		f += strlen(f) + 1;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every device of write_devices() as it must be recorded. */
static void check_devices(struct __test_metadata *_metadata, const char *home,
			  const struct dump_view *v)
{
	static const char *const net_features[] = {
		"be:feature-gso-tcpv4=1", "be:feature-sg=1",
		"fe:feature-rx-notify=1", "fe:feature-sg=1",
		"fe:request-rx-copy=1",
	};
	static const char *const blk_features[] = {
		"be:feature-flush-cache=1", "fe:feature-persistent=1",
	};
	char *cap_features[256];
	const struct be_view *b;
	size_t len[BYTES_KEYS];
	unsigned int i, k, mine = 0;
	const char *f;

	check_full(_metadata, home, v, DEV_NET, 8, 1000, 16, 100, 16,
		   ARRAY_SIZE(net_features));
	b = find_be(v, DOM_A, DEV_NET);
	if (b) {
		EXPECT_STREQ("", b->r.protocol);
		check_features(_metadata, b, net_features,
			       ARRAY_SIZE(net_features));
	}
	check_full(_metadata, home, v, DEV_BLK, 4, 2000, 64, 200, 4,
		   ARRAY_SIZE(blk_features));
	b = find_be(v, DOM_A, DEV_BLK);
	if (b) {
		EXPECT_STREQ("x86_64-abi", b->r.protocol);
		check_features(_metadata, b, blk_features,
			       ARRAY_SIZE(blk_features));
	}

	check_full(_metadata, home, v, DEV_FEAT_CAP, 0, 0, 0, 0, 0, 256);
	b = find_be(v, DOM_A, DEV_FEAT_CAP);
	if (b) {
		for (k = 0; k < 256; k++) {
			if (asprintf(&cap_features[k], "%s:feature-k%03u=1",
				     k < 255 ? "fe" : "be", k) < 0)
				abort();
		}
		qsort(cap_features, 256, sizeof(char *), cmp_str);
		check_features(_metadata, b,
			       (const char *const *)cap_features, 256);
		for (k = 0; k < 256; k++)
			free(cap_features[k]);
	}

	check_full(_metadata, home, v, DEV_BYTES_CAP, 0, 0, 0, 0, 0,
		   BYTES_KEYS);
	b = find_be(v, DOM_A, DEV_BYTES_CAP);
	if (b) {
		EXPECT_EQ(XEN_LU_MAX_FEATURE_BYTES, b->r.features_len);
		bytes_lengths(XEN_LU_MAX_FEATURE_BYTES, len);
		f = b->features;
		for (k = 0; k < BYTES_KEYS && b->nr_features == BYTES_KEYS;
		     k++) {
			EXPECT_EQ(strlen("fe:feature-bN=") + len[k], strlen(f));
			f += strlen(f) + 1;
		}
	}
	check_full(_metadata, home, v, DEV_RING_CAP, 0, 3000, 16, 7, 1, 0);

	/* Past a cap: paths and states only, and why. */
	for (i = 0; i < ARRAY_SIZE(unrec_devs); i++) {
		const struct unrec_dev *u = &unrec_devs[i];

		b = find_be(v, u->domid, u->devid);
		EXPECT_NE(NULL, b) TH_LOG("device %u/%u not recorded",
					  u->domid, u->devid);
		if (!b)
			continue;
		check_frame(_metadata, home, b, u->domid, u->devid);
		EXPECT_EQ(XEN_LU_BACKEND_UNRECORDABLE, b->r.flags)
			TH_LOG("device %u/%u", u->domid, u->devid);
		EXPECT_EQ(u->reason, b->r.unrecordable)
			TH_LOG("device %u/%u: reason %u, want %u (%s)",
			       u->domid, u->devid, b->r.unrecordable,
			       u->reason, u->name);
		EXPECT_EQ(0, b->r.nr_queues);
		EXPECT_EQ(0, b->r.nr_ring_refs);
		EXPECT_EQ(0, b->r.nr_evtchns);
		EXPECT_EQ(0, b->r.features_len);
	}
	for (i = 0; i < v->nr_be; i++)
		mine += is_fake(&v->be[i].r);
	EXPECT_EQ(5 + ARRAY_SIZE(unrec_devs), mine);
	/* Nothing else is unrecordable (the real guest's devices). */
	for (i = 0; i < v->nr_be; i++)
		if (!is_fake(&v->be[i].r)) {
			EXPECT_EQ(0, v->be[i].r.flags)
				TH_LOG("%.16s %u/%u is unrecordable (%u)",
				       v->be[i].r.type,
				       v->be[i].r.frontend_domid,
				       v->be[i].r.devid,
				       v->be[i].r.unrecordable);
		}
}

/* /dev/kmsg from now on; -1 when it cannot be read. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* The messages logged since kmsg_open(), one a line. */
static char *kmsg_since(int fd)
{
	size_t len = 0, room = 1 << 16;
	char rec[8192], *out = calloc(1, room), *msg;
	ssize_t n;

	if (!out)
		return NULL;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten: go on with the next */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		msg[strcspn(msg, "\n")] = '\0';
		if (len + strlen(msg) + 2 > room) {
			room *= 2;
			out = realloc(out, room);
			if (!out)
				return NULL;
		}
		len += sprintf(out + len, "%s\n", msg);
	}
	return out;
}

FIXTURE(lu_rec) {
	int fd;
	char home[32];
	bool written;
};

FIXTURE_SETUP(lu_rec)
{
	char *argv[] = { "xenstore-read", "domid", NULL };

	self->written = false;
	LU_OPEN_IDLE(self->fd, lu_restore, return);
	if (run_argv(argv))
		SKIP(return, "no xenstore-read, or no xenstored");
	dom0_home(self->home, sizeof(self->home));
}

/* Write the test devices (after a test's own SKIP, as they cost time). */
static void devices_written(struct __test_metadata *_metadata,
			    FIXTURE_DATA(lu_rec) *self)
{
	uint64_t t0 = now_ns();

	/* What a killed run left behind. */
	remove_devices(self->home);
	self->written = true;
	ASSERT_EQ(0, write_devices(self->home))
		TH_LOG("xenstore-write of the test devices failed");
	TH_LOG("test devices written in %llu ms",
	       (unsigned long long)(now_ns() - t0) / 1000000);
}

FIXTURE_TEARDOWN(lu_rec)
{
	if (self->fd >= 0) {
		lu_restore(self->fd);
		close(self->fd);
	}
	if (self->written)
		remove_devices(self->home);
}

/* The kernel log since @kmsg names every unrecordable device, no other. */
static void check_log(struct __test_metadata *_metadata, int kmsg)
{
	char want[128], *log = kmsg_since(kmsg);
	unsigned int i;

	ASSERT_NE(NULL, log);
	for (i = 0; i < ARRAY_SIZE(unrec_devs); i++) {
		snprintf(want, sizeof(want),
			 "xen:xen_liveupdate: domain %u " REC_TYPE "/%u unrecordable: %s\n",
			 unrec_devs[i].domid, unrec_devs[i].devid,
			 unrec_devs[i].name);
		EXPECT_NE(NULL, strstr(log, want))
			TH_LOG("no '%.*s' in the kernel log",
			       (int)strlen(want) - 1, want);
	}
	for (i = DEV_NET; i <= DEV_RING_CAP; i++) {
		snprintf(want, sizeof(want),
			 "domain %u " REC_TYPE "/%u unrecordable", DOM_A, i);
		EXPECT_EQ(NULL, strstr(log, want))
			TH_LOG("'%s' in the kernel log", want);
	}
	free(log);
}

/*
 * PREPARE with the test devices: it succeeds, counts the unrecordable
 * ones and names the first in record order (domid before devid, devids
 * as numbers), and the records it handed over carry them as COLLECT did.
 */
static void prepare_unrecordable(struct __test_metadata *_metadata,
				 FIXTURE_DATA(lu_rec) *self,
				 const struct xen_lu_info *info)
{
	struct xen_lu_prepare p;
	struct xen_lu_collect c;
	struct dump_view v;
	struct image *img;
	uint8_t *dump;
	uint64_t t0;

	img = calloc(1, sizeof(*img));
	ASSERT_NE(NULL, img);
	img_init_lu(img, info->out_xen_start, info->out_lu_start,
		    info->out_lu_size);
	ASSERT_EQ(0, stage(self->fd, img))
		TH_LOG("live-update image refused: %s, rule %s",
		       strerror(errno), rule_name(img->arg.out_rule));
	free(img);

	memset(&p, 0xa5, sizeof(p));
	p.size = sizeof(p);
	p.flags = 0;
	t0 = now_ns();
	ASSERT_EQ(0, ioctl(self->fd, XEN_LU_IOCTL_PREPARE, &p))
		TH_LOG("PREPARE: %s, check %u, backend %.16s %u/%u",
		       strerror(errno), p.out_check, p.out_backend_type,
		       p.out_backend_frontend_domid, p.out_backend_devid);
	TH_LOG("PREPARE in %llu ms",
	       (unsigned long long)(now_ns() - t0) / 1000000);
	EXPECT_EQ(XEN_LU_CHECK_NONE, p.out_check);
	EXPECT_EQ(ARRAY_SIZE(unrec_devs), p.out_nr_unrecordable);
	EXPECT_EQ(DOM_A, p.out_unrecordable_domid);
	EXPECT_EQ(DEV_QUEUES, p.out_unrecordable_devid);
	EXPECT_EQ(XEN_LU_UNRECORDABLE_QUEUES, p.out_unrecordable_reason);
	EXPECT_STREQ(REC_TYPE, p.out_unrecordable_type);

	dump = collect_dump(_metadata, self->fd, XEN_LU_COLLECT_HANDED_OVER,
			    &c);
	ASSERT_NE(NULL, dump);
	EXPECT_EQ(p.out_records_len, c.out_len);
	walk_dump(_metadata, dump, c.out_len, &v);
	EXPECT_EQ(p.out_nr_backends, v.h.nr_backends);
	check_devices(_metadata, self->home, &v);
	free(v.be);
	free(dump);

	EXPECT_EQ(0, ioctl(self->fd, XEN_LU_IOCTL_CANCEL,
			   &(struct xen_lu_cancel){ .size = 8 }));
	EXPECT_EQ(0, unstage(self->fd, 0));
}

/*
 * Test Case: unrecordable devices.  COLLECT records every test device:
 * in full up to each cap (8 netfront queues, 4 blkfront queues of 16
 * pages, 256 feature keys, 16 KiB of features, 16 ring pages), and past
 * a cap flagged unrecordable with the cap, its paths and states, nothing
 * else; the kernel log names each ("domain D vif/V unrecordable: <cap>").
 * With the SIMULATED live-update hypervisor, PREPARE too (see
 * prepare_unrecordable()); one test, as writing the devices and
 * collecting them take minutes under TCG.
 */
TEST_F_TIMEOUT(lu_rec, unrecordable_devices, 900)
{
	struct xen_lu_collect c;
	struct xen_lu_info info;
	struct dump_view v;
	uint8_t *dump;
	uint64_t t0;
	int kmsg;

	RETURN_IF_SKIPPED();

	kmsg = kmsg_open();
	if (kmsg < 0)
		SKIP(return, "/dev/kmsg: %s", strerror(errno));
	devices_written(_metadata, self);
	/* The messages are rate limited (10 per 5 s): a new window. */
	sleep(6);
	lseek(kmsg, 0, SEEK_END);
	t0 = now_ns();
	dump = collect_dump(_metadata, self->fd, 0, &c);
	ASSERT_NE(NULL, dump);
	TH_LOG("COLLECT: %llu bytes in %llu ms",
	       (unsigned long long)c.out_len,
	       (unsigned long long)(now_ns() - t0) / 1000000);
	check_log(_metadata, kmsg);
	close(kmsg);
	walk_dump(_metadata, dump, c.out_len, &v);
	EXPECT_EQ(c.out_nr_backends, v.h.nr_backends);
	EXPECT_EQ(c.out_nr_domains, v.h.nr_domains);
	check_devices(_metadata, self->home, &v);
	free(v.be);
	free(dump);

	ASSERT_EQ(0, get_info(self->fd, &info));
	if (!lu_simulated() ||
	    !(info.out_flags & XEN_LU_INFO_LIVE_UPDATE)) {
		TH_LOG("PREPARE not tested: no simulated live-update hypervisor");
		return;
	}
	prepare_unrecordable(_metadata, self, &info);
}

/* ------------------------------------------------------------------ */
/* lu_short: a signed image shorter than an ELF header */

/* The first bytes of an ELF64 (or ELF32) header with one PT_LOAD. */
static void elf_head(uint8_t *h, size_t room, bool is64)
{
	memset(h, 0, room);
	memcpy(h, "\177ELF", 4);
	h[4] = is64 ? 2 : 1;		/* EI_CLASS */
	h[5] = 1;			/* ELFDATA2LSB */
	h[6] = 1;			/* EV_CURRENT */
	put16(h + 16, 2);		/* ET_EXEC */
	if (is64) {
		put16(h + 18, 62);	/* EM_X86_64 */
		put32(h + 20, 1);
		put64(h + 24, ELF_PADDR);	/* e_entry */
		put64(h + 32, 64);		/* e_phoff */
		put16(h + 52, 64);		/* e_ehsize */
		put16(h + 54, 56);		/* e_phentsize */
		put16(h + 56, 1);		/* e_phnum */
	} else {
		put16(h + 18, 3);
		put32(h + 20, 1);
		put32(h + 24, ELF_PADDR);
		put32(h + 28, 52);
		put16(h + 40, 52);
		put16(h + 42, 32);
		put16(h + 44, 1);
	}
}

FIXTURE(lu_short) {
	int fd;
	struct image *img;
};

FIXTURE_SETUP(lu_short)
{
	struct xen_lu_info info;
	uint64_t base;

	self->img = NULL;
	LU_OPEN_IDLE(self->fd, lu_restore, return);
	ASSERT_EQ(0, get_info(self->fd, &info));
	if (info.out_flags & XEN_LU_INFO_LOCKDOWN)
		SKIP(return, "kernel locked down against kexec: cold images are refused");
	base = lu_cold_base(self->fd);
	ASSERT_NE(0, base);
	self->img = calloc(1, sizeof(*self->img));
	ASSERT_NE(NULL, self->img);
	img_init(self->img, base);
	/* Any bytes: the image is checked before the signature is. */
	self->img->signature = ptr(self->img->mod);
	self->img->signature_len = 512;
}

FIXTURE_TEARDOWN(lu_short)
{
	if (self->fd >= 0) {
		lu_restore(self->fd);
		close(self->fd);
	}
	free(self->img);
}

/*
 * Test Case: STAGE of a valid cold image with a signature whose ELF image
 * is 1 to 57 bytes long (an ELF64 header cut short): EINVAL,
 * XEN_LU_RULE_SIGNED_IMAGE, no segment named, nothing staged; a whole
 * ELF of the same image gets past the rule to the signature (EBADMSG)
 *
 * The module before ABI 5 also refused these, but only after reading
 * e_phoff and e_phnum (up to byte 57) out of its kvmalloc'd copy of the
 * image: an out-of-bounds read that KASAN reports.  So on a production
 * kernel this test passes either way; run it on the debug (KASAN) kernel
 * and check the kernel log for "BUG: KASAN" to see the defect.
 */
TEST_F_TIMEOUT(lu_short, signed_image_shorter_than_header, 120)
{
	struct image *img = self->img;
	struct xen_lu_info info;
	uint8_t *head;
	unsigned int cls;
	size_t len;

	RETURN_IF_SKIPPED();

	/* ELF64: the old code read furthest (e_phnum, bytes 56-57). */
	for (cls = 1; cls < 2; cls++) {
		for (len = 1; len <= 57; len++) {
			/* Exactly @len bytes, so the kernel copies only those. */
			head = malloc(len);
			ASSERT_NE(NULL, head);
			elf_head(img->elf, ELF_ROOM, cls);
			memcpy(head, img->elf, len);
			img->image = ptr(head);
			img->image_len = len;
			EXPECT_EQ(-1, stage(self->fd, img))
				TH_LOG("ELF%s, %zu bytes: staged", cls ? "64" : "32",
				       len);
			EXPECT_EQ(EINVAL, errno)
				TH_LOG("ELF%s, %zu bytes: %s", cls ? "64" : "32",
				       len, strerror(errno));
			EXPECT_EQ(XEN_LU_RULE_SIGNED_IMAGE, img->arg.out_rule)
				TH_LOG("ELF%s, %zu bytes: rule %s",
				       cls ? "64" : "32", len,
				       rule_name(img->arg.out_rule));
			EXPECT_EQ(NO_SEG, img->arg.out_segment);
			free(head);
		}
	}
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_IDLE, info.out_state);

	/* The control: the whole ELF passes the rule. */
	img_elf(img);
	EXPECT_EQ(-1, stage(self->fd, img));
	EXPECT_EQ(EBADMSG, errno) TH_LOG("whole ELF: %s", strerror(errno));
	EXPECT_EQ(XEN_LU_RULE_NONE, img->arg.out_rule);
}

TEST_HARNESS_MAIN
