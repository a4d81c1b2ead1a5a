// SPDX-License-Identifier: GPL-2.0-only
/*
 * An LD_PRELOAD stand-in for /dev/xen/liveupdate, so that lu-ctl's update
 * sequence commands can be run on any host: every answer of the module that
 * lu-ctl turns into words, JSON and exit codes, chosen by the environment.
 *
 * The node is a memfd that fstat() calls char device 10:99, sysfs's "dev"
 * says 10:99 too, and ioctl() on it answers as the module would:
 *
 *	LU_MOCK_NODEV=1		open() fails with ENOENT (module not loaded)
 *	LU_MOCK_STATE=n		GET_INFO's out_state (default 1, STAGED)
 *	LU_MOCK_COLD=1		the staged image is a cold one (its SHA-256
 *				is 32 zero bytes)
 *	LU_MOCK_SIMULATED=1	the simulator says it is attached
 *				(/sys/module/xen_lu_sim/parameters/attached
 *				reads Y; without it, that file is absent)
 *	LU_MOCK_ERRNO=n		the state-changing ioctl (and COLLECT with
 *				XEN_LU_COLLECT_HANDED_OVER) fails with n
 *	LU_MOCK_CHECK=n		... and sets out_check to n
 *	LU_MOCK_RESULT=n	COMMIT's out_result (default 1, updated)
 *	LU_MOCK_DIFFS=n		FINISH finds n differences (default 0)
 *	LU_MOCK_RECORDS_VERSION=n  COLLECT's dump says records version n
 *	LU_MOCK_LU_ERRNO=n	GET_INFO: the hypervisor has no live update
 *				(out_lu_errno n, no live-update range)
 *	LU_MOCK_STAGE_MS=n	STAGE takes n ms (default 0), as a large
 *				image's copy and hash in the module would
 *
 * Every argument's size must be the UAPI structure's (EINVAL otherwise).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xen/liveupdate.h>

#define MOCK_NODE	"/dev/xen/liveupdate"
#define MOCK_SYSFS_DEV	"/sys/class/misc/xen!liveupdate/dev"
#define MOCK_VERSION	"/sys/module/xen_liveupdate/version"
/* The project's version (VERSION, through the Makefile), marked a mock's. */
#define MOCK_MODULE_VERSION	XEN_LU_VERSION "-mock"
#define MOCK_SIM_ATTACHED "/sys/module/xen_lu_sim/parameters/attached"
#define MOCK_MAJOR	10
#define MOCK_MINOR	99

static int mock_fd = -1;

