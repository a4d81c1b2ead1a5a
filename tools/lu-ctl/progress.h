/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Progress of long work (stage, the save and restore of guests) on a
 * terminal: one line on stderr, redrawn in place and erased when the work
 * ends or a diagnostic follows.  Shown only when stderr is a terminal and
 * the command prints no JSON: a pipe, a log or --json get none of it.
 */
#ifndef LU_CTL_PROGRESS_H
#define LU_CTL_PROGRESS_H

#include <stdbool.h>

void lu_progress_enable(bool json);
void lu_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lu_progress_tick(void);
void lu_progress_clear(void);

#endif /* LU_CTL_PROGRESS_H */
