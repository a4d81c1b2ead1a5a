// SPDX-License-Identifier: GPL-2.0-only
/*
 * Saving every guest, and putting every guest back when one save fails.
 *
 * A guest's stream is written to "<uuid>.lxs.part" by libxl_domain_suspend()
 * (live: libxl's precopy rounds, then the suspend) while a thread hashes
 * what libxl has written and starts its writeback (hash.c), then flushed,
 * verified record by record with libxenstream, and renamed to
 * "<uuid>.lxs".  The guest stays suspended, in Xen's shutdown(suspend)
 * state, with all its memory: until the exec nothing is irreversible, and
 * libxl_domain_resume() with suspend_cancel lets it run on where it
 * stopped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sr-priv.h"
#include "xenstream.h"

struct save_job {
	int dirfd;
	const struct sr_guest *guests;
	const struct sr_save_opts *opts;
};

static int verify_stream(int fd, char *failure, size_t len)
{
	struct xs_verify_opts vo = { .format = XS_FMT_LIBXL };
	struct xs_stats st;
	struct xs_error e;
	char msg[200];

	if (lseek(fd, 0, SEEK_SET)) {
		snprintf(failure, len, "verify: lseek: %s", strerror(errno));
		return -1;
	}
	if (xs_verify_fd(fd, &vo, &st, &e)) {
		xs_error_format(&e, msg, sizeof(msg));
		snprintf(failure, len, "verify: %s: %s", e.rule ? e.rule : "stream", msg);
		return -1;
	}
	return 0;
}

/* Whether domain @domid runs: neither shut down (suspended) nor dying. */
static bool still_running(struct sr_ctx *ctx, uint32_t domid)
{
	libxl_dominfo info;
	bool running;

	libxl_dominfo_init(&info);
	running = !libxl_domain_info(ctx->xl, &info, domid) && !info.shutdown && !info.dying;
	libxl_dominfo_dispose(&info);
	return running;
}

/* One libxl_domain_suspend() into @fd; on failure, @why says libxl's reason. */
static int suspend_into(struct sr_ctx *ctx, int dirfd, const struct sr_guest *g, int fd,
			bool live, char *why, size_t len)
{
	off_t mark = sr_log_size(dirfd, g->uuid);
	char reason[200];
	int rc;

	rc = libxl_domain_suspend(ctx->xl, g->domid, fd, live ? LIBXL_SUSPEND_LIVE : 0, NULL);
	if (rc) {
		sr_log_since(dirfd, g->uuid, mark, reason, sizeof(reason));
		snprintf(why, len, "libxl_domain_suspend: %s: %s", sr_libxl_error(rc),
			 reason[0] ? reason : "(libxl logged nothing)");
	}
	return rc;
}

/* One line of timings in the guest's libxl log, for whoever tunes this. */
static void log_timings(struct sr_ctx *ctx, const char *uuid, uint64_t save_ns,
			uint64_t hash_ns, uint64_t fsync_ns, uint64_t verify_ns)
{
	fprintf(ctx->log_file,
		"lu-ctl: %s: saved in %.2f s; then its digests %.2f s, fsync %.2f s, verify %.2f s\n",
		uuid, save_ns / 1e9, hash_ns / 1e9, fsync_ns / 1e9, verify_ns / 1e9);
}

/* In a child of its own: save guest @i. */
static void save_one(uint32_t i, void *result, void *opaque)
{
	const struct save_job *job = opaque;
	const struct sr_guest *g = &job->guests[i];
	char part[SRJ_UUID_LEN + sizeof(SR_STREAM_SUFFIX) + 5];
	struct sr_saved *s = result;
	struct sr_ctx *ctx = NULL;
	struct sr_hasher hasher = { .fd = -1 };
	struct sr_digest digest;
	struct sr_error err;
	uint64_t t0, t1, t2, t3;
	struct stat st;
	int fd = -1, rc;

	snprintf(s->stream_file, sizeof(s->stream_file), "%s%s", g->uuid, SR_STREAM_SUFFIX);
	snprintf(part, sizeof(part), "%s.part", s->stream_file);
	ctx = sr_open_guest(job->dirfd, g->uuid, &err);
	if (!ctx) {
		snprintf(s->failure, sizeof(s->failure), "%.200s", err.msg);
		return;
	}
	fd = openat(job->dirfd, part, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || sr_hasher_start(&hasher, job->dirfd, part, true, true)) {
		snprintf(s->failure, sizeof(s->failure), "%s: %s", part, strerror(errno));
		goto out;
	}
	t0 = sr_now_ns();
	s->live = job->opts->live;
	rc = suspend_into(ctx, job->dirfd, g, fd, s->live, s->failure, sizeof(s->failure));
	if (rc && s->live && still_running(ctx, g->domid)) {
		/* The live save failed before the suspend: save it stopped. */
		snprintf(s->live_failure, sizeof(s->live_failure), "%.150s", s->failure);
		s->failure[0] = '\0';
		s->live = false;
		sr_hasher_cancel(&hasher);
		if (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET) ||
		    sr_hasher_start(&hasher, job->dirfd, part, true, true)) {
			snprintf(s->failure, sizeof(s->failure), "%s: %s", part, strerror(errno));
			goto out;
		}
		rc = suspend_into(ctx, job->dirfd, g, fd, false, s->failure, sizeof(s->failure));
	}
	t1 = sr_now_ns();
	s->save_ns = t1 - t0;
	if (rc)
		goto out;
	/* The hash has followed the write: only its last chunk is left. */
	if (sr_hasher_finish(&hasher, &digest)) {
		snprintf(s->failure, sizeof(s->failure), "%s: digests: %s", part,
			 strerror(errno));
		goto out;
	}
	s->stream_bytes = digest.bytes;
	strcpy(s->stream_sha256, digest.sha256);
	strcpy(s->stream_crc32, digest.crc32);
	t2 = sr_now_ns();
	if (fsync(fd)) {
		snprintf(s->failure, sizeof(s->failure), "%s: fsync: %s", part, strerror(errno));
		goto out;
	}
	t3 = sr_now_ns();
	if (verify_stream(fd, s->failure, sizeof(s->failure)))
		goto out;
	/* What was hashed is the whole file that was verified. */
	if (fstat(fd, &st)) {
		snprintf(s->failure, sizeof(s->failure), "%s: %s", part, strerror(errno));
		goto out;
	}
	if ((uint64_t)st.st_size != s->stream_bytes) {
		snprintf(s->failure, sizeof(s->failure),
			 "%s: %llu bytes hashed while it was written, but it holds %lld",
			 part, (unsigned long long)s->stream_bytes, (long long)st.st_size);
		goto out;
	}
	log_timings(ctx, g->uuid, s->save_ns, t2 - t1, t3 - t2, sr_now_ns() - t3);
	if (renameat(job->dirfd, part, job->dirfd, s->stream_file)) {
		snprintf(s->failure, sizeof(s->failure), "rename: %s", strerror(errno));
		goto out;
	}
	s->ok = true;
