/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Error report of libxenstream.  The library never prints: it fills one of
 * these and the caller decides what to say.
 */
#ifndef XENSTREAM_ERROR_H
#define XENSTREAM_ERROR_H

#include <stdbool.h>
#include <stdint.h>

enum xs_err_code {
	XS_OK = 0,
	XS_ERR_INVALID,		/* the stream breaks a format rule */
	XS_ERR_TRUNCATED,	/* the stream ends inside a header or record */
	XS_ERR_IO,		/* read() failed; sys_errno says why */
	XS_ERR_NOMEM,
	XS_ERR_USAGE,		/* bad arguments to the library */
};

struct xs_error {
	enum xs_err_code code;
	int sys_errno;		/* XS_ERR_IO only */
	uint64_t offset;	/* stream byte offset the fault points at */
	bool in_record;		/* record, type, type_name are valid */
	uint64_t record;	/* record index from 0, over all layers */
	uint64_t rec_offset;	/* offset of that record's header */
	uint32_t type;
	const char *type_name;
	const char *rule;	/* stable rule id, e.g. "page-data.count" */
	char msg[224];		/* human-readable, no trailing newline */
};

#endif /* XENSTREAM_ERROR_H */
