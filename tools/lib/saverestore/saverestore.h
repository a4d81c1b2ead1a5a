/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libsaverestore: the guests' side of the save-restore update method.
 *
 * The method replaces the hypervisor of a Xen that has no live-update
 * hypercalls: every guest is saved by Xen's own C implementation
 * (libxenlight, which writes a libxl v2 stream through libxc), each stream
 * is verified, the journal is written (libsrjournal), xen#2 is executed
 * cold, and in the next boot every guest is restored from its stream.
 * This library holds the libxl part: which guests there are and whether
 * they can be saved, where their streams may go, saving them in parallel
 * and putting them back if anything fails, and restoring them.  The
 * commands (lu-ctl) hold the order of the steps and what is printed.
 *
 * Like the project's other libraries it never prints: results and errors
 * come back in structs, libxl's own log goes to a file per guest in the
 * save directory ("<uuid>.log").
 */
#ifndef SAVERESTORE_H
#define SAVERESTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srjournal.h"

/* The stream of a guest in the save directory: "<uuid>" SR_STREAM_SUFFIX. */
#define SR_STREAM_SUFFIX	".lxs"
/* libxl's log of a guest's save or restore: "<uuid>" SR_LOG_SUFFIX. */
#define SR_LOG_SUFFIX		".log"
#define SR_MAX_PARALLEL		64

/*
 * Room the save directory must have beyond the guests' memory: a stream
 * holds every page once (non-live) plus a PFN word per page (1/512) and
 * its records; SR_MARGIN_PER_GUEST covers the records and the log.  A live
 * save sends pages dirtied during its precopy rounds again, so it wants
 * twice the memory.  A save that runs out of room all the same fails and
 * every guest is resumed.
 */
#define SR_MARGIN_PER_GUEST	(16ull << 20)

struct sr_error {
	/*
	 * Stable name of what failed: "libxl", "guest-unsaveable",
	 * "guest-state", "save-dir", "save-dir-room", "save", "verify",
	 * "resume", "restore", "nomem", "io".
	 */
	const char *rule;
	char guest[64];		/* the guest it concerns, or "" */
	char msg[512];
};

/* A domU as the toolstack knows it. */
struct sr_guest {
	uint32_t domid;
	char name[64];
	char uuid[SRJ_UUID_LEN + 1];
	uint64_t memory_kib;	/* current allocation */
	bool paused;		/* paused by the administrator */
	char *config_json;	/* libxl_domain_config_to_json() */
	/* Why it cannot be saved, "" when it can. */
	char unsaveable[128];
};

struct sr_ctx;

/* A libxl context; libxl logs at warning level and above to @log_fd. */
struct sr_ctx *sr_open(int log_fd, struct sr_error *err);
void sr_close(struct sr_ctx *ctx);

/*
 * Progress of the save or restore of many guests (@verb "saving",
 * "restoring"): @fn is called in the caller's process when the work
 * starts (@done 0) and each time a guest's work ends, @done of @nr.
 */
typedef void (*sr_progress_fn)(void *opaque, const char *verb, uint32_t done,
			       uint32_t nr);
void sr_set_progress(struct sr_ctx *ctx, sr_progress_fn fn, void *opaque);

/*
 * The running hypervisor as the toolstack reports it: "4.17.5-pre" in
 * @version, its command line in @cmdline.  0, or -1 with @err.
 */
int sr_xen_identity(struct sr_ctx *ctx, char *version, size_t version_len, char *cmdline,
		    size_t cmdline_len, struct sr_error *err);

/*
 * Every domU, sorted by domid, with its configuration and whether it can
 * be saved.  Free with sr_guests_free().
 */
int sr_list_guests(struct sr_ctx *ctx, struct sr_guest **guests, uint32_t *nr,
		   struct sr_error *err);
void sr_guests_free(struct sr_guest *guests, uint32_t nr);

/* What sr_check_save_dir() found. */
struct sr_dir_info {
	char fs_type[32];	/* "ext4", "tmpfs", ... */
	uint64_t free_bytes;
	uint64_t need_bytes;
};

/*
 * The save directory survives a kexec and a reboot (not tmpfs, ramfs or a
 * 9p share: libxc's writes from foreign-mapped guest memory fail there
 * with EFAULT) and has room for @guests.  0, or -1 with @err.
 */
int sr_check_save_dir(int dirfd, const struct sr_guest *guests, uint32_t nr, bool live,
		      struct sr_dir_info *info, struct sr_error *err);

/*
 * Saves or restores at once, unless the caller says otherwise: twice
 * dom0's online CPUs (at most SR_MAX_PARALLEL).  A save or a restore is
 * half work in dom0 (copying and hashing pages) and half waiting (for the
 * guest to suspend, for Xen, for the disk, for hotplug scripts): two per
 * CPU keep the CPUs busy without making every guest wait for all the
 * others' pages.
 */
uint32_t sr_default_parallel(void);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t sr_now_ns(void);

struct sr_save_opts {
	bool live;		/* libxl's live save: precopy rounds first */
	uint32_t parallel;	/* at most this many saves at once; 0: the default */
};

/* The outcome of one guest's save. */
struct sr_saved {
	bool ok;
	char stream_file[SRJ_UUID_LEN + sizeof(SR_STREAM_SUFFIX)];
	uint64_t stream_bytes;
	char stream_sha256[SRJ_SHA256_HEX + 1];
	char stream_crc32[SRJ_CRC32_HEX + 1];
	/* The save's duration (libxl_domain_suspend), nanoseconds. */
	uint64_t save_ns;
	/*
	 * Whether the stream was written live.  A live save that fails before
	 * the guest is suspended (this Xen refuses log-dirty mode, say)
	 * leaves it running: it is then saved stopped, and @live_failure
	 * says why the live save did not work.
	 */
	bool live;
	char live_failure[160];
	char failure[256];
};

/*
 * Save every guest of @guests into @dirfd, at most opts->parallel at once,
 * and verify each stream.  On success every guest is suspended with its
 * stream complete and verified, and @saved[i] says where.  If any save or
 * verification fails, every guest is resumed where it stopped, the
 * streams written are removed, @saved names what failed, and -1 is
 * returned with @err naming the first failing guest.
 */
int sr_save_all(struct sr_ctx *ctx, int dirfd, const struct sr_guest *guests, uint32_t nr,
		const struct sr_save_opts *opts, struct sr_saved *saved, struct sr_error *err);

/*
 * Resume guests that sr_save_all() left suspended (the exec did not
 * happen).  Every guest is tried; -1 with @err naming the first that did
 * not come back.
 */
int sr_resume_all(struct sr_ctx *ctx, const struct sr_guest *guests, uint32_t nr,
		  struct sr_error *err);

/* The outcome of one guest's restore. */
struct sr_restored {
	bool ok;
	bool damaged;		/* its stream is not the journal's */
	uint32_t domid;
	uint64_t restore_ns;
	char failure[256];
};

/*
 * Restore the guests of @j whose state is not "restored" (all of them
 * unless @only_failed, then those "failed"), at most @parallel at once,
 * from the streams in @dirfd, after checking each stream's size and
 * SHA-256 against the journal.  @restored[i] is for @j->guests[i].
 * Returns the number of guests that failed, or -1 with @err when nothing
 * could be tried.
 */
int sr_restore_all(struct sr_ctx *ctx, int dirfd, const struct srj_journal *j,
		   bool only_failed, uint32_t parallel, struct sr_restored *restored,
		   struct sr_error *err);

#endif /* SAVERESTORE_H */
