// SPDX-License-Identifier: GPL-2.0-only
/*
 * Legacy stream tail, per checkpoint (xc_domain_restore.c buffer_tail_*):
 *   PV:  u32 nr_unmapped; unsigned long pfn[nr]; then per online vcpu the
 *        basic context, 128 octets of extended context if "extv", and if
 *        "xcnt" u64 xfeature_mask, u64 size, size octets (size + 16 ==
 *        the xcnt value); then the 4096-octet shared info page.
 *   HVM: u64 ioreq, bufioreq, store pfns; u32 len; HVM context; then the
 *        device model record libxl appended: 21-octet signature and
 *        "QemuDeviceModelRecord" data to EOF, or "DeviceModelRecord0002" /
 *        "RemusDeviceModelState" u32 len + data.
 */
#include <string.h>

#include "priv.h"

static int unmapped(struct legacy_reader *lr, struct legacy_event *ev)
{
	uint32_t n;

	if (lr_u32(lr, &n, "the unmapped pfn count"))
		return -1;
	if (n > LEGACY_P2M_SIZE_MAX)
		return lr_fail(lr, ev->offset, "legacy.tail.unmapped",
			       "%u unmapped pfns, more than %u", n,
			       LEGACY_P2M_SIZE_MAX);
	if (lr_skip(lr, (uint64_t)n * lr->cfg.width, "the unmapped pfn list"))
		return -1;
	ev->type = LEGACY_EV_UNMAPPED;
	ev->u.count = n;
	return 0;
}

/* 0 event, 1 no vcpu left. */
static int vcpu(struct legacy_reader *lr, struct legacy_event *ev)
{
	size_t ext = lr->extv ? LEGACY_VCPU_EXT_SIZE : 0;
	size_t basic = lr->vcpu_size, xs = lr->xsave_size;
	uint32_t id;
	uint8_t *b;

	while (lr->vcpu_next <= lr->max_vcpu_id &&
	       !(lr->vcpumap[lr->vcpu_next / 64] >> (lr->vcpu_next % 64) & 1))
		lr->vcpu_next++;
	if (lr->vcpu_next > lr->max_vcpu_id)
		return 1;
	id = lr->vcpu_next++;
	if (lr_blob(lr, basic + ext + xs, "a vcpu context"))
		return -1;
	b = lr->blob;
	ev->type = LEGACY_EV_VCPU;
	ev->u.vcpu.id = id;
	ev->u.vcpu.basic = b;
	ev->u.vcpu.basic_len = (uint32_t)basic;
	ev->u.vcpu.ext = ext ? b + basic : NULL;
	if (xs) {
		uint64_t size;

		memcpy(&ev->u.vcpu.xsave_mask, b + basic + ext, 8);
		memcpy(&size, b + basic + ext + 8, 8);
		if (size != xs - 16)
			return lr_fail(lr, ev->offset + basic + ext + 8,
				       "legacy.tail.xsave-size",
				       "vcpu %u xsave size %llu, \"xcnt\" says %zu",
				       id, (unsigned long long)size, xs - 16);
		ev->u.vcpu.xsave = b + basic + ext + 16;
		ev->u.vcpu.xsave_len = (uint32_t)size;
	}
	return 0;
}

