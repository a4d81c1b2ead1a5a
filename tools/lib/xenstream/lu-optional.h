/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal: table of known optional live update records. */
#ifndef XENSTREAM_LU_OPTIONAL_H
#define XENSTREAM_LU_OPTIONAL_H

#include <stddef.h>

#include "xenstream.h"

/* Terminated by a row with type 0. */
extern const struct xs_rec_desc xs_lu_optional_records[];

const struct xs_rec_desc *xs_lu_optional_find(const struct xs_rec_desc *t,
					      size_t n, uint32_t type);

#endif /* XENSTREAM_LU_OPTIONAL_H */
