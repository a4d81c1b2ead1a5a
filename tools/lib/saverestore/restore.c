// SPDX-License-Identifier: GPL-2.0-only
/*
 * Restoring the guests of a journal, each in a child of its own: the
 * domain is created from its libxl configuration and stream
 * (libxl_domain_create_restore, libxl v2 stream) while a thread hashes
 * the stream (hash.c), and it is unpaused only once the stream's size and
 * CRC-32 (SHA-256, from a version 1 journal) are the journal's.  A stream damaged since the save never runs
 * a guest: the domain restored from it is destroyed, still paused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sr-priv.h"

struct restore_job {
	int dirfd;
	const struct srj_journal *j;
	const uint32_t *which;	/* journal index of each piece of work */
};

/* The domid of a running domain with @uuid, or INVALID_DOMID. */
static uint32_t domid_of_uuid(struct sr_ctx *ctx, const char *uuid)
{
	uint32_t found = INVALID_DOMID;
	libxl_dominfo *info;
	char text[SRJ_UUID_LEN + 1];
	int n = 0, i;

	info = libxl_list_domain(ctx->xl, &n);
	for (i = 0; info && i < n; i++) {
		snprintf(text, sizeof(text), LIBXL_UUID_FMT, LIBXL_UUID_BYTES(info[i].uuid));
		if (!strcmp(text, uuid))
			found = info[i].domid;
	}
	if (info)
		libxl_dominfo_list_free(info, n);
	return found;
}

/* Whether @g's stream is checked by SHA-256: a version 1 journal has no CRC-32. */
static bool checked_by_sha256(const struct srj_guest *g)
{
	return g->stream_crc32[0] == '\0';
}

/*
 * Whether the stream hashed is the one the journal names: its size and
 * CRC-32, or its SHA-256 (checked_by_sha256).
 */
static int check_stream(struct sr_hasher *h, const struct srj_guest *g, char *failure,
			size_t len, bool *damaged)
{
	bool sha = checked_by_sha256(g);
	const char *want = sha ? g->stream_sha256 : g->stream_crc32;
	const char *cut = sha ? "..." : "";	/* a SHA-256 is shown cut */
	struct sr_digest d;
	const char *got;

	if (sr_hasher_finish(h, &d)) {
		snprintf(failure, len, "stream %s: %s", g->stream_file, strerror(errno));
		return -1;
	}
	got = sha ? d.sha256 : d.crc32;
	if (d.bytes != g->stream_bytes || strcmp(got, want)) {
		*damaged = true;
		snprintf(failure, len,
			 "stream %s is damaged: %llu bytes, %s %.16s%s; the journal says %llu bytes, %.16s%s",
			 g->stream_file, (unsigned long long)d.bytes, sha ? "SHA-256" : "CRC-32",
			 got, cut, (unsigned long long)g->stream_bytes, want, cut);
		return -1;
	}
	return 0;
}