out:
	sr_hasher_cancel(&hasher);
	if (fd >= 0)
		close(fd);
	if (!s->ok)
		unlinkat(job->dirfd, part, 0);
	sr_close(ctx);
}

/* Bring one guest back to where it was before the save began. */
static int resume_one(struct sr_ctx *ctx, const struct sr_guest *g, struct sr_error *err)
{
	libxl_dominfo info;
	int rc;

	libxl_dominfo_init(&info);
	rc = libxl_domain_info(ctx->xl, &info, g->domid);
	if (rc) {
		sr_fail(err, "resume", g->name, "domain %u is gone (%s)", g->domid,
			sr_libxl_error(rc));
		goto out;
	}
	/* A save that failed before the suspend left the guest running. */
	if (info.shutdown && info.shutdown_reason == LIBXL_SHUTDOWN_REASON_SUSPEND) {
		rc = libxl_domain_resume(ctx->xl, g->domid, 1, NULL);
		if (rc) {
			sr_fail(err, "resume", g->name, "libxl_domain_resume: %s",
				sr_libxl_error(rc));
			goto out;
		}
	} else if (info.shutdown || info.dying) {
		sr_fail(err, "resume", g->name, "domain %u has shut down (reason %d)", g->domid,
			info.shutdown_reason);
		rc = ERROR_FAIL;
	}
out:
	libxl_dominfo_dispose(&info);
	return rc ? -1 : 0;
}

int sr_resume_all(struct sr_ctx *ctx, const struct sr_guest *guests, uint32_t nr,
		  struct sr_error *err)
{
	struct sr_error one;
	uint32_t i;
	int ret = 0;

	for (i = 0; i < nr; i++) {
		if (resume_one(ctx, &guests[i], &one) == 0)
			continue;
		if (!ret)
			*err = one;
		ret = -1;
	}
	return ret;
}

int sr_save_all(struct sr_ctx *ctx, int dirfd, const struct sr_guest *guests, uint32_t nr,
		const struct sr_save_opts *opts, struct sr_saved *saved, struct sr_error *err)
{
	struct save_job job = { .dirfd = dirfd, .guests = guests, .opts = opts };
	struct sr_error resume_err;
	bool died[nr ? nr : 1];
	uint32_t i, first_failed = nr;
	int run;

	for (i = 0; i < nr; i++) {
		if (guests[i].unsaveable[0]) {
			sr_fail(err, "guest-unsaveable", guests[i].name, "%s cannot be saved: %s",
				guests[i].name, guests[i].unsaveable);
			return -1;
		}
	}
	run = sr_run_parallel(nr, opts->parallel, save_one, &job, saved, sizeof(*saved), died,
			      &ctx->progress, "saving", err);
	for (i = 0; i < nr; i++) {
		if (died[i])
			snprintf(saved[i].failure, sizeof(saved[i].failure),
				 "the save process died");
		if (!saved[i].ok && first_failed == nr)
			first_failed = i;
	}
	if (!run && first_failed == nr) {
		if (fsync(dirfd) == 0)
			return 0;
		sr_fail(err, "io", NULL, "fsync of the save directory: %s", strerror(errno));
	} else if (!run) {
		sr_fail(err, "save", guests[first_failed].name, "%s: %s",
			guests[first_failed].name, saved[first_failed].failure);
	}

	/* Nothing lost: every guest runs again, no stream is left behind. */
	for (i = 0; i < nr; i++) {
		char part[sizeof(saved[i].stream_file) + 5];

		snprintf(saved[i].stream_file, sizeof(saved[i].stream_file), "%s%s",
			 guests[i].uuid, SR_STREAM_SUFFIX);
		snprintf(part, sizeof(part), "%s.part", saved[i].stream_file);
		unlinkat(dirfd, saved[i].stream_file, 0);
		unlinkat(dirfd, part, 0);
		saved[i].ok = false;
	}
	if (sr_resume_all(ctx, guests, nr, &resume_err))
		snprintf(err->msg + strlen(err->msg), sizeof(err->msg) - strlen(err->msg),
			 "; and %s did not resume: %s", resume_err.guest, resume_err.msg);
	return -1;
}
