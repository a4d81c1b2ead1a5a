/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lu-ctl exit codes.  Every command uses these and nothing else; they are
 * documented in Documentation/admin-guide/xen-liveupdate.rst and are ABI
 * for scripts and fleet orchestrators.
 */
#ifndef LU_CTL_EXIT_CODES_H
#define LU_CTL_EXIT_CODES_H

enum lu_exit {
	LU_EXIT_OK		= 0,	/* the command did what was asked */
	LU_EXIT_FAILURE		= 1,	/* an operation failed; reason on stderr */
	LU_EXIT_USAGE		= 2,	/* bad command line; nothing was done */
	LU_EXIT_UNSUPPORTED	= 3,	/* no live update (stage); no method (status) */
	LU_EXIT_NODEV		= 4,	/* module or device unavailable */
	LU_EXIT_INVALID		= 5,	/* input (stream, image) is invalid */
	LU_EXIT_IO		= 6,	/* input or output could not be read or written */
	LU_EXIT_PENDING		= 7,	/* committed, but xen#2 is not running yet */
	LU_EXIT_DIFFERENCES	= 8,	/* update finished; dom0 found differences */
	LU_EXIT_STATE		= 9,	/* device not in the state the command needs */
	LU_EXIT_REFUSED		= 10,	/* pre-flight refused (a guest cannot be saved,
					 * the save directory cannot hold them);
					 * nothing changed */
};

#endif /* LU_CTL_EXIT_CODES_H */
