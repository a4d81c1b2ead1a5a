// SPDX-License-Identifier: GPL-2.0-only
/*
 * lu-ctl's progress line (progress.h).  It is written with write(2), not
 * stdio: the save and restore of guests fork children while it is shown,
 * and a child must find no stdio lock of ours taken.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

/*
 * progress_lock protects the line's state below against the ticker
 * thread, which redraws it with a new time while one long call runs.
 */
static pthread_mutex_t progress_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t progress_stop_cond = PTHREAD_COND_INITIALIZER;
static bool progress_on;	/* stderr is a terminal and no --json */
static int progress_width;	/* the terminal's columns, less one */
static bool progress_shown;	/* a line is on the terminal now */
static char progress_text[128];	/* what the line says, without the time */
static struct timespec progress_start;

static pthread_t ticker;
static bool ticker_running;	/* the ticker thread exists */
static bool ticker_stop;	/* under progress_lock: the ticker must end */

/* Show progress from now on if stderr is a terminal and @json is false. */
void lu_progress_enable(bool json)
{
	struct winsize ws;

	progress_on = !json && isatty(STDERR_FILENO);
	progress_width = 79;
	if (progress_on && !ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) &&
	    ws.ws_col > 20)
		progress_width = ws.ws_col - 1;
	clock_gettime(CLOCK_MONOTONIC, &progress_start);
}

static void progress_write(const char *s, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(STDERR_FILENO, s, len);
		if (n <= 0)
			return;	/* a terminal gone: progress is a courtesy */
		s += n;
		len -= n;
	}
}

/*
 * Draw "lu-ctl: <text> [<seconds> s]", cut to the terminal's width (a
 * line that wrapped could not be redrawn in place); progress_lock held.
 */
static void progress_draw(void)
{
	struct timespec now;
	char line[sizeof(progress_text) + 48];
	char secs[24];
	int n, room;

	clock_gettime(CLOCK_MONOTONIC, &now);
	snprintf(secs, sizeof(secs), " [%.1f s]",
		 (now.tv_sec - progress_start.tv_sec) +
		 (now.tv_nsec - progress_start.tv_nsec) / 1e9);
	room = progress_width - (int)strlen("lu-ctl: ") - (int)strlen(secs);
	if (room < 0)
		room = 0;
	n = snprintf(line, sizeof(line), "\rlu-ctl: %.*s%s\033[K", room,
		     progress_text, secs);
	progress_write(line, n < (int)sizeof(line) ? n : (int)sizeof(line) - 1);
	progress_shown = true;
}

/* Say what is being done now. */
void lu_progress(const char *fmt, ...)
{
	va_list ap;

	if (!progress_on)
		return;
	pthread_mutex_lock(&progress_lock);
	va_start(ap, fmt);
	vsnprintf(progress_text, sizeof(progress_text), fmt, ap);
	va_end(ap);
	progress_draw();
	pthread_mutex_unlock(&progress_lock);
}

/* Redraw the line every 200 ms until told to stop. */
static void *ticker_main(void *unused)
{
	struct timespec when;

	(void)unused;
	pthread_mutex_lock(&progress_lock);
	clock_gettime(CLOCK_REALTIME, &when);
	while (!ticker_stop) {
		when.tv_nsec += 200 * 1000 * 1000;
		if (when.tv_nsec >= 1000 * 1000 * 1000) {
			when.tv_nsec -= 1000 * 1000 * 1000;
			when.tv_sec++;
		}
		while (!ticker_stop &&
		       !pthread_cond_timedwait(&progress_stop_cond,
					       &progress_lock, &when))
			;
		if (!ticker_stop && progress_shown)
			progress_draw();
	}
	pthread_mutex_unlock(&progress_lock);
	return NULL;
}

/*
 * Keep the time on the line moving while one long call runs (a thread;
 * never around a fork()).  lu_progress_clear() stops it.
 */
void lu_progress_tick(void)
{
	if (!progress_on || ticker_running)
		return;
	ticker_stop = false;
	ticker_running = !pthread_create(&ticker, NULL, ticker_main, NULL);
}

/* Erase the line, before a diagnostic or at the end of the work. */
void lu_progress_clear(void)
{
	if (ticker_running) {
		pthread_mutex_lock(&progress_lock);
		ticker_stop = true;
		pthread_cond_signal(&progress_stop_cond);
		pthread_mutex_unlock(&progress_lock);
		pthread_join(ticker, NULL);
		ticker_running = false;
	}
	if (!progress_shown)
		return;
	progress_write("\r\033[K", 4);
	progress_shown = false;
}
