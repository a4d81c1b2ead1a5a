/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading xenstore: the helpers every collector and the freeze share.
 */
#ifndef _XEN_LIVEUPDATE_XENSTORE_H
#define _XEN_LIVEUPDATE_XENSTORE_H

#include <linux/types.h>

void xen_lu_xs_read_string(const char *dir, const char *node, char *out,
			   size_t len);
int xen_lu_xs_numeric_dir(const char *dir, u32 max, u32 **ids,
			  unsigned int *nr);
void xen_lu_dom0_home(char *home, size_t len);

#endif /* _XEN_LIVEUPDATE_XENSTORE_H */
