/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of libsaverestore share.
 */
#ifndef SR_PRIV_H
#define SR_PRIV_H

#include <libxl.h>
#include <libxl_utils.h>

#include "saverestore.h"

struct sr_ctx {
	libxl_ctx *xl;
	xentoollog_logger_stdiostream *log;
	FILE *log_file;		/* owned: a dup of the caller's log fd */
};

__attribute__((format(printf, 4, 5)))
void sr_fail(struct sr_error *err, const char *rule, const char *guest, const char *fmt, ...);

/* The libxl error code as words ("ERROR_FAIL"...), for messages. */
const char *sr_libxl_error(int rc);

/*
 * The last line libxl logged about guest @uuid ("<uuid>.log" in @dirfd),
 * for a failure message; "" when there is none.
 */
void sr_log_tail(int dirfd, const char *uuid, char *buf, size_t len);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t sr_now_ns(void);

/*
 * Run @work(i, result) for i in [0, @nr) in child processes, at most
 * @parallel at once; each child writes @result_size bytes back.  A child
 * that dies without writing leaves its result zeroed with @died set.
 */
typedef void (*sr_work_fn)(uint32_t i, void *result, void *opaque);
int sr_run_parallel(uint32_t nr, uint32_t parallel, sr_work_fn work, void *opaque,
		    void *results, size_t result_size, bool *died, struct sr_error *err);

#endif /* SR_PRIV_H */