static unsigned long env(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

static int fail(int err)
{
	errno = err;
	return -1;
}

int open(const char *path, int flags, ...)
{
	static int (*real_open)(const char *, int, ...);
	mode_t mode = 0;
	va_list ap;

	if (!real_open)
		real_open = dlsym(RTLD_NEXT, "open");
	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (strcmp(path, MOCK_NODE))
		return real_open(path, flags, mode);
	if (env("LU_MOCK_NODEV", 0))
		return fail(ENOENT);
	mock_fd = memfd_create("lu-mock", MFD_CLOEXEC);
	return mock_fd;
}

/* open() of a fortified build whose flags are not constant. */
int __open_2(const char *path, int flags)
{
	return open(path, flags);
}

int close(int fd)
{
	static int (*real_close)(int);

	if (!real_close)
		real_close = dlsym(RTLD_NEXT, "close");
	if (fd == mock_fd)
		mock_fd = -1;
	return real_close(fd);
}

/* The mock node is char device 10:99. */
static void mock_stat(int fd, struct stat *st)
{
	if (fd != mock_fd || fd < 0)
		return;
	st->st_mode = S_IFCHR | 0600;
	st->st_rdev = makedev(MOCK_MAJOR, MOCK_MINOR);
}

int fstat(int fd, struct stat *st)
{
	static int (*real_fstat)(int, struct stat *);
	int rc;

	if (!real_fstat)
		real_fstat = dlsym(RTLD_NEXT, "fstat");
	rc = real_fstat(fd, st);
	if (!rc)
		mock_stat(fd, st);
	return rc;
}

/* fstat() of a glibc before 2.33. */
int __fxstat(int ver, int fd, struct stat *st)
{
	static int (*real_fxstat)(int, int, struct stat *);
	int rc;

	if (!real_fxstat)
		real_fxstat = dlsym(RTLD_NEXT, "__fxstat");
	rc = real_fxstat(ver, fd, st);
	if (!rc)
		mock_stat(fd, st);
	return rc;
}

FILE *fopen(const char *path, const char *mode)
{
	static FILE *(*real_fopen)(const char *, const char *);
	static char dev[] = "10:99\n";

	if (!real_fopen)
		real_fopen = dlsym(RTLD_NEXT, "fopen");
	if (!strcmp(path, MOCK_VERSION))
		return fmemopen((void *)MOCK_MODULE_VERSION "\n",
				strlen(MOCK_MODULE_VERSION) + 1, "r");
	if (!strcmp(path, MOCK_SIM_ATTACHED)) {
		if (env("LU_MOCK_SIMULATED", 0))
			return fmemopen((void *)"Y\n", 2, "r");
		errno = ENOENT;
		return NULL;
	}
	if (strcmp(path, MOCK_SYSFS_DEV) || env("LU_MOCK_NODEV", 0))
		return real_fopen(path, mode);
	return fmemopen(dev, strlen(dev), "r");
}

static int get_info(struct xen_lu_info *i)
{
	unsigned int state = env("LU_MOCK_STATE", XEN_LU_STATE_STAGED);

	if (i->size != sizeof(*i))
		return fail(EINVAL);
	memset(&i->out_abi_version, 0,
	       sizeof(*i) - offsetof(struct xen_lu_info, out_abi_version));
	i->out_abi_version = XEN_LU_ABI_VERSION;
	i->out_state = state;
	i->out_flags = XEN_LU_INFO_LIVE_UPDATE |
		(state >= XEN_LU_STATE_STAGED ? XEN_LU_INFO_STAGED : 0) |
		(state >= XEN_LU_STATE_COMMITTING ? XEN_LU_INFO_FROZEN : 0);
	i->out_xen_major = 4;
	i->out_xen_minor = 17;
	strcpy(i->out_xen_extraversion, ".3");
	strcpy(i->out_xen_changeset, "mock");
	i->out_build_id_errno = ENODATA;
	i->out_xen_start = 0x200000;
	i->out_xen_size = 0x400000;
	i->out_crash_errno = EINVAL;
	i->out_lu_start = 0x8a000000;
	i->out_lu_size = 64 << 20;
	i->out_lu_errno = env("LU_MOCK_LU_ERRNO", 0);
	if (i->out_lu_errno) {
		i->out_flags &= ~XEN_LU_INFO_LIVE_UPDATE;
		i->out_lu_start = 0;
		i->out_lu_size = 0;
	}
	if (state >= XEN_LU_STATE_STAGED) {
		i->out_staged_type = env("LU_MOCK_COLD", 0) ? XEN_LU_IMAGE_COLD :
							      XEN_LU_IMAGE_LIVE_UPDATE;
		i->out_staged_nr_segments = 1;
		i->out_staged_bytes = 4096;
		i->out_staged_segments[0] = (struct xen_lu_segment){
			.buf_size = 4096, .dest = 0x200000, .dest_size = 4096,
			.kind = XEN_LU_SEG_XEN };
		strcpy(i->out_staged_cmdline, "xen.gz liveupdate=64M@0x8a000000");
	}
	i->out_updates = env("LU_MOCK_UPDATES", 0);
	if (state >= XEN_LU_STATE_PREPARED) {
		i->out_generation = 1;
		i->out_records_len = 2048;
		i->out_records_dest = 0x8a400000;
	}
	if (state == XEN_LU_STATE_COMMITTED)
		i->out_commit_result = env("LU_MOCK_RESULT", XEN_LU_COMMIT_UPDATED);
	return 0;
}

/* The errno of the command, with out_check and what it names. */
static int refuse(uint32_t *check, char *participant)
{
	*check = env("LU_MOCK_CHECK", XEN_LU_CHECK_NONE);
	if (participant)
		strcpy(participant, "test-participant");
	return fail(env("LU_MOCK_ERRNO", 0));
}

static int prepare(struct xen_lu_prepare *p)
{
	if (p->size != sizeof(*p) || p->flags & ~XEN_LU_PREPARE_FORCE)
		return fail(EINVAL);
	if (env("LU_MOCK_ERRNO", 0)) {
		strcpy(p->out_backend_type, "vif");
		p->out_backend_frontend_domid = 1;
		p->out_backend_devid = 0;
		p->out_backend_state = 2;
		p->out_frontend_state = 4;
		p->out_nr_unstable = 1;
		return refuse(&p->out_check, p->out_participant);
	}
	p->out_nr_unstable = p->flags & XEN_LU_PREPARE_FORCE ? 1 : 0;
	p->out_records_len = 2048;
	p->out_records_dest = 0x8a400000;
	p->out_nr_domains = 2;
	p->out_nr_backends = 3;
	p->out_nr_evtchns = 12;
	p->out_nr_participants = 1;
	return 0;
}

static int commit(struct xen_lu_commit *c)
{
	if (c->size != sizeof(*c) || c->flags)
		return fail(EINVAL);
	if (env("LU_MOCK_ERRNO", 0))
		return refuse(&c->out_check, c->out_participant);
	c->out_result = env("LU_MOCK_RESULT", XEN_LU_COMMIT_UPDATED);
	c->out_generation = 2;
	c->out_changed_domains = 0;
	c->out_changed_backends = 1;
	c->out_reloaded = 1;
	c->out_nr_changes = 1;
	c->out_records_len = 2048;
	return 0;
}

/* One of each kind of difference, in turn. */
static void difference(struct xen_lu_difference *d, unsigned int i)
{
	static const struct xen_lu_difference samples[] = {
		{ XEN_LU_REC_DOM0_DOMAIN, XEN_LU_DIFF_MISSING, 2, 0, 0, 0, "" },
		{ XEN_LU_REC_DOM0_BACKEND, XEN_LU_DIFF_BACKEND_STATE, 1, 0, 4, 6, "vif" },
		{ XEN_LU_REC_DOM0_EVTCHN, XEN_LU_DIFF_EVTCHN_REMOTE, 0, 9,
		  1ULL << 32 | 3, 1ULL << 32 | 4, "" },
		{ XEN_LU_REC_DOM0_BACKEND, XEN_LU_DIFF_RING_REFS, 1, 51712,
		  0x811c9dc5, 0x050c5d1f, "vbd" },
		{ XEN_LU_REC_DOM0_BACKEND, XEN_LU_DIFF_FRONTEND_STATE, 1, 51712, 4, 5, "vbd" },
		{ XEN_LU_REC_DOM0_EVTCHN, XEN_LU_DIFF_EVTCHN_STATUS, 0, 7, 2, 1, "" },
		{ XEN_LU_REC_DOM0_DOMAIN, XEN_LU_DIFF_DOMAIN_IDENTITY, 1, 0, 1, 2, "" },
		{ XEN_LU_REC_DOM0_BACKEND, XEN_LU_DIFF_EVTCHNS, 1, 0, 5, 6, "vif" },
		{ XEN_LU_REC_DOM0_DOMAIN, XEN_LU_DIFF_NEW, 3, 0, 0, 0, "" },
		{ XEN_LU_REC_DOM0_BACKEND, XEN_LU_DIFF_UNRECORDABLE, 1, 1,
		  XEN_LU_UNRECORDABLE_NONE, XEN_LU_UNRECORDABLE_QUEUES, "vif" },
		{ XEN_LU_REC_DOM0_HEADER, XEN_LU_DIFF_UNVERIFIED, 0, 0, 0, EIO, "" },
	};

	*d = samples[i % (sizeof(samples) / sizeof(samples[0]))];
}

static int finish(struct xen_lu_finish *f)
{
	struct xen_lu_difference *d = (void *)(uintptr_t)f->differences;
	unsigned int i, n = env("LU_MOCK_DIFFS", 0);

	if (f->size != sizeof(*f) || f->flags)
		return fail(EINVAL);
	if (env("LU_MOCK_ERRNO", 0))
		return fail(env("LU_MOCK_ERRNO", 0));
	for (i = 0; i < n && i < f->max_differences; i++)
		difference(&d[i], i);
	f->out_nr_differences = n;
	f->out_updates = 1;
	f->out_generation = 2;
	f->out_nr_domains = 2;
	f->out_nr_backends = 3;
	f->out_nr_evtchns = 12;
	f->out_nr_connected = 2;
	return 0;
}

static int simple(const struct xen_lu_cancel *c)
{
	if (c->size != sizeof(*c) || c->flags)
		return fail(EINVAL);
	return env("LU_MOCK_ERRNO", 0) ? fail(env("LU_MOCK_ERRNO", 0)) : 0;
}

static void put_rec(uint8_t **p, uint32_t type, const void *body, uint32_t len)
{
	struct xen_lu_rec_hdr h = { type, len };

	memcpy(*p, &h, sizeof(h));
	memcpy(*p + sizeof(h), body, len);
	*p += sizeof(h) + ((len + XEN_LU_REC_ALIGN - 1) & ~(XEN_LU_REC_ALIGN - 1));
}

/*
 * A backend record of records version 2: the fixed part, nr_ring_refs
 * references from ref0 up, nr_evtchns ports from port0 up, the paths
 * (an empty type names "9pfs-passthrough", one that did not fit), and
 * the features.
 */
static void put_backend(uint8_t **p, struct xen_lu_rec_dom0_backend b,
			uint32_t ref0, uint32_t port0, const char *feat,
			uint32_t feat_len)
{
	uint8_t body[1024], *q = body + sizeof(b);
	const char *type = b.type[0] ? b.type : "9pfs-passthrough";
	char bpath[64], fpath[64];
	uint32_t i, v;

	snprintf(bpath, sizeof(bpath), "/local/domain/0/backend/%s/%u/%u",
		 type, b.frontend_domid, b.devid);
	snprintf(fpath, sizeof(fpath), "/local/domain/%u/device/%s/%u",
		 b.frontend_domid, type, b.devid);
	b.backend_path_len = strlen(bpath) + 1;
	b.frontend_path_len = strlen(fpath) + 1;
	b.features_len = feat_len;
	for (i = 0; i < b.nr_ring_refs + b.nr_evtchns; i++, q += 4) {
		v = i < b.nr_ring_refs ? ref0 + i : port0 + i - b.nr_ring_refs;
		memcpy(q, &v, 4);
	}
	memcpy(q, bpath, b.backend_path_len);
	q += b.backend_path_len;
	memcpy(q, fpath, b.frontend_path_len);
	q += b.frontend_path_len;
	memcpy(q, feat, feat_len);
	q += feat_len;
	memcpy(body, &b, sizeof(b));
	put_rec(p, XEN_LU_REC_DOM0_BACKEND, body, q - body);
}

/*
 * dom0 and guest 1 with a vbd of one ring page, a vbd of 8 queues of 16
 * ring pages, a vif unrecordable for its queues, a device unrecordable
 * for its type's size; END.
 */
static int collect(struct xen_lu_collect *c)
{
	static const char vbd_feat[] =
		"be:feature-flush-cache=1\0fe:feature-persistent=1";
	struct xen_lu_rec_dom0_header h = {
		.records_version = env("LU_MOCK_RECORDS_VERSION",
				       XEN_LU_RECORDS_VERSION),
		.abi_version = XEN_LU_ABI_VERSION, .xen_major = 4,
		.xen_minor = 17, .xen_extraversion = ".3",
		.generation = c->flags & XEN_LU_COLLECT_HANDED_OVER ? 2 : 1,
		.kernel_release = "6.1.0-mock", .module_version = MOCK_MODULE_VERSION,
		.nr_domains = 2, .nr_backends = 4,
	};
	struct xen_lu_rec_dom0_domain d = { .domid = 0, .name = "Domain-0" };
	struct xen_lu_rec_dom0_backend vbd = {
		.frontend_domid = 1, .devid = 51712, .backend_state = 4,
		.frontend_state = 4, .nr_ring_refs = 1, .nr_evtchns = 1,
		.type = "vbd", .protocol = "x86_64-abi",
	};
	struct xen_lu_rec_dom0_backend mq = vbd;
	struct xen_lu_rec_dom0_backend vif = {
		.frontend_domid = 1, .devid = 1, .backend_state = 4,
		.frontend_state = 4, .flags = XEN_LU_BACKEND_UNRECORDABLE,
		.unrecordable = XEN_LU_UNRECORDABLE_QUEUES, .type = "vif",
	};
	struct xen_lu_rec_dom0_backend size = vif;
	uint8_t buf[4096] = { 0 }, *p = buf;

	if (c->size != sizeof(*c) || c->flags & ~XEN_LU_COLLECT_HANDED_OVER)
		return fail(EINVAL);
	if ((c->flags & XEN_LU_COLLECT_HANDED_OVER) && env("LU_MOCK_ERRNO", 0))
		return fail(env("LU_MOCK_ERRNO", 0));
	put_rec(&p, XEN_LU_REC_DOM0_HEADER, &h, sizeof(h));
	put_rec(&p, XEN_LU_REC_DOM0_DOMAIN, &d, sizeof(d));
	d = (struct xen_lu_rec_dom0_domain){ .domid = 1, .name = "guest" };
	put_rec(&p, XEN_LU_REC_DOM0_DOMAIN, &d, sizeof(d));
	put_backend(&p, vbd, 8, 20, vbd_feat, sizeof(vbd_feat));
	mq.devid = 51728;
	mq.nr_queues = 8;
	mq.nr_ring_refs = 8 * XEN_LU_MAX_RING_PAGES;
	mq.nr_evtchns = 8;
	put_backend(&p, mq, 1000, 30, "", 0);
	put_backend(&p, vif, 0, 0, "", 0);
	size.devid = 0;
	size.unrecordable = XEN_LU_UNRECORDABLE_SIZE;
	memset(size.type, 0, sizeof(size.type));
	put_backend(&p, size, 0, 0, "", 0);
	put_rec(&p, XEN_LU_REC_END, NULL, 0);
	c->out_len = p - buf;
	c->out_nr_domains = h.nr_domains;
	c->out_nr_backends = h.nr_backends;
	if (c->buf_len < c->out_len)
		return fail(ENOSPC);
	memcpy((void *)(uintptr_t)c->buf, buf, c->out_len);
	return 0;
}

/* 640 KiB and 4 GiB of RAM, as the hypervisor's machine memory map. */
static int memory_map(struct xen_lu_memory_map *m)
{
	static const struct xen_lu_mem_entry ram[] = {
		{ .addr = 0, .size = 0xa0000, .type = 1 },
		{ .addr = 0x100000, .size = 0xfff00000ull, .type = 1 },
	};
	const uint32_t n = sizeof(ram) / sizeof(ram[0]);

	if (m->size != sizeof(*m) || m->flags)
		return fail(EINVAL);
	if (m->nr_entries < n) {
		m->nr_entries = n;
		return fail(ENOSPC);
	}
	memcpy((void *)(uintptr_t)m->entries, ram, sizeof(ram));
	m->nr_entries = n;
	return 0;
}

/* Read every segment, as the module copies them, and take its time. */
static int stage(struct xen_lu_stage *s)
{
	const struct xen_lu_segment *seg = (const void *)(uintptr_t)s->segments;
	unsigned long ms = env("LU_MOCK_STAGE_MS", 0);
	volatile uint8_t sum = 0;
	uint32_t i;
	uint64_t b;

	if (s->size != sizeof(*s) || !s->nr_segments ||
	    s->nr_segments > XEN_LU_MAX_SEGMENTS)
		return fail(EINVAL);
	for (i = 0; i < s->nr_segments; i++)
		for (b = 0; b < seg[i].buf_size; b += 4096)
			sum += ((const uint8_t *)(uintptr_t)seg[i].buf)[b];
	usleep(ms * 1000);
	s->out_rule = XEN_LU_RULE_NONE;
	return env("LU_MOCK_ERRNO", 0) ? fail(env("LU_MOCK_ERRNO", 0)) : 0;
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real_ioctl)(int, unsigned long, ...);
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real_ioctl)
		real_ioctl = dlsym(RTLD_NEXT, "ioctl");
	if (fd != mock_fd || fd < 0)
		return real_ioctl(fd, req, arg);
	switch (req) {
	case XEN_LU_IOCTL_GET_INFO:
		return get_info(arg);
	case XEN_LU_IOCTL_PREPARE:
		return prepare(arg);
	case XEN_LU_IOCTL_COMMIT:
		return commit(arg);
	case XEN_LU_IOCTL_FINISH:
		return finish(arg);
	case XEN_LU_IOCTL_CANCEL:
	case XEN_LU_IOCTL_UNSTAGE:
		return simple(arg);
	case XEN_LU_IOCTL_COLLECT:
		return collect(arg);
	case XEN_LU_IOCTL_GET_MEMORY_MAP:
		return memory_map(arg);
	case XEN_LU_IOCTL_STAGE:
		return stage(arg);
	default:
		return fail(ENOTTY);
	}
}
