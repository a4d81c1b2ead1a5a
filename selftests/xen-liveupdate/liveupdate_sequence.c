// SPDX-License-Identifier: GPL-2.0-only
/*
 * Selftests for /dev/xen/liveupdate: the live-update sequence (ABI 5),
 * XEN_LU_IOCTL_PREPARE, XEN_LU_IOCTL_COMMIT, XEN_LU_IOCTL_FINISH and
 * XEN_LU_IOCTL_CANCEL, against every row of the UAPI "State rules" table,
 * with the exact errno, out_check and GET_INFO state after each step.
 *
 *  - lu_idle: nothing staged.  Argument errors (flags, size, a read-only
 *    file), ENOENT for every command with zeroed outputs, COLLECT of the
 *    handed-over records (EPROTO: none), and the controller's
 *    exclusivity.  Any hypervisor.
 *  - lu_cold: a cold image staged in the machine memory map's RAM, which
 *    stock Xen accepts.  PREPARE refuses it (IMAGE_TYPE), COMMIT, FINISH
 *    and CANCEL are too early (EPROTO), and nothing changes the image.
 *  - lu_sim: the SIMULATED live-update hypervisor of the test suite
 *    (lu_simulated(); Documentation/dev-tools/
 *    xen-liveupdate-simulator.rst), which answers the live-update
 *    hypercalls no Xen on the test machines implements.  A live-update
 *    image staged into its window goes through the whole sequence:
 *    prepare, cancel, prepare, commit, finish; two COMMITs at once; a
 *    change handed over at COMMIT and one found by FINISH (dom0 renamed
 *    in xenstore for the test, then named back); and the simulator's
 *    fault injection (/sys/kernel/debug/xen_lu_sim/, debugfs mounted if
 *    it is not).  The ABI 5 ways out of COMMITTED (CANCEL, FINISH with
 *    XEN_LU_FINISH_UNCHANGED, the freeze watchdog), readers racing
 *    COMMITs, participants and the freeze (the test participant, loaded
 *    with modprobe when it is not), event channels re-read at COMMIT, a
 *    failed restore after a failed exec, COMMIT's precopy rounds (the
 *    simulator writing a device while COMMIT reloads the image), and
 *    synthetic xenstore devices of type "synthetic" for frontend domain
 *    30001, removed afterwards.
 *    Skipped on any other hypervisor.
 *
 * Must run as root in a Xen PV dom0 with xen_liveupdate loaded; skips
 * otherwise.  Every test leaves the device IDLE and the simulator's faults
 * cleared, and every fixture first brings back to IDLE whatever an earlier
 * run (killed by a timeout, say) left behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xen/liveupdate.h>

#include "kselftest_harness.h"

#include "lu_dev.h"
#include "lu_image.h"

#define SIM_DEBUGFS	"/sys/kernel/debug"
#define SIM_DIR		SIM_DEBUGFS "/xen_lu_sim"
/* Room for FINISH's differences. */
#define MAX_DIFFS	64
/* A poison for output fields: no enum value, no length. */
#define POISON32	0xa5a5a5a5U
/*
 * EXPECT_ERRNO that takes a TH_LOG: @cmd fails with @expected_errno (a
 * success shows as errno 0).
 */
#define EXPECT_FAILS(expected_errno, cmd) \
	EXPECT_EQ(expected_errno, (cmd) == -1 ? errno : 0)

/* Sequence tests wait for freezes and collections under TCG. */
#define SEQ_TIMEOUT	300

static const char *const sim_knobs[] = {
	"fail_get_range", "fail_load", "fail_unload", "fail_exec",
	"inject_mandatory", "defer", "fail_load_after", "touch_loads",
};

static int prepare(int fd, uint32_t flags, struct xen_lu_prepare *p)
{
	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	p->flags = flags;
	return ioctl(fd, XEN_LU_IOCTL_PREPARE, p);
}

static int commit(int fd, uint32_t flags, struct xen_lu_commit *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->flags = flags;
	return ioctl(fd, XEN_LU_IOCTL_COMMIT, c);
}

static int finish(int fd, uint32_t flags, struct xen_lu_finish *f,
		  struct xen_lu_difference *diffs, uint32_t max)
{
	memset(f, 0, sizeof(*f));
	f->size = sizeof(*f);
	f->flags = flags;
	f->differences = ptr(diffs);
	f->max_differences = max;
	return ioctl(fd, XEN_LU_IOCTL_FINISH, f);
}

static int cancel(int fd, uint32_t flags)
{
	struct xen_lu_cancel c = { .size = sizeof(c), .flags = flags };

	return ioctl(fd, XEN_LU_IOCTL_CANCEL, &c);
}

static int collect(int fd, uint32_t flags, void *buf, uint64_t len,
		   struct xen_lu_collect *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->flags = flags;
	c->buf = ptr(buf);
	c->buf_len = len;
	return ioctl(fd, XEN_LU_IOCTL_COLLECT, c);
}

/* The return values alone, for state-rule checks. */
static int prepare_rc(int fd, uint32_t flags)
{
	struct xen_lu_prepare p;

	return prepare(fd, flags, &p);
}

static int commit_rc(int fd, uint32_t flags)
{
	struct xen_lu_commit c;

	return commit(fd, flags, &c);
}

static int finish_rc(int fd, uint32_t flags)
{
	struct xen_lu_finish f;

	return finish(fd, flags, &f, NULL, 0);
}

static int handed_over_rc(int fd)
{
	struct xen_lu_collect c;
	static uint8_t buf[PG];

	return collect(fd, XEN_LU_COLLECT_HANDED_OVER, buf, sizeof(buf), &c);
}

/*
 * The simulator's debugfs directory, with debugfs mounted if it was not.
 * True when the simulator's files are there.
 */
static bool sim_files(void)
{
	if (!access(SIM_DIR "/status", F_OK))
		return true;
	if (access(SIM_DEBUGFS, F_OK))
		return false;
	mount("debugfs", SIM_DEBUGFS, "debugfs", 0, NULL);
	return !access(SIM_DIR "/status", F_OK);
}

/* Write @val to a simulator file; 0 or -errno. */
static int sim_write(const char *name, const char *val)
{
	char path[128];
	ssize_t n;
	int fd, rc = 0;

	snprintf(path, sizeof(path), SIM_DIR "/%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != strlen(val))
		rc = -EIO;
	close(fd);
	return rc;
}

static int sim_knob(const char *name, int value)
{
	char val[16];

	snprintf(val, sizeof(val), "%d\n", value);
	return sim_write(name, val);
}

static void sim_clear(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sim_knobs); i++)
		sim_knob(sim_knobs[i], 0);
}

/*
 * The simulator's "segments: N" (the image its live-update slot holds), or
 * -1 when it cannot be read.
 */
static int sim_segments(void)
{
	char line[256];
	FILE *f;
	int n = -1;

	f = fopen(SIM_DIR "/status", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "segments: %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* One step back towards IDLE from @state (lu_to_idle); @arg: simulated. */
static void undo(int fd, uint32_t state, void *arg)
{
	bool sim = *(bool *)arg;

	switch (state) {
	case XEN_LU_STATE_STAGED:
		if (unstage(fd, 0) && errno == EBUSY && sim)
			sim_write("run_deferred", "0");
		break;
	case XEN_LU_STATE_PREPARED:
		if (cancel(fd, 0) && errno == EBUSY && sim)
			sim_write("run_deferred", "0");
		break;
	case XEN_LU_STATE_COMMITTED:
		/*
		 * A deferred update runs, so FINISH can see xen#2; with
		 * none, CANCEL ends the update (ABI 5).
		 */
		if (!finish_rc(fd, 0) || errno != EAGAIN)
			break;
		if (!sim || sim_write("run_deferred", "1"))
			cancel(fd, 0);
		break;
	}
}

/*
 * Bring the device back to IDLE from wherever a test (or an earlier,
 * killed run) left it: faults cleared first, then finish, cancel or
 * unstage as the state says.  Returns the state it ended in.
 */
static uint32_t lu_restore(int fd)
{
	bool sim = lu_simulated() && sim_files();

	if (sim)
		sim_clear();
	return lu_to_idle(fd, 100, undo, &sim);
}

/* The staged record (type to command line) is the same in @a and @b. */
static bool staged_record_same(const struct xen_lu_info *a,
			       const struct xen_lu_info *b)
{
	size_t lo = offsetof(struct xen_lu_info, out_staged_type);
	size_t hi = offsetofend(struct xen_lu_info, out_staged_cmdline);

	return (a->out_flags & XEN_LU_INFO_STAGED) ==
	       (b->out_flags & XEN_LU_INFO_STAGED) &&
	       !memcmp((const char *)a + lo, (const char *)b + lo, hi - lo);
}

/* The hypervisor's identity, as PREPARE and FINISH compare it. */
static bool identity_same(const struct xen_lu_info *a,
			  const struct xen_lu_info *b)
{
	return a->out_xen_major == b->out_xen_major &&
	       a->out_xen_minor == b->out_xen_minor &&
	       !strcmp(a->out_xen_extraversion, b->out_xen_extraversion) &&
	       !strcmp(a->out_xen_changeset, b->out_xen_changeset) &&
	       a->out_build_id_len == b->out_build_id_len &&
	       !memcmp(a->out_build_id, b->out_build_id, a->out_build_id_len);
}

/* No update under way: nothing handed over, no commit, not frozen. */
static void check_no_update(struct __test_metadata *_metadata,
			    const struct xen_lu_info *info)
{
	EXPECT_FALSE(info->out_flags & XEN_LU_INFO_FROZEN);
	EXPECT_EQ(0, info->out_generation);
	EXPECT_EQ(0, info->out_records_len);
	EXPECT_EQ(0, info->out_records_dest);
	EXPECT_EQ(0, info->out_commit_result);
}

/* The device is @state (and nothing else changed when @same is given). */
static void check_state(struct __test_metadata *_metadata, int fd,
			uint32_t state, const struct xen_lu_info *same,
			int line)
{
	struct xen_lu_info info;

	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(state, info.out_state)
		TH_LOG("line %d: the device is %s, want %s", line,
		       state_name(info.out_state), state_name(state));
	EXPECT_EQ(state != XEN_LU_STATE_IDLE,
		  !!(info.out_flags & XEN_LU_INFO_STAGED))
		TH_LOG("line %d: STAGED flag in state %s", line,
		       state_name(info.out_state));
	EXPECT_EQ(state >= XEN_LU_STATE_COMMITTING,
		  !!(info.out_flags & XEN_LU_INFO_FROZEN))
		TH_LOG("line %d: FROZEN flag in state %s", line,
		       state_name(info.out_state));
	if (!same)
		return;
	EXPECT_TRUE(staged_record_same(same, &info))
		TH_LOG("line %d: the staged record changed", line);
	EXPECT_EQ(same->out_generation, info.out_generation)
		TH_LOG("line %d", line);
	EXPECT_EQ(same->out_records_len, info.out_records_len)
		TH_LOG("line %d", line);
	EXPECT_EQ(same->out_records_dest, info.out_records_dest)
		TH_LOG("line %d", line);
	EXPECT_EQ(same->out_commit_result, info.out_commit_result)
		TH_LOG("line %d", line);
	EXPECT_EQ(same->out_updates, info.out_updates)
		TH_LOG("line %d", line);
}

#define CHECK_STATE(state, same) \
	check_state(_metadata, self->fd, state, same, __LINE__)

/*
 * COLLECT with XEN_LU_COLLECT_HANDED_OVER: a records dump of @len bytes,
 * the dom0 header of @generation first, END last; ENOSPC one byte short.
 */
static void check_handed_over(struct __test_metadata *_metadata, int fd,
			      uint64_t len, uint64_t generation)
{
	struct xen_lu_rec_dom0_header dh;
	struct xen_lu_rec_hdr h;
	struct xen_lu_collect c;
	uint64_t off = 0;
	unsigned int nr = 0;
	uint8_t *buf;

	ASSERT_LT(sizeof(h) + sizeof(dh) + sizeof(h), len);
	buf = calloc(1, len + PG);
	ASSERT_NE(NULL, buf);
	EXPECT_ERRNO(ENOSPC, collect(fd, XEN_LU_COLLECT_HANDED_OVER, buf,
				     len - 1, &c));
	EXPECT_EQ(len, c.out_len);
	ASSERT_EQ(0, collect(fd, XEN_LU_COLLECT_HANDED_OVER, buf, len + PG,
			     &c)) TH_LOG("COLLECT HANDED_OVER: %s",
					 strerror(errno));
	ASSERT_EQ(len, c.out_len);

	memcpy(&h, buf, sizeof(h));
	EXPECT_EQ(XEN_LU_REC_DOM0_HEADER, h.type);
	ASSERT_LE(sizeof(dh), h.length);
	memcpy(&dh, buf + sizeof(h), sizeof(dh));
	EXPECT_EQ(generation, dh.generation);
	EXPECT_EQ(XEN_LU_RECORDS_VERSION, dh.records_version);
	EXPECT_EQ(XEN_LU_ABI_VERSION, dh.abi_version);
	EXPECT_EQ(c.out_nr_domains, dh.nr_domains);
	EXPECT_EQ(c.out_nr_backends, dh.nr_backends);
	EXPECT_EQ(c.out_nr_evtchns, dh.nr_evtchns);
	EXPECT_EQ(c.out_nr_participants, dh.nr_participants);
	EXPECT_LE(1, dh.nr_domains) TH_LOG("no domain record, not even dom0's");

	/* Walk to END, which must be the last record. */
	for (;;) {
		ASSERT_GE(len, off + sizeof(h)) TH_LOG("no END record");
		memcpy(&h, buf + off, sizeof(h));
		off += sizeof(h);
		if (h.type == XEN_LU_REC_END)
			break;
		off += (h.length + XEN_LU_REC_ALIGN - 1) &
		       ~(uint64_t)(XEN_LU_REC_ALIGN - 1);
		nr++;
	}
	EXPECT_EQ(0, h.length);
	EXPECT_EQ(len, off);
	EXPECT_EQ(1 + dh.nr_domains + dh.nr_backends + dh.nr_evtchns +
		  dh.nr_participants, nr);
	free(buf);
}

/*
 * The records PREPARE handed over: in the live-update window, page
 * aligned, past every segment of the image there, and GET_INFO agrees.
 */
static void check_prepared(struct __test_metadata *_metadata, int fd,
			   const struct image *img,
			   const struct xen_lu_prepare *p,
			   const struct xen_lu_info *staged)
{
	uint64_t lo = staged->out_lu_start + PG;
	uint64_t hi = staged->out_lu_start + staged->out_lu_size;
	struct xen_lu_info info;
	unsigned int i;

	EXPECT_EQ(XEN_LU_CHECK_NONE, p->out_check);
	EXPECT_EQ(0, p->out_nr_unstable);
	EXPECT_LT(0, p->out_records_len);
	EXPECT_LE(1, p->out_nr_domains);
	EXPECT_EQ(0, p->out_records_dest % PG)
		TH_LOG("records at %#llx: not page aligned",
		       (unsigned long long)p->out_records_dest);
	EXPECT_LE(lo, p->out_records_dest);
	EXPECT_GE(hi, p->out_records_dest + p->out_records_len)
		TH_LOG("records [%#llx, +%#llx) leave the window [%#llx, %#llx)",
		       (unsigned long long)p->out_records_dest,
		       (unsigned long long)p->out_records_len,
		       (unsigned long long)lo, (unsigned long long)hi);
	for (i = 0; i < img->nr; i++) {
		const struct xen_lu_segment *s = &img->seg[i];

		if (s->dest < lo || s->dest >= hi)
			continue;
		EXPECT_LE(s->dest + s->dest_size, p->out_records_dest)
			TH_LOG("records at %#llx, segment %u ends at %#llx",
			       (unsigned long long)p->out_records_dest, i,
			       (unsigned long long)(s->dest + s->dest_size));
	}

	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(XEN_LU_STATE_PREPARED, info.out_state);
	EXPECT_TRUE(info.out_flags & XEN_LU_INFO_STAGED);
	EXPECT_FALSE(info.out_flags & XEN_LU_INFO_FROZEN);
	EXPECT_EQ(1, info.out_generation);
	EXPECT_EQ(p->out_records_len, info.out_records_len);
	EXPECT_EQ(p->out_records_dest, info.out_records_dest);
	EXPECT_EQ(0, info.out_commit_result);
	EXPECT_TRUE(staged_record_same(staged, &info))
		TH_LOG("PREPARE changed the staged record");
	check_handed_over(_metadata, fd, p->out_records_len, 1);
}

/* Log FINISH's differences, if any. */
static void log_differences(struct __test_metadata *_metadata,
			    const struct xen_lu_finish *f,
			    const struct xen_lu_difference *d)
{
	uint32_t i;

	for (i = 0; i < f->out_nr_differences && i < f->max_differences; i++)
		TH_LOG("difference %u: kind %#x field %u domid %u id %u type '%.16s' expected %#llx found %#llx",
		       i, d[i].kind, d[i].field, d[i].domid, d[i].id, d[i].type,
		       (unsigned long long)d[i].expected,
		       (unsigned long long)d[i].found);
}

#define DOM0_NAME	"/local/domain/0/name"
#define DOM0_RENAMED	"Domain-0-lu-selftest"

/*
 * xenstore through the toolstack's own client (a test must not depend on
 * the module's view of it).  @path and @value are plain words.
 */
static int xs_read(const char *path, char *out, size_t len)
{
	char cmd[256];
	FILE *f;
	int rc;

	snprintf(cmd, sizeof(cmd), "xenstore-read '%s' 2>/dev/null", path);
	f = popen(cmd, "re");
	if (!f)
		return -1;
	if (!fgets(out, len, f))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	rc = pclose(f);
	return rc == 0 && out[0] ? 0 : -1;
}

static int xs_write(const char *path, const char *value)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "xenstore-write '%s' '%s' 2>/dev/null",
		 path, value);
	return system(cmd) == 0 ? 0 : -1;
}

