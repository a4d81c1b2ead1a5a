// SPDX-License-Identifier: GPL-2.0-only
/*
 * What lu-ctl and the selftests read from sysfs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lusysfs.h"

int lu_sysfs_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int rc = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		rc = -EIO;
	else
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return rc;
}

bool lu_simulated(void)
{
	FILE *f = fopen(LU_SIM_ATTACHED, "re");
	int c;

	if (!f)
		return false;
	c = fgetc(f);
	fclose(f);
	return c == 'Y';
}
