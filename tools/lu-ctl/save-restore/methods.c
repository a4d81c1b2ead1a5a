// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which update methods this host can use, and why not, for status:
 *
 *   live-update   the hypervisor reports a live-update range
 *                 (get_range(KEXEC_RANGE_MA_LIVEUPDATE)); no Xen release
 *                 has it yet.
 *   save-restore  the toolstack answers (libxenlight opens a context:
 *                 xenstored runs) and the default save directory is on
 *                 storage that survives the exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "save-restore-priv.h"

struct method {
	const char *name;
	bool available;
	char reason[256];
};

/* The nearest existing directory of @path, opened. */
static int open_existing_parent(const char *path)
{
	char buf[PATH_MAX], *slash;
	int fd;

	snprintf(buf, sizeof(buf), "%s", path);
	for (;;) {
		fd = lu_sr_open_dir(buf);
		if (fd >= 0 || errno != ENOENT)
			return fd;
		slash = strrchr(buf, '/');
		if (!slash || slash == buf)
			return lu_sr_open_dir("/");
		*slash = '\0';
	}
}

static void probe_save_restore(struct method *m)
{
	struct sr_dir_info info;
	struct sr_error err = {};
	struct sr_ctx *ctx;
	int null, dirfd;

	/* A status probe keeps libxl's complaints out of the output. */
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	ctx = sr_open(null >= 0 ? null : STDERR_FILENO, &err);
	if (null >= 0)
		close(null);
	if (!ctx) {
		snprintf(m->reason, sizeof(m->reason),
			 "the toolstack does not answer (libxenlight: is xenstored running?)");
		return;
	}
	sr_close(ctx);
	dirfd = open_existing_parent(LU_SR_DEFAULT_SAVE_DIR);
	if (dirfd < 0) {
		snprintf(m->reason, sizeof(m->reason), "%s: %s", LU_SR_DEFAULT_SAVE_DIR,
			 strerror(errno));
		return;
	}
	if (sr_check_save_dir(dirfd, NULL, 0, false, &info, &err)) {
		snprintf(m->reason, sizeof(m->reason), "%s: %.200s", LU_SR_DEFAULT_SAVE_DIR,
			 err.msg);
		close(dirfd);
		return;
	}
	close(dirfd);
	m->available = true;
	snprintf(m->reason, sizeof(m->reason), "libxenlight, save directory %s (%s, %llu MiB free)",
		 LU_SR_DEFAULT_SAVE_DIR, info.fs_type,
		 (unsigned long long)(info.free_bytes >> 20));
}

static void probe(struct method m[2], unsigned int lu_errno)
{
	m[0] = (struct method){ .name = "live-update", .available = !lu_errno };
	if (lu_errno)
		snprintf(m[0].reason, sizeof(m[0].reason),
			 "the hypervisor has no live-update range (get_range(KEXEC_RANGE_MA_LIVEUPDATE): %s)",
			 lu_errno_name(lu_errno));
	else
		snprintf(m[0].reason, sizeof(m[0].reason), "the hypervisor has the live-update hypercalls");
	m[1] = (struct method){ .name = "save-restore" };
	probe_save_restore(&m[1]);
}

json_object *lu_sr_methods_json(unsigned int lu_errno, bool *usable)
{
	json_object *list = json_object_new_array(), *o;
	struct method m[2];
	int i;

	probe(m, lu_errno);
	*usable = m[0].available || m[1].available;
	for (i = 0; i < 2; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(m[i].name));
		json_object_object_add(o, "available", json_object_new_boolean(m[i].available));
		json_object_object_add(o, "reason", json_object_new_string(m[i].reason));
		json_object_array_add(list, o);
	}
	return list;
}

void lu_sr_methods_print(FILE *f, unsigned int lu_errno, bool *usable)
{
	struct method m[2];
	int i;

	probe(m, lu_errno);
	*usable = m[0].available || m[1].available;
	fprintf(f, "methods:\n");
	for (i = 0; i < 2; i++)
		fprintf(f, "  %-13s %s: %s\n", m[i].name,
			m[i].available ? "available" : "unavailable", m[i].reason);
}