/* Whether the records handed over contain @str. */
static bool handed_over_has(int fd, uint64_t len, const char *str)
{
	struct xen_lu_collect c;
	uint8_t *buf = calloc(1, len);
	bool found;

	if (!buf)
		return false;
	found = !collect(fd, XEN_LU_COLLECT_HANDED_OVER, buf, len, &c) &&
		memmem(buf, c.out_len, str, strlen(str));
	free(buf);
	return found;
}

/* Write @val to a file (sysfs); 0 or -errno. */
static int file_write(const char *path, const char *val)
{
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != strlen(val))
		rc = -EIO;
	close(fd);
	return rc;
}

static long file_long(const char *path)
{
	char line[64];

	if (lu_sysfs_read_line(path, line, sizeof(line)))
		return -1;
	return strtol(line, NULL, 0);
}

static double now_s(void)
{
	return now_ns() / 1e9;
}

/* The simulator's status has this exact line. */
static bool sim_status_has(const char *line)
{
	char buf[256];
	bool found = false;
	FILE *f;

	f = fopen(SIM_DIR "/status", "re");
	if (!f)
		return false;
	while (!found && fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		found = !strcmp(buf, line);
	}
	fclose(f);
	return found;
}

/* How many lines of the kernel log contain @str. */
static int kmsg_count(const char *str)
{
	char cmd[256], line[64];
	FILE *f;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "dmesg | grep -cF '%s'", str);
	f = popen(cmd, "re");
	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f))
		n = atoi(line);
	pclose(f);
	return n;
}

#define FREEZE_TIMEOUT	"/sys/module/xen_liveupdate/parameters/freeze_timeout_ms"
#define TP_PARAM	"/sys/module/xen_lu_test_participant/parameters/"
#define TP_NAME		"test-participant"
#define WATCHDOG_LOG	"after COMMIT without FINISH or CANCEL; thawed"

/*
 * Synthetic devices (as bench-sequence.sh writes them): backend
 * directories of type "synthetic" for a frontend domain that does not
 * exist, so no driver reacts, with a frontend directory the module reads.
 */
#define SYN_FE		30001
#define SYN_BE		"/local/domain/0/backend/synthetic"
#define SYN_FE_DIR	"/local/domain/30001"

static int synthetic_add(unsigned int devid, unsigned int ring_ref)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "xenstore-write "
		 "%1$s/%2$u/%3$u/frontend %4$s/device/synthetic/%3$u "
		 "%1$s/%2$u/%3$u/frontend-id %2$u "
		 "%1$s/%2$u/%3$u/state 4 %1$s/%2$u/%3$u/online 1 "
		 "%4$s/device/synthetic/%3$u/backend %1$s/%2$u/%3$u "
		 "%4$s/device/synthetic/%3$u/backend-id 0 "
		 "%4$s/device/synthetic/%3$u/state 4 "
		 "%4$s/device/synthetic/%3$u/ring-ref %5$u "
		 "%4$s/device/synthetic/%3$u/event-channel %6$u "
		 ">/dev/null 2>&1",
		 SYN_BE, SYN_FE, devid, SYN_FE_DIR, ring_ref, 16 + devid);
	return system(cmd) == 0 ? 0 : -1;
}

static int synthetic_ring_ref(unsigned int devid, unsigned int ring_ref)
{
	char path[128], val[16];

	snprintf(path, sizeof(path), SYN_FE_DIR "/device/synthetic/%u/ring-ref",
		 devid);
	snprintf(val, sizeof(val), "%u", ring_ref);
	return xs_write(path, val);
}

static int synthetic_del(unsigned int devid)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "xenstore-rm %s/%u/%u %s/device/synthetic/%u >/dev/null 2>&1",
		 SYN_BE, SYN_FE, devid, SYN_FE_DIR, devid);
	return system(cmd) == 0 ? 0 : -1;
}

static void synthetic_remove(void)
{
	if (system("xenstore-rm " SYN_BE " >/dev/null 2>&1; "
		   "xenstore-rm " SYN_FE_DIR " >/dev/null 2>&1"))
		return;
}

/* One record of a dump, as walk_dump() finds it. */
struct rec_view {
	uint32_t type;
	uint32_t length;
	const uint8_t *body;
};

/*
 * Check that @buf (@len bytes) is one well-formed records dump: the dom0
 * header first, its counts those of the records, END last and nothing
 * after.  Calls @fn (when given) for every record.  Returns NULL and
 * the header's generation in @gen, or what is wrong.  Plain C: it runs in
 * reader processes too.
 */
static const char *walk_dump(const uint8_t *buf, uint64_t len,
			     const struct xen_lu_collect *c, uint64_t *gen,
			     void (*fn)(const struct rec_view *, void *),
			     void *data)
{
	unsigned int nr[4] = {};
	struct xen_lu_rec_dom0_header dh;
	struct xen_lu_rec_hdr h;
	struct rec_view v;
	uint64_t off = 0;
	bool first = true;

	for (;;) {
		if (off + sizeof(h) > len)
			return "no END record";
		memcpy(&h, buf + off, sizeof(h));
		off += sizeof(h);
		if (h.length > len - off)
			return "a record runs past the dump";
		v.type = h.type;
		v.length = h.length;
		v.body = buf + off;
		if (first) {
			if (h.type != XEN_LU_REC_DOM0_HEADER ||
			    h.length < sizeof(dh))
				return "the dom0 header is not first";
			memcpy(&dh, v.body, sizeof(dh));
			first = false;
		} else if (h.type == XEN_LU_REC_DOM0_DOMAIN) {
			nr[0]++;
		} else if (h.type == XEN_LU_REC_DOM0_BACKEND) {
			nr[1]++;
		} else if (h.type == XEN_LU_REC_DOM0_EVTCHN) {
			nr[2]++;
		} else if (h.type == XEN_LU_REC_DOM0_PARTICIPANT) {
			nr[3]++;
		} else if (h.type != XEN_LU_REC_END) {
			return "a record of unknown type";
		}
		if (fn)
			fn(&v, data);
		off += (h.length + XEN_LU_REC_ALIGN - 1) &
		       ~(uint64_t)(XEN_LU_REC_ALIGN - 1);
		if (h.type == XEN_LU_REC_END)
			break;
	}
	if (h.length)
		return "END has a body";
	if (off != len)
		return "bytes after END";
	if (dh.records_version != XEN_LU_RECORDS_VERSION ||
	    dh.abi_version != XEN_LU_ABI_VERSION)
		return "records or ABI version";
	if (dh.nr_domains != nr[0] || dh.nr_backends != nr[1] ||
	    dh.nr_evtchns != nr[2] || dh.nr_participants != nr[3])
		return "the header's counts are not the records'";
	if (c && (c->out_nr_domains != nr[0] || c->out_nr_backends != nr[1] ||
		  c->out_nr_evtchns != nr[2] ||
		  c->out_nr_participants != nr[3]))
		return "COLLECT's counts are not the records'";
	if (!nr[0])
		return "no domain record";
	*gen = dh.generation;
	return NULL;
}

/* The records handed over, in a buffer the caller frees; NULL on error. */
static uint8_t *handed_over_dump(int fd, struct xen_lu_collect *c)
{
	uint64_t len = 1 << 20;
	uint8_t *buf = malloc(len);

	if (buf && !collect(fd, XEN_LU_COLLECT_HANDED_OVER, buf, len, c))
		return buf;
	free(buf);
	return NULL;
}

/* What find_records() looks for and found. */
struct rec_find {
	uint32_t evtchn_port;		/* in: an event channel */
	bool evtchn_found;
	struct xen_lu_rec_dom0_evtchn evtchn;
	unsigned int participants;	/* records named TP_NAME */
	uint32_t devid;			/* in: a synthetic device */
	unsigned int devices;		/* its backend records */
	uint32_t ring_ref;		/* its first ring reference */
};

static void find_records(const struct rec_view *v, void *data)
{
	const struct xen_lu_rec_dom0_participant *pr;
	const struct xen_lu_rec_dom0_backend *b;
	struct rec_find *f = data;

	if (v->type == XEN_LU_REC_DOM0_EVTCHN &&
	    v->length >= sizeof(f->evtchn)) {
		struct xen_lu_rec_dom0_evtchn e;

		memcpy(&e, v->body, sizeof(e));
		if (e.port == f->evtchn_port) {
			f->evtchn = e;
			f->evtchn_found = true;
		}
	} else if (v->type == XEN_LU_REC_DOM0_PARTICIPANT &&
		   v->length >= sizeof(*pr)) {
		pr = (const void *)v->body;
		if (!strncmp(pr->name, TP_NAME, sizeof(pr->name)))
			f->participants++;
	} else if (v->type == XEN_LU_REC_DOM0_BACKEND &&
		   v->length >= sizeof(*b)) {
		b = (const void *)v->body;
		if (b->frontend_domid != SYN_FE || b->devid != f->devid ||
		    strcmp(b->type, "synthetic"))
			return;
		f->devices++;
		if (b->nr_ring_refs &&
		    v->length >= sizeof(*b) + sizeof(uint32_t))
			memcpy(&f->ring_ref, b + 1, sizeof(uint32_t));
	}
}

/*
 * lu_idle: the controller, nothing staged.
 */
FIXTURE(lu_idle) {
	int fd;
	struct xen_lu_info info;
};

FIXTURE_SETUP(lu_idle)
{
	LU_OPEN_IDLE(self->fd, lu_restore, return);
	ASSERT_EQ(0, get_info(self->fd, &self->info));
}

FIXTURE_TEARDOWN(lu_idle)
{
	if (self->fd < 0)
		return;
	lu_restore(self->fd);
	close(self->fd);
}

/*
 * Test Case: nothing staged: PREPARE, COMMIT, FINISH and CANCEL fail with
 * ENOENT, change nothing, and PREPARE names no check
 */
TEST_F(lu_idle, idle_enoent)
{
	struct xen_lu_difference diffs[MAX_DIFFS];
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	struct xen_lu_finish f;

	RETURN_IF_SKIPPED();

	EXPECT_ERRNO(ENOENT, prepare(self->fd, 0, &p));
	EXPECT_EQ(XEN_LU_CHECK_NONE, p.out_check);
	EXPECT_EQ(0, p.out_records_len);
	EXPECT_ERRNO(ENOENT, prepare(self->fd, XEN_LU_PREPARE_FORCE, &p));
	EXPECT_EQ(XEN_LU_CHECK_NONE, p.out_check);
	EXPECT_ERRNO(ENOENT, commit(self->fd, 0, &c));
	EXPECT_EQ(XEN_LU_CHECK_NONE, c.out_check);
	EXPECT_EQ(0, c.out_result);
	EXPECT_ERRNO(ENOENT, finish(self->fd, 0, &f, diffs, MAX_DIFFS));
	EXPECT_EQ(0, f.out_nr_differences);
	EXPECT_EQ(0, f.out_updates);
	EXPECT_ERRNO(ENOENT, cancel(self->fd, 0));
	EXPECT_ERRNO(ENOENT, unstage(self->fd, 0));
	CHECK_STATE(XEN_LU_STATE_IDLE, &self->info);
	check_no_update(_metadata, &self->info);
}

