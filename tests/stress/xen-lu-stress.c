// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-lu-stress: concurrent ioctl stress of /dev/xen/liveupdate, run in the
 * test host's dom0 (tests/xen-host/dom0/stress.sh) for a bounded time.
 *
 * Processes, each with a seed derived from the one printed at the start:
 *   reader       read-only fds: random ioctls, every number of the UAPI
 *                and invalid ones, random sizes, flags and pointers
 *   controller   tries O_RDWR (EBUSY while another controller is open),
 *                then the same random ioctls plus well-formed state changes
 *   racer        read-only: GET_INFO and COLLECT(HANDED_OVER) back to back,
 *                each answer checked against the device state
 *   lifecycle    with the SIMULATED live-update hypervisor: stage, prepare,
 *                commit (the simulator's exec failing at random, so COMMIT
 *                repeats; the test participant's record changed first, so
 *                a commit reloads the records), finish, cancel, holding
 *                the controller for a few commands at a time
 * and the parent, which tries to unload xen_liveupdate while it holds an
 * fd (must fail: in use) and with every worker quiesced (must succeed),
 * then reloads it.
 *
 * Checked: every errno is in the ioctl's documented set (UAPI header),
 * GET_INFO answers are consistent, record dumps are well formed, the
 * kernel never writes past the size user space gave, COLLECT(HANDED_OVER)
 * finds the records whenever the device holds them, every worker exits
 * by the deadline.  The kernel log is checked by stress.sh.
 *
 * Exit: 0 nothing found, 1 something found, 2 usage or setup error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <xen/liveupdate.h>

#include "lu_dev.h"
#include "lu_image.h"

#define MODULE_NAME	"xen_liveupdate"
#define SIM_DIR		"/sys/kernel/debug/xen_lu_sim"
#define NERR		160
#define MAX_WORKERS	32
#define MAX_FAILS	64
#define FAIL_LEN	240
#define DUMP_ROOM	(8U << 20)
#define ARENA_RW	24	/* pages */
#define GRACE_S		30
/*
 * A collection reads every device from xenstore and holds the
 * participants' lock throughout (seconds under TCG): at most one fresh
 * COLLECT starts per this many ns, the others ask for the records handed
 * over, or the collections alone fill the run.
 */
#define FRESH_COLLECT_NS	3000000000ULL
#define PARTICIPANT	"xen_lu_test_participant"

/* Kinds: the UAPI commands in number order, then the invalid numbers. */
enum { K_INFO, K_MAP, K_STAGE, K_UNSTAGE, K_COLLECT, K_PREPARE, K_COMMIT,
       K_FINISH, K_CANCEL, K_INVALID, NK };

static const char *const kind_name[NK] = {
	"GET_INFO", "GET_MEMORY_MAP", "STAGE", "UNSTAGE", "COLLECT",
	"PREPARE", "COMMIT", "FINISH", "CANCEL", "invalid-number",
};

static const unsigned int kind_cmd[K_INVALID] = {
	XEN_LU_IOCTL_GET_INFO, XEN_LU_IOCTL_GET_MEMORY_MAP,
	XEN_LU_IOCTL_STAGE, XEN_LU_IOCTL_UNSTAGE, XEN_LU_IOCTL_COLLECT,
	XEN_LU_IOCTL_PREPARE, XEN_LU_IOCTL_COMMIT, XEN_LU_IOCTL_FINISH,
	XEN_LU_IOCTL_CANCEL,
};

static const unsigned int kind_size[K_INVALID] = {
	sizeof(struct xen_lu_info), sizeof(struct xen_lu_memory_map),
	sizeof(struct xen_lu_stage), sizeof(struct xen_lu_unstage),
	sizeof(struct xen_lu_collect), sizeof(struct xen_lu_prepare),
	sizeof(struct xen_lu_commit), sizeof(struct xen_lu_finish),
	sizeof(struct xen_lu_cancel),
};

/* The last input each command needs: shorter is EINVAL. */
static const unsigned int kind_min[K_INVALID] = {
	offsetofend(struct xen_lu_info, flags),
	offsetofend(struct xen_lu_memory_map, entries),
	offsetofend(struct xen_lu_stage, image_len),
	offsetofend(struct xen_lu_unstage, flags),
	offsetofend(struct xen_lu_collect, buf_len),
	offsetofend(struct xen_lu_prepare, flags),
	offsetofend(struct xen_lu_commit, flags),
	offsetofend(struct xen_lu_finish, max_differences),
	offsetofend(struct xen_lu_cancel, flags),
};

/*
 * The documented errno sets, from include/uapi/xen/liveupdate.h.  The
 * general list (EFAULT, EINVAL, E2BIG, EPERM, ENOMEM) applies to every
 * command (EPERM: CAP_SYS_BOOT for a controller-only one); ENOTTY only
 * to unknown numbers; EBUSY, which the general list gives for open, only
 * where a command documents it.  FINISH reports a failed collection as a
 * difference, not as its errno.  "The errno of a
 * xenstore read" is every errno xenbus maps (xsd_errors).  EIO is what
 * this tool arms in the simulator's fail_exec, and the simulator's
 * hypervisor errno for COMMIT's exec.
 */
#define ERRS_END	0
static const int errs_common[] = { EFAULT, EINVAL, E2BIG, EPERM, ENOMEM,
				   ERRS_END };
static const int errs_xs[] = { EINVAL, EACCES, EEXIST, EISDIR, ENOENT,
			       ENOMEM, ENOSPC, EIO, ENOTEMPTY, ENOSYS, EROFS,
			       EBUSY, EAGAIN, EISCONN, E2BIG, EPERM, ERRS_END };
static const int errs_kind[NK][20] = {
	[K_INFO] = { ERRS_END },
	[K_MAP] = { ENOSPC, ERRS_END },
	[K_STAGE] = { EBADF, EEXIST, EOPNOTSUPP, EKEYREJECTED, EBADMSG,
		      ENOKEY, ENOPKG, EINTR, EBUSY, EADDRNOTAVAIL, ERRS_END },
	[K_UNSTAGE] = { EBADF, ENOENT, EBUSY, ERRS_END },
	[K_COLLECT] = { ENOSPC, EPROTO, EBUSY, ERRS_END },
	[K_PREPARE] = { EBADF, ENOENT, EALREADY, EBUSY, EOPNOTSUPP, ESTALE,
			ENOSPC, EIO, ERRS_END },
	[K_COMMIT] = { EBADF, ENOENT, EPROTO, EBUSY, EALREADY, ETIMEDOUT,
		       ENOSPC, EIO, ERRS_END },
	[K_FINISH] = { EBADF, ENOENT, EPROTO, EBUSY, EAGAIN, ERRS_END },
	[K_CANCEL] = { EBADF, ENOENT, EPROTO, EBUSY, EIO, ERRS_END },
	[K_INVALID] = { ENOTTY, ERRS_END },
};
/* Commands that collect, so whose errno may be a xenstore read's. */
static const bool kind_collects[NK] = {
	[K_COLLECT] = true, [K_PREPARE] = true, [K_COMMIT] = true,
};
static const bool kind_controller[NK] = {
	[K_STAGE] = true, [K_UNSTAGE] = true, [K_PREPARE] = true,
	[K_COMMIT] = true, [K_FINISH] = true, [K_CANCEL] = true,
};

