/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of libsaverestore share.
 */
#ifndef SR_PRIV_H
#define SR_PRIV_H

#include <sys/types.h>

#include <libxl.h>
#include <libxl_utils.h>

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

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t sr_now_ns(void);

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