/* Every byte of @p from @from on is zero. */
static bool zero_from(const void *p, size_t size, size_t from)
{
	const uint8_t *b = p;
	size_t i;

	for (i = from; i < size; i++)
		if (b[i])
			return false;
	return true;
}

/*
 * Test Case: a command refused by the state rules answers with zeroed
 * outputs, whatever user space left in them (out_check NONE, COMMIT's
 * out_result 0 "on failure")
 */
TEST_F(lu_idle, outputs_zeroed_state_errors)
{
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	struct xen_lu_finish f;

	RETURN_IF_SKIPPED();

	memset(&p, 0xa5, sizeof(p));
	p.size = sizeof(p);
	p.flags = 0;
	EXPECT_ERRNO(ENOENT, ioctl(self->fd, XEN_LU_IOCTL_PREPARE, &p));
	EXPECT_TRUE(zero_from(&p, sizeof(p),
			      offsetof(struct xen_lu_prepare, out_check)))
		TH_LOG("PREPARE: out_check %#x", p.out_check);

	memset(&c, 0xa5, sizeof(c));
	c.size = sizeof(c);
	c.flags = 0;
	EXPECT_ERRNO(ENOENT, ioctl(self->fd, XEN_LU_IOCTL_COMMIT, &c));
	EXPECT_TRUE(zero_from(&c, sizeof(c),
			      offsetof(struct xen_lu_commit, out_result)))
		TH_LOG("COMMIT: out_result %#x, out_check %#x", c.out_result,
		       c.out_check);

	memset(&f, 0xa5, sizeof(f));
	f.size = sizeof(f);
	f.flags = 0;
	f.differences = 0;
	f.max_differences = 0;
	EXPECT_ERRNO(ENOENT, ioctl(self->fd, XEN_LU_IOCTL_FINISH, &f));
	EXPECT_TRUE(zero_from(&f, sizeof(f),
			      offsetof(struct xen_lu_finish,
				       out_nr_differences)))
		TH_LOG("FINISH: out_nr_differences %#x", f.out_nr_differences);
	CHECK_STATE(XEN_LU_STATE_IDLE, &self->info);
}

/*
 * Test Case: unknown flags: EINVAL before the state is looked at
 */
TEST_F(lu_idle, unknown_flags_einval)
{
	unsigned int bit;

	RETURN_IF_SKIPPED();

	for (bit = 0; bit < 32; bit++) {
		uint32_t flag = 1U << bit;

		if (flag != XEN_LU_PREPARE_FORCE)
			EXPECT_FAILS(EINVAL, prepare_rc(self->fd, flag))
				TH_LOG("PREPARE flag bit %u", bit);
		/* A valid flag gets as far as the state: nothing staged. */
		EXPECT_FAILS(flag == XEN_LU_COMMIT_COLD ? ENOENT : EINVAL,
			     commit_rc(self->fd, flag))
			TH_LOG("COMMIT flag bit %u", bit);
		EXPECT_FAILS(flag == XEN_LU_FINISH_UNCHANGED ? ENOENT : EINVAL,
			     finish_rc(self->fd, flag))
			TH_LOG("FINISH flag bit %u", bit);
		EXPECT_FAILS(EINVAL, cancel(self->fd, flag))
			TH_LOG("CANCEL flag bit %u", bit);
	}
	EXPECT_ERRNO(EINVAL, prepare_rc(self->fd, XEN_LU_PREPARE_FORCE | 2));
	EXPECT_ERRNO(EINVAL, commit_rc(self->fd, XEN_LU_COMMIT_COLD | 2));
	EXPECT_ERRNO(EINVAL, finish_rc(self->fd, XEN_LU_FINISH_UNCHANGED | 2));
	CHECK_STATE(XEN_LU_STATE_IDLE, &self->info);
}

/*
 * Test Case: a read-only file: EBADF for the four commands, before their
 * flags and state; GET_INFO and COLLECT work
 */
TEST_F(lu_idle, readonly_ebadf)
{
	struct xen_lu_collect c;
	struct xen_lu_info info;
	static uint8_t buf[1 << 20];
	int ro;

	RETURN_IF_SKIPPED();

	ro = open(LU_DEV, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ro);
	EXPECT_ERRNO(EBADF, prepare_rc(ro, 0));
	EXPECT_ERRNO(EBADF, prepare_rc(ro, XEN_LU_PREPARE_FORCE));
	EXPECT_ERRNO(EBADF, prepare_rc(ro, 1U << 31));
	EXPECT_ERRNO(EBADF, commit_rc(ro, 0));
	EXPECT_ERRNO(EBADF, commit_rc(ro, 1));
	EXPECT_ERRNO(EBADF, finish_rc(ro, 0));
	EXPECT_ERRNO(EBADF, finish_rc(ro, 1));
	EXPECT_ERRNO(EBADF, cancel(ro, 0));
	EXPECT_ERRNO(EBADF, cancel(ro, 1));
	EXPECT_EQ(0, get_info(ro, &info));
	EXPECT_EQ(XEN_LU_STATE_IDLE, info.out_state);
	EXPECT_EQ(0, collect(ro, 0, buf, sizeof(buf), &c))
		TH_LOG("COLLECT on a read-only file: %s", strerror(errno));
	EXPECT_ERRNO(EPROTO, handed_over_rc(ro));
	close(ro);
	CHECK_STATE(XEN_LU_STATE_IDLE, &self->info);
}

/* One command's argument sizes: short, the minimum, a tail. */
static void check_sizes(struct __test_metadata *_metadata, int fd,
			unsigned long cmd, size_t size, size_t min,
			const char *name)
{
	uint8_t buf[512];
	uint32_t *sz = (uint32_t *)buf;

	ASSERT_GE(sizeof(buf) - 8, size);
	memset(buf, 0, sizeof(buf));
	*sz = 0;
	EXPECT_FAILS(EINVAL, ioctl(fd, cmd, buf)) TH_LOG("%s, size 0", name);
	*sz = min - 1;
	EXPECT_FAILS(EINVAL, ioctl(fd, cmd, buf))
		TH_LOG("%s, size %zu", name, min - 1);
	/* Older user space: as far as the last input; the state answers. */
	*sz = min;
	EXPECT_FAILS(ENOENT, ioctl(fd, cmd, buf))
		TH_LOG("%s, size %zu", name, min);
	*sz = size + 8;
	EXPECT_FAILS(ENOENT, ioctl(fd, cmd, buf))
		TH_LOG("%s, size %zu, zero tail", name, size + 8);
	buf[size + 7] = 1;
	EXPECT_FAILS(E2BIG, ioctl(fd, cmd, buf))
		TH_LOG("%s, size %zu, non-zero tail", name, size + 8);
}

/*
 * Test Case: argument size: short is EINVAL, the minimum is accepted, a
 * non-zero tail past the structure is E2BIG
 */
TEST_F(lu_idle, struct_size)
{
	RETURN_IF_SKIPPED();

	check_sizes(_metadata, self->fd, XEN_LU_IOCTL_PREPARE,
		    sizeof(struct xen_lu_prepare),
		    offsetofend(struct xen_lu_prepare, flags), "PREPARE");
	check_sizes(_metadata, self->fd, XEN_LU_IOCTL_COMMIT,
		    sizeof(struct xen_lu_commit),
		    offsetofend(struct xen_lu_commit, flags), "COMMIT");
	check_sizes(_metadata, self->fd, XEN_LU_IOCTL_FINISH,
		    sizeof(struct xen_lu_finish),
		    offsetofend(struct xen_lu_finish, max_differences),
		    "FINISH");
	check_sizes(_metadata, self->fd, XEN_LU_IOCTL_CANCEL,
		    sizeof(struct xen_lu_cancel),
		    offsetofend(struct xen_lu_cancel, flags), "CANCEL");
	CHECK_STATE(XEN_LU_STATE_IDLE, &self->info);
}

/*
 * Test Case: ABI 6 (ABI 5's limits, timings and the simulator flag out
 * of the ABI) and records version 2; an argument above
 * XEN_LU_MAX_ARG_SIZE is E2BIG even with a zero tail, one of exactly that
 * size is read (the state answers)
 */
TEST_F(lu_idle, abi5_max_arg_size)
{
	static uint8_t buf[XEN_LU_MAX_ARG_SIZE + 64];
	static const struct {
		unsigned long cmd;
		const char *name;
	} cmds[] = {
		{ XEN_LU_IOCTL_PREPARE, "PREPARE" },
		{ XEN_LU_IOCTL_COMMIT, "COMMIT" },
		{ XEN_LU_IOCTL_FINISH, "FINISH" },
		{ XEN_LU_IOCTL_CANCEL, "CANCEL" },
	};
	uint32_t *sz = (uint32_t *)buf;
	unsigned int i;

	RETURN_IF_SKIPPED();

	EXPECT_EQ(6, XEN_LU_ABI_VERSION);
	EXPECT_EQ(2, XEN_LU_RECORDS_VERSION);
	EXPECT_EQ(XEN_LU_ABI_VERSION, self->info.out_abi_version);
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		memset(buf, 0, sizeof(buf));
		*sz = XEN_LU_MAX_ARG_SIZE;
		EXPECT_FAILS(ENOENT, ioctl(self->fd, cmds[i].cmd, buf))
			TH_LOG("%s, size %u", cmds[i].name, *sz);
		*sz = XEN_LU_MAX_ARG_SIZE + 1;
		EXPECT_FAILS(E2BIG, ioctl(self->fd, cmds[i].cmd, buf))
			TH_LOG("%s, size %u", cmds[i].name, *sz);
	}
	CHECK_STATE(XEN_LU_STATE_IDLE, &self->info);
}

/*
 * Test Case: COLLECT of the records handed over: EPROTO when none are;
 * unknown COLLECT flags: EINVAL
 */
TEST_F(lu_idle, collect_handed_over_eproto)
{
	struct xen_lu_collect c;
	static uint8_t buf[PG];

	RETURN_IF_SKIPPED();

	EXPECT_ERRNO(EPROTO, handed_over_rc(self->fd));
	EXPECT_ERRNO(EPROTO, collect(self->fd, XEN_LU_COLLECT_HANDED_OVER,
				     NULL, 0, &c));
	EXPECT_EQ(0, c.out_len);
	EXPECT_ERRNO(EINVAL, collect(self->fd, 2, buf, sizeof(buf), &c));
	EXPECT_ERRNO(EINVAL, collect(self->fd,
				     XEN_LU_COLLECT_HANDED_OVER | 1U << 31,
				     buf, sizeof(buf), &c));
	CHECK_STATE(XEN_LU_STATE_IDLE, &self->info);
}

/*
 * Test Case: one controller: a second open for writing is EBUSY until the
 * controller's file is closed; read-only opens are always allowed
 */
TEST_F(lu_idle, exclusive_controller)
{
	int a, b;

	RETURN_IF_SKIPPED();

	EXPECT_EQ(-1, open(LU_DEV, O_RDWR | O_CLOEXEC));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(-1, open(LU_DEV, O_WRONLY | O_CLOEXEC));
	EXPECT_EQ(EBUSY, errno);
	a = open(LU_DEV, O_RDONLY | O_CLOEXEC);
	b = open(LU_DEV, O_RDONLY | O_CLOEXEC);
	EXPECT_LE(0, a);
	EXPECT_LE(0, b);

	/* A read-only file that goes away does not release the controller. */
	close(a);
	EXPECT_EQ(-1, open(LU_DEV, O_RDWR | O_CLOEXEC));
	EXPECT_EQ(EBUSY, errno);

	close(self->fd);
	self->fd = open(LU_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("the controller's file was closed, open: %s",
				      strerror(errno));
	EXPECT_EQ(-1, open(LU_DEV, O_RDWR | O_CLOEXEC));
	EXPECT_EQ(EBUSY, errno);
	close(b);
	CHECK_STATE(XEN_LU_STATE_IDLE, &self->info);
}

/*
 * lu_cold: a cold image staged into the machine memory map's RAM.
 */
FIXTURE(lu_cold) {
	int fd;
	struct image *img;
	struct xen_lu_info staged;
};

FIXTURE_SETUP(lu_cold)
{
	struct xen_lu_mem_entry map[XEN_LU_MAX_MEMORY_MAP];
	struct xen_lu_info info;
	unsigned int nr;
	uint64_t base;

	self->img = NULL;
	LU_OPEN_IDLE(self->fd, lu_restore, return);
	ASSERT_EQ(0, get_info(self->fd, &info));
	if (info.out_flags & XEN_LU_INFO_LOCKDOWN)
		SKIP(return, "kernel locked down against kexec: cold images are refused");
	ASSERT_EQ(0, get_map(self->fd, map, XEN_LU_MAX_MEMORY_MAP, &nr));
	base = cold_base(map, nr);
	ASSERT_NE(0, base)
		TH_LOG("no RAM between 16 MiB and 4 GiB with 1 MiB free");

	self->img = calloc(1, sizeof(*self->img));
	ASSERT_NE(NULL, self->img);
	img_init(self->img, base);
	ASSERT_EQ(0, stage(self->fd, self->img))
		TH_LOG("cold image at %#llx refused: %s, rule %s",
		       (unsigned long long)base, strerror(errno),
		       rule_name(self->img->arg.out_rule));
	ASSERT_EQ(0, get_info(self->fd, &self->staged));
	ASSERT_EQ(XEN_LU_STATE_STAGED, self->staged.out_state);
	ASSERT_EQ(XEN_LU_IMAGE_COLD, self->staged.out_staged_type);
}

FIXTURE_TEARDOWN(lu_cold)
{
	if (self->fd >= 0) {
		lu_restore(self->fd);
		close(self->fd);
	}
	free(self->img);
}

/* The staged cold image is still the one staged, byte for byte. */
static void check_cold_unchanged(struct __test_metadata *_metadata, int fd,
				 const struct image *img,
				 const struct xen_lu_info *staged, int line)
{
	struct xen_lu_info info;
	uint8_t sha[32];

	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(XEN_LU_STATE_STAGED, info.out_state) TH_LOG("line %d", line);
	EXPECT_TRUE(staged_record_same(staged, &info))
		TH_LOG("line %d: the staged record changed", line);
	img_digest(img, sha);
	EXPECT_EQ(0, memcmp(sha, info.out_staged_sha256, sizeof(sha)))
		TH_LOG("line %d: the staged digest is not the image's", line);
	check_no_update(_metadata, &info);
	EXPECT_ERRNO(EPROTO, handed_over_rc(fd));
}

#define CHECK_COLD_UNCHANGED() \
	check_cold_unchanged(_metadata, self->fd, self->img, &self->staged, \
			     __LINE__)

/*
 * Test Case: PREPARE of a cold image: EINVAL, check IMAGE_TYPE, the image
 * stays staged as it was
 */
TEST_F_TIMEOUT(lu_cold, cold_prepare_image_type, 120)
{
	struct xen_lu_prepare p;

	RETURN_IF_SKIPPED();

	EXPECT_ERRNO(EINVAL, prepare(self->fd, 0, &p));
	EXPECT_EQ(XEN_LU_CHECK_IMAGE_TYPE, p.out_check);
	EXPECT_EQ(0, p.out_records_len);
	EXPECT_EQ(0, p.out_records_dest);
	CHECK_COLD_UNCHANGED();
	EXPECT_ERRNO(EINVAL, prepare(self->fd, XEN_LU_PREPARE_FORCE, &p));
	EXPECT_EQ(XEN_LU_CHECK_IMAGE_TYPE, p.out_check);
	CHECK_COLD_UNCHANGED();
	/* Argument checks still come first. */
	EXPECT_ERRNO(EINVAL, prepare(self->fd, 2, &p));
	EXPECT_EQ(XEN_LU_CHECK_NONE, p.out_check);
	CHECK_COLD_UNCHANGED();
}

/*
 * Test Case: COMMIT, FINISH and CANCEL with a cold image staged: EPROTO,
 * nothing changes
 */
TEST_F_TIMEOUT(lu_cold, cold_too_early_eproto, 120)
{
	struct xen_lu_difference diffs[MAX_DIFFS];
	struct xen_lu_commit c;
	struct xen_lu_finish f;

	RETURN_IF_SKIPPED();

	EXPECT_ERRNO(EPROTO, commit(self->fd, 0, &c));
	EXPECT_EQ(XEN_LU_CHECK_NONE, c.out_check);
	EXPECT_EQ(0, c.out_result);
	CHECK_COLD_UNCHANGED();
	EXPECT_ERRNO(EPROTO, finish(self->fd, 0, &f, diffs, MAX_DIFFS));
	EXPECT_EQ(0, f.out_nr_differences);
	CHECK_COLD_UNCHANGED();
	EXPECT_ERRNO(EPROTO, cancel(self->fd, 0));
	CHECK_COLD_UNCHANGED();
	/*
	 * Flags and the controller are checked before the state.  Bit 0 of
	 * COMMIT is XEN_LU_COMMIT_COLD, which would execute this image.
	 */
	EXPECT_ERRNO(EINVAL, commit_rc(self->fd, 2));
	EXPECT_ERRNO(EINVAL, finish_rc(self->fd, 2));
	EXPECT_ERRNO(EINVAL, cancel(self->fd, 1));
	CHECK_COLD_UNCHANGED();
}

/*
 * Test Case: after the refusals the cold image unstages; then every
 * command finds nothing (ENOENT)
 */
TEST_F_TIMEOUT(lu_cold, cold_unstage, 120)
{
	struct xen_lu_info info;

	RETURN_IF_SKIPPED();

	EXPECT_ERRNO(EINVAL, prepare_rc(self->fd, 0));
	EXPECT_ERRNO(EPROTO, commit_rc(self->fd, 0));
	EXPECT_EQ(0, unstage(self->fd, 0));
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_IDLE, info.out_state);
	EXPECT_FALSE(info.out_flags & XEN_LU_INFO_STAGED);
	EXPECT_EQ(XEN_LU_IMAGE_NONE, info.out_staged_type);
	check_no_update(_metadata, &info);
	EXPECT_ERRNO(ENOENT, prepare_rc(self->fd, 0));
	EXPECT_ERRNO(ENOENT, commit_rc(self->fd, 0));
	EXPECT_ERRNO(ENOENT, finish_rc(self->fd, 0));
	EXPECT_ERRNO(ENOENT, cancel(self->fd, 0));
	EXPECT_ERRNO(ENOENT, unstage(self->fd, 0));
}

