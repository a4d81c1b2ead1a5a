// SPDX-License-Identifier: GPL-2.0-only
/*
 * Legacy stream header: p2m_size, then for PV the extended info and the
 * p2m frame list (xc_domain_save.c map_and_save_p2m_table()).
 */
#include <stdlib.h>
#include <string.h>

#include "endian.h"
#include "priv.h"

static int read_vcpu_block(struct legacy_reader *lr, uint32_t size,
			   uint64_t off)
{
	if (lr->vcpu_size)
		return lr_fail(lr, off, "legacy.extinfo.vcpu-dup",
			       "second \"vcpu\" extended-info block");
	if (size == LEGACY_VCPU_SIZE_32) {
		lr->guest_width = 4;
		lr->pt_levels = 3;
	} else if (size == LEGACY_VCPU_SIZE_64) {
		lr->guest_width = 8;
		lr->pt_levels = 4;
	} else {
		return lr_fail(lr, off, "legacy.extinfo.vcpu-size",
			       "\"vcpu\" block size %#x is neither %#x (32-bit) nor %#x (64-bit)",
			       size, LEGACY_VCPU_SIZE_32, LEGACY_VCPU_SIZE_64);
	}
	lr->vcpu_size = size;
	return lr_skip(lr, size, "the \"vcpu\" extended-info block");
}

static int read_extinfo(struct legacy_reader *lr, struct legacy_event *ev)
{
	uint64_t sig, off = lr_off(lr);
	uint64_t ones = lr->cfg.width == 8 ? UINT64_MAX : UINT32_MAX;
	uint32_t left;

	if (lr_ulong(lr, &sig, "the extended-info signature"))
		return -1;
	if (sig != ones)
		return lr_fail(lr, off, "legacy.extinfo.missing",
			       "PV stream without extended info (signature %#llx, want ~0UL)",
			       (unsigned long long)sig);
	if (lr_u32(lr, &left, "the extended-info size"))
		return -1;
	while (left) {
		uint8_t h[8];
		uint32_t size;

		off = lr_off(lr);
		if (left < 8)
			return lr_fail(lr, off, "legacy.extinfo.overrun",
				       "%u octets left, too few for a block header",
				       left);
		if (lr_read(lr, h, 8, "an extended-info block header"))
			return -1;
		size = xs_get_le32(h + 4);
		left -= 8;
		if (size > left)
			return lr_fail(lr, off, "legacy.extinfo.overrun",
				       "block \"%.4s\" size %u exceeds the %u octets left",
				       (const char *)h, size, left);
		left -= size;
		if (!memcmp(h, "vcpu", 4)) {
			if (read_vcpu_block(lr, size, off))
				return -1;
		} else if (!memcmp(h, "extv", 4)) {
			lr->extv = true;
			if (lr_skip(lr, size, "the \"extv\" block"))
				return -1;
		} else if (!memcmp(h, "xcnt", 4)) {
			uint32_t v;

			if (size != 4)
				return lr_fail(lr, off, "legacy.extinfo.xcnt-size",
					       "\"xcnt\" block size %u, want 4", size);
			if (lr_u32(lr, &v, "the \"xcnt\" block"))
				return -1;
			if (v < 16 || v - 16 > LEGACY_XSAVE_MAX)
				return lr_fail(lr, off + 8, "legacy.extinfo.xcnt-value",
					       "xsave record size %u not in 16..%u",
					       v, LEGACY_XSAVE_MAX + 16);
			lr->xsave_size = v;
		} else {
			/* xc_domain_restore.c skips unknown blocks too. */
			if (lr_skip(lr, size, "an unknown extended-info block"))
				return -1;
		}
	}
	if (!lr->vcpu_size)
		return lr_fail(lr, lr_off(lr), "legacy.extinfo.no-vcpu",
			       "no \"vcpu\" extended-info block: guest width unknown");
	ev->type = LEGACY_EV_PV_INFO;
	ev->u.pv.guest_width = lr->guest_width;
	ev->u.pv.pt_levels = lr->pt_levels;
	ev->u.pv.vcpu_size = lr->vcpu_size;
	ev->u.pv.extv = lr->extv;
	ev->u.pv.xsave_size = lr->xsave_size;
	lr->st = LS_P2M;
	return 0;
}

static int read_frames(struct legacy_reader *lr, struct legacy_event *ev)
{
	uint64_t fpp = REMUS_PAGE_SIZE / lr->guest_width;
	uint64_t nr = (lr->p2m_size + fpp - 1) / fpp, i;

	lr->frames = malloc(nr * sizeof(*lr->frames));
	if (!lr->frames) {
		lr->st = LS_FAILED;
		return xs_fail_code(lr->src, XS_ERR_NOMEM, lr_off(lr),
				    "legacy.nomem", "no memory for the p2m frame list");
	}
	for (i = 0; i < nr; i++)
		if (lr_ulong(lr, &lr->frames[i], "the p2m frame list"))
			return -1;
	ev->type = LEGACY_EV_P2M_FRAMES;
	ev->u.frames.nr = (uint32_t)nr;
	ev->u.frames.pfn = lr->frames;
	lr->st = LS_BODY;
	return 0;
}

int legacy_head_next(struct legacy_reader *lr, struct legacy_event *ev)
{
	uint64_t off = lr_off(lr);

	switch (lr->st) {
	case LS_START:
		if (lr_ulong(lr, &lr->p2m_size, "p2m_size"))
			return -1;
		if (!lr->p2m_size || lr->p2m_size > LEGACY_P2M_SIZE_MAX)
			return lr_fail(lr, off, "legacy.p2m-size",
				       "p2m_size %#llx not in 1..%#x",
				       (unsigned long long)lr->p2m_size,
				       LEGACY_P2M_SIZE_MAX);
		ev->type = LEGACY_EV_P2M_SIZE;
		ev->u.p2m_size = lr->p2m_size;
		lr->st = lr->cfg.hvm ? LS_BODY : LS_EXTINFO;
		return 0;
	case LS_EXTINFO:
		return read_extinfo(lr, ev);
	case LS_P2M:
		return read_frames(lr, ev);
	default:
		return lr_fail(lr, off, "legacy.usage.state", "bad reader state");
	}
}
