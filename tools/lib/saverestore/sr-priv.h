/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of libsaverestore share.
 */
#ifndef SR_PRIV_H
#define SR_PRIV_H

#include <pthread.h>
#include <sys/types.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <openssl/evp.h>

#include "saverestore.h"

struct sr_progress {
	sr_progress_fn fn;	/* NULL: no progress */
	void *opaque;
};

struct sr_ctx {
	libxl_ctx *xl;
	xentoollog_logger_stdiostream *log;
	FILE *log_file;		/* owned: a dup of the caller's log fd */
	struct sr_progress progress;
};

__attribute__((format(printf, 4, 5)))
void sr_fail(struct sr_error *err, const char *rule, const char *guest, const char *fmt, ...);

/* The libxl error code as words ("ERROR_FAIL"...), for messages. */
const char *sr_libxl_error(int rc);

/*
 * Open guest @uuid's libxl log, "<uuid>.log" in @dirfd, with @flags (and
 * O_CLOEXEC; mode 0600 when it is created).  -1 with errno.
 */
int sr_log_open(int dirfd, const char *uuid, int flags);
/*
 * sr_open() for the save or the restore of guest @uuid: libxl logs to its
 * log in @dirfd (appended; to stderr when it cannot be opened).
 */
struct sr_ctx *sr_open_guest(int dirfd, const char *uuid, struct sr_error *err);
/* The size of guest @uuid's libxl log ("<uuid>.log" in @dirfd), 0 if none. */
off_t sr_log_size(int dirfd, const char *uuid);
/*
 * What libxl logged about guest @uuid since @from, for a failure message:
 * the first error (libxc's root cause comes before libxl's summary), else
 * the last line; "" when nothing was logged.
 */
void sr_log_since(int dirfd, const char *uuid, off_t from, char *buf, size_t len);

/*
 * A stream's CRC-32, and its SHA-256 when asked for, taken by a thread of
 * its own (hash.c).  Only the thread touches @md, @crc, @bytes and @error
 * until it is joined; @writer_done and @cancelled are the fields both
 * sides use while it runs (atomic, no lock).
 */
struct sr_hasher {
	pthread_t thread;
	bool running;
	bool follow;		/* the file is still being written */
	bool writer_done;	/* the writer has finished (atomic) */
	bool cancelled;		/* stop reading, the digest is not wanted */
	int fd;
	EVP_MD_CTX *md;		/* NULL: no SHA-256 wanted */
	unsigned long crc;
	uint64_t bytes;
	int error;
};

/* What a hasher found: the size read, its digests as the journal spells them. */
struct sr_digest {
	uint64_t bytes;
	char crc32[SRJ_CRC32_HEX + 1];
	char sha256[SRJ_SHA256_HEX + 1];	/* "" when not asked for */
};

/*
 * Start hashing file @name of @dirfd from its start: to its end, or with
 * @follow while it grows, starting its writeback as it goes, until
 * sr_hasher_finish() says the writer is done.  The CRC-32 always, the
 * SHA-256 with @sha256.  0, or -1 with errno.
 */
int sr_hasher_start(struct sr_hasher *h, int dirfd, const char *name, bool follow,
		    bool sha256);
/* Hash up to the end of the file, then the digests and the size hashed. */
int sr_hasher_finish(struct sr_hasher *h, struct sr_digest *d);
/* Stop a hasher whose digest is not wanted, without reading on (errno kept). */
void sr_hasher_cancel(struct sr_hasher *h);

/*
 * Run @work(i, result) for i in [0, @nr) in child processes, at most
 * @parallel at once; each child writes @result_size bytes back.  A child
 * that dies without writing leaves its result zeroed with @died set.
 * @progress hears of the start and of each child's end as @verb.
 */
typedef void (*sr_work_fn)(uint32_t i, void *result, void *opaque);
int sr_run_parallel(uint32_t nr, uint32_t parallel, sr_work_fn work, void *opaque,
		    void *results, size_t result_size, bool *died,
		    const struct sr_progress *progress, const char *verb,
		    struct sr_error *err);

#endif /* SR_PRIV_H */
