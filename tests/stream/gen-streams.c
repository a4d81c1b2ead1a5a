// SPDX-License-Identifier: GPL-2.0-only
/*
 * gen-streams DIR: write one valid stream per generator shape into DIR,
 * named <format>-<shape>.bin, for the agreement tests (verify-stream-v2 must
 * accept every libxc/libxl/xl one) and as the fuzz seed corpus.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"

enum kind { K_LIBXC, K_LIBXL, K_XL, K_LU };

static const struct shape {
	const char *name;
	enum kind kind;
	unsigned int flags;
	uint32_t pages;
} shapes[] = {
	{ "libxc-pv-v3", K_LIBXC, 0, 3000 },
	{ "libxc-pv-v2", K_LIBXC, G_V2, 100 },
	{ "libxc-hvm-v3", K_LIBXC, G_HVM, 300 },
	{ "libxc-hvm-v2", K_LIBXC, G_HVM | G_V2, 30 },
	{ "libxc-pv-erratum", K_LIBXC, G_ZERO_CONTENT, 10 },
	{ "libxc-hvm-erratum", K_LIBXC, G_HVM | G_ZERO_CONTENT, 10 },
	{ "libxc-pv-checkpoint", K_LIBXC, G_CHECKPOINT, 10 },
	{ "libxl-pv", K_LIBXL, 0, 64 },
	{ "libxl-hvm", K_LIBXL, G_HVM, 64 },
	{ "libxl-hvm-xenstore", K_LIBXL, G_HVM | G_XENSTORE, 8 },
	{ "xl-pv", K_XL, 0, 64 },
	{ "xl-hvm", K_XL, G_HVM, 64 },
	{ "lu-4dom", K_LU, 0, 4 },
	{ "lu-optional", K_LU, L_UNKNOWN_OPTIONAL | L_PAGE_FILL, 2 },
};

int main(int argc, char **argv)
{
	char path[4096];
	size_t i;
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-streams DIR\n");
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
		}
		if (close(fd) || rc) {
			fprintf(stderr, "%s: write failed\n", path);
			rc = 1;
		}
	}
	return rc;
}
