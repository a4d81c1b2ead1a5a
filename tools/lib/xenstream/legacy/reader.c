// SPDX-License-Identifier: GPL-2.0-only
/*
 * Legacy stream reader: setup and the top-level state machine, which hands
 * each part of the stream to its file (head.c, body.c, tail.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "priv.h"

int legacy_open(struct legacy_reader **out, struct xs_reader *src,
		const struct legacy_cfg *cfg, struct xs_error *err)
{
	struct legacy_reader *lr;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	if (cfg->width != 4 && cfg->width != 8) {
		err->code = XS_ERR_USAGE;
		err->rule = "legacy.usage.width";
		snprintf(err->msg, sizeof(err->msg),
			 "toolstack width must be 32 or 64 bits");
		return -1;
	}
	lr = calloc(1, sizeof(*lr));
	if (!lr)
		goto nomem;
	lr->src = src;
	lr->err = err;
	lr->cfg = *cfg;
	if (!lr->cfg.cache_pages)
		lr->cfg.cache_pages = REMUS_CACHE_PAGES;
	lr->entry = malloc(LEGACY_MAX_BATCH * sizeof(*lr->entry));
	lr->pages = malloc((size_t)LEGACY_MAX_BATCH * REMUS_PAGE_SIZE);
	if (!lr->entry || !lr->pages)
		goto nomem;
	lr->vcpumap[0] = 1;	/* vcpu 0 until a VCPU_INFO chunk says more */
	lr->st = LS_START;
	*out = lr;
	return 0;
nomem:
	legacy_close(lr);
	err->code = XS_ERR_NOMEM;
	err->rule = "legacy.nomem";
	snprintf(err->msg, sizeof(err->msg), "no memory for the reader");
	return -1;
}

void legacy_close(struct legacy_reader *lr)
{
	if (!lr)
		return;
	legacy_b_reset(lr);
	if (lr->cache_ready)
		remus_cache_fini(&lr->cache);
	free(lr->cbuf);
	free(lr->entry);
	free(lr->pages);
	free(lr->blob);
	free(lr->frames);
	free(lr);
}

/* Start the next checkpoint's body, or finish at a clean end. */
static int next_checkpoint(struct legacy_reader *lr, struct legacy_event *ev)
{
	int eof;

	if (lr->cfg.skip_qemu && lr->cfg.hvm) {
		/* Like convert-legacy-stream: nothing after is looked at. */
		lr->st = LS_DONE;
		ev->type = LEGACY_EV_EOF;
		return 0;
	}
	eof = xs_at_eof(lr->src);
	if (eof < 0) {
		lr->st = LS_FAILED;
		return -1;
	}
	if (eof) {
		lr->st = LS_DONE;
		ev->type = LEGACY_EV_EOF;
		return 0;
	}
	if (lr->last_checkpoint)
		return lr_fail(lr, lr_off(lr), "legacy.trailing",
			       "data after the tail of the last checkpoint");
	lr->checkpoint++;
	lr->compressing = lr->compress_next;
	lr->group_left = 0;
	lr->st = LS_BODY;
	return legacy_body_next(lr, ev);
}

int legacy_next(struct legacy_reader *lr, struct legacy_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->offset = lr_off(lr);
	ev->checkpoint = lr->checkpoint;
	switch (lr->st) {
	case LS_START:
	case LS_EXTINFO:
	case LS_P2M:
		return legacy_head_next(lr, ev);
	case LS_BODY:
		return legacy_body_next(lr, ev);
	case LS_TAIL:
		return legacy_tail_next(lr, ev);
	case LS_NEXT_CKPT:
		return next_checkpoint(lr, ev);
	case LS_DONE:
		ev->type = LEGACY_EV_EOF;
		return 0;
	case LS_FAILED:
		break;
	}
	if (lr->err->code == XS_OK) {
		lr->err->code = XS_ERR_USAGE;
		lr->err->rule = "legacy.usage.failed";
		snprintf(lr->err->msg, sizeof(lr->err->msg),
			 "reader already failed");
	}
	return -1;
}