/*
 * lu_sim: the simulated live-update hypervisor.
 */
FIXTURE(lu_sim) {
	int fd;
	bool faults;		/* the simulator's debugfs files are there */
	struct image *img;
	struct xen_lu_info idle;	/* GET_INFO before the test */
	char dom0_name[64];	/* set when a test renamed dom0 */
	bool synthetic;		/* synthetic devices were written */
	bool participant;	/* the test participant's knobs were used */
	bool loaded_participant;	/* and this test loaded it */
	char freeze_timeout[32];	/* freeze_timeout_ms to write back */
};

FIXTURE_SETUP(lu_sim)
{
	struct xen_lu_info info;

	self->img = NULL;
	LU_OPEN(self->fd, O_RDWR, return);
	ASSERT_EQ(0, get_info(self->fd, &info));
	if (!lu_simulated())
		SKIP(return, "%s",
		     "no simulated live-update hypervisor (load xen_lu_sim, then a XEN_LU_SIMULATOR=y xen_liveupdate)");
	ASSERT_TRUE(info.out_flags & XEN_LU_INFO_LIVE_UPDATE)
		TH_LOG("simulated, yet no live-update range (errno %u)",
		       info.out_lu_errno);
	ASSERT_LE(MIB, info.out_lu_size);
	ASSERT_EQ(XEN_LU_STATE_IDLE, lu_restore(self->fd));
	self->faults = sim_files();

	ASSERT_EQ(0, get_info(self->fd, &self->idle));
	self->img = calloc(1, sizeof(*self->img));
	ASSERT_NE(NULL, self->img);
	img_init_lu(self->img, self->idle.out_xen_start,
		    self->idle.out_lu_start, self->idle.out_lu_size);
}

FIXTURE_TEARDOWN(lu_sim)
{
	uint32_t state;

	if (self->fd >= 0) {
		state = lu_restore(self->fd);
		if (state != XEN_LU_STATE_IDLE)
			TH_LOG("left the device %s", state_name(state));
		close(self->fd);
	}
	if (self->dom0_name[0] && xs_write(DOM0_NAME, self->dom0_name))
		TH_LOG("could not give dom0 its name '%s' back",
		       self->dom0_name);
	if (self->synthetic)
		synthetic_remove();
	if (self->freeze_timeout[0] &&
	    file_write(FREEZE_TIMEOUT, self->freeze_timeout))
		TH_LOG("could not write freeze_timeout_ms %s back",
		       self->freeze_timeout);
	if (self->participant) {
		file_write(TP_PARAM "cancel_waits_xenwatch", "0");
		file_write(TP_PARAM "registered", "1");
		if (self->loaded_participant &&
		    system("rmmod xen_lu_test_participant"))
			TH_LOG("rmmod xen_lu_test_participant failed");
	}
	free(self->img);
}

#define NEED_FAULTS()							\
	do {								\
		if (!self->faults)					\
			SKIP(return, "no %s: the simulator's fault injection is unavailable", \
			     SIM_DIR);					\
	} while (0)

/* Stage the live-update image; GET_INFO must describe it. */
static void stage_lu(struct __test_metadata *_metadata, int fd,
		     struct image *img, struct xen_lu_info *out)
{
	char word[64];
	uint8_t sha[32];
	size_t n, w;

	ASSERT_EQ(0, stage(fd, img))
		TH_LOG("live-update image refused: %s, rule %s, segment %d",
		       strerror(errno), rule_name(img->arg.out_rule),
		       (int)img->arg.out_segment);
	ASSERT_EQ(0, get_info(fd, out));
	ASSERT_EQ(XEN_LU_STATE_STAGED, out->out_state);
	EXPECT_EQ(XEN_LU_IMAGE_LIVE_UPDATE, out->out_staged_type);
	EXPECT_EQ(img->nr, out->out_staged_nr_segments);
	img_digest(img, sha);
	EXPECT_EQ(0, memcmp(sha, out->out_staged_sha256, sizeof(sha)));
	lu_range_word(word, sizeof(word), out->out_lu_start, out->out_lu_size);
	n = strlen(out->out_staged_cmdline);
	w = strlen(word);
	ASSERT_LT(w, n);
	EXPECT_STREQ(word, out->out_staged_cmdline + n - w);
	check_no_update(_metadata, out);
	if (sim_segments() >= 0)
		EXPECT_EQ((int)img->nr, sim_segments());
}

#define STAGE_LU(info) stage_lu(_metadata, self->fd, self->img, info)

/* PREPARE, which must succeed, and everything it hands over. */
static void prepare_ok(struct __test_metadata *_metadata, int fd,
		       const struct image *img, const struct xen_lu_info *staged,
		       struct xen_lu_prepare *p)
{
	ASSERT_EQ(0, prepare(fd, 0, p))
		TH_LOG("PREPARE: %s, check %u, participant '%.32s', backend %.16s %u/%u state %u/%u",
		       strerror(errno), p->out_check, p->out_participant,
		       p->out_backend_type, p->out_backend_frontend_domid,
		       p->out_backend_devid, p->out_backend_state,
		       p->out_frontend_state);
	check_prepared(_metadata, fd, img, p, staged);
	if (sim_segments() >= 0)
		EXPECT_EQ((int)img->nr + 1, sim_segments())
			TH_LOG("the records module is not in the loaded image");
}

#define PREPARE_OK(staged, p) \
	prepare_ok(_metadata, self->fd, self->img, staged, p)

/* COMMIT, which must succeed with @result. */
static void commit_ok(struct __test_metadata *_metadata, int fd,
		      uint32_t result, struct xen_lu_commit *c)
{
	ASSERT_EQ(0, commit(fd, 0, c))
		TH_LOG("COMMIT: %s, check %u, participant '%.32s'",
		       strerror(errno), c->out_check, c->out_participant);
	EXPECT_EQ(result, c->out_result);
	EXPECT_EQ(XEN_LU_CHECK_NONE, c->out_check);
	EXPECT_LE(1, c->out_generation);
	EXPECT_LT(0, c->out_records_len);
}

/* FINISH, which must succeed with no difference. */
static void finish_ok(struct __test_metadata *_metadata, int fd,
		      uint64_t updates_before, struct xen_lu_finish *f)
{
	struct xen_lu_difference diffs[MAX_DIFFS];
	struct xen_lu_info info;

	memset(diffs, 0x5a, sizeof(diffs));
	ASSERT_EQ(0, finish(fd, 0, f, diffs, MAX_DIFFS))
		TH_LOG("FINISH: %s", strerror(errno));
	EXPECT_EQ(0, f->out_nr_differences);
	log_differences(_metadata, f, diffs);
	EXPECT_EQ(updates_before + 1, f->out_updates);
	EXPECT_LE(1, f->out_generation);
	EXPECT_LE(1, f->out_nr_domains);

	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(XEN_LU_STATE_IDLE, info.out_state);
	EXPECT_FALSE(info.out_flags & XEN_LU_INFO_STAGED);
	EXPECT_EQ(XEN_LU_IMAGE_NONE, info.out_staged_type);
	EXPECT_EQ(updates_before + 1, info.out_updates);
	check_no_update(_metadata, &info);
	EXPECT_ERRNO(EPROTO, handed_over_rc(fd));
}

/*
 * Test Case: the whole sequence and every row of "State rules"
 *
 * STAGED -> PREPARED (records in the window, generation 1), the wrong
 * commands in PREPARED, CANCEL back to STAGED, PREPARE again, COMMIT
 * (the simulator presents xen#2: UPDATED), the wrong commands in
 * COMMITTED, FINISH with no difference back to IDLE.
 */
TEST_F_TIMEOUT(lu_sim, full_sequence, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, prepared, committed, info;
	struct xen_lu_prepare p, again;
	struct xen_lu_commit c, c2;
	struct xen_lu_finish f;

	RETURN_IF_SKIPPED();

	STAGE_LU(&staged);
	EXPECT_ERRNO(EPROTO, commit_rc(self->fd, 0));
	EXPECT_ERRNO(EPROTO, finish_rc(self->fd, 0));
	EXPECT_ERRNO(EPROTO, cancel(self->fd, 0));
	EXPECT_ERRNO(EEXIST, stage(self->fd, self->img));
	CHECK_STATE(XEN_LU_STATE_STAGED, &staged);

	/* PREPARED */
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	EXPECT_ERRNO(EALREADY, prepare(self->fd, 0, &again));
	EXPECT_EQ(XEN_LU_CHECK_NONE, again.out_check);
	EXPECT_EQ(0, again.out_records_len);
	EXPECT_ERRNO(EALREADY, prepare_rc(self->fd, XEN_LU_PREPARE_FORCE));
	EXPECT_ERRNO(EBUSY, stage(self->fd, self->img));
	EXPECT_EQ(XEN_LU_RULE_NONE, self->img->arg.out_rule);
	self->img->flags |= XEN_LU_STAGE_REPLACE;
	EXPECT_ERRNO(EBUSY, stage(self->fd, self->img));
	self->img->flags &= ~XEN_LU_STAGE_REPLACE;
	EXPECT_ERRNO(EBUSY, unstage(self->fd, 0));
	EXPECT_ERRNO(EPROTO, finish_rc(self->fd, 0));
	CHECK_STATE(XEN_LU_STATE_PREPARED, &prepared);
	check_handed_over(_metadata, self->fd, p.out_records_len, 1);

	/* CANCEL: STAGED again, the image as staged */
	EXPECT_EQ(0, cancel(self->fd, 0)) TH_LOG("CANCEL: %s", strerror(errno));
	CHECK_STATE(XEN_LU_STATE_STAGED, &staged);
	EXPECT_ERRNO(EPROTO, handed_over_rc(self->fd));
	if (sim_segments() >= 0)
		EXPECT_EQ((int)self->img->nr, sim_segments())
			TH_LOG("CANCEL did not reload the image as staged");
	EXPECT_ERRNO(EPROTO, cancel(self->fd, 0));
	CHECK_STATE(XEN_LU_STATE_STAGED, &staged);

	/* PREPARE again, then COMMIT */
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	commit_ok(_metadata, self->fd, XEN_LU_COMMIT_UPDATED, &c);
	ASSERT_EQ(0, get_info(self->fd, &committed));
	EXPECT_EQ(XEN_LU_STATE_COMMITTED, committed.out_state);
	EXPECT_TRUE(committed.out_flags & XEN_LU_INFO_FROZEN);
	EXPECT_TRUE(committed.out_flags & XEN_LU_INFO_STAGED);
	EXPECT_EQ(XEN_LU_COMMIT_UPDATED, committed.out_commit_result);
	EXPECT_EQ(c.out_generation, committed.out_generation);
	EXPECT_EQ(c.out_records_len, committed.out_records_len);
	EXPECT_EQ(prepared.out_updates, committed.out_updates);
	EXPECT_TRUE(staged_record_same(&staged, &committed));
	EXPECT_STRNE(prepared.out_xen_changeset, committed.out_xen_changeset);
	EXPECT_FALSE(prepared.out_build_id_len == committed.out_build_id_len &&
		     !memcmp(prepared.out_build_id, committed.out_build_id,
			     committed.out_build_id_len))
		TH_LOG("the build id did not change");
	TH_LOG("xen#2: changeset '%s'", committed.out_xen_changeset);
	check_handed_over(_metadata, self->fd, committed.out_records_len,
			  committed.out_generation);

	/* COMMITTED: only FINISH (and CANCEL, see cancel_committed) */
	EXPECT_ERRNO(EALREADY, commit(self->fd, 0, &c2));
	EXPECT_EQ(0, c2.out_result);
	EXPECT_ERRNO(EBUSY, prepare(self->fd, 0, &again));
	EXPECT_EQ(XEN_LU_CHECK_NONE, again.out_check);
	EXPECT_ERRNO(EBUSY, unstage(self->fd, 0));
	EXPECT_ERRNO(EBUSY, stage(self->fd, self->img));
	self->img->flags |= XEN_LU_STAGE_REPLACE;
	EXPECT_ERRNO(EBUSY, stage(self->fd, self->img));
	self->img->flags &= ~XEN_LU_STAGE_REPLACE;
	CHECK_STATE(XEN_LU_STATE_COMMITTED, &committed);

	/* FINISH: IDLE, one more update, xen#2 stays */
	finish_ok(_metadata, self->fd, prepared.out_updates, &f);
	EXPECT_EQ(committed.out_generation, f.out_generation);
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_TRUE(identity_same(&committed, &info));
	EXPECT_ERRNO(ENOENT, finish_rc(self->fd, 0));
	EXPECT_ERRNO(ENOENT, commit_rc(self->fd, 0));
	EXPECT_ERRNO(ENOENT, cancel(self->fd, 0));
	EXPECT_ERRNO(ENOENT, prepare_rc(self->fd, 0));
}

