// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading xenstore: the helpers every collector and the freeze share.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include <xen/xenbus.h>

#include "xenstore.h"

/**
 * xen_lu_xs_read_string() - copy a xenstore node into a record field
 * @dir: the directory
 * @node: the node in it
 * @out: the field, zero-padded on return; "" when the node is absent
 * @len: its size
 */
void xen_lu_xs_read_string(const char *dir, const char *node, char *out,
			   size_t len)
{
	char *val = xenbus_read(XBT_NIL, dir, node, NULL);

	memset(out, 0, len);
	if (IS_ERR(val))
		return;
	strscpy(out, val, len);
	kfree(val);
}

static int xen_lu_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/**
 * xen_lu_xs_numeric_dir() - the numeric keys of a xenstore directory
 * @dir: the directory
 * @max: keys at or above this are left out
 * @ids: set to a kcalloc'd array, sorted; the caller frees it
 * @nr: set to its length
 *
 * Return: 0, or a negative errno (-ENOENT: no such directory).
 */
int xen_lu_xs_numeric_dir(const char *dir, u32 max, u32 **ids,
			  unsigned int *nr)
{
	unsigned int n, i;
	char **keys;

	*nr = 0;
	keys = xenbus_directory(XBT_NIL, dir, "", &n);
	if (IS_ERR(keys))
		return PTR_ERR(keys);
	*ids = kcalloc(max(n, 1U), sizeof(**ids), GFP_KERNEL);
	if (!*ids) {
		kfree(keys);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (!kstrtou32(keys[i], 10, &(*ids)[*nr]) && (*ids)[*nr] < max)
			(*nr)++;
	kfree(keys);
	sort(*ids, *nr, sizeof(**ids), xen_lu_cmp_u32, NULL);
	return 0;
}

/**
 * xen_lu_dom0_home() - dom0's own xenstore directory
 * @home: at least 32 bytes
 * @len: its size
 */
void xen_lu_dom0_home(char *home, size_t len)
{
	u32 self = 0;

	/* Left 0 when unreadable: dom0 is domain 0. */
	xenbus_scanf(XBT_NIL, "", "domid", "%u", &self);
	snprintf(home, len, "/local/domain/%u", self);
}
