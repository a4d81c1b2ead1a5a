// SPDX-License-Identifier: GPL-2.0-only
/*
 * gen-streams DIR: write one valid stream per generator shape into DIR,
 * named <format>-<shape>.bin, for the agreement tests (verify-stream-v2 must
 * accept every libxc/libxl/xl one) and as the fuzz seed corpus.
 *
 * gen-streams -b DIR: write the invalid dom0 records streams of
 * gen_bad_dom0[] as DIR/bad-<name>.bin, and DIR/bad.list with one line
 * "<name> <format> <rule>" each, for the lu-ctl tests (test-records.sh).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"
#include "xenstream.h"

enum kind { K_LIBXC, K_LIBXL, K_XL, K_LU, K_DUMP };

static const struct gen_dom0 dump_many = {
	.domains = 20, .backends = 60, .evtchns = 200, .participants = 4,
	.data_len = 100,
};
static const struct gen_dom0 dump_min = { .domains = 1 };
static const struct gen_dom0 dump_long = {
	.domains = 2, .backends = 2, .evtchns = 2, .participants = 1,
	.data_len = 3000, .extra = 40, .more_features = 60,
};
/* A backend of every shape: multi-queue, multi-page, unrecordable. */
static const struct gen_dom0 dump_backends = {
	.domains = 4, .backends = GEN_BACKEND_SHAPES, .evtchns = 9,
	.participants = 1, .data_len = 5,
};

static const struct shape {
	const char *name;
	enum kind kind;
	unsigned int flags;
	uint32_t pages;
	const struct gen_dom0 *dump;
} shapes[] = {
	{ "libxc-pv-v3", K_LIBXC, 0, 3000, NULL },
	{ "libxc-pv-v2", K_LIBXC, G_V2, 100, NULL },
	{ "libxc-hvm-v3", K_LIBXC, G_HVM, 300, NULL },
	{ "libxc-hvm-v2", K_LIBXC, G_HVM | G_V2, 30, NULL },
	{ "libxc-hvm-context-first", K_LIBXC, G_HVM | G_PARAMS_AFTER_CONTEXT, 30, NULL },
	{ "libxc-pv-erratum", K_LIBXC, G_ZERO_CONTENT, 10, NULL },
	{ "libxc-hvm-erratum", K_LIBXC, G_HVM | G_ZERO_CONTENT, 10, NULL },
	{ "libxc-pv-checkpoint", K_LIBXC, G_CHECKPOINT, 10, NULL },
	{ "libxl-pv", K_LIBXL, 0, 64, NULL },
	{ "libxl-hvm", K_LIBXL, G_HVM, 64, NULL },
	{ "libxl-hvm-xenstore", K_LIBXL, G_HVM | G_XENSTORE, 8, NULL },
	{ "xl-pv", K_XL, 0, 64, NULL },
	{ "xl-hvm", K_XL, G_HVM, 64, NULL },
	{ "lu-4dom", K_LU, 0, 4, NULL },
	{ "lu-optional", K_LU, L_UNKNOWN_OPTIONAL | L_PAGE_FILL, 2, NULL },
	{ "lu-dom0", K_LU, L_DOM0 | L_PAGE_FILL, 2, NULL },
	{ "lu-records-default", K_DUMP, 0, 0, &gen_dom0_default },
	{ "lu-records-dom0-only", K_DUMP, 0, 0, &dump_min },
	{ "lu-records-many", K_DUMP, 0, 0, &dump_many },
	{ "lu-records-long", K_DUMP, 0, 0, &dump_long },
	{ "lu-records-backends", K_DUMP, 0, 0, &dump_backends },
};

static int write_file(const char *path, const void *p, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, p, len) != (ssize_t)len || close(fd)) {
		perror(path);
		return 1;
	}
	return 0;
}

static int bad_streams(const char *dir)
{
	const struct gen_bad *b;
	char path[4096];
	FILE *list;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/bad.list", dir);
	list = fopen(path, "w");
	if (!list) {
		perror(path);
		return 1;
	}
	for (b = gen_bad_dom0; b->rule && !rc; b++) {
		size_t len = 0;
		uint8_t *p = b->make(b, &len);

		snprintf(path, sizeof(path), "%s/bad-%s.bin", dir, b->name);
		if (!p) {
			fprintf(stderr, "%s: generator failed\n", path);
			rc = 1;
			break;
		}
		rc = write_file(path, p, len);
		free(p);
		fprintf(list, "%s %s %s\n", b->name,
			xs_format_name((enum xs_format)b->format), b->rule);
	}
	if (fclose(list))
		rc = 1;
	return rc;
}

int main(int argc, char **argv)
{
	char path[4096];
	size_t i;
	int rc = 0;

	if (argc == 3 && !strcmp(argv[1], "-b"))
		return bad_streams(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: gen-streams [-b] DIR\n");
		return 2;
	}
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]) && !rc; i++) {
		const struct shape *s = &shapes[i];
		struct xs_sink sink;
		struct xs_writer w;
		int fd;

		snprintf(path, sizeof(path), "%s/%s.bin", argv[1], s->name);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		xs_sink_init_fd(&sink, fd);
		xs_writer_init(&w, &sink);
		switch (s->kind) {
		case K_LIBXC:
			rc = gen_libxc(&w, s->flags, s->pages, 1024);
			break;
		case K_LIBXL:
			rc = gen_libxl(&w, s->flags, s->pages);
			break;
		case K_XL:
			rc = gen_xl(&w, s->flags, s->pages);
			break;
		case K_LU:
			rc = gen_lu(&w, s->flags, s->pages, 2, 200);
			break;
		case K_DUMP:
			rc = gen_dump(&w, s->dump);
			break;
		}
		if (close(fd) || rc) {
			fprintf(stderr, "%s: write failed\n", path);
			rc = 1;
		}
	}
	return rc;
}