struct racer {
	pthread_barrier_t *go;
	int fd;
	int rc;
	int err;
	struct xen_lu_commit c;
};

static void *commit_racer(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->go);
	r->rc = commit(r->fd, 0, &r->c);
	r->err = r->rc ? errno : 0;
	return NULL;
}

/*
 * Test Case: two COMMITs at once on the controller's file: exactly one
 * commits, the other finds it under way (EBUSY) or done (EALREADY)
 */
TEST_F_TIMEOUT(lu_sim, commit_race, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, prepared, info;
	struct racer r[2] = {};
	pthread_barrier_t go;
	pthread_t t[2];
	struct xen_lu_prepare p;
	struct xen_lu_finish f;
	int i, winner;

	RETURN_IF_SKIPPED();

	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));

	ASSERT_EQ(0, pthread_barrier_init(&go, NULL, 2));
	for (i = 0; i < 2; i++) {
		r[i].go = &go;
		r[i].fd = self->fd;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, commit_racer, &r[i]));
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);

	TH_LOG("COMMIT 1: %d (%s), COMMIT 2: %d (%s)", r[0].rc,
	       strerror(r[0].err), r[1].rc, strerror(r[1].err));
	ASSERT_EQ(1, (r[0].rc == 0) + (r[1].rc == 0))
		TH_LOG("not exactly one COMMIT succeeded");
	winner = r[0].rc ? 1 : 0;
	EXPECT_EQ(XEN_LU_COMMIT_UPDATED, r[winner].c.out_result);
	EXPECT_EQ(-1, r[!winner].rc);
	EXPECT_TRUE(r[!winner].err == EBUSY || r[!winner].err == EALREADY)
		TH_LOG("the loser got %s", strerror(r[!winner].err));
	EXPECT_EQ(0, r[!winner].c.out_result);

	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_COMMITTED, info.out_state);
	EXPECT_EQ(XEN_LU_COMMIT_UPDATED, info.out_commit_result);
	finish_ok(_metadata, self->fd, prepared.out_updates, &f);
}

/*
 * Test Case: the state is the device's: with an update prepared, a second
 * controller is EBUSY; once the controller's file is closed, a new one
 * carries on from PREPARED
 */
TEST_F_TIMEOUT(lu_sim, controller_closed_carries_on, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, prepared;
	struct xen_lu_prepare p;

	RETURN_IF_SKIPPED();

	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	EXPECT_EQ(-1, open(LU_DEV, O_RDWR | O_CLOEXEC));
	EXPECT_EQ(EBUSY, errno);

	close(self->fd);
	self->fd = open(LU_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(errno));
	CHECK_STATE(XEN_LU_STATE_PREPARED, &prepared);
	check_handed_over(_metadata, self->fd, p.out_records_len, 1);
	EXPECT_ERRNO(EALREADY, prepare_rc(self->fd, 0));
	EXPECT_EQ(0, cancel(self->fd, 0));
	CHECK_STATE(XEN_LU_STATE_STAGED, &staged);
	EXPECT_EQ(0, unstage(self->fd, 0));
	CHECK_STATE(XEN_LU_STATE_IDLE, NULL);
}

/*
 * Test Case: COMMIT_COLD with a live-update image staged: EINVAL, check
 * IMAGE_TYPE, nothing executed, the device still STAGED; once prepared:
 * EBUSY (the state rule), still PREPARED
 */
TEST_F_TIMEOUT(lu_sim, commit_cold_live_update_image, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, prepared;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;

	RETURN_IF_SKIPPED();

	STAGE_LU(&staged);
	EXPECT_ERRNO(EINVAL, commit(self->fd, XEN_LU_COMMIT_COLD, &c));
	EXPECT_EQ(XEN_LU_CHECK_IMAGE_TYPE, c.out_check);
	EXPECT_EQ(0, c.out_result);
	CHECK_STATE(XEN_LU_STATE_STAGED, &staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	EXPECT_ERRNO(EBUSY, commit(self->fd, XEN_LU_COMMIT_COLD, &c));
	EXPECT_EQ(XEN_LU_CHECK_NONE, c.out_check);
	CHECK_STATE(XEN_LU_STATE_PREPARED, &prepared);
	EXPECT_EQ(0, cancel(self->fd, 0));
	EXPECT_EQ(0, unstage(self->fd, 0));
	CHECK_STATE(XEN_LU_STATE_IDLE, NULL);
}

/*
 * Test Case: no room for the records past the image in the window:
 * PREPARE fails with ENOSPC, check RECORDS_ROOM, the device stays STAGED
 */
TEST_F_TIMEOUT(lu_sim, records_room_enospc, SEQ_TIMEOUT)
{
	struct image *img = self->img;
	struct xen_lu_info staged, info;
	struct xen_lu_prepare p;
	int m;

	RETURN_IF_SKIPPED();

	/* The module in the window's last page: nothing fits past it. */
	m = img_find(img, XEN_LU_SEG_MODULE, 0);
	ASSERT_LE(0, m);
	img->seg[m].dest = self->idle.out_lu_start + self->idle.out_lu_size -
			   PG;
	img_sort(img);
	img_seal(img);
	STAGE_LU(&staged);

	EXPECT_ERRNO(ENOSPC, prepare(self->fd, 0, &p));
	EXPECT_EQ(XEN_LU_CHECK_RECORDS_ROOM, p.out_check);
	EXPECT_EQ(0, p.out_records_len);
	CHECK_STATE(XEN_LU_STATE_STAGED, &staged);
	EXPECT_ERRNO(EPROTO, handed_over_rc(self->fd));
	ASSERT_EQ(0, get_info(self->fd, &info));
	check_no_update(_metadata, &info);
	if (sim_segments() >= 0)
		EXPECT_EQ((int)img->nr, sim_segments());
	EXPECT_EQ(0, unstage(self->fd, 0));
}

/*
 * Test Case: the exec fails (fail_exec=EIO): COMMIT returns EIO with
 * check EXEC, the device is PREPARED again, thawed, with PREPARE's
 * records; once the fault is cleared COMMIT and FINISH succeed
 */
TEST_F_TIMEOUT(lu_sim, fault_exec, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, prepared, info;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	struct xen_lu_finish f;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	ASSERT_EQ(0, sim_knob("fail_exec", EIO));

	EXPECT_ERRNO(EIO, commit(self->fd, 0, &c));
	EXPECT_EQ(XEN_LU_CHECK_EXEC, c.out_check);
	EXPECT_EQ(0, c.out_result);
	EXPECT_EQ(1, c.out_generation);
	CHECK_STATE(XEN_LU_STATE_PREPARED, &prepared);
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_TRUE(identity_same(&prepared, &info));
	check_handed_over(_metadata, self->fd, p.out_records_len, 1);
	/* A second try meets the same fault, still nothing lost. */
	EXPECT_ERRNO(EIO, commit(self->fd, 0, &c));
	EXPECT_EQ(XEN_LU_CHECK_EXEC, c.out_check);
	CHECK_STATE(XEN_LU_STATE_PREPARED, &prepared);

	ASSERT_EQ(0, sim_knob("fail_exec", 0));
	commit_ok(_metadata, self->fd, XEN_LU_COMMIT_UPDATED, &c);
	CHECK_STATE(XEN_LU_STATE_COMMITTED, NULL);
	finish_ok(_metadata, self->fd, prepared.out_updates, &f);
}

/*
 * Test Case: COMMIT retried at once after failures: every failed exec
 * thaws dom0 and leaves the device PREPARED, and the next COMMIT freezes
 * it again (no lost thaw between the two); the last one succeeds
 */
TEST_F_TIMEOUT(lu_sim, fault_exec_retry, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, prepared;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	struct xen_lu_finish f;
	int i;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	ASSERT_EQ(0, sim_knob("fail_exec", EIO));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(-1, commit(self->fd, 0, &c));
		ASSERT_EQ(EIO, errno)
			TH_LOG("COMMIT %d: %s, check %u", i, strerror(errno),
			       c.out_check);
		ASSERT_EQ(XEN_LU_CHECK_EXEC, c.out_check);
	}
	CHECK_STATE(XEN_LU_STATE_PREPARED, &prepared);
	ASSERT_EQ(0, sim_knob("fail_exec", 0));
	commit_ok(_metadata, self->fd, XEN_LU_COMMIT_UPDATED, &c);
	finish_ok(_metadata, self->fd, prepared.out_updates, &f);
}

/*
 * Test Case: xen#2 refuses the stream (inject_mandatory=1: a mandatory
 * record it does not know): COMMIT fails with check EXEC, the device is
 * PREPARED again and the hypervisor unchanged; cleared, the update works
 */
TEST_F_TIMEOUT(lu_sim, fault_inject_mandatory, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, prepared, info;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	struct xen_lu_finish f;
	int rc;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	ASSERT_EQ(0, sim_knob("inject_mandatory", 1));

	rc = commit(self->fd, 0, &c);
	EXPECT_EQ(-1, rc);
	EXPECT_EQ(EINVAL, errno) TH_LOG("COMMIT: %s", strerror(errno));
	EXPECT_EQ(XEN_LU_CHECK_EXEC, c.out_check);
	EXPECT_EQ(0, c.out_result);
	CHECK_STATE(XEN_LU_STATE_PREPARED, &prepared);
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_TRUE(identity_same(&prepared, &info))
		TH_LOG("the hypervisor changed though xen#2 refused");
	check_handed_over(_metadata, self->fd, p.out_records_len, 1);

	ASSERT_EQ(0, sim_knob("inject_mandatory", 0));
	commit_ok(_metadata, self->fd, XEN_LU_COMMIT_UPDATED, &c);
	finish_ok(_metadata, self->fd, prepared.out_updates, &f);
}

/*
 * Test Case: the hypervisor refuses the image with the records
 * (fail_load): PREPARE fails with that errno and check LOAD; the device
 * stays STAGED with the image as staged; cleared, PREPARE works
 */
TEST_F_TIMEOUT(lu_sim, fault_load_prepare, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, info;
	struct xen_lu_prepare p;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	STAGE_LU(&staged);
	ASSERT_EQ(0, sim_knob("fail_load", EADDRNOTAVAIL));
	EXPECT_ERRNO(EADDRNOTAVAIL, prepare(self->fd, 0, &p));
	EXPECT_EQ(XEN_LU_CHECK_LOAD, p.out_check);
	EXPECT_EQ(0, p.out_records_len);
	CHECK_STATE(XEN_LU_STATE_STAGED, &staged);
	ASSERT_EQ(0, get_info(self->fd, &info));
	check_no_update(_metadata, &info);
	EXPECT_ERRNO(EPROTO, handed_over_rc(self->fd));
	EXPECT_EQ((int)self->img->nr, sim_segments());

	ASSERT_EQ(0, sim_knob("fail_load", 0));
	PREPARE_OK(&staged, &p);
	EXPECT_EQ(0, cancel(self->fd, 0));
	CHECK_STATE(XEN_LU_STATE_STAGED, &staged);
}

/*
 * Test Case: the hypervisor refuses the image back at CANCEL (fail_load):
 * CANCEL fails with that errno and the device stays PREPARED; cleared,
 * CANCEL works
 */
TEST_F_TIMEOUT(lu_sim, fault_load_cancel, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, prepared;
	struct xen_lu_prepare p;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	ASSERT_EQ(0, sim_knob("fail_load", EIO));
	EXPECT_ERRNO(EIO, cancel(self->fd, 0));
	CHECK_STATE(XEN_LU_STATE_PREPARED, &prepared);
	check_handed_over(_metadata, self->fd, p.out_records_len, 1);
	EXPECT_EQ((int)self->img->nr + 1, sim_segments());

	ASSERT_EQ(0, sim_knob("fail_load", 0));
	EXPECT_EQ(0, cancel(self->fd, 0));
	CHECK_STATE(XEN_LU_STATE_STAGED, &staged);
	EXPECT_EQ((int)self->img->nr, sim_segments());
}

/*
 * Test Case: the live-update range goes away (fail_get_range): PREPARE
 * fails with EOPNOTSUPP, check CAPABILITY, and GET_INFO says why
 */
TEST_F_TIMEOUT(lu_sim, fault_get_range_prepare, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, info;
	struct xen_lu_prepare p;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	STAGE_LU(&staged);
	ASSERT_EQ(0, sim_knob("fail_get_range", EINVAL));
	EXPECT_ERRNO(EOPNOTSUPP, prepare(self->fd, 0, &p));
	EXPECT_EQ(XEN_LU_CHECK_CAPABILITY, p.out_check);
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_STAGED, info.out_state);
	EXPECT_FALSE(info.out_flags & XEN_LU_INFO_LIVE_UPDATE);
	EXPECT_EQ(EINVAL, info.out_lu_errno);
	EXPECT_TRUE(staged_record_same(&staged, &info));
	check_no_update(_metadata, &info);

	ASSERT_EQ(0, sim_knob("fail_get_range", 0));
	PREPARE_OK(&staged, &p);
	EXPECT_EQ(0, cancel(self->fd, 0));
}