static bool documented[NK][NERR];

static void documented_init(void)
{
	const int *e;
	int k;

	for (k = 0; k < NK; k++) {
		documented[k][0] = true;
		if (k != K_INVALID)
			for (e = errs_common; *e; e++)
				documented[k][*e] = true;
		if (kind_collects[k])
			for (e = errs_xs; *e; e++)
				documented[k][*e] = true;
		for (e = errs_kind[k]; *e; e++)
			documented[k][*e] = true;
	}
}

enum { F_UNDOC, F_INFO, F_DUMP, F_OVERWRITE, F_RACE, F_RMMOD, F_HANG,
       F_BIG, F_NOCAP, F_SETUP, NF };
static const char *const fail_name[NF] = {
	"undocumented-errno", "inconsistent-info", "corrupt-dump",
	"write-past-size", "handed-over-missing", "rmmod", "hung-worker",
	"size-above-max-accepted", "state-change-without-cap-sys-boot",
	"setup",
};

/* Shared by every process (MAP_SHARED). */
struct shared {
	uint64_t count[NK][NERR];
	uint64_t open_rc[2][NERR];	/* [0] O_RDONLY, [1] O_RDWR */
	uint64_t big_ok[NK];		/* size > page size accepted */
	uint64_t nocap_ok[NK];		/* state change without CAP_SYS_BOOT */
	uint64_t nocap_tried[NK];
	uint64_t fails[NF];
	uint64_t commits_ok, commits_reloaded, commits_exec_failed;
	uint64_t lifecycles, handed_over_ok, handed_over_checked;
	uint64_t rmmod_busy, rmmod_done, rmmod_tries, rmmod_held;
	uint64_t max_ns[NK];		/* the slowest call of each command */
	uint64_t fresh_collect_ns;	/* last COLLECT without HANDED_OVER */
	uint64_t drop_gen;		/* record-dropping commands done */
	uint32_t drop_inflight;		/* ... and under way */
	uint32_t nfail;
	int stop;
	int pause;
	int paused;
	char fail[MAX_FAILS][FAIL_LEN];
};

static struct shared *sh;
static uint64_t deadline_ns;
static bool have_sim;
static int verbose;

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? rnd(r) % n : 0;
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static bool time_up(void)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_RELAXED) ||
	       mono_ns() >= deadline_ns;
}

