// SPDX-License-Identifier: GPL-2.0-only
/*
 * libxl contexts, error words and clocks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sr-priv.h"

void sr_fail(struct sr_error *err, const char *rule, const char *guest, const char *fmt, ...)
{
	va_list ap;

	err->rule = rule;
	snprintf(err->guest, sizeof(err->guest), "%s", guest ? guest : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

const char *sr_libxl_error(int rc)
{
	switch (rc) {
	case ERROR_NOMEM: return "ERROR_NOMEM";
	case ERROR_INVAL: return "ERROR_INVAL";
	case ERROR_NOPARAVIRT: return "ERROR_NOPARAVIRT";
	case ERROR_ABORTED: return "ERROR_ABORTED";
	case ERROR_DOMAIN_NOTFOUND: return "ERROR_DOMAIN_NOTFOUND";
	case ERROR_NOT_READY: return "ERROR_NOT_READY";
	case ERROR_DEVICE_EXISTS: return "ERROR_DEVICE_EXISTS";
	case ERROR_FEATURE_REMOVED: return "ERROR_FEATURE_REMOVED";
	default: return "ERROR_FAIL";
	}
}

void sr_set_progress(struct sr_ctx *ctx, sr_progress_fn fn, void *opaque)
{
	ctx->progress = (struct sr_progress){ .fn = fn, .opaque = opaque };
}

uint64_t sr_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

struct sr_ctx *sr_open(int log_fd, struct sr_error *err)
{
	struct sr_ctx *ctx = calloc(1, sizeof(*ctx));
	int fd = -1;

	if (!ctx) {
		sr_fail(err, "nomem", NULL, "out of memory");
		return NULL;
	}
	fd = dup(log_fd);
	ctx->log_file = fd >= 0 ? fdopen(fd, "a") : NULL;
	if (!ctx->log_file) {
		sr_fail(err, "io", NULL, "libxl's log: %s", strerror(errno));
		goto fail;
	}
	setvbuf(ctx->log_file, NULL, _IOLBF, 0);
	ctx->log = xtl_createlogger_stdiostream(ctx->log_file, XTL_WARN,
						XTL_STDIOSTREAM_SHOW_DATE |
						XTL_STDIOSTREAM_HIDE_PROGRESS);
	if (!ctx->log) {
		sr_fail(err, "nomem", NULL, "libxl's logger: out of memory");
		goto fail;
	}
	if (libxl_ctx_alloc(&ctx->xl, LIBXL_VERSION, 0, (xentoollog_logger *)ctx->log)) {
		sr_fail(err, "libxl", NULL,
			"cannot open the toolstack (libxl_ctx_alloc): is xenstored running?");
		goto fail;
	}
	return ctx;
fail:
	if (!ctx->log_file && fd >= 0)
		close(fd);
	sr_close(ctx);
	return NULL;
}

void sr_close(struct sr_ctx *ctx)
{
	if (!ctx)
		return;
	libxl_ctx_free(ctx->xl);
	if (ctx->log)
		xtl_logger_destroy((xentoollog_logger *)ctx->log);
	if (ctx->log_file)
		fclose(ctx->log_file);
	free(ctx);
}

int sr_xen_identity(struct sr_ctx *ctx, char *version, size_t version_len, char *cmdline,
		    size_t cmdline_len, struct sr_error *err)
{
	const libxl_version_info *v = libxl_get_version_info(ctx->xl);

	if (!v) {
		sr_fail(err, "libxl", NULL, "cannot read the hypervisor's version");
		return -1;
	}
	snprintf(version, version_len, "%d.%d%s", v->xen_version_major, v->xen_version_minor,
		 v->xen_version_extra ? v->xen_version_extra : "");
	snprintf(cmdline, cmdline_len, "%s", v->commandline ? v->commandline : "");
	return 0;
}

int sr_log_open(int dirfd, const char *uuid, int flags)
{
	char name[SRJ_UUID_LEN + sizeof(SR_LOG_SUFFIX)];

	snprintf(name, sizeof(name), "%s%s", uuid, SR_LOG_SUFFIX);
	return openat(dirfd, name, flags | O_CLOEXEC, 0600);
}

struct sr_ctx *sr_open_guest(int dirfd, const char *uuid, struct sr_error *err)
{
	int fd = sr_log_open(dirfd, uuid, O_WRONLY | O_CREAT | O_APPEND);
	struct sr_ctx *ctx = sr_open(fd >= 0 ? fd : STDERR_FILENO, err);

	if (fd >= 0)
		close(fd);
	return ctx;
}

off_t sr_log_size(int dirfd, const char *uuid)
{
	int fd = sr_log_open(dirfd, uuid, O_RDONLY);
	off_t end;

	if (fd < 0)
		return 0;
	end = lseek(fd, 0, SEEK_END);
	close(fd);
	return end > 0 ? end : 0;
}

void sr_log_since(int dirfd, const char *uuid, off_t from, char *buf, size_t len)
{
	char text[8192], *line, *next, *last = NULL, *found = NULL;
	ssize_t n;
	int fd;

	buf[0] = '\0';
	fd = sr_log_open(dirfd, uuid, O_RDONLY);
	if (fd < 0)
		return;
	n = pread(fd, text, sizeof(text) - 1, from);
	close(fd);
	if (n <= 0)
		return;
	text[n] = '\0';
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line)
			continue;
		last = line;
		if (!found && strstr(line, "error"))
			found = line;
	}
	line = found ? found : last;
	/* Past libxl's date and time stamp: "YYYY-MM-DD HH:MM:SS UTC ". */
	if (line && strlen(line) > 24 && line[4] == '-' && line[19] == ' ')
		line += 24;
	snprintf(buf, len, "%s", line ? line : "");
}