/*
 * Test Case: the hypervisor refuses to unload (fail_unload): UNSTAGE fails
 * with that errno and the image stays staged
 */
TEST_F_TIMEOUT(lu_sim, fault_unload, SEQ_TIMEOUT)
{
	struct xen_lu_info staged;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	STAGE_LU(&staged);
	ASSERT_EQ(0, sim_knob("fail_unload", EIO));
	EXPECT_ERRNO(EIO, unstage(self->fd, 0));
	CHECK_STATE(XEN_LU_STATE_STAGED, &staged);
	EXPECT_EQ((int)self->img->nr, sim_segments());
	ASSERT_EQ(0, sim_knob("fail_unload", 0));
	EXPECT_EQ(0, unstage(self->fd, 0));
	CHECK_STATE(XEN_LU_STATE_IDLE, NULL);
	EXPECT_EQ(0, sim_segments());
}

/*
 * Test Case: the hypervisor defers the update (defer=1): COMMIT returns 0
 * with SCHEDULED, FINISH is EAGAIN while the identity is unchanged and
 * changes nothing; once the deferred exec ran, FINISH succeeds
 */
TEST_F_TIMEOUT(lu_sim, fault_defer, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, prepared, committed, info;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	struct xen_lu_finish f;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	ASSERT_EQ(0, sim_knob("defer", 1));

	commit_ok(_metadata, self->fd, XEN_LU_COMMIT_SCHEDULED, &c);
	ASSERT_EQ(0, get_info(self->fd, &committed));
	EXPECT_EQ(XEN_LU_STATE_COMMITTED, committed.out_state);
	EXPECT_TRUE(committed.out_flags & XEN_LU_INFO_FROZEN);
	EXPECT_EQ(XEN_LU_COMMIT_SCHEDULED, committed.out_commit_result);
	EXPECT_TRUE(identity_same(&prepared, &committed));

	EXPECT_ERRNO(EAGAIN, finish(self->fd, 0, &f, NULL, 0));
	EXPECT_EQ(0, f.out_updates);
	CHECK_STATE(XEN_LU_STATE_COMMITTED, &committed);
	EXPECT_ERRNO(EALREADY, commit_rc(self->fd, 0));
	/* The simulator keeps a deferred exec's image: unload EBUSY. */
	EXPECT_ERRNO(EBUSY, cancel(self->fd, 0));
	EXPECT_ERRNO(EAGAIN, finish_rc(self->fd, 0));
	CHECK_STATE(XEN_LU_STATE_COMMITTED, &committed);

	ASSERT_EQ(0, sim_write("run_deferred", "1"))
		TH_LOG("the deferred exec failed");
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_FALSE(identity_same(&prepared, &info));
	EXPECT_EQ(XEN_LU_STATE_COMMITTED, info.out_state);
	finish_ok(_metadata, self->fd, prepared.out_updates, &f);
	EXPECT_EQ(0, sim_knob("defer", 0));
}

/* Rename dom0 in xenstore, remembering its name for the teardown. */
#define RENAME_DOM0()							\
	do {								\
		if (xs_read(DOM0_NAME, self->dom0_name,			\
			    sizeof(self->dom0_name)))			\
			SKIP(return, "cannot read %s with xenstore-read", \
			     DOM0_NAME);				\
		ASSERT_EQ(0, xs_write(DOM0_NAME, DOM0_RENAMED));	\
	} while (0)

/*
 * Test Case: a change between PREPARE and COMMIT is handed over: dom0
 * renamed in xenstore, COMMIT re-reads the domains, reloads the image with
 * generation 2 at the same place, and FINISH finds no difference
 */
TEST_F_TIMEOUT(lu_sim, commit_hands_over_changes, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, prepared, committed;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	struct xen_lu_finish f;

	RETURN_IF_SKIPPED();

	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	RENAME_DOM0();

	commit_ok(_metadata, self->fd, XEN_LU_COMMIT_UPDATED, &c);
	EXPECT_EQ(1, c.out_changed_domains);
	EXPECT_EQ(1, c.out_reloaded);
	EXPECT_EQ(2, c.out_generation);
	EXPECT_LE(1, c.out_nr_changes);
	ASSERT_EQ(0, get_info(self->fd, &committed));
	EXPECT_EQ(XEN_LU_STATE_COMMITTED, committed.out_state);
	EXPECT_EQ(2, committed.out_generation);
	EXPECT_EQ(c.out_records_len, committed.out_records_len);
	EXPECT_EQ(p.out_records_dest, committed.out_records_dest);
	check_handed_over(_metadata, self->fd, committed.out_records_len, 2);
	EXPECT_TRUE(handed_over_has(self->fd, committed.out_records_len,
				    DOM0_RENAMED))
		TH_LOG("dom0's new name is not in the records handed over");

	finish_ok(_metadata, self->fd, prepared.out_updates, &f);
	EXPECT_EQ(2, f.out_generation);
}

/*
 * Test Case: a change after COMMIT is FINISH's answer, not its failure:
 * dom0 renamed while committed, FINISH returns 0 with one DOMAIN_IDENTITY
 * difference for domain 0, and ends the update all the same
 */
TEST_F_TIMEOUT(lu_sim, finish_reports_differences, SEQ_TIMEOUT)
{
	struct xen_lu_difference d[MAX_DIFFS];
	struct xen_lu_info staged, prepared, info;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	struct xen_lu_finish f;

	RETURN_IF_SKIPPED();

	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	commit_ok(_metadata, self->fd, XEN_LU_COMMIT_UPDATED, &c);
	RENAME_DOM0();

	memset(d, 0, sizeof(d));
	ASSERT_EQ(0, finish(self->fd, 0, &f, d, MAX_DIFFS))
		TH_LOG("FINISH: %s", strerror(errno));
	log_differences(_metadata, &f, d);
	ASSERT_EQ(1, f.out_nr_differences);
	EXPECT_EQ(XEN_LU_REC_DOM0_DOMAIN, d[0].kind);
	EXPECT_EQ(XEN_LU_DIFF_DOMAIN_IDENTITY, d[0].field);
	EXPECT_EQ(0, d[0].domid);
	EXPECT_EQ(0, d[0].id);
	EXPECT_NE(d[0].expected, d[0].found);
	EXPECT_STREQ("", d[0].type);
	EXPECT_EQ(0, d[1].kind) TH_LOG("a second difference was written");
	EXPECT_EQ(prepared.out_updates + 1, f.out_updates);
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_IDLE, info.out_state);
	EXPECT_EQ(prepared.out_updates + 1, info.out_updates);
	check_no_update(_metadata, &info);
}

/*
 * Test Case: output fields are the kernel's: whatever user space left in
 * them, PREPARE and COMMIT that succeed say XEN_LU_CHECK_NONE, and a
 * COMMIT that fails says out_result 0 (UAPI: "0 on failure")
 */
TEST_F_TIMEOUT(lu_sim, outputs_overwritten, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, prepared;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	struct xen_lu_finish f;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	STAGE_LU(&staged);
	memset(&p, 0xa5, sizeof(p));
	p.size = sizeof(p);
	p.flags = 0;
	ASSERT_EQ(0, ioctl(self->fd, XEN_LU_IOCTL_PREPARE, &p))
		TH_LOG("PREPARE: %s", strerror(errno));
	EXPECT_EQ(XEN_LU_CHECK_NONE, p.out_check);
	EXPECT_EQ(0, p.out_nr_unstable);
	ASSERT_EQ(0, get_info(self->fd, &prepared));

	ASSERT_EQ(0, sim_knob("fail_exec", EIO));
	memset(&c, 0xa5, sizeof(c));
	c.size = sizeof(c);
	c.flags = 0;
	EXPECT_ERRNO(EIO, ioctl(self->fd, XEN_LU_IOCTL_COMMIT, &c));
	EXPECT_EQ(XEN_LU_CHECK_EXEC, c.out_check);
	EXPECT_EQ(0, c.out_result);
	ASSERT_EQ(0, sim_knob("fail_exec", 0));

	memset(&c, 0xa5, sizeof(c));
	c.size = sizeof(c);
	c.flags = 0;
	ASSERT_EQ(0, ioctl(self->fd, XEN_LU_IOCTL_COMMIT, &c))
		TH_LOG("COMMIT: %s", strerror(errno));
	EXPECT_EQ(XEN_LU_COMMIT_UPDATED, c.out_result);
	EXPECT_EQ(XEN_LU_CHECK_NONE, c.out_check);
	EXPECT_NE(POISON32, c.out_changed_domains);
	finish_ok(_metadata, self->fd, prepared.out_updates, &f);
}

/* COMMIT that the simulator defers: SCHEDULED, COMMITTED and frozen. */
static void commit_scheduled(struct __test_metadata *_metadata, int fd,
			     struct xen_lu_commit *c)
{
	struct xen_lu_info info;

	ASSERT_EQ(0, sim_knob("defer", 1));
	commit_ok(_metadata, fd, XEN_LU_COMMIT_SCHEDULED, c);
	ASSERT_EQ(0, get_info(fd, &info));
	ASSERT_EQ(XEN_LU_STATE_COMMITTED, info.out_state);
	EXPECT_TRUE(info.out_flags & XEN_LU_INFO_FROZEN);
	EXPECT_TRUE(sim_status_has("deferred exec pending: y"));
	ASSERT_EQ(0, sim_knob("defer", 0));
}

/*
 * The simulated hypervisor gives the scheduled exec up (as Xen refuses to
 * unload while a kexec is pending, the simulator does while an exec is
 * deferred), then CANCEL from COMMITTED, which must work.
 */
static void drop_and_cancel(struct __test_metadata *_metadata, int fd)
{
	ASSERT_EQ(0, sim_write("run_deferred", "0"));
	ASSERT_EQ(0, cancel(fd, 0)) TH_LOG("CANCEL: %s", strerror(errno));
}

/* The test participant, registered, its faults off; false after a SKIP. */
static bool participant_ready(struct __test_metadata *_metadata,
			      FIXTURE_DATA(lu_sim) *self)
{
	if (access(TP_PARAM "registered", F_OK)) {
		if (!access("/sys/module/xen_lu_test_participant", F_OK))
			SKIP(return false,
			     "xen_lu_test_participant has no 'registered' parameter (an older build)");
		if (system("modprobe xen_lu_test_participant >/dev/null 2>&1") ||
		    access(TP_PARAM "registered", F_OK))
			SKIP(return false,
			     "no xen_lu_test_participant module (tests/simulator)");
		self->loaded_participant = true;
	}
	self->participant = true;
	EXPECT_EQ(0, file_write(TP_PARAM "fail_prepare", "0"));
	EXPECT_EQ(0, file_write(TP_PARAM "fail_commit", "0"));
	EXPECT_EQ(0, file_write(TP_PARAM "cancel_waits_xenwatch", "0"));
	EXPECT_EQ(0, file_write(TP_PARAM "registered", "1"));
	return true;
}

#define PARTICIPANT_READY()						\
	do {								\
		if (!participant_ready(_metadata, self))		\
			return;						\
	} while (0)

/* Shared between race_readers_commit's controller and its readers. */
#define NR_READERS	3
struct race_shared {
	/* Odd while the controller runs a command that changes the records. */
	volatile uint64_t epoch;
	volatile int stop;
	struct {
		uint64_t dumps, infos, none, checked;
		uint64_t bad;
		char why[160];
	} r[NR_READERS];
};

/* One reader: COLLECT HANDED_OVER between two GET_INFOs, until stopped. */
static void race_reader(struct race_shared *sh, unsigned int me)
{
	static uint8_t buf[1 << 20];
	struct xen_lu_info i0, i1;
	struct xen_lu_collect c;
	uint64_t e0, e1, gen;
	const char *why;
	int fd, rc;

	fd = open(LU_DEV, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(sh->r[me].why, sizeof(sh->r[me].why), "open: %s",
			 strerror(errno));
		sh->r[me].bad++;
		return;
	}
	while (!sh->stop) {
		e0 = __atomic_load_n(&sh->epoch, __ATOMIC_SEQ_CST);
		if (get_info(fd, &i0))
			goto bad_info;
		rc = collect(fd, XEN_LU_COLLECT_HANDED_OVER, buf, sizeof(buf),
			     &c);
		if (get_info(fd, &i1))
			goto bad_info;
		e1 = __atomic_load_n(&sh->epoch, __ATOMIC_SEQ_CST);
		sh->r[me].infos += 2;
		/* Leave the controller (and xenwatch) some CPU under TCG. */
		usleep(1000);
		if (rc) {
			/* Nothing handed over between CANCEL and PREPARE. */
			if (errno != EPROTO) {
				snprintf(sh->r[me].why, sizeof(sh->r[me].why),
					 "COLLECT HANDED_OVER: %s",
					 strerror(errno));
				sh->r[me].bad++;
			}
			sh->r[me].none++;
			continue;
		}
		sh->r[me].dumps++;
		why = walk_dump(buf, c.out_len, &c, &gen, NULL, NULL);
		if (!why && (gen < 1 || gen > 2))
			why = "a generation the controller never made";
		/* Nothing changed while it read: all three must agree. */
		if (!why && e0 == e1 && !(e0 & 1)) {
			sh->r[me].checked++;
			if (i0.out_generation != gen ||
			    i1.out_generation != gen)
				why = "generation not GET_INFO's";
			else if (i0.out_records_len != c.out_len)
				why = "length not GET_INFO's";
		}
		if (why) {
			snprintf(sh->r[me].why, sizeof(sh->r[me].why),
				 "%s (generation %llu, GET_INFO %llu..%llu, %llu bytes)",
				 why, (unsigned long long)gen,
				 (unsigned long long)i0.out_generation,
				 (unsigned long long)i1.out_generation,
				 (unsigned long long)c.out_len);
			sh->r[me].bad++;
		}
	}
	close(fd);
	return;
bad_info:
	snprintf(sh->r[me].why, sizeof(sh->r[me].why), "GET_INFO: %s",
		 strerror(errno));
	sh->r[me].bad++;
	close(fd);
}

static void epoch_bump(struct race_shared *sh)
{
	__atomic_add_fetch(&sh->epoch, 1, __ATOMIC_SEQ_CST);
}

/*
 * Test Case: read-only files in other processes loop COLLECT
 * HANDED_OVER and GET_INFO while the controller loops STAGE, PREPARE, a
 * change, a COMMIT that reloads the records (scheduled) and CANCEL from
 * COMMITTED, for 10 s and at least RACE_CYCLES cycles (60 s at most):
 * every dump is well formed, of a generation the controller made, and
 * the one GET_INFO reports when nothing changed meanwhile (UAPI: records
 * and generation published under the lock)
 */