static int qemu(struct legacy_reader *lr, struct legacy_event *ev)
{
	static const char *const sigs[] = {
		[LEGACY_QEMU_COMPAT] = "QemuDeviceModelRecord",
		[LEGACY_QEMU_V2] = "DeviceModelRecord0002",
		[LEGACY_QEMU_REMUS] = "RemusDeviceModelState",
	};
	char sig[LEGACY_QEMU_SIG_LEN];
	uint32_t len, k;

	if (lr_read(lr, sig, sizeof(sig), "the device model signature"))
		return -1;
	for (k = 0; k < 3; k++)
		if (!memcmp(sig, sigs[k], sizeof(sig)))
			break;
	if (k == 3)
		return lr_fail(lr, ev->offset, "legacy.qemu.signature",
			       "unknown device model signature \"%.21s\"", sig);
	ev->type = LEGACY_EV_QEMU;
	ev->u.qemu.kind = k;
	ev->u.qemu.sig = sigs[k];
	if (k == LEGACY_QEMU_COMPAT) {
		/* No length: the record runs to the end of the stream. */
		const uint8_t *p;
		size_t got = 0, total = 0;

		for (;;) {
			if (xs_peek(lr->src, XS_READER_WINDOW, &p, &got)) {
				lr->st = LS_FAILED;
				return -1;
			}
			if (!got)
				break;
			if (total + got > LEGACY_BLOB_MAX)
				return lr_fail(lr, lr_off(lr), "legacy.length.max",
					       "device model record exceeds %u octets",
					       LEGACY_BLOB_MAX);
			if (lr_blob_grow(lr, total + got))
				return -1;
			memcpy(lr->blob + total, p, got);
			total += got;
			if (lr_read(lr, NULL, got, "device model data"))
				return -1;
		}
		if (total < 4 || memcmp(lr->blob, "QEVM", 4))
			return lr_fail(lr, ev->offset + sizeof(sig),
				       "legacy.qemu.magic",
				       "device model data does not start with \"QEVM\"");
		ev->u.qemu.len = (uint32_t)total;
		ev->u.qemu.data = lr->blob;
		return 0;
	}
	if (lr_u32(lr, &len, "the device model record length") ||
	    lr_blob(lr, len, "the device model record"))
		return -1;
	ev->u.qemu.len = len;
	ev->u.qemu.data = lr->blob;
	return 0;
}

static int step_pv(struct legacy_reader *lr, struct legacy_event *ev)
{
	int rc;

	switch (lr->tail_step) {
	case 0:
		lr->tail_step++;
		return unmapped(lr, ev);
	case 1:
		rc = vcpu(lr, ev);
		if (rc <= 0)
			return rc;
		lr->tail_step++;
		/* fall through */
	case 2:
		lr->tail_step++;
		if (lr_blob(lr, REMUS_PAGE_SIZE, "the shared info page"))
			return -1;
		ev->type = LEGACY_EV_SHARED_INFO;
		ev->u.blob.len = REMUS_PAGE_SIZE;
		ev->u.blob.data = lr->blob;
		return 0;
	default:
		return 1;
	}
}

static int step_hvm(struct legacy_reader *lr, struct legacy_event *ev)
{
	uint32_t len;

	switch (lr->tail_step) {
	case 0:
		lr->tail_step++;
		ev->type = LEGACY_EV_HVM_MAGIC;
		return lr_u64(lr, &ev->u.magic.ioreq, "the ioreq pfn") ||
		       lr_u64(lr, &ev->u.magic.bufioreq, "the bufioreq pfn") ||
		       lr_u64(lr, &ev->u.magic.store, "the store pfn") ? -1 : 0;
	case 1:
		lr->tail_step++;
		if (lr_u32(lr, &len, "the HVM context length"))
			return -1;
		if (!len)
			return lr_fail(lr, ev->offset, "legacy.tail.hvm-context",
				       "zero-length HVM context");
		if (lr_blob(lr, len, "the HVM context"))
			return -1;
		ev->type = LEGACY_EV_HVM_CONTEXT;
		ev->u.blob.len = len;
		ev->u.blob.data = lr->blob;
		return 0;
	case 2:
		lr->tail_step++;
		if (!lr->cfg.skip_qemu)
			return qemu(lr, ev);
		/* fall through */
	default:
		return 1;
	}
}

int legacy_tail_next(struct legacy_reader *lr, struct legacy_event *ev)
{
	int rc = lr->cfg.hvm ? step_hvm(lr, ev) : step_pv(lr, ev);

	if (rc <= 0)
		return rc;
	ev->type = LEGACY_EV_CHECKPOINT_END;
	ev->u.last = lr->last_checkpoint;
	lr->st = LS_NEXT_CKPT;
	return 0;
}