static void restore_one(uint32_t k, void *result, void *opaque)
{
	const struct restore_job *job = opaque;
	const struct srj_guest *g = &job->j->guests[job->which[k]];
	libxl_domain_restore_params params;
	uint32_t domid = INVALID_DOMID, other;
	struct sr_hasher hasher = { .fd = -1 };
	struct sr_restored *r = result;
	struct sr_ctx *ctx = NULL;
	libxl_domain_config c;
	struct sr_error err;
	int fd = -1, rc;
	uint64_t t0 = sr_now_ns(), t1;
	char reason[160];
	off_t mark;

	libxl_domain_config_init(&c);
	libxl_domain_restore_params_init(&params);
	/* Reading the stream from the disk starts now, before libxl's setup. */
	if (sr_hasher_start(&hasher, job->dirfd, g->stream_file, false, checked_by_sha256(g))) {
		snprintf(r->failure, sizeof(r->failure), "%s: %s", g->stream_file,
			 strerror(errno));
		goto out;
	}
	ctx = sr_open_guest(job->dirfd, g->uuid, &err);
	if (!ctx) {
		snprintf(r->failure, sizeof(r->failure), "%.200s", err.msg);
		goto out;
	}
	other = domid_of_uuid(ctx, g->uuid);
	if (other != (uint32_t)INVALID_DOMID) {
		snprintf(r->failure, sizeof(r->failure),
			 "a domain with its uuid already runs (domid %u)", other);
		goto out;
	}
	rc = libxl_domain_config_from_json(ctx->xl, &c, g->config_json);
	if (rc) {
		snprintf(r->failure, sizeof(r->failure), "its libxl configuration: %s",
			 sr_libxl_error(rc));
		goto out;
	}
	fd = openat(job->dirfd, g->stream_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(r->failure, sizeof(r->failure), "%s: %s", g->stream_file,
			 strerror(errno));
		goto out;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	params.checkpointed_stream = LIBXL_CHECKPOINTED_STREAM_NONE;
	params.stream_version = 2;
	mark = sr_log_size(job->dirfd, g->uuid);
	rc = libxl_domain_create_restore(ctx->xl, &c, &domid, fd, -1, &params, NULL, NULL);
	t1 = sr_now_ns();
	/* A damaged stream is the cause of whatever libxl made of it. */
	if (check_stream(&hasher, g, r->failure, sizeof(r->failure), &r->damaged)) {
		rc = rc ? rc : ERROR_FAIL;
	} else if (rc) {
		sr_log_since(job->dirfd, g->uuid, mark, reason, sizeof(reason));
		snprintf(r->failure, sizeof(r->failure), "libxl_domain_create_restore: %s: %s",
			 sr_libxl_error(rc), reason[0] ? reason : "(libxl logged nothing)");
	}
	fprintf(ctx->log_file, "lu-ctl: %s: restored in %.2f s; then its check %.2f s\n",
		g->uuid, (t1 - t0) / 1e9, (sr_now_ns() - t1) / 1e9);
	if (rc) {
		/* A half-created domain would hold the name and the devices. */
		if (domid != (uint32_t)INVALID_DOMID)
			libxl_domain_destroy(ctx->xl, domid, NULL);
		goto out;
	}
	if (!g->paused) {
		rc = libxl_domain_unpause(ctx->xl, domid, NULL);
		if (rc) {
			snprintf(r->failure, sizeof(r->failure),
				 "restored as domain %u, but libxl_domain_unpause: %s", domid,
				 sr_libxl_error(rc));
			goto out;
		}
	}
	r->ok = true;
	r->domid = domid;
out:
	r->restore_ns = sr_now_ns() - t0;
	sr_hasher_cancel(&hasher);
	if (fd >= 0)
		close(fd);
	libxl_domain_restore_params_dispose(&params);
	libxl_domain_config_dispose(&c);
	sr_close(ctx);
}

int sr_restore_all(struct sr_ctx *ctx, int dirfd, const struct srj_journal *j,
		   bool only_failed, uint32_t parallel, struct sr_restored *restored,
		   struct sr_error *err)
{
	struct restore_job job = { .dirfd = dirfd, .j = j };
	struct sr_restored *results = NULL;
	uint32_t *which = NULL, n = 0, i, k;
	bool *died = NULL;
	int ret = -1;

	which = calloc(j->nr_guests + 1, sizeof(*which));
	results = calloc(j->nr_guests + 1, sizeof(*results));
	died = calloc(j->nr_guests + 1, sizeof(*died));
	if (!which || !results || !died) {
		sr_fail(err, "nomem", NULL, "out of memory");
		goto out;
	}
	memset(restored, 0, j->nr_guests * sizeof(*restored));
	for (i = 0; i < j->nr_guests; i++) {
		const struct srj_guest *g = &j->guests[i];

		if (g->state == SRJ_GUEST_RESTORED) {
			restored[i].ok = true;
			restored[i].domid = g->restored_domid;
			continue;
		}
		if (only_failed && g->state != SRJ_GUEST_FAILED) {
			restored[i].ok = true;	/* not asked for: nothing failed */
			continue;
		}
		which[n++] = i;
	}
	job.which = which;
	if (sr_run_parallel(n, parallel, restore_one, &job, results, sizeof(*results), died,
			    &ctx->progress, "restoring", err))
		goto out;
	for (i = 0; i < n; i++) {
		if (died[i])
			snprintf(results[i].failure, sizeof(results[i].failure),
				 "the restore process died");
		restored[which[i]] = results[i];
	}
	/*
	 * A guest whose restore failed is tried once more, alone, after the
	 * others: Xen's hotplug scripts serialise on one lock, and under load
	 * a guest's may overrun the time libxl gives them while the others'
	 * run.  A failure that is not transient fails again, and is named;
	 * a damaged stream stays damaged, and is not read again.
	 */
	for (i = 0, k = 0; i < n; i++)
		if (!results[i].ok && !results[i].damaged)
			which[k++] = which[i];
	if (k && !sr_run_parallel(k, 1, restore_one, &job, results, sizeof(*results), died,
				  &ctx->progress, "restoring again", err)) {
		for (i = 0; i < k; i++) {
			if (died[i])
				snprintf(results[i].failure, sizeof(results[i].failure),
					 "the restore process died");
			results[i].restore_ns += restored[which[i]].restore_ns;
			restored[which[i]] = results[i];
		}
	}
	ret = 0;
	for (i = 0; i < j->nr_guests; i++)
		if (!restored[i].ok)
			ret++;
out:
	free(which);
	free(results);
	free(died);
	return ret;
}