#define RACE_CYCLES	3
TEST_F_TIMEOUT(lu_sim, race_readers_commit, SEQ_TIMEOUT)
{
	struct race_shared *sh;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	pid_t pid[NR_READERS];
	unsigned int i, cycles = 0, reloads = 0;
	uint64_t dumps = 0, checked = 0, bad = 0;
	double t0, end;
	int st;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	self->synthetic = true;
	ASSERT_EQ(0, synthetic_add(1, 100))
		TH_LOG("xenstore-write of a synthetic device failed");
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));
	for (i = 0; i < NR_READERS; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i]) {
			race_reader(sh, i);
			_exit(0);
		}
	}

	t0 = now_s();
	end = t0 + 10;
	while (now_s() < end || (cycles < RACE_CYCLES && now_s() < t0 + 60)) {
		epoch_bump(sh);
		if (stage(self->fd, self->img))
			break;
		if (prepare(self->fd, 0, &p))
			break;
		epoch_bump(sh);
		if (synthetic_ring_ref(1, 101 + cycles))
			break;
		epoch_bump(sh);
		if (sim_knob("defer", 1) || commit(self->fd, 0, &c))
			break;
		epoch_bump(sh);
		reloads += c.out_reloaded;
		if (sim_knob("defer", 0) || sim_write("run_deferred", "0"))
			break;
		epoch_bump(sh);
		if (cancel(self->fd, 0))
			break;
		epoch_bump(sh);
		cycles++;
	}
	TH_LOG("stopped after %u cycles, %.1f s: %s", cycles, now_s() - t0,
	       now_s() < end ? strerror(errno) : "time");
	sh->stop = 1;
	for (i = 0; i < NR_READERS; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &st, 0));
		EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));
		dumps += sh->r[i].dumps;
		checked += sh->r[i].checked;
		bad += sh->r[i].bad;
		if (sh->r[i].bad)
			TH_LOG("reader %u: %llu bad, last: %s", i,
			       (unsigned long long)sh->r[i].bad, sh->r[i].why);
	}
	TH_LOG("%u cycles, %u reloads; readers: %llu dumps (%llu checked against GET_INFO)",
	       cycles, reloads, (unsigned long long)dumps,
	       (unsigned long long)checked);
	EXPECT_GE(now_s(), end) TH_LOG("the controller stopped early");
	EXPECT_LE(RACE_CYCLES, cycles);
	EXPECT_EQ(cycles, reloads) TH_LOG("a COMMIT did not reload the records");
	EXPECT_LT(0, dumps);
	EXPECT_EQ(0, bad);
	munmap(sh, sizeof(*sh));
}

/*
 * Test Case: CANCEL from COMMITTED: with the scheduled exec still held by
 * the hypervisor its unload fails (EBUSY) and nothing changes; once the
 * hypervisor dropped it, CANCEL returns 0: IDLE, thawed, nothing staged,
 * the simulator's slot empty, and a new STAGE works
 */
TEST_F_TIMEOUT(lu_sim, cancel_committed, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, prepared, committed, info;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	commit_scheduled(_metadata, self->fd, &c);
	ASSERT_EQ(0, get_info(self->fd, &committed));

	EXPECT_ERRNO(EBUSY, cancel(self->fd, 0));
	CHECK_STATE(XEN_LU_STATE_COMMITTED, &committed);

	ASSERT_EQ(0, sim_write("run_deferred", "0"));
	EXPECT_EQ(0, cancel(self->fd, 0)) TH_LOG("CANCEL: %s", strerror(errno));
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_IDLE, info.out_state)
		TH_LOG("the device is %s", state_name(info.out_state));
	EXPECT_FALSE(info.out_flags & XEN_LU_INFO_FROZEN);
	EXPECT_FALSE(info.out_flags & XEN_LU_INFO_STAGED);
	EXPECT_FALSE(info.out_flags & XEN_LU_INFO_WATCHDOG_THAWED);
	EXPECT_EQ(prepared.out_updates, info.out_updates);
	check_no_update(_metadata, &info);
	EXPECT_TRUE(sim_status_has("image loaded: n"));
	EXPECT_EQ(0, sim_segments());
	EXPECT_TRUE(sim_status_has("deferred exec pending: n"));
	EXPECT_ERRNO(EPROTO, handed_over_rc(self->fd));
	EXPECT_ERRNO(ENOENT, cancel(self->fd, 0));

	STAGE_LU(&staged);
	EXPECT_EQ(0, unstage(self->fd, 0));
}

/*
 * Test Case: FINISH with XEN_LU_FINISH_UNCHANGED ends a scheduled update
 * that never ran: EAGAIN without it, the unload's EBUSY while the
 * hypervisor holds the exec, then 0 with no difference: IDLE, the update
 * counted, the simulator's slot unloaded
 */
TEST_F_TIMEOUT(lu_sim, finish_unchanged, SEQ_TIMEOUT)
{
	struct xen_lu_difference d[MAX_DIFFS];
	struct xen_lu_info staged, prepared, committed, info;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	struct xen_lu_finish f;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	commit_scheduled(_metadata, self->fd, &c);
	ASSERT_EQ(0, get_info(self->fd, &committed));

	EXPECT_ERRNO(EAGAIN, finish(self->fd, 0, &f, d, MAX_DIFFS));
	CHECK_STATE(XEN_LU_STATE_COMMITTED, &committed);
	EXPECT_ERRNO(EBUSY, finish(self->fd, XEN_LU_FINISH_UNCHANGED, &f, d,
				   MAX_DIFFS));
	CHECK_STATE(XEN_LU_STATE_COMMITTED, &committed);

	ASSERT_EQ(0, sim_write("run_deferred", "0"));
	memset(d, 0, sizeof(d));
	ASSERT_EQ(0, finish(self->fd, XEN_LU_FINISH_UNCHANGED, &f, d,
			    MAX_DIFFS)) TH_LOG("FINISH_UNCHANGED: %s",
					       strerror(errno));
	log_differences(_metadata, &f, d);
	EXPECT_EQ(0, f.out_nr_differences);
	EXPECT_EQ(prepared.out_updates + 1, f.out_updates);
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_IDLE, info.out_state)
		TH_LOG("the device is %s", state_name(info.out_state));
	EXPECT_FALSE(info.out_flags & XEN_LU_INFO_FROZEN);
	EXPECT_TRUE(identity_same(&prepared, &info));
	check_no_update(_metadata, &info);
	EXPECT_TRUE(sim_status_has("image loaded: n"));
	EXPECT_EQ(0, sim_segments());
}

/*
 * Test Case: the freeze watchdog (freeze_timeout_ms=300): a scheduled
 * COMMIT left alone is thawed within a second, GET_INFO says
 * WATCHDOG_THAWED and not FROZEN, the device stays COMMITTED, the kernel
 * log says why; CANCEL then ends the update and the flag
 */
TEST_F_TIMEOUT(lu_sim, freeze_watchdog, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, info;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	int logged;
	double t0;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	/* UAPI "Freeze watchdog" (ABI 5): the parameter must be there. */
	ASSERT_EQ(0, lu_sysfs_read_line(FREEZE_TIMEOUT, self->freeze_timeout,
					sizeof(self->freeze_timeout)))
		TH_LOG("no %s: a module older than ABI 5?", FREEZE_TIMEOUT);
	ASSERT_EQ(0, file_write(FREEZE_TIMEOUT, "300"));
	logged = kmsg_count(WATCHDOG_LOG);

	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	commit_scheduled(_metadata, self->fd, &c);
	t0 = now_s();
	do {
		usleep(100000);
		ASSERT_EQ(0, get_info(self->fd, &info));
	} while (!(info.out_flags & XEN_LU_INFO_WATCHDOG_THAWED) &&
		 now_s() < t0 + 3);
	TH_LOG("thawed after %.2f s", now_s() - t0);
	EXPECT_LE(now_s() - t0, 1.5);
	EXPECT_TRUE(info.out_flags & XEN_LU_INFO_WATCHDOG_THAWED);
	EXPECT_FALSE(info.out_flags & XEN_LU_INFO_FROZEN);
	EXPECT_EQ(XEN_LU_STATE_COMMITTED, info.out_state)
		TH_LOG("the device is %s", state_name(info.out_state));
	EXPECT_EQ(XEN_LU_COMMIT_SCHEDULED, info.out_commit_result);
	EXPECT_EQ(logged + 1, kmsg_count(WATCHDOG_LOG))
		TH_LOG("no '%s' line in the kernel log", WATCHDOG_LOG);

	drop_and_cancel(_metadata, self->fd);
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_IDLE, info.out_state);
	EXPECT_FALSE(info.out_flags & XEN_LU_INFO_WATCHDOG_THAWED);
	EXPECT_FALSE(info.out_flags & XEN_LU_INFO_FROZEN);
}

/*
 * Test Case: a participant's module cannot be removed mid-update (a
 * module reference from prepare() on); unregistered during an update
 * (registered=0 while PREPARED) it is cancelled at once, and the next
 * COMMIT hands over records without its record (reloaded)
 */
TEST_F_TIMEOUT(lu_sim, participant_unregistered, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, prepared;
	struct rec_find fd_prep = {}, fd_comm = {};
	struct xen_lu_collect col;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	struct xen_lu_finish f;
	long cancels;
	uint64_t gen;
	uint8_t *buf;

	RETURN_IF_SKIPPED();
	PARTICIPANT_READY();

	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	buf = handed_over_dump(self->fd, &col);
	ASSERT_NE(NULL, buf);
	EXPECT_EQ(NULL, walk_dump(buf, col.out_len, &col, &gen, find_records,
				  &fd_prep));
	free(buf);
	ASSERT_EQ(1, fd_prep.participants)
		TH_LOG("PREPARE did not hand the participant's record over");

	/* A module reference from prepare() on: no rmmod mid-update. */
	EXPECT_NE(0, system("rmmod xen_lu_test_participant 2>/dev/null"));
	ASSERT_EQ(0, access(TP_PARAM "registered", F_OK))
		TH_LOG("the participant's module went away mid-update");
	cancels = file_long(TP_PARAM "cancel_calls");
	ASSERT_EQ(0, file_write(TP_PARAM "registered", "0"));
	EXPECT_EQ(cancels + 1, file_long(TP_PARAM "cancel_calls"))
		TH_LOG("unregistering did not cancel the participant");

	commit_ok(_metadata, self->fd, XEN_LU_COMMIT_UPDATED, &c);
	EXPECT_EQ(1, c.out_reloaded);
	EXPECT_EQ(2, c.out_generation);
	buf = handed_over_dump(self->fd, &col);
	ASSERT_NE(NULL, buf);
	EXPECT_EQ(NULL, walk_dump(buf, col.out_len, &col, &gen, find_records,
				  &fd_comm));
	free(buf);
	EXPECT_EQ(2, gen);
	EXPECT_EQ(0, fd_comm.participants)
		TH_LOG("the unregistered participant's record was handed over");
	finish_ok(_metadata, self->fd, prepared.out_updates, &f);
	EXPECT_EQ(cancels + 1, file_long(TP_PARAM "cancel_calls"));
}

/* Child: registered=0; exit 0 once the write returned. */
static pid_t unregister_child(void)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	_exit(file_write(TP_PARAM "registered", "0") ? 1 : 0);
}

/* Wait up to @secs for @pid; its wait status, or -1 on timeout. */
static int wait_for(pid_t pid, double secs)
{
	double end = now_s() + secs;
	int st;

	do {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		usleep(20000);
	} while (now_s() < end);
	return -1;
}

/*
 * Test Case: a participant whose cancel() waits for xenwatch (a xenbus
 * watch registered and unregistered): unregistered while dom0 is frozen
 * it waits for the thaw instead of deadlocking, and CANCEL from
 * COMMITTED and the unregistration both finish within seconds; a frozen
 * CANCEL with that participant prepared completes too
 */
TEST_F_TIMEOUT(lu_sim, participant_waits_xenwatch, SEQ_TIMEOUT)
{
	struct xen_lu_info staged;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	long watches;
	double t0;
	pid_t pid;
	int st;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();
	PARTICIPANT_READY();
	ASSERT_EQ(0, file_write(TP_PARAM "cancel_waits_xenwatch", "1"));
	watches = file_long(TP_PARAM "cancel_watches");
	ASSERT_LE(0, watches);

	/* Unregistered while frozen, then CANCEL. */
	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	commit_scheduled(_metadata, self->fd, &c);
	pid = unregister_child();
	ASSERT_LE(0, pid);
	st = wait_for(pid, 1);
	EXPECT_EQ(-1, st) TH_LOG("the unregistration did not wait for the thaw");
	ASSERT_EQ(0, sim_write("run_deferred", "0"));
	t0 = now_s();
	EXPECT_EQ(0, cancel(self->fd, 0)) TH_LOG("CANCEL: %s", strerror(errno));
	TH_LOG("CANCEL took %.2f s", now_s() - t0);
	EXPECT_GT(5, now_s() - t0);
	if (st == -1)
		st = wait_for(pid, 5);
	if (st == -1) {
		kill(pid, SIGKILL);
		TH_LOG("registered=0 still blocked 5 s after CANCEL");
	}
	EXPECT_TRUE(st != -1 && WIFEXITED(st) && !WEXITSTATUS(st));
	CHECK_STATE(XEN_LU_STATE_IDLE, NULL);
	EXPECT_EQ(watches + 1, file_long(TP_PARAM "cancel_watches"));

	/* Registered again: a frozen CANCEL runs that cancel() after the thaw. */
	ASSERT_EQ(0, file_write(TP_PARAM "registered", "1"));
	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	commit_scheduled(_metadata, self->fd, &c);
	t0 = now_s();
	drop_and_cancel(_metadata, self->fd);
	TH_LOG("frozen CANCEL took %.2f s", now_s() - t0);
	EXPECT_GT(5, now_s() - t0);
	CHECK_STATE(XEN_LU_STATE_IDLE, NULL);
	EXPECT_EQ(watches + 2, file_long(TP_PARAM "cancel_watches"));
}

/* The UAPI of <xen/evtchn.h>, should the header be missing. */
#ifndef IOCTL_EVTCHN_BIND_UNBOUND_PORT
struct ioctl_evtchn_bind_unbound_port {
	unsigned int remote_domain;
};

#define IOCTL_EVTCHN_BIND_UNBOUND_PORT \
	_IOC(_IOC_NONE, 'E', 2, sizeof(struct ioctl_evtchn_bind_unbound_port))
#endif