static void add(uint64_t *c, uint64_t n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

static const char *errname(int e)
{
	static char buf[16];
	const char *n = strerrorname_np(e);

	if (!e)
		return "ok";
	if (n)
		return n;
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

static __attribute__((format(printf, 2, 3)))
void fail(int what, const char *fmt, ...)
{
	uint32_t i;
	va_list ap;
	char msg[FAIL_LEN];
	int n;

	n = snprintf(msg, sizeof(msg), "%s: [pid %d] ", fail_name[what],
		     getpid());
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	add(&sh->fails[what], 1);
	i = __atomic_fetch_add(&sh->nfail, 1, __ATOMIC_RELAXED);
	if (i < MAX_FAILS)
		memcpy(sh->fail[i], msg, sizeof(msg));
	if (i < 16 || verbose)
		fprintf(stderr, "FAIL %s\n", msg);
}

/* Record-dropping commands (CANCEL, FINISH, UNSTAGE, module unload). */
static void drop_begin(void)
{
	__atomic_fetch_add(&sh->drop_inflight, 1, __ATOMIC_SEQ_CST);
}

static void drop_end(void)
{
	__atomic_fetch_add(&sh->drop_gen, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_sub(&sh->drop_inflight, 1, __ATOMIC_SEQ_CST);
}

/* The memory arguments live in: guard, RW pages, one RO page, guard. */
struct arena {
	uint8_t *base;		/* first guard page */
	uint8_t *rw;
	uint8_t *ro;
	uint8_t *guard_end;
	uint8_t *dump;		/* DUMP_ROOM bytes for COLLECT */
	struct image *img;	/* a valid live-update image, when known */
	bool img_valid;
};

static int arena_init(struct arena *a)
{
	size_t len = (ARENA_RW + 3) * PG;

	a->base = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (a->base == MAP_FAILED)
		return -1;
	a->rw = a->base + PG;
	a->ro = a->rw + ARENA_RW * PG;
	a->guard_end = a->ro + PG;
	if (mprotect(a->rw, ARENA_RW * PG, PROT_READ | PROT_WRITE) ||
	    mprotect(a->ro, PG, PROT_READ))
		return -1;
	a->dump = malloc(DUMP_ROOM);
	a->img = calloc(1, sizeof(*a->img));
	return a->dump && a->img ? 0 : -1;
}

/* Write @len bytes of @src into the read-only page. */
static void ro_fill(struct arena *a, const void *src, size_t len)
{
	mprotect(a->ro, PG, PROT_READ | PROT_WRITE);
	memset(a->ro, 0, PG);
	memcpy(a->ro, src, len < PG ? len : PG);
	mprotect(a->ro, PG, PROT_READ);
}

/* A user pointer for an embedded buffer: mostly valid, sometimes not. */
static uint64_t rand_ptr(struct rng *r, struct arena *a, void *valid)
{
	switch (below(r, 12)) {
	case 0:
		return 0;
	case 1:
		return ptr(a->base);			/* unmapped */
	case 2:
		return ptr(a->ro);			/* read-only */
	case 3:
		return 0xdead000000000000ULL;		/* non-canonical */
	case 4:
		return 0xffffffff81000000ULL;		/* kernel */
	case 5:
		return ptr(a->ro + PG - 8);		/* runs into a guard */
	default:
		return ptr(valid);
	}
}

static uint32_t rand_flags(struct rng *r, uint32_t valid)
{
	switch (below(r, 10)) {
	case 0:
		return 1U << below(r, 32);
	case 1:
		return (uint32_t)rnd(r);
	case 2:
	case 3:
		return valid & (uint32_t)rnd(r);
	default:
		return 0;
	}
}

/* Bytes of a records dump: the UAPI layout. */
static bool dump_ok(const uint8_t *d, uint64_t len,
		    const struct xen_lu_collect *c, char *why, size_t wlen)
{
	const struct xen_lu_rec_dom0_header *h;
	uint32_t nr[5] = { 0 }, type, rlen, last = 0;
	uint64_t off = 0, pad;

	if (len < 16) {
		snprintf(why, wlen, "%" PRIu64 " bytes", len);
		return false;
	}
	while (off + 8 <= len) {
		memcpy(&type, d + off, 4);
		memcpy(&rlen, d + off + 4, 4);
		if (!off && (type != XEN_LU_REC_DOM0_HEADER ||
			     rlen < sizeof(*h))) {
			snprintf(why, wlen, "first record %#x len %u", type,
				 rlen);
			return false;
		}
		if (type == XEN_LU_REC_END) {
			if (rlen || off + 8 != len) {
				snprintf(why, wlen, "END at %" PRIu64 " of %" PRIu64 " (len %u)",
					 off, len, rlen);
				return false;
			}
			break;
		}
		if (type < XEN_LU_REC_DOM0_HEADER ||
		    type > XEN_LU_REC_DOM0_PARTICIPANT ||
		    (off && type == XEN_LU_REC_DOM0_HEADER) ||
		    type - XEN_LU_REC_DOM0_HEADER < last ||
		    rlen > XEN_LU_REC_MAX_BODY) {
			snprintf(why, wlen, "record %#x len %u at %" PRIu64,
				 type, rlen, off);
			return false;
		}
		last = type - XEN_LU_REC_DOM0_HEADER;
		nr[last]++;
		pad = ((uint64_t)rlen + 7) & ~7ULL;
		if (off + 8 + pad > len) {
			snprintf(why, wlen, "record %#x at %" PRIu64 " runs past %" PRIu64,
				 type, off, len);
			return false;
		}
		for (uint64_t i = rlen; i < pad; i++)
			if (d[off + 8 + i]) {
				snprintf(why, wlen, "padding not zero at %" PRIu64,
					 off + 8 + i);
				return false;
			}
		off += 8 + pad;
	}
	if (off + 8 != len) {
		snprintf(why, wlen, "no END (walked %" PRIu64 " of %" PRIu64 ")",
			 off, len);
		return false;
	}
	h = (const void *)(d + 8);
	if (h->records_version != XEN_LU_RECORDS_VERSION || !h->generation ||
	    h->nr_domains != nr[1] || h->nr_backends != nr[2] ||
	    h->nr_evtchns != nr[3] || h->nr_participants != nr[4] ||
	    c->out_nr_domains != nr[1] || c->out_nr_backends != nr[2] ||
	    c->out_nr_evtchns != nr[3] || c->out_nr_participants != nr[4]) {
		snprintf(why, wlen, "header v%u gen %llu counts %u/%u/%u/%u, found %u/%u/%u/%u, ioctl %u/%u/%u/%u",
			 h->records_version, (unsigned long long)h->generation,
			 h->nr_domains, h->nr_backends, h->nr_evtchns,
			 h->nr_participants, nr[1], nr[2], nr[3], nr[4],
			 c->out_nr_domains, c->out_nr_backends,
			 c->out_nr_evtchns, c->out_nr_participants);
		return false;
	}
	return true;
}

/* One GET_INFO answer (of @size bytes) in itself. */
static void info_check(const struct xen_lu_info *in, uint32_t size)
{
	struct xen_lu_info i = { 0 };
	bool frozen, staged;
	uint32_t st;

	memcpy(&i, in, size < sizeof(i) ? size : sizeof(i));
	if (size < offsetofend(struct xen_lu_info, __reserved2))
		return;
	st = i.out_state;
	frozen = i.out_flags & XEN_LU_INFO_FROZEN;
	staged = i.out_flags & XEN_LU_INFO_STAGED;
	if (i.out_abi_version != XEN_LU_ABI_VERSION ||
	    st > XEN_LU_STATE_COMMITTED ||
	    (frozen && st < XEN_LU_STATE_COMMITTING) ||
	    staged != (st != XEN_LU_STATE_IDLE) ||
	    (staged && i.out_staged_type != XEN_LU_IMAGE_LIVE_UPDATE &&
	     i.out_staged_type != XEN_LU_IMAGE_COLD) ||
	    (!staged && i.out_staged_type) ||
	    i.out_staged_nr_segments > XEN_LU_MAX_SEGMENTS ||
	    (st >= XEN_LU_STATE_PREPARED &&
	     (!i.out_records_len || !i.out_generation)) ||
	    (st < XEN_LU_STATE_PREPARED &&
	     (i.out_records_len || i.out_generation ||
	      i.out_commit_result)) ||
	    i.__reserved || i.__reserved2)
		fail(F_INFO, "GET_INFO: abi %u state %u flags %#x type %u segs %u records_len %llu generation %llu commit_result %u",
		     i.out_abi_version, st, i.out_flags, i.out_staged_type,
		     i.out_staged_nr_segments,
		     (unsigned long long)i.out_records_len,
		     (unsigned long long)i.out_generation,
		     i.out_commit_result);
}

/* Count and judge one ioctl's outcome. */
static void account(int kind, int rc, int err)
{
	int e = rc ? err : 0;

	if (e < 0 || e >= NERR)
		e = NERR - 1;
	add(&sh->count[kind][e], 1);
	if (!documented[kind][e])
		fail(F_UNDOC, "%s returned %s (%d), not in its documented set",
		     kind_name[kind], errname(err), err);
}

static int do_ioctl(int fd, unsigned int cmd, void *arg, int *err)
{
	uint64_t t0 = mono_ns(), dt, max;
	int rc = ioctl(fd, cmd, arg), k;

	*err = rc ? errno : 0;
	dt = mono_ns() - t0;
	for (k = 0; k < K_INVALID && kind_cmd[k] != cmd; k++)
		;
	max = __atomic_load_n(&sh->max_ns[k], __ATOMIC_RELAXED);
	while (dt > max &&
	       !__atomic_compare_exchange_n(&sh->max_ns[k], &max, dt, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	return rc;
}

static bool drops_records(int kind)
{
	return kind == K_CANCEL || kind == K_FINISH || kind == K_UNSTAGE;
}

/* Fill the argument of @kind at @arg (room: @room bytes, zeroed). */
static void fill_arg(struct rng *r, struct arena *a, int kind, uint8_t *arg,
		     bool wellformed)
{
	switch (kind) {
	case K_INFO: {
		struct xen_lu_info *p = (void *)arg;

		p->flags = wellformed ? 0 : rand_flags(r, 0);
		break;
	}
	case K_MAP: {
		struct xen_lu_memory_map *p = (void *)arg;

		p->flags = wellformed ? 0 : rand_flags(r, 0);
		p->__reserved = chance(r, 10) ? (uint32_t)rnd(r) : 0;
		p->nr_entries = chance(r, 30) ? below(r, 4) :
				below(r, XEN_LU_MAX_MEMORY_MAP * 2);
		p->entries = rand_ptr(r, a, a->dump);
		break;
	}
	case K_STAGE: {
		struct xen_lu_stage *p = (void *)arg;
		struct image *img = a->img;

		if (!a->img_valid || (!wellformed && chance(r, 50))) {
			p->flags = rand_flags(r, XEN_LU_STAGE_COLD |
					      XEN_LU_STAGE_REPLACE);
			p->nr_segments = below(r, XEN_LU_MAX_SEGMENTS + 3);
			p->segments = rand_ptr(r, a, a->dump);
			if (p->segments == ptr(a->dump))
				for (unsigned int i = 0; i < 64 * 8; i++)
					a->dump[i] = (uint8_t)rnd(r);
			p->entry = rnd(r);
			p->xen_entry = rnd(r);
			if (chance(r, 20)) {
				p->signature = rand_ptr(r, a, a->dump);
				p->signature_len = below(r, 2 * XEN_LU_MAX_SIGNATURE);
				p->image = rand_ptr(r, a, a->dump);
				p->image_len = below(r, 1 << 20);
			}
			break;
		}
		p->flags = img->flags;
		if (chance(r, 30))
			p->flags |= XEN_LU_STAGE_REPLACE;
		p->nr_segments = img->nr;
		p->segments = ptr(img->seg);
		p->entry = img->entry;
		p->xen_entry = img->xen_entry;
		break;
	}
	case K_COLLECT: {
		struct xen_lu_collect *p = (void *)arg;

		p->flags = wellformed ? 0 :
			   rand_flags(r, XEN_LU_COLLECT_HANDED_OVER);
		if (!(p->flags & XEN_LU_COLLECT_HANDED_OVER)) {
			uint64_t now = mono_ns(), last;

			last = __atomic_load_n(&sh->fresh_collect_ns,
					       __ATOMIC_RELAXED);
			if (now - last < FRESH_COLLECT_NS ||
			    !__atomic_compare_exchange_n(&sh->fresh_collect_ns,
							 &last, now, false,
							 __ATOMIC_RELAXED,
							 __ATOMIC_RELAXED))
				p->flags |= XEN_LU_COLLECT_HANDED_OVER;
		}
		p->buf = wellformed ? ptr(a->dump) : rand_ptr(r, a, a->dump);
		p->buf_len = chance(r, 20) ? below(r, 4096) : DUMP_ROOM;
		if (p->buf != ptr(a->dump) && chance(r, 50))
			p->buf_len = rnd(r);
		break;
	}
	case K_PREPARE: {
		struct xen_lu_prepare *p = (void *)arg;

		p->flags = wellformed ? (chance(r, 20) ?
					 XEN_LU_PREPARE_FORCE : 0) :
			   rand_flags(r, XEN_LU_PREPARE_FORCE);
		break;
	}
	case K_FINISH: {
		struct xen_lu_finish *p = (void *)arg;

		p->flags = wellformed ? 0 :
			   rand_flags(r, XEN_LU_FINISH_UNCHANGED);
		p->differences = wellformed ? ptr(a->dump) :
				 rand_ptr(r, a, a->dump);
		p->max_differences = chance(r, 30) ? below(r, 4) :
				     (uint32_t)below(r, 1024);
		if (!p->differences && chance(r, 50))
			p->max_differences = 0;
		break;
	}
	case K_COMMIT:
		((uint32_t *)arg)[1] = wellformed ? 0 :
				       rand_flags(r, XEN_LU_COMMIT_COLD);
		break;
	case K_UNSTAGE:
	case K_CANCEL:
		/* Same layout: size, flags. */
		((uint32_t *)arg)[1] = wellformed ? 0 : rand_flags(r, 0);
		break;
	}
}

/* Where a size/placement choice lands the argument. */
enum { P_NORMAL, P_NULL, P_UNMAPPED, P_RO, P_STRADDLE, P_NONCANON,
       P_KERNEL, P_GUARD_END };

/*
 * One random ioctl on @fd.  @wellformed: a valid argument of the real
 * size at a valid address (used for state changes).
 */
static void one_ioctl(struct rng *r, struct arena *a, int fd, int kind,
		      bool wellformed, bool nocap)
{
	uint8_t *arg = a->rw;
	uint32_t size, ksize = 0, user_size;
	unsigned int cmd, place = P_NORMAL, tail_nonzero = 0;
	size_t room = ARENA_RW * PG, canary_off = 0, canary_len = 0;
	int rc, err;
	uint64_t argp;
	bool drop;

	if (kind == K_INVALID) {
		static const uint8_t types[] = { XEN_LU_IOCTL_TYPE,
						 XEN_LU_IOCTL_TYPE + 1,
						 XEN_LU_IOCTL_TYPE - 1, 0xE0 };
		unsigned int type = types[below(r, sizeof(types))];
		unsigned int nr = (uint8_t)rnd(r);

		if (type == XEN_LU_IOCTL_TYPE && chance(r, 60)) {
			/* A known number with direction and size bits. */
			nr = below(r, K_INVALID);
			cmd = _IOC(1 + below(r, 3), type, nr,
				   kind_size[nr] & _IOC_SIZEMASK);
		} else {
			if (type == XEN_LU_IOCTL_TYPE && nr < K_INVALID)
				nr += K_INVALID;
			cmd = _IOC(below(r, 4), type, nr, below(r, 256));
		}
		memset(arg, 0, 64);
		((uint32_t *)arg)[0] = 64;
		rc = do_ioctl(fd, cmd, chance(r, 20) ? NULL : arg, &err);
		account(kind, rc, err);
		return;
	}

	cmd = kind_cmd[kind];
	ksize = kind_size[kind];
	size = ksize;
	if (!wellformed) {
		switch (below(r, 12)) {
		case 0:
			size = 0;
			break;
		case 1:
			size = 1 + below(r, kind_min[kind] - 1);
			break;
		case 2:
			size = kind_min[kind] + below(r, ksize - kind_min[kind] + 1);
			break;
		case 3:
			size = ksize + 1 + below(r, 256);
			break;
		case 4:
			size = ksize + 1 + below(r, 256);
			tail_nonzero = 1;
			break;
		case 5:
			size = PG + 1 + below(r, 3 * PG);
			break;
		case 6:
			size = 0x10000000U + (uint32_t)below(r, 0xf0000000U);
			break;
		default:
			break;
		}
		switch (below(r, 16)) {
		case 0:
			place = P_NULL;
			break;
		case 1:
			place = P_UNMAPPED;
			break;
		case 2:
			place = P_RO;
			break;
		case 3:
			place = P_STRADDLE;
			break;
		case 4:
			place = P_NONCANON;
			break;
		case 5:
			place = P_KERNEL;
			break;
		case 6:
			place = P_GUARD_END;
			break;
		default:
			break;
		}
	}

	memset(arg, 0, room);
	fill_arg(r, a, kind, arg, wellformed);
	((uint32_t *)arg)[0] = size;
	if (size > ksize && size <= room) {
		if (tail_nonzero)
			arg[ksize + below(r, size - ksize)] = 1 + below(r, 255);
	}
	user_size = size;
	/* Bytes past what user space gave must stay as they are. */
	if (place == P_NORMAL && size >= 4 && (size_t)size + 64 <= room) {
		canary_off = size;
		canary_len = 64;
		memset(arg + canary_off, 0xa5, canary_len);
	}

	switch (place) {
	case P_NULL:
		argp = 0;
		break;
	case P_UNMAPPED:
		argp = ptr(a->base + below(r, PG));
		break;
	case P_RO:
		ro_fill(a, arg, ksize);
		argp = ptr(a->ro);
		break;
	case P_STRADDLE:
		/* The size field readable, the rest read-only. */
		memmove(a->ro - 8, arg, 8);
		mprotect(a->ro, PG, PROT_READ | PROT_WRITE);
		memcpy(a->ro, arg + 8, ksize - 8 < PG ? ksize - 8 : PG);
		mprotect(a->ro, PG, PROT_READ);
		argp = ptr(a->ro - 8);
		break;
	case P_NONCANON:
		argp = 0xdead000000000000ULL + below(r, PG);
		break;
	case P_KERNEL:
		argp = 0xffffffff81000000ULL;
		break;
	case P_GUARD_END:
		/* The whole argument right before the trailing guard. */
		mprotect(a->ro, PG, PROT_READ | PROT_WRITE);
		memcpy(a->ro + PG - (ksize < PG ? ksize : PG), arg,
		       ksize < PG ? ksize : PG);
		argp = ptr(a->ro + PG - (ksize < PG ? ksize : PG));
		break;
	default:
		argp = ptr(arg);
		break;
	}

	drop = drops_records(kind) && (fd >= 0);
	if (drop)
		drop_begin();
	rc = do_ioctl(fd, cmd, (void *)(uintptr_t)argp, &err);
	if (drop)
		drop_end();
	if (place == P_GUARD_END)
		mprotect(a->ro, PG, PROT_READ);

	account(kind, rc, err);
	if (!rc && user_size > XEN_LU_MAX_ARG_SIZE) {
		add(&sh->big_ok[kind], 1);
		fail(F_BIG, "%s accepted size %u, above XEN_LU_MAX_ARG_SIZE",
		     kind_name[kind], user_size);
	}
	if (nocap && kind_controller[kind]) {
		add(&sh->nocap_tried[kind], 1);
		if (!rc) {
			add(&sh->nocap_ok[kind], 1);
			fail(F_NOCAP, "%s succeeded without CAP_SYS_BOOT",
			     kind_name[kind]);
		}
	}
	if (canary_len) {
		for (size_t i = 0; i < canary_len; i++)
			if (arg[canary_off + i] != 0xa5) {
				fail(F_OVERWRITE, "%s (size %u, rc %s) wrote byte %zu past the size",
				     kind_name[kind], user_size,
				     errname(err), i);
				break;
			}
	}
	if (place != P_NORMAL || rc)
		return;
	if (kind == K_INFO)
		info_check((void *)arg, user_size);
	if (kind == K_COLLECT && user_size >= sizeof(struct xen_lu_collect)) {
		struct xen_lu_collect *c = (void *)arg;
		char why[160];

		if (c->buf == ptr(a->dump) &&
		    !dump_ok(a->dump, c->out_len, c, why, sizeof(why)))
			fail(F_DUMP, "COLLECT%s: %s", c->flags ?
			     "(HANDED_OVER)" : "", why);
	}
}

/* Every command, weighted towards the ones that read records. */
static int rand_kind(struct rng *r)
{
	static const int w[NK] = { 14, 6, 8, 5, 14, 8, 8, 7, 7, 8 };
	int k, n = (int)below(r, 85);

	for (k = 0; k < NK; k++) {
		n -= w[k];
		if (n < 0)
			return k;
	}
	return K_INFO;
}

static int open_dev(int rw)
{
	int fd = open(LU_DEV, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	int e = fd < 0 ? errno : 0;

	add(&sh->open_rc[rw][e < NERR ? e : NERR - 1], 1);
	if (fd < 0 && e != ENOENT && e != ENODEV && e != ENXIO &&
	    !(rw && e == EBUSY))
		fail(F_UNDOC, "open(%s) failed with %s", rw ? "O_RDWR" : "O_RDONLY",
		     errname(e));
	return fd;
}

/*
 * Unload the test participant.  An update holds it (a module reference
 * from prepare() to the end): then, as an operator would, cancel that
 * update first (from PREPARED or COMMITTED) and try once more.
 */
static int participant_unload(void)
{
	struct xen_lu_cancel c = { .size = sizeof(c) };
	int fd;

	if (!syscall(SYS_delete_module, PARTICIPANT, O_NONBLOCK))
		return 0;
	if (errno != EWOULDBLOCK && errno != EBUSY)
		return -1;
	fd = open(LU_DEV, O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		ioctl(fd, XEN_LU_IOCTL_CANCEL, &c);
		close(fd);
	}
	return syscall(SYS_delete_module, PARTICIPANT, O_NONBLOCK);
}

/* Pause while the parent unloads the module; true when asked to. */
static bool pause_point(int *fd)
{
	if (!__atomic_load_n(&sh->pause, __ATOMIC_ACQUIRE))
		return false;
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	__atomic_fetch_add(&sh->paused, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&sh->pause, __ATOMIC_ACQUIRE) && !time_up())
		usleep(2000);
	__atomic_fetch_sub(&sh->paused, 1, __ATOMIC_SEQ_CST);
	return true;
}

static int get_info_fd(int fd, struct xen_lu_info *info)
{
	int rc, err;

	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	rc = do_ioctl(fd, XEN_LU_IOCTL_GET_INFO, info, &err);
	account(K_INFO, rc, err);
	if (!rc)
		info_check(info, sizeof(*info));
	return rc;
}

/* Build the valid live-update image this hypervisor takes, if any. */
static void image_prepare(struct arena *a, int fd)
{
	struct xen_lu_info info;

	a->img_valid = false;
	if (fd < 0 || get_info_fd(fd, &info))
		return;
	if (!(info.out_flags & XEN_LU_INFO_LIVE_UPDATE))
		return;
	img_init_lu(a->img, info.out_xen_start, info.out_lu_start,
		    info.out_lu_size);
	a->img_valid = true;
}

static bool drop_capability(int cap)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return false;
	d[cap / 32].effective &= ~(1U << (cap % 32));
	return !syscall(SYS_capset, &h, d);
}

enum { R_READER, R_CONTROLLER, R_RACER, R_LIFECYCLE };
static const char *const role_name[] = {
	"reader", "controller", "racer", "lifecycle",
};

static void worker_random(struct rng *r, struct arena *a, bool controller,
			  bool nocap)
{
	int fd = -1, n, i, k;

	while (!time_up()) {
		if (pause_point(&fd))
			continue;
		/* Leave the controller to the lifecycle most of the time. */
		fd = open_dev(controller && chance(r, 30));
		if (fd < 0 && controller)
			fd = open_dev(0);
		if (fd < 0) {
			usleep(1000 + below(r, 5000));
			continue;
		}
		if (!a->img_valid || chance(r, 2))
			image_prepare(a, fd);
		n = 1 + below(r, 40);
		for (i = 0; i < n && !time_up(); i++) {
			if (__atomic_load_n(&sh->pause, __ATOMIC_ACQUIRE))
				break;
			k = rand_kind(r);
			one_ioctl(r, a, fd, k,
				  controller && kind_controller[k] &&
				  chance(r, 20), nocap);
		}
		close(fd);
		fd = -1;
		if (controller)
			usleep(below(r, 20000));
	}
}

/*
 * GET_INFO and COLLECT(HANDED_OVER) back to back.  The records handed
 * over must be there whenever the device holds them: from a GET_INFO that
 * says PREPARED or later, with no record-dropping command under way or
 * done meanwhile, COLLECT(HANDED_OVER) must not answer EPROTO, and what
 * it returns must be a well-formed dump.
 */
static void worker_racer(struct rng *r, struct arena *a)
{
	struct xen_lu_collect c;
	struct xen_lu_info info;
	uint64_t g1, g2;
	uint32_t i1, i2;
	int fd = -1, rc, err;
	char why[160];

	while (!time_up()) {
		if (pause_point(&fd))
			continue;
		if (fd < 0)
			fd = open_dev(0);
		if (fd < 0) {
			usleep(2000);
			continue;
		}
		i1 = __atomic_load_n(&sh->drop_inflight, __ATOMIC_SEQ_CST);
		g1 = __atomic_load_n(&sh->drop_gen, __ATOMIC_SEQ_CST);
		if (get_info_fd(fd, &info))
			continue;
		memset(&c, 0, sizeof(c));
		c.size = sizeof(c);
		c.flags = XEN_LU_COLLECT_HANDED_OVER;
		c.buf = ptr(a->dump);
		c.buf_len = DUMP_ROOM;
		rc = do_ioctl(fd, XEN_LU_IOCTL_COLLECT, &c, &err);
		i2 = __atomic_load_n(&sh->drop_inflight, __ATOMIC_SEQ_CST);
		g2 = __atomic_load_n(&sh->drop_gen, __ATOMIC_SEQ_CST);
		account(K_COLLECT, rc, err);
		if (!rc) {
			add(&sh->handed_over_ok, 1);
			if (!dump_ok(a->dump, c.out_len, &c, why, sizeof(why)))
				fail(F_DUMP, "COLLECT(HANDED_OVER) in state %u generation %llu: %s",
				     info.out_state,
				     (unsigned long long)info.out_generation,
				     why);
		}
		if (info.out_state >= XEN_LU_STATE_PREPARED && !i1 && !i2 &&
		    g1 == g2) {
			add(&sh->handed_over_checked, 1);
			if (rc && err == EPROTO)
				fail(F_RACE, "COLLECT(HANDED_OVER): EPROTO (nothing handed over) while the device holds records (state %u, generation %llu, %llu bytes)",
				     info.out_state,
				     (unsigned long long)info.out_generation,
				     (unsigned long long)info.out_records_len);
		}
		if (chance(r, 5)) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
}

static void sim_knob(const char *name, int value)
{
	char path[128], val[16];
	int fd, n;

	snprintf(path, sizeof(path), SIM_DIR "/%s", name);
	n = snprintf(val, sizeof(val), "%d\n", value);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, val, n) != n)
		fail(F_SETUP, "writing %s: %s", path, strerror(errno));
	close(fd);
}

/* The test participant's record changes, when it is loaded. */
static void participant_bump(struct rng *r)
{
	char val[24];
	int fd, n;

	fd = open("/sys/module/" PARTICIPANT "/parameters/value",
		  O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = snprintf(val, sizeof(val), "%llu\n",
		     (unsigned long long)(1 + below(r, 1000000)));
	if (write(fd, val, n) != n)
		fail(F_SETUP, "writing the participant's value: %s",
		     strerror(errno));
	close(fd);
}

/* The lifecycle's current update has seen its exec fail once. */
static bool exec_failed;

/* One well-formed state change as the controller; -1 when not one. */
static int lifecycle_step(struct rng *r, struct arena *a, int fd,
			  const struct xen_lu_info *info, int *kind)
{
	union {
		struct xen_lu_stage stage;
		struct xen_lu_prepare prepare;
		struct xen_lu_commit commit;
		struct xen_lu_finish finish;
		struct xen_lu_cancel cancel;
		struct xen_lu_unstage unstage;
	} u;
	unsigned int cmd;
	int rc, err;
	bool drop = false;

	memset(&u, 0, sizeof(u));
	switch (info->out_state) {
	case XEN_LU_STATE_IDLE:
		if (!a->img_valid)
			return -1;
		*kind = K_STAGE;
		fill_arg(r, a, K_STAGE, (void *)&u, true);
		break;
	case XEN_LU_STATE_STAGED:
		*kind = chance(r, 5) ? K_UNSTAGE : K_PREPARE;
		if (chance(r, 50))
			u.prepare.flags = XEN_LU_PREPARE_FORCE;
		break;
	case XEN_LU_STATE_PREPARED:
		*kind = chance(r, 8) ? K_CANCEL : K_COMMIT;
		if (*kind == K_COMMIT) {
			/* The first commit of each update fails its exec. */
			sim_knob("fail_exec", !exec_failed || chance(r, 30) ?
				  EIO : 0);
			/* A changed record: the commit reloads the records. */
			participant_bump(r);
		}
		break;
	case XEN_LU_STATE_COMMITTED:
		*kind = chance(r, 15) ? K_CANCEL : K_FINISH;
		u.finish.differences = ptr(a->dump);
		u.finish.max_differences = 64;
		if (*kind == K_CANCEL)
			memset(&u, 0, sizeof(u));
		break;
	default:
		return -1;
	}
	cmd = kind_cmd[*kind];
	u.stage.size = kind_size[*kind];
	drop = drops_records(*kind);
	if (drop)
		drop_begin();
	rc = do_ioctl(fd, cmd, &u, &err);
	if (drop)
		drop_end();
	account(*kind, rc, err);
	if (*kind == K_COMMIT) {
		if (!rc) {
			add(&sh->commits_ok, 1);
			if (u.commit.out_reloaded)
				add(&sh->commits_reloaded, 1);
		} else if (u.commit.out_check == XEN_LU_CHECK_EXEC) {
			add(&sh->commits_exec_failed, 1);
			exec_failed = true;
		}
		sim_knob("fail_exec", 0);
	}
	if (*kind == K_FINISH && !rc)
		add(&sh->lifecycles, 1);
	if (*kind == K_PREPARE && !rc)
		exec_failed = false;
	return rc ? err : 0;
}

static void worker_lifecycle(struct rng *r, struct arena *a)
{
	struct xen_lu_info info;
	int fd = -1, kind, n;

	while (!time_up()) {
		if (pause_point(&fd))
			continue;
		fd = open_dev(1);
		if (fd < 0) {
			usleep(1000 + below(r, 3000));
			continue;
		}
		if (!a->img_valid)
			image_prepare(a, fd);
		/*
		 * A few steps, then the controller goes: the state is the
		 * device's, and the next controller carries on from it.
		 */
		for (n = 0; n < 8 && !time_up(); n++) {
			if (__atomic_load_n(&sh->pause, __ATOMIC_ACQUIRE) ||
			    get_info_fd(fd, &info) ||
			    lifecycle_step(r, a, fd, &info, &kind) < 0 ||
			    chance(r, 15))
				break;
		}
		close(fd);
		fd = -1;
		usleep(below(r, 2000));
	}
}

static void worker(int role, int index, uint64_t seed)
{
	struct rng r = { .s = seed ^ (0x9e3779b97f4a7c15ULL * (index + 1)) };
	struct arena a;
	bool nocap = false;

	if (!r.s)
		r.s = 1;
	if (arena_init(&a)) {
		fail(F_SETUP, "%s %d: no memory for its arena", role_name[role],
		     index);
		_exit(2);
	}
	/* The second controller runs without CAP_SYS_BOOT. */
	if (role == R_CONTROLLER && index % 2)
		nocap = drop_capability(CAP_SYS_BOOT);
	switch (role) {
	case R_READER:
		worker_random(&r, &a, false, false);
		break;
	case R_CONTROLLER:
		worker_random(&r, &a, true, nocap);
		break;
	case R_RACER:
		worker_racer(&r, &a);
		break;
	case R_LIFECYCLE:
		worker_lifecycle(&r, &a);
		break;
	}
	_exit(0);
}

static int run_cmd(const char *const argv[], int timeout_s)
{
	uint64_t end = mono_ns() + (uint64_t)timeout_s * 1000000000ULL;
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (!pid) {
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (mono_ns() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		usleep(10000);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool module_loaded(const char *name)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return !access(path, F_OK);
}

/*
 * Unload the module: with an fd of ours open it must be refused as in
 * use; with every worker paused and nothing open it must go.  Then load
 * it again and check it comes back IDLE.
 */
static void rmmod_cycle(int nworkers)
{
	static const char *const modprobe[] = { "modprobe", MODULE_NAME, NULL };
	static const char *const modprobe_p[] = { "modprobe", PARTICIPANT,
						  NULL };
	bool participant = module_loaded(PARTICIPANT);
	uint64_t until;
	int fd, rc, e, i;

	add(&sh->rmmod_tries, 1);
	fd = open(LU_DEV, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		rc = syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK);
		e = rc ? errno : 0;
		if (!rc) {
			fail(F_RMMOD, "the module unloaded while an fd was open");
			close(fd);
			run_cmd(modprobe, 60);
			return;
		}
		if (e != EWOULDBLOCK && e != EBUSY)
			fail(F_RMMOD, "unload with an fd open: %s, want EWOULDBLOCK or EBUSY (in use)",
			     errname(e));
		else
			add(&sh->rmmod_busy, 1);
		close(fd);
	}

	__atomic_store_n(&sh->pause, 1, __ATOMIC_RELEASE);
	drop_begin();
	until = mono_ns() + 60000000000ULL;
	while (__atomic_load_n(&sh->paused, __ATOMIC_SEQ_CST) < nworkers &&
	       mono_ns() < until && !time_up())
		usleep(5000);
	if (__atomic_load_n(&sh->paused, __ATOMIC_SEQ_CST) < nworkers) {
		if (!time_up())
			fail(F_HANG, "only %d of %d workers left their ioctl within 60 s",
			     __atomic_load_n(&sh->paused, __ATOMIC_SEQ_CST),
			     nworkers);
		goto out;
	}
	/*
	 * The participant holds the module: it goes first, unless an update
	 * holds it ("a module reference on the participant's owner is held
	 * from prepare()"): then the module stays too.
	 */
	if (participant && participant_unload()) {
		e = errno;
		if (e == EWOULDBLOCK || e == EBUSY)
			add(&sh->rmmod_held, 1);
		else
			fail(F_RMMOD, "unload of %s: %s", PARTICIPANT,
			     errname(e));
		goto out;
	}
	for (i = 0; i < 50; i++) {
		rc = syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK);
		e = rc ? errno : 0;
		/* A worker's last close may still be on its way. */
		if (rc && (e == EWOULDBLOCK || e == EBUSY)) {
			usleep(20000);
			continue;
		}
		break;
	}
	if (rc) {
		fail(F_RMMOD, "unload with nothing open: %s", errname(e));
		goto out;
	}
	add(&sh->rmmod_done, 1);
	if (run_cmd(modprobe, 60))
		fail(F_RMMOD, "modprobe %s failed after the unload", MODULE_NAME);
	if (participant && run_cmd(modprobe_p, 60))
		fail(F_RMMOD, "modprobe %s failed after the unload", PARTICIPANT);
	for (i = 0; i < 250 && access(LU_DEV, F_OK); i++)
		usleep(20000);
	fd = open(LU_DEV, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail(F_RMMOD, "%s missing after the reload: %s", LU_DEV,
		     errname(errno));
	} else {
		struct xen_lu_info info;

		if (!get_info_fd(fd, &info) &&
		    info.out_state != XEN_LU_STATE_IDLE)
			fail(F_RMMOD, "state %u after a reload, want IDLE",
			     info.out_state);
		close(fd);
	}
out:
	drop_end();
	__atomic_store_n(&sh->pause, 0, __ATOMIC_RELEASE);
}

static void report(double secs, uint64_t seed)
{
	uint64_t total = 0, n;
	int k, e;

	printf("\nxen-lu-stress: seed %" PRIu64 ", %.1f s\n", seed, secs);
	printf("%-16s %10s  by errno\n", "ioctl", "calls");
	for (k = 0; k < NK; k++) {
		n = 0;
		for (e = 0; e < NERR; e++)
			n += sh->count[k][e];
		total += n;
		printf("%-16s %10" PRIu64 " ", kind_name[k], n);
		for (e = 0; e < NERR; e++)
			if (sh->count[k][e])
				printf(" %s=%" PRIu64, errname(e), sh->count[k][e]);
		printf("\n");
	}
	printf("%-16s %10" PRIu64 "  (%.0f/s)\n", "total", total,
	       secs > 0 ? total / secs : 0.0);
	printf("slowest call (ms):");
	for (k = 0; k < NK; k++)
		printf(" %s=%" PRIu64, kind_name[k], sh->max_ns[k] / 1000000);
	printf("\n");
	for (k = 0; k < 2; k++) {
		printf("open(%s):", k ? "O_RDWR" : "O_RDONLY");
		for (e = 0; e < NERR; e++)
			if (sh->open_rc[k][e])
				printf(" %s=%" PRIu64, errname(e), sh->open_rc[k][e]);
		printf("\n");
	}
	printf("lifecycle: %" PRIu64 " commits ok (%" PRIu64 " reloaded records), %" PRIu64 " failed in the exec, %" PRIu64 " finished\n",
	       sh->commits_ok, sh->commits_reloaded, sh->commits_exec_failed,
	       sh->lifecycles);
	printf("handed over: %" PRIu64 " returned, %" PRIu64 " checked against the state\n",
	       sh->handed_over_ok, sh->handed_over_checked);
	printf("module unload: %" PRIu64 " cycles, %" PRIu64 " refused in use, %" PRIu64 " unloaded and reloaded, %" PRIu64 " skipped (an update held the participant)\n",
	       sh->rmmod_tries, sh->rmmod_busy, sh->rmmod_done,
	       sh->rmmod_held);
	printf("sizes above XEN_LU_MAX_ARG_SIZE accepted:");
	for (k = 0; k < K_INVALID; k++)
		if (sh->big_ok[k])
			printf(" %s=%" PRIu64, kind_name[k], sh->big_ok[k]);
	printf("\nstate changes without CAP_SYS_BOOT:");
	for (k = 0; k < K_INVALID; k++)
		if (sh->nocap_tried[k])
			printf(" %s=%" PRIu64 "/%" PRIu64 " ok", kind_name[k],
			       sh->nocap_ok[k], sh->nocap_tried[k]);
	printf("\n");
	for (n = 0, k = 0; k < K_INVALID; k++)
		n += sh->nocap_ok[k];
	printf("RESULT nocap-state-change-ok %" PRIu64 "\n", n);
	for (n = 0, k = 0; k < K_INVALID; k++)
		n += sh->big_ok[k];
	printf("RESULT big-size-ok %" PRIu64 "\n", n);
	printf("RESULT calls %" PRIu64 "\n", total);
	for (k = 0; k < NF; k++)
		printf("RESULT %s %" PRIu64 "\n", fail_name[k], sh->fails[k]);
	if (sh->nfail) {
		printf("failures (%u, first %d):\n", sh->nfail, MAX_FAILS);
		for (n = 0; n < sh->nfail && n < MAX_FAILS; n++)
			printf("  %s\n", sh->fail[n]);
	}
}

/* One GET_INFO, checked; prints the state.  For the end of a run. */
static int check_device(void)
{
	struct xen_lu_info info;
	int fd = open(LU_DEV, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		printf("open %s: %s\n", LU_DEV, strerror(errno));
		return 1;
	}
	if (get_info_fd(fd, &info)) {
		printf("GET_INFO: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	printf("state %u flags %#x generation %llu records %llu updates %llu\n",
	       info.out_state, info.out_flags,
	       (unsigned long long)info.out_generation,
	       (unsigned long long)info.out_records_len,
	       (unsigned long long)info.out_updates);
	return sh->nfail ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: xen-lu-stress [-t SECONDS] [-s SEED] [-r READERS] [-c CONTROLLERS]\n"
		"                     [-R RACERS] [-u RMMOD_INTERVAL_S] [-v] | --check\n"
		"  -t  run time (default 60)       -s  seed (default: random, printed)\n"
		"  -r  read-only workers (3)       -c  would-be controllers (2)\n"
		"  -R  racers: GET_INFO + COLLECT(HANDED_OVER) (2)\n"
		"  -u  unload/reload xen_liveupdate every N s, 0: never (10)\n"
		"  --check  one GET_INFO, checked, and the state\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "check", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int secs = 60, readers = 3, controllers = 2, racers = 2;
	unsigned int rmmod_s = 10, nworkers = 0, i, hung = 0;
	pid_t pids[MAX_WORKERS];
	int roles[MAX_WORKERS];
	uint64_t seed = 0, t0, next_rmmod;
	bool check = false;
	int c, st;

	while ((c = getopt_long(argc, argv, "t:s:r:c:R:u:vh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			secs = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			readers = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			controllers = strtoul(optarg, NULL, 0);
			break;
		case 'R':
			racers = strtoul(optarg, NULL, 0);
			break;
		case 'u':
			rmmod_s = strtoul(optarg, NULL, 0);
			break;
		case 'v':
			verbose = 1;
			break;
		case 'C':
			check = true;
			break;
		default:
			usage();
			return 2;
		}
	}
	if (optind != argc ||
	    readers + controllers + racers + 1 > MAX_WORKERS) {
		usage();
		return 2;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("xen-lu-stress: mmap");
		return 2;
	}
	documented_init();
	if (check)
		return check_device();

	if (!seed) {
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

		if (fd < 0 || read(fd, &seed, sizeof(seed)) != sizeof(seed))
			seed = mono_ns();
		if (fd >= 0)
			close(fd);
		seed &= (1ULL << 53) - 1;
	}
	c = open(LU_DEV, O_RDONLY | O_CLOEXEC);
	if (c < 0) {
		fprintf(stderr, "xen-lu-stress: %s: %s\n", LU_DEV, strerror(errno));
		return 2;
	}
	close(c);
	have_sim = !access(SIM_DIR "/status", R_OK);
	printf("xen-lu-stress: seed %" PRIu64 " (replay: -s %" PRIu64 "), %u s, %u readers, %u controllers, %u racers, lifecycle %s, unload every %u s\n",
	       seed, seed, secs, readers, controllers, racers,
	       have_sim ? "through the SIMULATED hypervisor" : "off (no simulator)",
	       rmmod_s);
	fflush(stdout);

	t0 = mono_ns();
	deadline_ns = t0 + (uint64_t)secs * 1000000000ULL;
	for (i = 0; i < readers + controllers + racers + have_sim; i++) {
		int role = i < readers ? R_READER :
			   i < readers + controllers ? R_CONTROLLER :
			   i < readers + controllers + racers ? R_RACER :
			   R_LIFECYCLE;

		roles[nworkers] = role;
		pids[nworkers] = fork();
		if (pids[nworkers] < 0) {
			perror("xen-lu-stress: fork");
			sh->stop = 1;
			break;
		}
		if (!pids[nworkers])
			worker(role, i, seed);
		nworkers++;
	}

	next_rmmod = t0 + (uint64_t)rmmod_s * 1000000000ULL;
	while (!time_up()) {
		usleep(100000);
		if (rmmod_s && mono_ns() >= next_rmmod &&
		    mono_ns() + 5000000000ULL < deadline_ns) {
			if (module_loaded(MODULE_NAME))
				rmmod_cycle(nworkers);
			next_rmmod = mono_ns() + (uint64_t)rmmod_s * 1000000000ULL;
		}
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);

	/* Every worker must be gone by the deadline plus a grace period. */
	for (i = 0; i < nworkers; i++) {
		uint64_t until = deadline_ns + GRACE_S * 1000000000ULL;
		pid_t p;

		while ((p = waitpid(pids[i], &st, WNOHANG)) == 0 &&
		       mono_ns() < until)
			usleep(50000);
		if (p == pids[i]) {
			if (!WIFEXITED(st) || WEXITSTATUS(st))
				fail(F_HANG, "%s worker %u (pid %d) ended with status %#x",
				     role_name[roles[i]], i, pids[i], st);
			continue;
		}
		{
			char path[64], wchan[64] = "?";
			FILE *f;

			snprintf(path, sizeof(path), "/proc/%d/wchan", pids[i]);
			f = fopen(path, "re");
			if (f) {
				if (!fgets(wchan, sizeof(wchan), f))
					strcpy(wchan, "?");
				fclose(f);
			}
			fail(F_HANG, "%s worker %u (pid %d) still running %d s after the deadline (wchan %s)",
			     role_name[roles[i]], i, pids[i], GRACE_S, wchan);
			hung++;
			kill(pids[i], SIGKILL);
		}
	}
	for (i = 0; hung && i < 100; i++) {
		if (waitpid(-1, &st, WNOHANG) > 0 && !--hung)
			break;
		usleep(100000);
	}
	if (have_sim)
		sim_knob("fail_exec", 0);
	report((mono_ns() - t0) / 1e9, seed);
	return sh->nfail ? 1 : 0;
}