/*
 * Test Case: an event channel user space binds between PREPARE and
 * COMMIT (an unbound port for domain 0 through /dev/xen/evtchn) is in
 * the records COMMIT hands over (UAPI "Event channels at COMMIT")
 */
TEST_F_TIMEOUT(lu_sim, commit_rereads_evtchns, SEQ_TIMEOUT)
{
	struct ioctl_evtchn_bind_unbound_port bind = { .remote_domain = 0 };
	struct xen_lu_info staged;
	struct rec_find found = {};
	struct xen_lu_collect col;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	uint64_t gen;
	uint8_t *buf;
	int ev, port;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	ev = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	if (ev < 0)
		SKIP(return, "/dev/xen/evtchn: %s", strerror(errno));
	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	port = ioctl(ev, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &bind);
	ASSERT_LT(0, port) TH_LOG("bind unbound port: %s", strerror(errno));

	commit_scheduled(_metadata, self->fd, &c);
	EXPECT_EQ(1, c.out_reloaded);
	buf = handed_over_dump(self->fd, &col);
	ASSERT_NE(NULL, buf);
	found.evtchn_port = port;
	EXPECT_EQ(NULL, walk_dump(buf, col.out_len, &col, &gen, find_records,
				  &found));
	free(buf);
	EXPECT_TRUE(found.evtchn_found)
		TH_LOG("port %d is not in the records handed over", port);
	EXPECT_EQ(XEN_LU_EVTCHN_UNBOUND, found.evtchn.status);
	EXPECT_EQ(0, found.evtchn.remote_domid);
	drop_and_cancel(_metadata, self->fd);
	close(ev);
}

/* Ring references no other record holds (as little-endian bytes). */
#define RING_BEFORE	0x5eed1233U
#define RING_AFTER	0x5eed1234U

static bool handed_over_has_u32(int fd, uint32_t v)
{
	struct xen_lu_collect c;
	uint8_t le[4] = { v, v >> 8, v >> 16, v >> 24 };
	uint8_t *buf = handed_over_dump(fd, &c);
	bool found = buf && memmem(buf, c.out_len, le, sizeof(le));

	free(buf);
	return found;
}

/*
 * Test Case: a failed exec after a reload whose restore of the previous
 * records fails too (fail_exec, fail_load_after=1): COMMIT fails, the
 * newer records stay handed over; a device changed next is in the
 * records of the COMMIT that works (nothing lost, nothing crashes)
 */
TEST_F_TIMEOUT(lu_sim, restore_fails_nothing_lost, SEQ_TIMEOUT)
{
	struct xen_lu_info staged, prepared, info;
	struct rec_find a = { .devid = 1 }, cc = { .devid = 3 };
	struct xen_lu_collect col;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	struct xen_lu_finish f;
	int logged;
	uint64_t gen;
	uint8_t *buf;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	/* Three devices; the first goes away, the last changes. */
	self->synthetic = true;
	ASSERT_EQ(0, synthetic_add(1, 200));
	ASSERT_EQ(0, synthetic_add(2, 300));
	ASSERT_EQ(0, synthetic_add(3, RING_BEFORE));
	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, &prepared));
	ASSERT_EQ(0, synthetic_del(1));

	logged = kmsg_count("could not hand the previous records back");
	ASSERT_EQ(0, sim_knob("fail_exec", EIO));
	ASSERT_EQ(0, sim_knob("fail_load_after", 1));
	EXPECT_ERRNO(EIO, commit(self->fd, 0, &c));
	EXPECT_EQ(XEN_LU_CHECK_EXEC, c.out_check);
	EXPECT_EQ(1, c.out_reloaded);
	ASSERT_EQ(0, sim_knob("fail_exec", 0));
	ASSERT_EQ(0, sim_knob("fail_load_after", 0));
	EXPECT_EQ(logged + 1,
		  kmsg_count("could not hand the previous records back"))
		TH_LOG("the restore did not fail: the test missed its case");
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_PREPARED, info.out_state);
	EXPECT_FALSE(info.out_flags & XEN_LU_INFO_FROZEN);
	EXPECT_EQ(2, info.out_generation);
	EXPECT_EQ(2, c.out_generation);

	ASSERT_EQ(0, synthetic_ring_ref(3, RING_AFTER));
	commit_ok(_metadata, self->fd, XEN_LU_COMMIT_UPDATED, &c);
	buf = handed_over_dump(self->fd, &col);
	ASSERT_NE(NULL, buf);
	EXPECT_EQ(NULL, walk_dump(buf, col.out_len, &col, &gen, find_records,
				  &cc));
	EXPECT_EQ(NULL, walk_dump(buf, col.out_len, &col, &gen, find_records,
				  &a));
	free(buf);
	EXPECT_EQ(0, a.devices) TH_LOG("the removed device is handed over");
	EXPECT_EQ(1, cc.devices);
	EXPECT_EQ(RING_AFTER, cc.ring_ref)
		TH_LOG("the change after the failed restore was lost");
	/* The same, whatever the record layout: the value's bytes. */
	EXPECT_TRUE(handed_over_has_u32(self->fd, RING_AFTER));
	EXPECT_FALSE(handed_over_has_u32(self->fd, RING_BEFORE));
	finish_ok(_metadata, self->fd, prepared.out_updates, &f);
}

/*
 * Test Case: while frozen a live COLLECT (which would call other drivers'
 * collect() with xenwatch parked) is EBUSY; the records handed over
 * still answer
 */
TEST_F_TIMEOUT(lu_sim, collect_frozen_ebusy, SEQ_TIMEOUT)
{
	static uint8_t buf[1 << 20];
	struct xen_lu_info staged, committed;
	struct xen_lu_collect col;
	struct xen_lu_prepare p;
	struct xen_lu_commit c;
	int ro;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	EXPECT_EQ(0, collect(self->fd, 0, buf, sizeof(buf), &col))
		TH_LOG("COLLECT while prepared: %s", strerror(errno));
	commit_scheduled(_metadata, self->fd, &c);
	ASSERT_EQ(0, get_info(self->fd, &committed));
	EXPECT_ERRNO(EBUSY, collect(self->fd, 0, buf, sizeof(buf), &col));
	ro = open(LU_DEV, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ro);
	EXPECT_ERRNO(EBUSY, collect(ro, 0, buf, sizeof(buf), &col));
	check_handed_over(_metadata, ro, committed.out_records_len,
			  committed.out_generation);
	close(ro);
	CHECK_STATE(XEN_LU_STATE_COMMITTED, &committed);
	drop_and_cancel(_metadata, self->fd);
	EXPECT_EQ(0, collect(self->fd, 0, buf, sizeof(buf), &col))
		TH_LOG("COLLECT once thawed: %s", strerror(errno));
}

/*
 * What COMMIT's precopy did, from its kernel log line (not ABI): rounds,
 * records re-read before the freeze and in the frozen window, reloads.
 */
struct precopy {
	int rounds;
	int before;
	int window;
	int reloads;
};

static int last_precopy(struct precopy *pc)
{
	char line[512];
	const char *at;
	int rc = -1;
	FILE *f;

	f = popen("dmesg | grep -F 'precopy round' | tail -n 1", "re");
	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f)) {
		at = strstr(line, "commit: ");
		if (at && sscanf(at, "commit: %d precopy round(s) re-read %d record(s) before the freeze, %d in the frozen window; %d reload",
				 &pc->rounds, &pc->before, &pc->window,
				 &pc->reloads) == 4)
			rc = 0;
	}
	pclose(f);
	return rc;
}

#define TOUCH_NODE	SYN_BE "/30001/2/feature-precopy"

/*
 * Synthetic devices 1 to 3, STAGE and PREPARE, then device 1 changes
 * (ring-ref RING_AFTER).
 */
static void precopy_setup(struct __test_metadata *_metadata,
			  FIXTURE_DATA(lu_sim) *self,
			  struct xen_lu_info *prepared)
{
	struct xen_lu_info staged;
	struct xen_lu_prepare p;

	self->synthetic = true;
	ASSERT_EQ(0, synthetic_add(1, 400));
	ASSERT_EQ(0, synthetic_add(2, 500));
	ASSERT_EQ(0, synthetic_add(3, 600));
	STAGE_LU(&staged);
	PREPARE_OK(&staged, &p);
	ASSERT_EQ(0, get_info(self->fd, prepared));
	ASSERT_EQ(0, sim_write("touch_node", TOUCH_NODE));
	ASSERT_EQ(0, synthetic_ring_ref(1, RING_AFTER));
}

/* COMMIT, which must succeed, and what its precopy did. */
static void precopy_commit(struct __test_metadata *_metadata, int fd,
			   struct xen_lu_commit *c, struct precopy *pc)
{
	commit_ok(_metadata, fd, XEN_LU_COMMIT_UPDATED, c);
	EXPECT_EQ(0, sim_knob("touch_loads", 0));
	ASSERT_EQ(0, last_precopy(pc)) TH_LOG("no precopy line in the kernel log");
	TH_LOG("precopy: %d rounds, %d re-read before the freeze, %d in the window, %d reloads",
	       pc->rounds, pc->before, pc->window, pc->reloads);
}

/*
 * What a COMMIT's precopy must have done (@want), and what the records
 * handed over must be: of @generation, with @feature and RING_AFTER.
 */
static void precopy_check(struct __test_metadata *_metadata, int fd,
			  const struct precopy *pc, const struct precopy *want,
			  uint64_t generation, const char *feature)
{
	struct xen_lu_info info;

	EXPECT_EQ(want->rounds, pc->rounds);
	EXPECT_EQ(want->before, pc->before);
	EXPECT_EQ(want->window, pc->window);
	EXPECT_EQ(want->reloads, pc->reloads);
	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(generation, info.out_generation);
	check_handed_over(_metadata, fd, info.out_records_len, generation);
	EXPECT_TRUE(handed_over_has(fd, info.out_records_len, feature))
		TH_LOG("'%s' is not handed over", feature);
	EXPECT_TRUE(handed_over_has_u32(fd, RING_AFTER));
}

/*
 * Test Case: a change while COMMIT's precopy round reloads the image is
 * caught by the next round: devices 1 and 3 change before COMMIT, and the
 * simulator writes a feature key of device 2 during the first reload
 * (touch_loads=1); two rounds re-read 3 devices and reload twice, the
 * frozen window re-reads nothing, and the records handed over hold all
 * three changes
 */
TEST_F_TIMEOUT(lu_sim, precopy_catches_round_change, SEQ_TIMEOUT)
{
	const struct precopy want = { .rounds = 2, .before = 3, .reloads = 2 };
	struct xen_lu_info prepared;
	struct precopy pc = {};
	struct xen_lu_commit c;
	struct xen_lu_finish f;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	precopy_setup(_metadata, self, &prepared);
	ASSERT_EQ(0, synthetic_ring_ref(3, RING_AFTER + 1));
	ASSERT_EQ(0, sim_knob("touch_loads", 1));

	precopy_commit(_metadata, self->fd, &c, &pc);
	precopy_check(_metadata, self->fd, &pc, &want, 3,
		      "be:feature-precopy=1");
	EXPECT_EQ(1, c.out_reloaded);
	EXPECT_EQ(3, c.out_changed_backends);
	EXPECT_EQ(3, c.out_generation);
	EXPECT_TRUE(handed_over_has_u32(self->fd, RING_AFTER + 1));
	finish_ok(_metadata, self->fd, prepared.out_updates, &f);
}

/*
 * Test Case: precopy rounds end when what they re-read stops shrinking,
 * and what changed after the last round is re-read in the frozen window:
 * device 1 changes before COMMIT, the simulator writes device 2 during
 * each of the first two reloads (touch_loads=2); round 2 re-reads as many
 * devices as round 1, so the rounds end there, and the window re-reads
 * device 2 once more and hands over its last value
 */
TEST_F_TIMEOUT(lu_sim, precopy_window_catches_last_change, SEQ_TIMEOUT)
{
	const struct precopy want = {
		.rounds = 2, .before = 2, .window = 1, .reloads = 3,
	};
	struct xen_lu_info prepared;
	struct precopy pc = {};
	struct xen_lu_commit c;
	struct xen_lu_finish f;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	precopy_setup(_metadata, self, &prepared);
	ASSERT_EQ(0, sim_knob("touch_loads", 2));

	precopy_commit(_metadata, self->fd, &c, &pc);
	precopy_check(_metadata, self->fd, &pc, &want, 4,
		      "be:feature-precopy=2");
	EXPECT_EQ(2, c.out_changed_backends);
	EXPECT_EQ(4, c.out_generation);
	EXPECT_FALSE(handed_over_has(self->fd, c.out_records_len,
				     "be:feature-precopy=1"));
	finish_ok(_metadata, self->fd, prepared.out_updates, &f);
}

/*
 * Test Case: a COMMIT that fails after its precopy reloaded the image
 * hands the records of before it back and loses no change: device 1
 * changes, the exec fails (fail_exec): generation 1 is handed over again;
 * the next COMMIT re-reads device 1 and hands its change over
 */
TEST_F_TIMEOUT(lu_sim, precopy_failed_commit_gives_back, SEQ_TIMEOUT)
{
	struct xen_lu_info prepared, info;
	struct precopy pc = {};
	struct xen_lu_commit c;
	struct xen_lu_finish f;

	RETURN_IF_SKIPPED();
	NEED_FAULTS();

	precopy_setup(_metadata, self, &prepared);
	ASSERT_EQ(0, sim_knob("fail_exec", EIO));
	EXPECT_ERRNO(EIO, commit(self->fd, 0, &c));
	EXPECT_EQ(XEN_LU_CHECK_EXEC, c.out_check);
	EXPECT_EQ(1, c.out_reloaded);
	EXPECT_EQ(1, c.out_generation);
	ASSERT_EQ(0, sim_knob("fail_exec", 0));
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_PREPARED, info.out_state);
	EXPECT_FALSE(handed_over_has_u32(self->fd, RING_AFTER))
		TH_LOG("the failed COMMIT's records stayed handed over");

	commit_ok(_metadata, self->fd, XEN_LU_COMMIT_UPDATED, &c);
	ASSERT_EQ(0, last_precopy(&pc)) TH_LOG("no precopy line in the kernel log");
	EXPECT_EQ(1, pc.rounds);
	EXPECT_EQ(1, pc.before);
	EXPECT_EQ(0, pc.window);
	EXPECT_EQ(2, c.out_generation);
	EXPECT_TRUE(handed_over_has_u32(self->fd, RING_AFTER))
		TH_LOG("the change taken by the failed COMMIT was lost");
	finish_ok(_metadata, self->fd, prepared.out_updates, &f);
}

TEST_HARNESS_MAIN
