// SPDX-License-Identifier: GPL-2.0-only
/*
 * Selftests for /dev/xen/liveupdate: XEN_LU_IOCTL_GET_MEMORY_MAP,
 * XEN_LU_IOCTL_STAGE and XEN_LU_IOCTL_UNSTAGE against a real hypervisor.
 *
 * Each test builds a synthetic but complete cold image (XEN_LU_STAGE_COLD)
 * placed in the machine memory map's RAM: a low fill below 1 MiB, two pages
 * of "xen#2", one multiboot2 module, the purgatory of the UAPI "Purgatory"
 * section and an MBI carrying a command line and the module.  Real Xen
 * accepts it (kexec_load only checks and copies; nothing is ever executed
 * here).  The rule tests break that image in one place each and expect the
 * exact errno, out_rule and out_segment, then check that the device's
 * record did not change, both with nothing staged and when replacing a
 * valid staged image.
 *
 * Not reachable from user space on stock Xen: the live-update placement and
 * command line rules (PLACE_XEN, PLACE_WINDOW, CMDLINE_RANGE), since a
 * live-update stage stops at EOPNOTSUPP first (rule_cmdline_range_lu runs
 * them under the test suite's simulated live-update hypervisor); LOCKDOWN unless the kernel
 * is locked down (lu_lockdown checks it then, and skips otherwise).
 *
 * Must run as root in a Xen PV dom0 with xen_liveupdate loaded; skips
 * otherwise.  Every test leaves nothing staged.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xen/liveupdate.h>

#include "kselftest_harness.h"

#include "lu_dev.h"
#include "lu_image.h"

/*
 * A detached PKCS#7 (CMS, no signed attributes, signer certificate
 * included) of exactly the ELF that img_elf() builds for the default
 * image, by a self-signed RSA-2048 key that no kernel keyring holds:
 *
 *   openssl req -x509 -newkey rsa:2048 -nodes -days 36500 \
 *	-subj "/CN=xen-liveupdate selftest untrusted key" -keyout k -out c
 *   openssl cms -sign -binary -noattr -md sha256 -outform DER \
 *	-in image.elf -signer c -inkey k -out sig
 */
static const uint8_t untrusted_sig[] = {
	0x30, 0x82, 0x04, 0xf2, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
	0x01, 0x07, 0x02, 0xa0, 0x82, 0x04, 0xe3, 0x30, 0x82, 0x04, 0xdf, 0x02,
	0x01, 0x01, 0x31, 0x0d, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
	0x65, 0x03, 0x04, 0x02, 0x01, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48,
	0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x82, 0x03, 0x47, 0x30, 0x82,
	0x03, 0x43, 0x30, 0x82, 0x02, 0x2b, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02,
	0x14, 0x74, 0x4c, 0x2d, 0x2b, 0xb4, 0x9f, 0x9d, 0x63, 0x0d, 0x9e, 0x9b,
	0xf6, 0xdf, 0x9a, 0x03, 0x62, 0x13, 0x2f, 0x46, 0xce, 0x30, 0x0d, 0x06,
	0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00,
	0x30, 0x30, 0x31, 0x2e, 0x30, 0x2c, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c,
	0x25, 0x78, 0x65, 0x6e, 0x2d, 0x6c, 0x69, 0x76, 0x65, 0x75, 0x70, 0x64,
	0x61, 0x74, 0x65, 0x20, 0x73, 0x65, 0x6c, 0x66, 0x74, 0x65, 0x73, 0x74,
	0x20, 0x75, 0x6e, 0x74, 0x72, 0x75, 0x73, 0x74, 0x65, 0x64, 0x20, 0x6b,
	0x65, 0x79, 0x30, 0x20, 0x17, 0x0d, 0x32, 0x36, 0x31, 0x31, 0x32, 0x32,
	0x30, 0x36, 0x32, 0x30, 0x32, 0x37, 0x5a, 0x18, 0x0f, 0x32, 0x31, 0x32,
	0x36, 0x31, 0x30, 0x32, 0x39, 0x30, 0x36, 0x32, 0x30, 0x32, 0x37, 0x5a,
	0x30, 0x30, 0x31, 0x2e, 0x30, 0x2c, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c,
	0x25, 0x78, 0x65, 0x6e, 0x2d, 0x6c, 0x69, 0x76, 0x65, 0x75, 0x70, 0x64,
	0x61, 0x74, 0x65, 0x20, 0x73, 0x65, 0x6c, 0x66, 0x74, 0x65, 0x73, 0x74,
	0x20, 0x75, 0x6e, 0x74, 0x72, 0x75, 0x73, 0x74, 0x65, 0x64, 0x20, 0x6b,
	0x65, 0x79, 0x30, 0x82, 0x01, 0x22, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86,
	0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x82, 0x01,
	0x0f, 0x00, 0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00, 0xb4,
	0xd9, 0x5d, 0xcd, 0x7f, 0x52, 0x4a, 0x98, 0x36, 0xa6, 0x28, 0x6b, 0x5e,
	0x7a, 0xfa, 0x03, 0x10, 0xe4, 0xb0, 0x22, 0x0f, 0xc1, 0xcb, 0x8b, 0x27,
	0xbb, 0x67, 0xc8, 0x50, 0x9e, 0xbf, 0xb7, 0x2e, 0xee, 0xda, 0x91, 0x41,
	0x8a, 0x5a, 0xce, 0x20, 0xeb, 0x93, 0xac, 0xbf, 0xe0, 0x95, 0x5c, 0x8e,
	0x78, 0x53, 0x9a, 0xac, 0x20, 0x10, 0x14, 0xec, 0x1a, 0x09, 0x15, 0xa1,
	0xd9, 0x3c, 0x2c, 0x01, 0xd8, 0x11, 0x7b, 0xc2, 0xfd, 0xca, 0x59, 0xdc,
	0xc0, 0xa2, 0xa2, 0xa1, 0xdf, 0xc6, 0xe6, 0x8c, 0x13, 0x53, 0x9e, 0xbb,
	0x37, 0x42, 0x4b, 0xcb, 0x04, 0x4e, 0x79, 0x85, 0x8e, 0x81, 0xea, 0xcd,
	0xc0, 0x81, 0x83, 0x8b, 0x2f, 0x85, 0x0a, 0x1b, 0x92, 0xc5, 0xe0, 0x27,
	0x94, 0xe1, 0x62, 0xd4, 0x92, 0x53, 0x31, 0x9c, 0x4a, 0xff, 0x96, 0x45,
	0x0c, 0xb2, 0x4b, 0x56, 0x1a, 0xd4, 0x9c, 0xe3, 0x8d, 0x57, 0xc7, 0x8a,
	0x8a, 0x2c, 0xef, 0x1e, 0x6e, 0xe9, 0x21, 0x28, 0x2d, 0x8a, 0x04, 0x88,
	0x97, 0x12, 0x48, 0xdb, 0x5d, 0x54, 0x88, 0x60, 0x47, 0x98, 0xb7, 0x5d,
	0xd5, 0x24, 0xbc, 0xa0, 0xa0, 0x9c, 0x79, 0xc4, 0x62, 0x68, 0x53, 0x9b,
	0x8d, 0xd8, 0x41, 0xd7, 0x29, 0xab, 0x24, 0xcc, 0x65, 0x3b, 0x22, 0xc9,
	0xc0, 0x4c, 0x94, 0xb6, 0x5e, 0x3c, 0x7d, 0x45, 0x6a, 0x45, 0xb6, 0x6c,
	0x22, 0x2f, 0xc4, 0x37, 0xbc, 0xf7, 0xbc, 0x0c, 0xe3, 0x7a, 0x50, 0xbf,
	0xc4, 0x9b, 0x00, 0xe6, 0x25, 0xc2, 0x2b, 0x4c, 0x24, 0xf5, 0x09, 0xb9,
	0x99, 0xe3, 0xb2, 0x2c, 0x67, 0x6a, 0xd5, 0x86, 0xf6, 0xa0, 0x1e, 0xb7,
	0xc6, 0x2b, 0x52, 0xb8, 0x07, 0xe2, 0x88, 0xa5, 0x36, 0x3e, 0x1a, 0xcf,
	0x95, 0x57, 0x9c, 0x29, 0x45, 0xd9, 0xc6, 0xab, 0x1f, 0xf3, 0xc9, 0xd9,
	0x05, 0x3b, 0xd9, 0x02, 0x03, 0x01, 0x00, 0x01, 0xa3, 0x53, 0x30, 0x51,
	0x30, 0x1d, 0x06, 0x03, 0x55, 0x1d, 0x0e, 0x04, 0x16, 0x04, 0x14, 0x64,
	0xcd, 0x7d, 0xd0, 0x25, 0x4e, 0x09, 0x17, 0x56, 0x9e, 0xc1, 0x3b, 0x51,
	0x69, 0x91, 0x94, 0x0c, 0x82, 0xb3, 0x9b, 0x30, 0x1f, 0x06, 0x03, 0x55,
	0x1d, 0x23, 0x04, 0x18, 0x30, 0x16, 0x80, 0x14, 0x64, 0xcd, 0x7d, 0xd0,
	0x25, 0x4e, 0x09, 0x17, 0x56, 0x9e, 0xc1, 0x3b, 0x51, 0x69, 0x91, 0x94,
	0x0c, 0x82, 0xb3, 0x9b, 0x30, 0x0f, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x01,
	0x01, 0xff, 0x04, 0x05, 0x30, 0x03, 0x01, 0x01, 0xff, 0x30, 0x0d, 0x06,
	0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00,
	0x03, 0x82, 0x01, 0x01, 0x00, 0x27, 0xfd, 0x28, 0xe8, 0xc8, 0xec, 0x9d,
	0xc7, 0x85, 0xdf, 0x10, 0x45, 0xe0, 0xd3, 0x34, 0x14, 0x77, 0xea, 0x77,
	0xb0, 0xa9, 0x26, 0xa1, 0xaa, 0x7e, 0x42, 0xae, 0x23, 0xe7, 0xa6, 0xa7,
	0x21, 0x8e, 0xf6, 0x33, 0xe1, 0x26, 0x0d, 0x0c, 0xaf, 0x54, 0x41, 0x66,
	0xb3, 0xc7, 0xa1, 0xa9, 0x5d, 0xf5, 0x84, 0x98, 0x82, 0x9a, 0x15, 0x63,
	0xb0, 0x73, 0xb1, 0x48, 0x49, 0xb7, 0x5e, 0xbb, 0x32, 0xc6, 0x8b, 0xa3,
	0xcf, 0x60, 0xcf, 0xc4, 0xd1, 0x35, 0xbc, 0x0a, 0x91, 0x59, 0x0e, 0x8e,
	0x59, 0x29, 0xfd, 0x3e, 0x16, 0x06, 0x86, 0xb3, 0x4d, 0x08, 0xb4, 0x6d,
	0x72, 0x46, 0x07, 0xaa, 0x30, 0xa7, 0xb7, 0xd7, 0xa5, 0x18, 0xe1, 0x71,
	0xbf, 0x08, 0xad, 0x72, 0x60, 0xc3, 0x9b, 0xa1, 0xa6, 0x76, 0x58, 0x29,
	0xe4, 0xc9, 0x70, 0x90, 0x5b, 0x9a, 0xca, 0x3b, 0xb6, 0xc8, 0x9e, 0xca,
	0xd3, 0xf7, 0xdc, 0xba, 0xf6, 0x3a, 0x64, 0x40, 0x16, 0x39, 0xac, 0x53,
	0x7a, 0x31, 0x85, 0x35, 0x36, 0xf1, 0xc3, 0x50, 0xda, 0xaa, 0x0c, 0x85,
	0x8d, 0x8d, 0x2e, 0xf6, 0xc9, 0x51, 0x32, 0x9b, 0x83, 0x48, 0x79, 0x8d,
	0x5e, 0x36, 0xce, 0x9a, 0x4d, 0x51, 0x3a, 0x62, 0x2e, 0xa3, 0x5d, 0xda,
	0x44, 0x13, 0x03, 0xd9, 0x9f, 0x47, 0x51, 0x94, 0x5e, 0x26, 0x0c, 0x21,
	0x13, 0x09, 0xb0, 0x88, 0xee, 0xa0, 0xdc, 0xfd, 0x42, 0x17, 0xfd, 0x71,
	0xd9, 0x69, 0x21, 0xe2, 0xec, 0x51, 0x52, 0xa3, 0x64, 0xcd, 0x16, 0x18,
	0x87, 0xa3, 0x4c, 0x87, 0xa1, 0xaf, 0x50, 0x85, 0xb2, 0xab, 0xbe, 0x0e,
	0x83, 0xc1, 0xd7, 0x06, 0xe7, 0x57, 0x32, 0x22, 0x74, 0x12, 0x46, 0xfa,
	0xa5, 0xdb, 0x73, 0xb7, 0xc4, 0xde, 0x4e, 0x83, 0xe3, 0x41, 0x07, 0xf0,
	0xe4, 0x78, 0x0b, 0xaa, 0x32, 0x28, 0x8a, 0x34, 0xaa, 0x31, 0x82, 0x01,
	0x71, 0x30, 0x82, 0x01, 0x6d, 0x02, 0x01, 0x01, 0x30, 0x48, 0x30, 0x30,
	0x31, 0x2e, 0x30, 0x2c, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x25, 0x78,
	0x65, 0x6e, 0x2d, 0x6c, 0x69, 0x76, 0x65, 0x75, 0x70, 0x64, 0x61, 0x74,
	0x65, 0x20, 0x73, 0x65, 0x6c, 0x66, 0x74, 0x65, 0x73, 0x74, 0x20, 0x75,
	0x6e, 0x74, 0x72, 0x75, 0x73, 0x74, 0x65, 0x64, 0x20, 0x6b, 0x65, 0x79,
	0x02, 0x14, 0x74, 0x4c, 0x2d, 0x2b, 0xb4, 0x9f, 0x9d, 0x63, 0x0d, 0x9e,
	0x9b, 0xf6, 0xdf, 0x9a, 0x03, 0x62, 0x13, 0x2f, 0x46, 0xce, 0x30, 0x0b,
	0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x30,
	0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
	0x05, 0x00, 0x04, 0x82, 0x01, 0x00, 0x4f, 0x7a, 0x85, 0x11, 0x6e, 0xbf,
	0xa4, 0xc3, 0x64, 0xf9, 0xa4, 0x67, 0x29, 0x75, 0x47, 0xc7, 0x24, 0x5a,
	0xbf, 0x40, 0x82, 0x5c, 0xa3, 0x5d, 0x7a, 0xa3, 0x8d, 0xbc, 0xb3, 0x50,
	0x01, 0xc6, 0x0d, 0x16, 0x99, 0xe2, 0x75, 0x1c, 0x83, 0x0c, 0x50, 0x49,
	0xdf, 0xcb, 0x1c, 0xb9, 0x76, 0xb0, 0x72, 0xb0, 0x5b, 0xdb, 0xda, 0xd8,
	0xa7, 0x5f, 0xca, 0x7b, 0xcc, 0x5d, 0x9e, 0x4a, 0x95, 0x13, 0x94, 0x39,
	0x3f, 0x6f, 0x7a, 0x06, 0x20, 0x58, 0x26, 0x41, 0x21, 0x69, 0x67, 0xef,
	0xf9, 0x69, 0x56, 0x64, 0x9e, 0x69, 0x2a, 0xca, 0xfd, 0x47, 0x57, 0x5b,
	0x96, 0xaa, 0x59, 0x8b, 0x79, 0x1c, 0x4d, 0xdb, 0x8d, 0x02, 0x1e, 0xc4,
	0xd9, 0xa3, 0xd1, 0x58, 0xcc, 0x5f, 0x95, 0x69, 0xa4, 0x18, 0xa9, 0x2c,
	0xff, 0x4d, 0x16, 0xeb, 0x2c, 0xa3, 0x6a, 0x8d, 0x49, 0x8a, 0x59, 0x7d,
	0x60, 0x7d, 0xd1, 0x28, 0x5d, 0xe5, 0xe8, 0xfc, 0x3b, 0x0a, 0x21, 0xc7,
	0x27, 0x79, 0xa1, 0x06, 0xd0, 0x18, 0xcf, 0x71, 0x34, 0xbc, 0x55, 0x99,
	0x8f, 0x74, 0x14, 0xf0, 0x34, 0x28, 0xba, 0xb6, 0xfc, 0xef, 0xd3, 0x13,
	0xfe, 0x96, 0x0e, 0x2e, 0xeb, 0x41, 0x54, 0x30, 0x35, 0x34, 0xcd, 0x26,
	0x01, 0xc3, 0x1e, 0x6b, 0xf3, 0x45, 0x6c, 0x66, 0xea, 0xfc, 0x30, 0xab,
	0xc0, 0x0c, 0x34, 0xf2, 0x05, 0xb8, 0x58, 0x1a, 0x37, 0x20, 0x01, 0x59,
	0x32, 0x23, 0xf9, 0x90, 0x69, 0x4d, 0x68, 0x06, 0x36, 0x60, 0xc9, 0x73,
	0x22, 0x02, 0x47, 0x8c, 0xf1, 0xa3, 0x84, 0x96, 0x72, 0xed, 0x9b, 0x16,
	0xed, 0x6d, 0xdd, 0x7e, 0x77, 0x9d, 0x1d, 0x02, 0x8c, 0xc6, 0x12, 0x6d,
	0x3f, 0xbc, 0x61, 0xe7, 0x8f, 0xd9, 0xdb, 0x36, 0xb6, 0x27, 0x43, 0xda,
	0x00, 0xd3, 0x83, 0xa5, 0x41, 0xa7, 0x10, 0x7d, 0xfe, 0x74,
};

FIXTURE(lu_stage) {
	int fd;
	struct xen_lu_mem_entry map[XEN_LU_MAX_MEMORY_MAP];
	unsigned int nr_map;
	uint64_t base;		/* RAM, >= 16 MiB, 1 MiB of it below 4 GiB */
	uint64_t hole;		/* a page below 4 GiB, past base, not RAM */
	uint64_t ram_end;	/* end of the highest RAM entry */
	struct image *img;
	struct image *ref;
};

FIXTURE_SETUP(lu_stage)
{
	struct xen_lu_info info;
	unsigned int i;
	uint64_t e;

	LU_OPEN(self->fd, O_RDWR, return);
	ASSERT_EQ(0, get_info(self->fd, &info));
	if (info.out_flags & XEN_LU_INFO_LOCKDOWN)
		SKIP(return, "kernel locked down against kexec: cold images are refused");
	ASSERT_EQ(XEN_LU_STATE_IDLE, info.out_state)
		TH_LOG("an image is already staged");

	ASSERT_EQ(0, get_map(self->fd, self->map, XEN_LU_MAX_MEMORY_MAP,
			     &self->nr_map)) TH_LOG("GET_MEMORY_MAP: %s",
						    strerror(errno));
	self->base = cold_base(self->map, self->nr_map);
	ASSERT_NE(0, self->base)
		TH_LOG("no RAM between 16 MiB and 4 GiB with 1 MiB free");
	/*
	 * The end of the highest RAM entry, and a page just past a RAM
	 * entry that no RAM entry covers.
	 */
	for (i = 0; i < self->nr_map; i++) {
		const struct xen_lu_mem_entry *m = &self->map[i];

		if (m->type != XEN_LU_MEM_RAM)
			continue;
		e = (m->addr + m->size + PG - 1) & ~(PG - 1);
		if (e > self->ram_end)
			self->ram_end = e;
		if (e < self->base + MIB || e + PG > GIB4 ||
		    ram_has(self->map, self->nr_map, e, e + PG))
			continue;
		if (!self->hole || e < self->hole)
			self->hole = e;
	}

	self->img = calloc(1, sizeof(*self->img));
	self->ref = calloc(1, sizeof(*self->ref));
	ASSERT_NE(NULL, self->img);
	ASSERT_NE(NULL, self->ref);
	img_init(self->img, self->base);
}

FIXTURE_TEARDOWN(lu_stage)
{
	struct xen_lu_info info;

	if (self->fd >= 0) {
		if (!get_info(self->fd, &info) &&
		    info.out_state != XEN_LU_STATE_IDLE)
			unstage(self->fd, 0);
		close(self->fd);
	}
	free(self->img);
	free(self->ref);
}

/*
 * GET_INFO describes @img exactly, staged between @t0 and @t1.
 */
static void check_staged(struct __test_metadata *_metadata, int fd,
			 const struct image *img, uint64_t t0, uint64_t t1)
{
	struct xen_lu_segment want[IMG_SEGS];
	struct xen_lu_info info;
	uint8_t sha[32];
	unsigned int i;

	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(XEN_LU_STATE_STAGED, info.out_state);
	EXPECT_TRUE(info.out_flags & XEN_LU_INFO_STAGED);
	EXPECT_EQ(XEN_LU_IMAGE_COLD, info.out_staged_type);
	EXPECT_EQ(img->nr, info.out_staged_nr_segments);
	EXPECT_EQ(img->entry, info.out_staged_entry);
	EXPECT_EQ(img->xen_entry, info.out_staged_xen_entry);
	EXPECT_EQ(img_bytes(img), info.out_staged_bytes);
	EXPECT_LE(t0, info.out_staged_time_ns);
	EXPECT_GE(t1, info.out_staged_time_ns);
	EXPECT_STREQ(img->cmdline, info.out_staged_cmdline);
	memcpy(want, img->seg, sizeof(want));
	for (i = 0; i < img->nr; i++)
		want[i].buf = 0;
	EXPECT_EQ(0, memcmp(want, info.out_staged_segments,
			    img->nr * sizeof(want[0])));
	for (i = img->nr; i < XEN_LU_MAX_SEGMENTS; i++)
		EXPECT_EQ(0, info.out_staged_segments[i].dest_size);
	img_digest(img, sha);
	EXPECT_EQ(0, memcmp(sha, info.out_staged_sha256, sizeof(sha)))
		TH_LOG("GET_INFO's sha256 is not the UAPI image digest");
}

/* Stage @img, which must be accepted, and check the record. */
static void staged_ok(struct __test_metadata *_metadata, int fd,
		      struct image *img, int line)
{
	uint64_t t0, t1;
	int rc;

	t0 = now_ns();
	rc = stage(fd, img);
	t1 = now_ns();
	ASSERT_EQ(0, rc) TH_LOG("line %d: valid image refused: %s, rule %s, segment %d",
				line, strerror(errno),
				rule_name(img->arg.out_rule),
				(int)img->arg.out_segment);
	EXPECT_EQ(XEN_LU_RULE_NONE, img->arg.out_rule);
	EXPECT_EQ(NO_SEG, img->arg.out_segment);
	check_staged(_metadata, fd, img, t0, t1);
}

#define STAGED_OK(img) staged_ok(_metadata, self->fd, img, __LINE__)

/* One refused stage: errno, rule, segment, and nothing changed. */
static void refused_once(struct __test_metadata *_metadata, int fd,
			 struct image *img, int err, uint32_t rule,
			 uint32_t seg, const char *how, int line)
{
	struct xen_lu_info before, after;
	int rc, e;

	ASSERT_EQ(0, get_info(fd, &before));
	rc = stage(fd, img);
	e = errno;
	ASSERT_EQ(0, get_info(fd, &after));
	if (rc == 0) {
		TH_LOG("line %d (%s): image accepted", line, how);
		_metadata->passed = 0;
		if (!(img->flags & XEN_LU_STAGE_REPLACE))
			unstage(fd, 0);
		return;
	}
	EXPECT_EQ(-1, rc);
	EXPECT_EQ(err, e) TH_LOG("line %d (%s): errno %d (%s), want %d (%s)",
				 line, how, e, strerror(e), err,
				 strerror(err));
	EXPECT_EQ(rule, img->arg.out_rule)
		TH_LOG("line %d (%s): rule %s, want %s", line, how,
		       rule_name(img->arg.out_rule), rule_name(rule));
	EXPECT_EQ(seg, img->arg.out_segment)
		TH_LOG("line %d (%s): segment %d, want %d", line, how,
		       (int)img->arg.out_segment, (int)seg);
	EXPECT_TRUE(staged_same(&before, &after))
		TH_LOG("line %d (%s): a refused stage changed the record",
		       line, how);
}

/*
 * @img is refused with @err, @rule and @seg, with nothing staged, and
 * again as a REPLACE of a valid staged image, which stays staged.
 */
static void refused(struct __test_metadata *_metadata, int fd,
		    struct image *img, struct image *ref, uint64_t base,
		    int err, uint32_t rule, uint32_t seg, const char *how,
		    int line)
{
	struct xen_lu_info info;
	uint8_t sha[32];

	refused_once(_metadata, fd, img, err, rule, seg, how, line);
	ASSERT_EQ(0, get_info(fd, &info));
	ASSERT_EQ(XEN_LU_STATE_IDLE, info.out_state);

	img_init(ref, base);
	staged_ok(_metadata, fd, ref, line);
	img->flags |= XEN_LU_STAGE_REPLACE;
	refused_once(_metadata, fd, img, err, rule, seg, how, line);
	img->flags &= ~XEN_LU_STAGE_REPLACE;
	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(XEN_LU_STATE_STAGED, info.out_state);
	img_digest(ref, sha);
	EXPECT_EQ(0, memcmp(sha, info.out_staged_sha256, sizeof(sha)))
		TH_LOG("line %d (%s): the staged image changed", line, how);
	EXPECT_EQ(0, unstage(fd, 0));
}

#define REFUSED(img, err, rule, seg)					\
	refused(_metadata, self->fd, img, self->ref, self->base, err, rule, \
		seg, #err " " #rule, __LINE__)

/*
 * Test Case: the machine memory map is plausible
 *
 * At least one RAM entry, sorted, no overlap, no empty entry, reserved
 * fields zero; an O_RDONLY file may read it too.
 */
TEST_F(lu_stage, memory_map_plausible)
{
	struct xen_lu_mem_entry map[XEN_LU_MAX_MEMORY_MAP];
	unsigned int i, nr, ram = 0;
	int ro;

	RETURN_IF_SKIPPED();

	ASSERT_LT(0, self->nr_map);
	ASSERT_GE(XEN_LU_MAX_MEMORY_MAP, self->nr_map);
	for (i = 0; i < self->nr_map; i++) {
		const struct xen_lu_mem_entry *m = &self->map[i];

		TH_LOG("%#018llx-%#018llx type %u",
		       (unsigned long long)m->addr,
		       (unsigned long long)(m->addr + m->size), m->type);
		EXPECT_NE(0, m->size);
		EXPECT_EQ(0, m->__reserved);
		EXPECT_GE(UINT64_MAX - m->addr, m->size);
		ram += m->type == XEN_LU_MEM_RAM;
		if (i)
			EXPECT_LE(self->map[i - 1].addr + self->map[i - 1].size,
				  m->addr) TH_LOG("entry %u overlaps or is out of order", i);
	}
	EXPECT_LT(0, ram);

	ro = open(LU_DEV, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ro);
	EXPECT_EQ(0, get_map(ro, map, XEN_LU_MAX_MEMORY_MAP, &nr));
	close(ro);
	EXPECT_EQ(self->nr_map, nr);
	EXPECT_EQ(0, memcmp(map, self->map, nr * sizeof(map[0])));
}

/*
 * Test Case: the memory map is libxenctrl's xc_get_machine_memory_map()
 */
TEST_F(lu_stage, memory_map_matches_libxenctrl)
{
	struct e820entry e820[XEN_LU_MAX_MEMORY_MAP];
	xc_interface *xch;
	int n, i;

	RETURN_IF_SKIPPED();

	xch = xc_interface_open(NULL, NULL, 0);
	if (!xch)
		SKIP(return, "libxenctrl cannot open privcmd: %s",
		     strerror(errno));
	n = xc_get_machine_memory_map(xch, e820, XEN_LU_MAX_MEMORY_MAP);
	xc_interface_close(xch);
	ASSERT_LE(0, n) TH_LOG("xc_get_machine_memory_map: %s",
			       strerror(errno));
	ASSERT_EQ(n, (int)self->nr_map);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(e820[i].addr, self->map[i].addr);
		EXPECT_EQ(e820[i].size, self->map[i].size);
		EXPECT_EQ(e820[i].type, self->map[i].type);
	}
}

/*
 * Test Case: too little room: ENOSPC with the count needed
 *
 * Nothing is written to the entries; exactly the count needed works.
 */
TEST_F(lu_stage, memory_map_enospc)
{
	struct xen_lu_mem_entry map[XEN_LU_MAX_MEMORY_MAP];
	unsigned int nr, i;
	unsigned char *p = (void *)map;

	RETURN_IF_SKIPPED();

	memset(map, 0xa5, sizeof(map));
	EXPECT_ERRNO(ENOSPC, get_map(self->fd, map, self->nr_map - 1, &nr));
	EXPECT_EQ(self->nr_map, nr);
	for (i = 0; i < sizeof(map); i++)
		ASSERT_EQ(0xa5, p[i]) TH_LOG("byte %u written", i);

	EXPECT_ERRNO(ENOSPC, get_map(self->fd, NULL, 0, &nr));
	EXPECT_EQ(self->nr_map, nr);

	EXPECT_EQ(0, get_map(self->fd, map, self->nr_map, &nr));
	EXPECT_EQ(self->nr_map, nr);
	EXPECT_EQ(0, memcmp(map, self->map, nr * sizeof(map[0])));
	if (nr < XEN_LU_MAX_MEMORY_MAP)
		EXPECT_EQ(0xa5, p[nr * sizeof(map[0])]);
}

/*
 * Test Case: GET_MEMORY_MAP flags, reserved field, short size: EINVAL
 */
TEST_F(lu_stage, memory_map_einval)
{
	struct xen_lu_mem_entry map[XEN_LU_MAX_MEMORY_MAP];
	struct xen_lu_memory_map mm = {
		.size = sizeof(mm),
		.nr_entries = XEN_LU_MAX_MEMORY_MAP,
		.entries = ptr(map),
	};

	RETURN_IF_SKIPPED();

	mm.flags = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, XEN_LU_IOCTL_GET_MEMORY_MAP, &mm));
	mm.flags = 1U << 31;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, XEN_LU_IOCTL_GET_MEMORY_MAP, &mm));
	mm.flags = 0;
	mm.__reserved = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, XEN_LU_IOCTL_GET_MEMORY_MAP, &mm));
	mm.__reserved = 0;
	mm.size = offsetofend(struct xen_lu_memory_map, entries) - 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, XEN_LU_IOCTL_GET_MEMORY_MAP, &mm));
	mm.size = sizeof(mm);
	EXPECT_EQ(0, ioctl(self->fd, XEN_LU_IOCTL_GET_MEMORY_MAP, &mm));
}

/*
 * Test Case: GET_MEMORY_MAP into an unwritable array: EFAULT
 */
TEST_F(lu_stage, memory_map_efault)
{
	struct xen_lu_memory_map mm = {
		.size = sizeof(mm),
		.nr_entries = XEN_LU_MAX_MEMORY_MAP,
	};
	void *ro;

	RETURN_IF_SKIPPED();

	mm.entries = 8;
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, XEN_LU_IOCTL_GET_MEMORY_MAP, &mm));
	ro = mmap(NULL, PG * 2, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	mm.entries = ptr(ro);
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, XEN_LU_IOCTL_GET_MEMORY_MAP, &mm));
	munmap(ro, PG * 2);
}

/*
 * Test Case: a valid cold image stages and unstages
 *
 * GET_INFO reports it exactly (type, segments, entries, bytes, command
 * line, time, and the image digest computed here); UNSTAGE empties the
 * record; a second UNSTAGE finds nothing: ENOENT.
 */
TEST_F(lu_stage, stage_cold_and_unstage)
{
	static const uint8_t abc[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41,
		0x40, 0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3,
		0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00,
		0x15, 0xad,
	};
	struct xen_lu_info info, zero;
	struct sha256 s;
	uint8_t out[32];

	RETURN_IF_SKIPPED();

	/* This file's SHA-256, on the FIPS 180-2 "abc" vector. */
	sha256_init(&s);
	sha256_update(&s, "abc", 3);
	sha256_final(&s, out);
	ASSERT_EQ(0, memcmp(abc, out, 32));

	TH_LOG("image at %#llx, hole %#llx, RAM ends %#llx",
	       (unsigned long long)self->base,
	       (unsigned long long)self->hole,
	       (unsigned long long)self->ram_end);
	STAGED_OK(self->img);
	EXPECT_EQ(0, unstage(self->fd, 0));

	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_IDLE, info.out_state);
	EXPECT_FALSE(info.out_flags & XEN_LU_INFO_STAGED);
	memset(&zero, 0, sizeof(zero));
	/* Updates finished (the simulated hypervisor's) are no record. */
	zero.out_updates = info.out_updates;
	EXPECT_EQ(0, memcmp((char *)&info +
			    offsetof(struct xen_lu_info, out_staged_type),
			    (char *)&zero +
			    offsetof(struct xen_lu_info, out_staged_type),
			    sizeof(info) -
			    offsetof(struct xen_lu_info, out_staged_type)))
		TH_LOG("the staged record was not cleared");
	EXPECT_ERRNO(ENOENT, unstage(self->fd, 0));
}

/*
 * Test Case: the smallest image: one Xen segment, purgatory, MBI
 *
 * No low fill, no module, with a load-base tag that names xen#2's address
 * and a purgatory zero-padded to a full page.
 */
TEST_F(lu_stage, stage_minimal_load_base)
{
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	img->seg[0] = img->seg[S_XEN];
	img->seg[1] = img->seg[S_PURG];
	img->seg[2] = img->seg[S_MBI];
	img->nr = 3;
	img->seg[1].buf_size = PG;
	img->manual_mbi = true;
	mbi_begin(img);
	mbi_cmdline(img, img->cmdline);
	mbi_load_base(img, img->seg[0].dest);
	mbi_end(img);
	img_seal(img);
	STAGED_OK(img);
	EXPECT_EQ(0, unstage(self->fd, 0));
}

/*
 * Test Case: three Xen loads, two modules, a longest command line
 *
 * Xen segments index 0, 1 and an empty 2, modules 0 and 1 (tags in that
 * order), an
 * MBI of more than a page, and 1023 bytes of command line with balanced
 * quotes and words that only resemble the reserved ones (Xen's key is not
 * "liveupdate" or "no-liveupdate", the word is not "--").
 */
TEST_F(lu_stage, stage_full)
{
	static const char words[] =
		" \"a b\" liveupdates xliveupdate=1 liveupdate-x=1 noliveupdate"
		" no-live -x ---";
	struct image *img = self->img;
	size_t len;

	RETURN_IF_SKIPPED();

	img_add(img, (struct xen_lu_segment){
		.buf = ptr(img->xen2), .buf_size = PG - 100,
		.dest = self->base + 0x4000, .dest_size = PG,
		.kind = XEN_LU_SEG_XEN, .index = 1,
	});
	img_add(img, (struct xen_lu_segment){
		.buf = ptr(img->mod2), .buf_size = MOD_BYTES,
		.dest = self->base + 0x11000, .dest_size = PG,
		.kind = XEN_LU_SEG_MODULE, .index = 1,
	});
	/* A Xen segment without file bytes (a bss-only PT_LOAD). */
	img_add(img, (struct xen_lu_segment){
		.dest = self->base + 0x6000, .dest_size = 2 * PG,
		.kind = XEN_LU_SEG_XEN, .index = 2,
	});
	img->seg[img_find(img, XEN_LU_SEG_MBI, 0)].dest_size = MBI_ROOM;
	strcat(img->cmdline, words);
	len = strlen(img->cmdline);
	memset(img->cmdline + len, 'x', XEN_LU_CMDLINE_MAX - 1 - len);
	img->cmdline[XEN_LU_CMDLINE_MAX - 1] = '\0';
	img->xen_entry = self->base + 0x4000 + 8;
	img_seal(img);
	ASSERT_EQ(8, img->nr);
	STAGED_OK(img);
	EXPECT_EQ(0, unstage(self->fd, 0));
}

/*
 * Test Case: staged and no REPLACE: EEXIST, the first image stays
 */
TEST_F(lu_stage, stage_eexist)
{
	struct xen_lu_info before, after;

	RETURN_IF_SKIPPED();

	STAGED_OK(self->img);
	ASSERT_EQ(0, get_info(self->fd, &before));
	img_init(self->ref, self->base);
	strcpy(self->ref->cmdline, "/boot/xen.gz other");
	img_seal(self->ref);
	EXPECT_ERRNO(EEXIST, stage(self->fd, self->ref));
	EXPECT_EQ(XEN_LU_RULE_NONE, self->ref->arg.out_rule);
	EXPECT_EQ(NO_SEG, self->ref->arg.out_segment);
	/* The same image again is no exception. */
	EXPECT_ERRNO(EEXIST, stage(self->fd, self->img));
	ASSERT_EQ(0, get_info(self->fd, &after));
	EXPECT_TRUE(staged_same(&before, &after));
	EXPECT_EQ(0, unstage(self->fd, 0));
}

/*
 * Test Case: REPLACE swaps the staged image, and works on an idle device
 */
TEST_F(lu_stage, stage_replace)
{
	struct xen_lu_info a, b;

	RETURN_IF_SKIPPED();

	self->img->flags |= XEN_LU_STAGE_REPLACE;
	STAGED_OK(self->img);
	ASSERT_EQ(0, get_info(self->fd, &a));

	img_init(self->ref, self->base);
	self->ref->flags |= XEN_LU_STAGE_REPLACE;
	strcpy(self->ref->cmdline, "/boot/xen.gz console=com1 replaced");
	self->ref->seg[S_MOD].dest += PG;
	img_seal(self->ref);
	STAGED_OK(self->ref);
	ASSERT_EQ(0, get_info(self->fd, &b));
	EXPECT_NE(0, memcmp(a.out_staged_sha256, b.out_staged_sha256, 32));
	EXPECT_STREQ("/boot/xen.gz console=com1 replaced",
		     b.out_staged_cmdline);

	/* Replacing with an identical image gives the same digest. */
	STAGED_OK(self->ref);
	EXPECT_EQ(0, unstage(self->fd, 0));
	EXPECT_ERRNO(ENOENT, unstage(self->fd, 0));
}

/*
 * Test Case: live-update image on a hypervisor without live update:
 * EOPNOTSUPP, no rule, nothing staged
 */
TEST_F(lu_stage, stage_live_update_eopnotsupp)
{
	struct xen_lu_info info;

	RETURN_IF_SKIPPED();

	ASSERT_EQ(0, get_info(self->fd, &info));
	if (info.out_flags & XEN_LU_INFO_LIVE_UPDATE)
		SKIP(return, "this hypervisor supports live update");
	self->img->flags = 0;
	refused_once(_metadata, self->fd, self->img, EOPNOTSUPP,
		     XEN_LU_RULE_NONE, NO_SEG, "live update", __LINE__);
	self->img->flags = XEN_LU_STAGE_REPLACE;
	refused_once(_metadata, self->fd, self->img, EOPNOTSUPP,
		     XEN_LU_RULE_NONE, NO_SEG, "live update, REPLACE", __LINE__);
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_IDLE, info.out_state);
}

/*
 * Test Case: REPLACE across image types: EEXIST, the staged image stays
 *
 * A live-update image may live in another kexec slot than a cold one, so
 * REPLACE only replaces the same type; this is answered before the
 * hypervisor's live-update support is asked.
 */
TEST_F(lu_stage, replace_other_type_eexist)
{
	struct xen_lu_info before;

	RETURN_IF_SKIPPED();

	STAGED_OK(self->img);
	ASSERT_EQ(0, get_info(self->fd, &before));
	img_init(self->ref, self->base);
	self->ref->flags = XEN_LU_STAGE_REPLACE;
	refused_once(_metadata, self->fd, self->ref, EEXIST, XEN_LU_RULE_NONE,
		     NO_SEG, "live update over cold, REPLACE", __LINE__);
	self->ref->flags = 0;
	refused_once(_metadata, self->fd, self->ref, EEXIST, XEN_LU_RULE_NONE,
		     NO_SEG, "live update over cold", __LINE__);
	/* The same type with REPLACE still works. */
	self->ref->flags = XEN_LU_STAGE_COLD | XEN_LU_STAGE_REPLACE;
	STAGED_OK(self->ref);
	EXPECT_EQ(0, unstage(self->fd, 0));
}

/*
 * Test Case: STAGE and UNSTAGE on a read-only file: EBADF
 */
TEST_F(lu_stage, readonly_ebadf)
{
	struct xen_lu_info before, after;
	int ro;

	RETURN_IF_SKIPPED();

	ro = open(LU_DEV, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ro);
	EXPECT_ERRNO(EBADF, stage(ro, self->img));
	EXPECT_ERRNO(EBADF, unstage(ro, 0));
	ASSERT_EQ(0, get_info(self->fd, &after));
	EXPECT_EQ(XEN_LU_STATE_IDLE, after.out_state);

	STAGED_OK(self->img);
	ASSERT_EQ(0, get_info(ro, &before));
	EXPECT_ERRNO(EBADF, unstage(ro, 0));
	self->img->flags |= XEN_LU_STAGE_REPLACE;
	EXPECT_ERRNO(EBADF, stage(ro, self->img));
	ASSERT_EQ(0, get_info(ro, &after));
	EXPECT_TRUE(staged_same(&before, &after));
	close(ro);
	EXPECT_EQ(0, unstage(self->fd, 0));
}

/*
 * Test Case: UNSTAGE: ENOENT when idle, EINVAL for any flag
 */
TEST_F(lu_stage, unstage_errors)
{
	struct xen_lu_info info;

	RETURN_IF_SKIPPED();

	EXPECT_ERRNO(ENOENT, unstage(self->fd, 0));
	EXPECT_ERRNO(EINVAL, unstage(self->fd, 1));
	STAGED_OK(self->img);
	EXPECT_ERRNO(EINVAL, unstage(self->fd, 1));
	EXPECT_ERRNO(EINVAL, unstage(self->fd, 1U << 31));
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_STAGED, info.out_state);
	EXPECT_EQ(0, unstage(self->fd, 0));
}

/*
 * Test Case: STAGE structure size: short is EINVAL, a non-zero tail is
 * E2BIG, the size up to image_len works and gets no outputs
 */
TEST_F(lu_stage, stage_struct_size)
{
	unsigned char buf[sizeof(struct xen_lu_stage) + 8];
	struct xen_lu_stage *a = (void *)buf;
	size_t min = offsetofend(struct xen_lu_stage, image_len);
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	memset(buf, 0, sizeof(buf));
	a->size = min - 1;
	a->flags = XEN_LU_STAGE_COLD;
	a->nr_segments = img->nr;
	a->segments = ptr(img->seg);
	a->entry = img->entry;
	a->xen_entry = img->xen_entry;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, XEN_LU_IOCTL_STAGE, a));

	a->size = sizeof(buf);
	buf[sizeof(buf) - 1] = 1;
	EXPECT_ERRNO(E2BIG, ioctl(self->fd, XEN_LU_IOCTL_STAGE, a));
	buf[sizeof(buf) - 1] = 0;

	/* Older user space: refused without out_rule being written. */
	a->size = min;
	a->out_rule = 0x5a5a5a5a;
	a->out_segment = 0x5a5a5a5a;
	a->entry += PG;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, XEN_LU_IOCTL_STAGE, a));
	EXPECT_EQ(0x5a5a5a5a, a->out_rule);
	EXPECT_EQ(0x5a5a5a5a, a->out_segment);
	a->entry -= PG;
	EXPECT_EQ(0, ioctl(self->fd, XEN_LU_IOCTL_STAGE, a));
	EXPECT_EQ(0x5a5a5a5a, a->out_rule);
	EXPECT_EQ(0, unstage(self->fd, 0));
}

/*
 * Test Case: STAGE whose argument cannot be written back
 *
 * The image is staged and STAGE succeeds; a refused one keeps its errno.
 */
TEST_F(lu_stage, stage_outputs_unwritable)
{
	struct image *img = self->img;
	struct xen_lu_stage *a;
	uint64_t t0, t1;
	int rc;

	RETURN_IF_SKIPPED();

	a = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, a);
	*a = (struct xen_lu_stage){
		.size = sizeof(*a),
		.flags = img->flags,
		.nr_segments = img->nr,
		.segments = ptr(img->seg),
		.entry = img->entry + PG,
		.xen_entry = img->xen_entry,
	};
	ASSERT_EQ(0, mprotect(a, PG, PROT_READ));
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, XEN_LU_IOCTL_STAGE, a));
	ASSERT_EQ(0, mprotect(a, PG, PROT_READ | PROT_WRITE));
	a->entry = img->entry;
	ASSERT_EQ(0, mprotect(a, PG, PROT_READ));
	t0 = now_ns();
	rc = ioctl(self->fd, XEN_LU_IOCTL_STAGE, a);
	t1 = now_ns();
	EXPECT_EQ(0, rc) TH_LOG("STAGE: %s", strerror(errno));
	check_staged(_metadata, self->fd, img, t0, t1);
	EXPECT_EQ(0, unstage(self->fd, 0));
	munmap(a, PG);
}

/* A page that cannot be read, after a readable one. */
static char *unreadable_page(void)
{
	char *map = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (map == MAP_FAILED)
		return NULL;
	if (munmap(map + PG, PG))
		return NULL;
	return map + PG;
}

/*
 * Test Case: an unreadable segment table: EFAULT, nothing staged
 */
TEST_F(lu_stage, segments_efault)
{
	char *bad = unreadable_page();
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	ASSERT_NE(NULL, bad);
	img->segments = ptr(bad);
	REFUSED(img, EFAULT, XEN_LU_RULE_NONE, NO_SEG);
	/* The table's last entry runs into the unreadable page. */
	memcpy(bad - sizeof(img->seg[0]) * img->nr + 8, img->seg,
	       sizeof(img->seg[0]) * img->nr - 8);
	img->segments = ptr(bad - sizeof(img->seg[0]) * img->nr + 8);
	REFUSED(img, EFAULT, XEN_LU_RULE_NONE, NO_SEG);
	img->segments = 0;
}

/*
 * Test Case: an unreadable segment buffer: EFAULT, nothing staged
 */
TEST_F(lu_stage, segment_buf_efault)
{
	char *bad = unreadable_page();
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	ASSERT_NE(NULL, bad);
	img->seg[S_MOD].buf = ptr(bad);
	REFUSED(img, EFAULT, XEN_LU_RULE_NONE, NO_SEG);
	/* A module that ends one byte into the unreadable page. */
	memcpy(bad - MOD_BYTES + 1, img->mod, MOD_BYTES - 1);
	img->seg[S_MOD].buf = ptr(bad - MOD_BYTES + 1);
	REFUSED(img, EFAULT, XEN_LU_RULE_NONE, NO_SEG);
	img->seg[S_MOD].buf = ptr(img->mod);
	img->seg[S_MBI].buf = 16;
	REFUSED(img, EFAULT, XEN_LU_RULE_NONE, NO_SEG);
}

/*
 * Test Case: unknown STAGE flags: EINVAL, FLAGS
 */
TEST_F(lu_stage, rule_flags)
{
	RETURN_IF_SKIPPED();

	self->img->flags |= 1U << 2;
	REFUSED(self->img, EINVAL, XEN_LU_RULE_FLAGS, NO_SEG);
	self->img->flags = XEN_LU_STAGE_COLD | 1U << 31;
	REFUSED(self->img, EINVAL, XEN_LU_RULE_FLAGS, NO_SEG);
}

/*
 * Test Case: no segment is EINVAL, 16 or more is E2BIG (NR_SEGMENTS)
 */
TEST_F(lu_stage, rule_nr_segments)
{
	RETURN_IF_SKIPPED();

	self->img->nr = 0;
	REFUSED(self->img, EINVAL, XEN_LU_RULE_NR_SEGMENTS, NO_SEG);
	self->img->nr = XEN_LU_MAX_SEGMENTS + 1;
	REFUSED(self->img, E2BIG, XEN_LU_RULE_NR_SEGMENTS, NO_SEG);
	self->img->nr = 0xffffffff;
	REFUSED(self->img, E2BIG, XEN_LU_RULE_NR_SEGMENTS, NO_SEG);
}

/*
 * Test Case: an unknown segment kind: SEG_KIND
 */
TEST_F(lu_stage, rule_seg_kind)
{
	RETURN_IF_SKIPPED();

	self->img->seg[S_MOD].kind = XEN_LU_SEG_LOW_FILL + 1;
	REFUSED(self->img, EINVAL, XEN_LU_RULE_SEG_KIND, S_MOD);
	self->img->seg[S_MOD].kind = 0xffffffff;
	REFUSED(self->img, EINVAL, XEN_LU_RULE_SEG_KIND, S_MOD);
}

/*
 * Test Case: a low fill with a buffer, another kind without: SEG_BUF
 */
TEST_F(lu_stage, rule_seg_buf)
{
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	img->seg[S_LOW].buf = ptr(img->mod);
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_BUF, S_LOW);
	img->seg[S_LOW].buf = 0;
	img->seg[S_LOW].buf_size = 16;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_BUF, S_LOW);
	img->seg[S_LOW].buf_size = 0;

	/* buf and buf_size not both set or both zero, whatever the kind. */
	img->seg[S_XEN].buf = 0;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_BUF, S_XEN);
	img->seg[S_XEN].buf = ptr(img->xen);
	img->seg[S_XEN].buf_size = 0;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_BUF, S_XEN);
	img->seg[S_XEN].buf_size = XEN_BYTES;
	img->seg[S_MOD].buf_size = 0;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_BUF, S_MOD);
	/* Only a Xen segment may be empty. */
	img->seg[S_MOD].buf = 0;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_BUF, S_MOD);
	img_init(img, self->base);
	img->seg[S_PURG].buf = 0;
	img->seg[S_PURG].buf_size = 0;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_BUF, S_PURG);
	img_init(img, self->base);
	img->seg[S_MBI].buf = 0;
	img->seg[S_MBI].buf_size = 0;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_BUF, S_MBI);
}

/*
 * Test Case: unaligned or empty destinations: SEG_ALIGN
 */
TEST_F(lu_stage, rule_seg_align)
{
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	img->seg[S_MOD].dest += 8;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_ALIGN, S_MOD);
	img->seg[S_MOD].dest -= 8;
	img->seg[S_MBI].dest_size = 0;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_ALIGN, S_MBI);
	img_init(img, self->base);
	img->seg[S_MOD].dest_size = PG + 512;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_ALIGN, S_MOD);
	img->seg[S_MOD].dest_size = PG;
	img->seg[S_LOW].dest_size = 0;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_ALIGN, S_LOW);
}

/*
 * Test Case: buf_size above dest_size, or a wrapping range: SEG_SIZE
 */
TEST_F(lu_stage, rule_seg_size)
{
	struct image *img = self->img;
	int m;

	RETURN_IF_SKIPPED();

	img->seg[S_XEN].buf_size = XEN_BYTES + 1;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_SIZE, S_XEN);
	img->seg[S_XEN].buf_size = XEN_BYTES;
	img->seg[S_MOD].buf_size = PG + 1;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_SIZE, S_MOD);
	img->seg[S_MOD].buf_size = MOD_BYTES;
	m = img_move(img, S_MBI, 0xfffffffffffff000ULL);
	img->seg[m].dest_size = 2 * PG;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_SIZE, m);
}

/*
 * Test Case: segments not sorted by destination: SEG_ORDER
 */
TEST_F(lu_stage, rule_seg_order)
{
	struct image *img = self->img;
	struct xen_lu_segment t;

	RETURN_IF_SKIPPED();

	t = img->seg[S_MOD];
	img->seg[S_MOD] = img->seg[S_PURG];
	img->seg[S_PURG] = t;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_ORDER, S_PURG);
	img_init(img, self->base);
	t = img->seg[S_LOW];
	img->seg[S_LOW] = img->seg[S_XEN];
	img->seg[S_XEN] = t;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_ORDER, S_XEN);
}

/*
 * Test Case: overlapping destinations: SEG_OVERLAP
 */
TEST_F(lu_stage, rule_seg_overlap)
{
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	img->seg[S_MOD].dest = img->seg[S_XEN].dest + XEN_BYTES - PG;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_OVERLAP, S_MOD);
	img->seg[S_MOD].dest = img->seg[S_XEN].dest;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_OVERLAP, S_MOD);
	img_init(img, self->base);
	img->seg[S_MBI].dest = img->seg[S_PURG].dest;
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_OVERLAP, S_MBI);
}

/*
 * Test Case: not one purgatory, one MBI, a Xen segment and modules
 * numbered 0..n-1 (at most 8), or an index on another kind: SEG_COUNT
 */
TEST_F(lu_stage, rule_seg_count)
{
	struct image *img = self->img;
	int i;

	RETURN_IF_SKIPPED();

	/* Two purgatories. */
	img->seg[S_MOD].kind = XEN_LU_SEG_PURGATORY;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_COUNT, NO_SEG);
	/* No purgatory. */
	img_init(img, self->base);
	img->seg[S_PURG].kind = XEN_LU_SEG_MODULE;
	img->seg[S_PURG].index = 1;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_COUNT, NO_SEG);
	/* No MBI. */
	img_init(img, self->base);
	img->seg[S_MBI].kind = XEN_LU_SEG_MODULE;
	img->seg[S_MBI].index = 1;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_COUNT, NO_SEG);
	/* Two MBIs. */
	img_init(img, self->base);
	img->seg[S_MOD].kind = XEN_LU_SEG_MBI;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_COUNT, NO_SEG);
	/* No Xen segment. */
	img_init(img, self->base);
	img->seg[S_XEN].kind = XEN_LU_SEG_MODULE;
	img->seg[S_XEN].index = 1;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_COUNT, NO_SEG);
	/* Modules 1 without 0. */
	img_init(img, self->base);
	img->seg[S_MOD].index = 1;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_COUNT, NO_SEG);
	/* Module 8. */
	img->seg[S_MOD].index = XEN_LU_MAX_MODULES;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_COUNT, S_MOD);
	/* Module 0 twice. */
	img_init(img, self->base);
	i = img_add(img, (struct xen_lu_segment){
		.buf = ptr(img->mod2), .buf_size = MOD_BYTES,
		.dest = self->base + 0x11000, .dest_size = PG,
		.kind = XEN_LU_SEG_MODULE, .index = 1,
	});
	img->seg[i].index = 0;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_COUNT, i);
	/* An index on the purgatory, the MBI, a low fill. */
	img_init(img, self->base);
	img->seg[S_PURG].index = 1;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_COUNT, S_PURG);
	img->seg[S_PURG].index = 0;
	img->seg[S_MBI].index = 2;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_COUNT, S_MBI);
	img->seg[S_MBI].index = 0;
	img->seg[S_LOW].index = 1;
	REFUSED(img, EINVAL, XEN_LU_RULE_SEG_COUNT, S_LOW);
}

/*
 * Test Case: buffers above 1 GiB in sum: E2BIG, IMAGE_TOO_BIG
 *
 * Refused from the table alone: the buffer is never read.
 */
TEST_F(lu_stage, rule_image_too_big)
{
	struct image *img = self->img;
	uint64_t big;

	RETURN_IF_SKIPPED();

	big = XEN_LU_MAX_IMAGE_BYTES - img->seg[S_XEN].buf_size -
	      img->seg[S_MOD].buf_size - img->seg[S_PURG].buf_size;

	img->seg[S_MBI].buf_size = big + 1;
	img->seg[S_MBI].dest_size = (big + PG) & ~(PG - 1);
	REFUSED(img, E2BIG, XEN_LU_RULE_IMAGE_TOO_BIG, S_MBI);
	/* Exactly 1 GiB passes: the next table rule answers. */
	img->seg[S_MBI].buf_size = big;
	img->entry += PG;
	REFUSED(img, EINVAL, XEN_LU_RULE_ENTRY, S_PURG);
	/* The sum is checked as it goes: the segment that crosses. */
	img_init(img, self->base);
	img->seg[S_MOD].buf_size = XEN_LU_MAX_IMAGE_BYTES;
	img->seg[S_MOD].dest_size = XEN_LU_MAX_IMAGE_BYTES;
	img_move(img, S_MOD, 8 * GIB4);
	REFUSED(img, E2BIG, XEN_LU_RULE_IMAGE_TOO_BIG, S_DEFAULT - 1);
}

/*
 * Test Case: entry is not the purgatory's destination: ENTRY
 */
TEST_F(lu_stage, rule_entry)
{
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	img->entry += PG;
	REFUSED(img, EINVAL, XEN_LU_RULE_ENTRY, S_PURG);
	img->entry = img->seg[S_XEN].dest;
	REFUSED(img, EINVAL, XEN_LU_RULE_ENTRY, S_PURG);
	img->entry = img->seg[S_PURG].dest + 1;
	REFUSED(img, EINVAL, XEN_LU_RULE_ENTRY, S_PURG);
}

/*
 * Test Case: a low fill reaching 1 MiB or beyond: PLACE_LOW_FILL
 */
TEST_F(lu_stage, rule_place_low_fill)
{
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	img->seg[S_LOW].dest_size = MIB + PG;
	REFUSED(img, EINVAL, XEN_LU_RULE_PLACE_LOW_FILL, S_LOW);
	img->seg[S_LOW].dest = MIB;
	img->seg[S_LOW].dest_size = PG;
	REFUSED(img, EINVAL, XEN_LU_RULE_PLACE_LOW_FILL, S_LOW);
	/* A second low fill above xen#2. */
	img_init(img, self->base);
	img_add(img, (struct xen_lu_segment){
		.dest = self->base + 0x30000, .dest_size = PG,
		.kind = XEN_LU_SEG_LOW_FILL,
	});
	REFUSED(img, EINVAL, XEN_LU_RULE_PLACE_LOW_FILL, S_DEFAULT);
}

/*
 * Test Case: cold segments outside RAM: PLACE_RAM
 *
 * The MBI in a hole of the map below 4 GiB, straddling the end of a RAM
 * entry, and a Xen segment past the highest RAM.
 */
TEST_F(lu_stage, rule_place_ram)
{
	struct image *img = self->img;
	int i;

	RETURN_IF_SKIPPED();

	if (self->hole) {
		i = img_move(img, S_MBI, self->hole);
		img_seal(img);
		REFUSED(img, EINVAL, XEN_LU_RULE_PLACE_RAM, i);
		img_init(img, self->base);
		i = img_move(img, S_MBI, self->hole - PG);
		img->seg[i].dest_size = 2 * PG;
		img_seal(img);
		REFUSED(img, EINVAL, XEN_LU_RULE_PLACE_RAM, i);
	} else {
		TH_LOG("no hole below 4 GiB past %#llx: hole case not run",
		       (unsigned long long)self->base);
	}

	/* Xen segments are not bound to 4 GiB, only to RAM. */
	img_init(img, self->base);
	i = img_add(img, (struct xen_lu_segment){
		.buf = ptr(img->xen2), .buf_size = PG,
		.dest = self->ram_end, .dest_size = PG,
		.kind = XEN_LU_SEG_XEN, .index = 1,
	});
	REFUSED(img, EINVAL, XEN_LU_RULE_PLACE_RAM, i);
	img->seg[i].dest = self->ram_end - PG;
	img->seg[i].dest_size = 2 * PG;
	REFUSED(img, EINVAL, XEN_LU_RULE_PLACE_RAM, i);
}

/*
 * Test Case: purgatory, MBI or module above 4 GiB: PLACE_4G
 *
 * Checked before RAM, so the answer is PLACE_4G whether or not RAM is
 * there.
 */
TEST_F(lu_stage, rule_place_4g)
{
	struct image *img = self->img;
	int i;

	RETURN_IF_SKIPPED();

	i = img_move(img, S_MBI, GIB4);
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_PLACE_4G, i);
	/* Ending one page past 4 GiB. */
	img_init(img, self->base);
	i = img_move(img, S_MBI, GIB4 - PG);
	img->seg[i].dest_size = 2 * PG;
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_PLACE_4G, i);
	img_init(img, self->base);
	i = img_move(img, S_PURG, GIB4 + 0x10000);
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_PLACE_4G, i);
	img_init(img, self->base);
	i = img_move(img, S_MOD, 3 * GIB4);
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_PLACE_4G, i);
}

/*
 * Test Case: xen_entry at or above 4 GiB: PLACE_4G, no segment
 */
TEST_F(lu_stage, rule_place_4g_xen_entry)
{
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	img->xen_entry = GIB4 + img->seg[S_XEN].dest;
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_PLACE_4G, NO_SEG);
	img->xen_entry = GIB4;
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_PLACE_4G, NO_SEG);
}

/*
 * Test Case: xen_entry outside every Xen segment's data: XEN_ENTRY
 */
TEST_F(lu_stage, rule_xen_entry)
{
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	img->xen_entry = img->seg[S_XEN].dest + XEN_BYTES;
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_XEN_ENTRY, NO_SEG);
	img->xen_entry = img->seg[S_XEN].dest - 1;
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_XEN_ENTRY, NO_SEG);
	img->xen_entry = img->seg[S_MOD].dest;
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_XEN_ENTRY, NO_SEG);
	/* Inside dest_size but past buf_size: zeros, not data. */
	img_init(img, self->base);
	img->seg[S_XEN].dest_size = XEN_BYTES + PG;
	img->xen_entry = img->seg[S_XEN].dest + XEN_BYTES + 16;
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_XEN_ENTRY, NO_SEG);
}

/*
 * Test Case: a purgatory other than the UAPI's: PURGATORY
 *
 * One byte changed, a non-zero tail, too short, built for another MBI or
 * another xen_entry.
 */
TEST_F(lu_stage, rule_purgatory)
{
	struct image *img = self->img;
	unsigned int i;

	RETURN_IF_SKIPPED();

	for (i = 0; i < XEN_LU_PURGATORY_SIZE; i += 6) {
		img_init(img, self->base);
		img->purgatory[i] ^= 0x01;
		REFUSED(img, EINVAL, XEN_LU_RULE_PURGATORY, S_PURG);
	}
	img_init(img, self->base);
	img->seg[S_PURG].buf_size = 64;
	img->purgatory[40] = 0x90;
	REFUSED(img, EINVAL, XEN_LU_RULE_PURGATORY, S_PURG);
	img->purgatory[40] = 0;
	img->purgatory[63] = 0xcc;
	REFUSED(img, EINVAL, XEN_LU_RULE_PURGATORY, S_PURG);
	img->purgatory[63] = 0;
	img->seg[S_PURG].buf_size = XEN_LU_PURGATORY_SIZE - 1;
	REFUSED(img, EINVAL, XEN_LU_RULE_PURGATORY, S_PURG);

	img_init(img, self->base);
	purgatory_code(img->purgatory, img->seg[S_MBI].dest + PG,
		       img->xen_entry);
	REFUSED(img, EINVAL, XEN_LU_RULE_PURGATORY, S_PURG);
	purgatory_code(img->purgatory, img->seg[S_MBI].dest,
		       img->xen_entry + 4);
	REFUSED(img, EINVAL, XEN_LU_RULE_PURGATORY, S_PURG);
	/* The MBI and the entry swapped. */
	purgatory_code(img->purgatory, img->xen_entry,
		       img->seg[S_MBI].dest);
	REFUSED(img, EINVAL, XEN_LU_RULE_PURGATORY, S_PURG);
}

/* Start a hand-made MBI for the default image. */
static void mbi_manual(struct image *img)
{
	img->manual_mbi = true;
	mbi_begin(img);
}

/*
 * Test Case: a malformed MBI: MBI
 *
 * Sizes, tag bounds, the end tag, short module tags.
 */
TEST_F(lu_stage, rule_mbi)
{
	struct image *img = self->img;
	uint8_t *t;

	RETURN_IF_SKIPPED();

	/* total_size past the buffer. */
	put32(img->mbi, img->seg[S_MBI].buf_size + 8);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI, S_MBI);
	/* total_size below header plus end tag. */
	put32(img->mbi, 8);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI, S_MBI);
	/* A buffer too small for any MBI. */
	img_init(img, self->base);
	img->seg[S_MBI].buf_size = 15;
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI, S_MBI);

	/* A tag running past total_size. */
	img_init(img, self->base);
	mbi_manual(img);
	t = mbi_cmdline(img, img->cmdline);
	mbi_modules(img);
	mbi_end(img);
	put32(t + 4, img->mbi_off);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI, S_MBI);
	/* A tag smaller than its header. */
	put32(t + 4, 4);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI, S_MBI);

	/* No end tag: the last tag is an unknown one. */
	img_init(img, self->base);
	mbi_manual(img);
	mbi_cmdline(img, img->cmdline);
	mbi_modules(img);
	mbi_end(img);
	put32(img->mbi + img->mbi_off - 8, 0x7777);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI, S_MBI);
	/* No end tag: total_size ends right after the modules. */
	put32(img->mbi, img->mbi_off - 8);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI, S_MBI);
	/* The end tag with a payload. */
	put32(img->mbi + img->mbi_off - 8, XEN_LU_MB2_TAG_END);
	put32(img->mbi + img->mbi_off - 4, 16);
	put32(img->mbi, img->mbi_off + 8);
	img->seg[S_MBI].buf_size = img->mbi_off + 8;
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI, S_MBI);
	/* Bytes after the end tag, inside total_size. */
	put32(img->mbi + img->mbi_off - 4, 8);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI, S_MBI);

	/* A module tag without room for its string's NUL. */
	img_init(img, self->base);
	mbi_manual(img);
	mbi_cmdline(img, img->cmdline);
	mbi_tag(img, XEN_LU_MB2_TAG_MODULE, "\0\0\0\0\0\0\0\0", 8);
	mbi_end(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI, S_MBI);
	/* A module tag whose string is not NUL-terminated. */
	img_init(img, self->base);
	mbi_manual(img);
	mbi_cmdline(img, img->cmdline);
	t = mbi_module(img, img->seg[S_MOD].dest,
		       img->seg[S_MOD].dest + MOD_BYTES, "vmlinuz");
	t[8 + 8 + 7] = 'x';
	mbi_end(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI, S_MBI);
}

/*
 * Test Case: module tags that do not match the module segments:
 * MBI_MODULES
 */
TEST_F(lu_stage, rule_mbi_modules)
{
	struct image *img = self->img;
	uint64_t d;

	RETURN_IF_SKIPPED();

	d = img->seg[S_MOD].dest;

	img->manual_mbi = true;
	/* Wrong start, wrong end (dest_size instead of buf_size). */
	mbi_begin(img);
	mbi_cmdline(img, img->cmdline);
	mbi_module(img, d + PG, d + PG + MOD_BYTES, "vmlinuz");
	mbi_end(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI_MODULES, S_MBI);
	mbi_begin(img);
	mbi_cmdline(img, img->cmdline);
	mbi_module(img, d, d + PG, "vmlinuz");
	mbi_end(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI_MODULES, S_MBI);
	/* A module segment without a tag. */
	mbi_begin(img);
	mbi_cmdline(img, img->cmdline);
	mbi_end(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI_MODULES, S_MBI);
	/* A tag without a module segment. */
	mbi_begin(img);
	mbi_cmdline(img, img->cmdline);
	mbi_module(img, d, d + MOD_BYTES, "vmlinuz");
	mbi_module(img, d, d + MOD_BYTES, "again");
	mbi_end(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI_MODULES, S_MBI);
	/* Tags in the wrong module order. */
	img_init(img, self->base);
	img_add(img, (struct xen_lu_segment){
		.buf = ptr(img->mod2), .buf_size = MOD_BYTES - 8,
		.dest = self->base + 0x11000, .dest_size = PG,
		.kind = XEN_LU_SEG_MODULE, .index = 1,
	});
	img->manual_mbi = true;
	mbi_begin(img);
	mbi_cmdline(img, img->cmdline);
	mbi_module(img, d + 0x1000, d + 0x1000 + MOD_BYTES - 8, "initrd");
	mbi_module(img, d, d + MOD_BYTES, "vmlinuz");
	mbi_end(img);
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI_MODULES,
		img_find(img, XEN_LU_SEG_MBI, 0));
}

/*
 * Test Case: a load-base tag that is not xen#2's address: MBI_LOAD_BASE
 */
TEST_F(lu_stage, rule_mbi_load_base)
{
	struct image *img = self->img;
	uint8_t payload[8] = { 0 };

	RETURN_IF_SKIPPED();

	img->manual_mbi = true;
	mbi_begin(img);
	mbi_cmdline(img, img->cmdline);
	mbi_modules(img);
	mbi_load_base(img, img->seg[S_XEN].dest + PG);
	mbi_end(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI_LOAD_BASE, S_MBI);
	mbi_begin(img);
	mbi_cmdline(img, img->cmdline);
	mbi_modules(img);
	put32(payload, img->seg[S_XEN].dest);
	mbi_tag(img, XEN_LU_MB2_TAG_LOAD_BASE_ADDR, payload, sizeof(payload));
	mbi_end(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_MBI_LOAD_BASE, S_MBI);
}

/*
 * Test Case: not exactly one NUL-terminated command line of at most 1023
 * bytes: CMDLINE
 */
TEST_F(lu_stage, rule_cmdline)
{
	struct image *img = self->img;
	uint8_t *t;

	RETURN_IF_SKIPPED();

	img->manual_mbi = true;
	mbi_begin(img);
	mbi_cmdline(img, img->cmdline);
	mbi_modules(img);
	mbi_cmdline(img, "/boot/xen.gz second");
	mbi_end(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_CMDLINE, S_MBI);
	mbi_begin(img);
	mbi_modules(img);
	mbi_end(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_CMDLINE, S_MBI);
	/* The tag's size ends before the NUL. */
	mbi_begin(img);
	t = mbi_cmdline(img, img->cmdline);
	put32(t + 4, 8 + strlen(img->cmdline));
	mbi_modules(img);
	mbi_end(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_CMDLINE, S_MBI);
	/* 1024 bytes before the NUL. */
	img->manual_mbi = false;
	img->seg[S_MBI].dest_size = MBI_ROOM;
	memset(img->cmdline, 'x', XEN_LU_CMDLINE_MAX);
	img->cmdline[XEN_LU_CMDLINE_MAX] = '\0';
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_CMDLINE, S_MBI);
}

/*
 * Test Case: a cold command line that sets or clears the live-update
 * range, starts dom0's part, or has unbalanced quotes: CMDLINE_CONFLICT.
 * Words are Xen's (xen/common/kernel.c parse_params): split at spaces, the
 * key before the first '=' or the whole word, "no-" a negation; quotes do
 * not hide a key.
 */
TEST_F(lu_stage, rule_cmdline_conflict)
{
	static const char *const bad[] = {
		DEFAULT_CMDLINE " liveupdate=4M@0x1000000",
		"liveupdate=4M@0x1000000 " DEFAULT_CMDLINE,
		DEFAULT_CMDLINE " liveupdate=",
		DEFAULT_CMDLINE " no-liveupdate",
		DEFAULT_CMDLINE "  no-liveupdate  ",
		DEFAULT_CMDLINE " -- dom0=pvh",
		DEFAULT_CMDLINE " --",
		DEFAULT_CMDLINE " x=\"a b",
		"\"" DEFAULT_CMDLINE " \"x\"",
		/* Xen's key is the whole word when it has no '='. */
		DEFAULT_CMDLINE " liveupdate",
		DEFAULT_CMDLINE " no-liveupdate=1",
		/* Quotes hide nothing: dropped before the key is compared. */
		DEFAULT_CMDLINE " \"liveupdate=4M@0x1000000\"",
		DEFAULT_CMDLINE " \"liveupdate\"=4M@0x1000000",
		DEFAULT_CMDLINE " live\"\"update=4M@0x1000000",
		DEFAULT_CMDLINE " \"no-liveupdate\"",
	};
	struct image *img = self->img;
	unsigned int i;

	RETURN_IF_SKIPPED();

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		strcpy(img->cmdline, bad[i]);
		img_seal(img);
		REFUSED(img, EINVAL, XEN_LU_RULE_CMDLINE_CONFLICT, S_MBI);
	}
}

/*
 * Test Case: a live-update line whose range is not a word Xen reads:
 * CMDLINE_RANGE
 *
 * Xen drops the first word (the image name) for every boot loader but
 * GRUB 2, so the range alone, or after spaces only, never reaches it.  A
 * range smuggled in quotes is Xen's second live-update word: CONFLICT.
 * Only with a live-update hypervisor (the test suite's simulator); skipped
 * on stock Xen, whose live-update stage stops at EOPNOTSUPP.
 */
TEST_F(lu_stage, rule_cmdline_range_lu)
{
	struct image *img = self->img;
	struct xen_lu_info info;
	char word[64];

	RETURN_IF_SKIPPED();

	ASSERT_EQ(0, get_info(self->fd, &info));
	if (!(info.out_flags & XEN_LU_INFO_LIVE_UPDATE))
		SKIP(return, "no live-update hypervisor");
	lu_range_word(word, sizeof(word), info.out_lu_start,
		      info.out_lu_size);

	img_init_lu(img, info.out_xen_start, info.out_lu_start,
		    info.out_lu_size);
	strcpy(img->cmdline, word + 1);
	img_seal(img);
	refused_once(_metadata, self->fd, img, EINVAL,
		     XEN_LU_RULE_CMDLINE_RANGE, img_find(img, XEN_LU_SEG_MBI, 0),
		     "range as the first word", __LINE__);
	strcpy(img->cmdline, "  ");
	strcat(img->cmdline, word);
	img_seal(img);
	refused_once(_metadata, self->fd, img, EINVAL,
		     XEN_LU_RULE_CMDLINE_RANGE, img_find(img, XEN_LU_SEG_MBI, 0),
		     "spaces, then the range", __LINE__);
	strcpy(img->cmdline, DEFAULT_CMDLINE " \"liveupdate=1M@0x1000\"");
	strcat(img->cmdline, word);
	img_seal(img);
	refused_once(_metadata, self->fd, img, EINVAL,
		     XEN_LU_RULE_CMDLINE_CONFLICT,
		     img_find(img, XEN_LU_SEG_MBI, 0), "quoted second range",
		     __LINE__);
	strcpy(img->cmdline, DEFAULT_CMDLINE);
	strcat(img->cmdline, word);
	img_seal(img);
	EXPECT_EQ(0, stage(self->fd, img))
		TH_LOG("valid live-update line refused: %s, rule %s",
		       strerror(errno), rule_name(img->arg.out_rule));
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_IMAGE_LIVE_UPDATE, info.out_staged_type);
	EXPECT_STREQ(img->cmdline, info.out_staged_cmdline);
	EXPECT_EQ(0, unstage(self->fd, 0));
}

/*
 * Test Case: signature and image arguments that do not go together, or
 * are too large: FLAGS
 */
TEST_F(lu_stage, rule_signature_args)
{
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	img_elf(img);
	/* No signature, but an image, an image length, a signature pointer. */
	img->signature_len = 0;
	REFUSED(img, EINVAL, XEN_LU_RULE_FLAGS, NO_SEG);
	img->image = 0;
	REFUSED(img, EINVAL, XEN_LU_RULE_FLAGS, NO_SEG);
	img->image_len = 0;
	img->signature = ptr(untrusted_sig);
	REFUSED(img, EINVAL, XEN_LU_RULE_FLAGS, NO_SEG);
	/* A signature without image pointer, without image length. */
	img->signature_len = sizeof(untrusted_sig);
	img_elf(img);
	img->image = 0;
	REFUSED(img, EINVAL, XEN_LU_RULE_FLAGS, NO_SEG);
	img_elf(img);
	img->image_len = 0;
	REFUSED(img, EINVAL, XEN_LU_RULE_FLAGS, NO_SEG);
	/* A signature length without pointer. */
	img_elf(img);
	img->signature = 0;
	REFUSED(img, EINVAL, XEN_LU_RULE_FLAGS, NO_SEG);
	/* Above 64 KiB of signature, 64 MiB of image (never read). */
	img->signature = ptr(untrusted_sig);
	img->signature_len = 64 * 1024 + 1;
	REFUSED(img, EINVAL, XEN_LU_RULE_FLAGS, NO_SEG);
	img->signature_len = sizeof(untrusted_sig);
	img->image_len = 64 * MIB + 1;
	REFUSED(img, EINVAL, XEN_LU_RULE_FLAGS, NO_SEG);
}

/*
 * Test Case: a signed image that is not ELF, or whose PT_LOADs are not
 * the Xen segments: SIGNED_IMAGE
 */
TEST_F(lu_stage, rule_signed_image)
{
	const uint8_t *data[2];
	uint32_t size[2], paddr[2];
	struct image *img = self->img;
	int x1;

	RETURN_IF_SKIPPED();

	img->signature = ptr(untrusted_sig);
	img->signature_len = sizeof(untrusted_sig);

	/* Not ELF; big-endian; shorter than an ELF64 header. */
	img_elf(img);
	img->elf[1] = 'e';
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, NO_SEG);
	img_elf(img);
	img->elf[5] = 2;
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, NO_SEG);
	img_elf(img);
	img->elf[4] = 3;
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, NO_SEG);
	img_elf(img);
	img->image_len = 63;
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, NO_SEG);

	/* The Xen segment differs from the PT_LOAD by one byte. */
	img_elf(img);
	img->elf[ELF_DATA_OFF + 4321] ^= 0x40;
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, S_XEN);
	/* ... or in size. */
	img_elf(img);
	put32(img->elf + 52 + 32 + 16, XEN_BYTES - 1);
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, S_XEN);
	/* ... or there is no PT_LOAD at all. */
	img_elf(img);
	put32(img->elf + 52 + 32, 4);
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, S_XEN);
	/* ... or the PT_LOAD is larger in memory than the segment. */
	img_elf(img);
	put32(img->elf + 52 + 32 + 20, XEN_BYTES + PG);
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, S_XEN);
	/* ... or xen_entry is not e_entry plus the relocation. */
	img_elf(img);
	img->xen_entry += 0x1000;
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, NO_SEG);
	img->xen_entry -= 0x1000;
	img_seal(img);

	/* A malformed ELF: a PT_LOAD past the end of the file ... */
	img_elf(img);
	img->image_len -= 1;
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, NO_SEG);
	/* ... program headers past the end ... */
	img_elf(img);
	put32(img->elf + 28, img->image_len - 40);
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, NO_SEG);
	/* ... p_filesz above p_memsz. */
	img_elf(img);
	put32(img->elf + 52 + 32 + 20, XEN_BYTES - PG);
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, NO_SEG);

	/* A PT_LOAD loaded twice. */
	x1 = img_add(img, (struct xen_lu_segment){
		.buf = ptr(img->xen2), .buf_size = PG,
		.dest = self->base + 0x4000, .dest_size = PG,
		.kind = XEN_LU_SEG_XEN, .index = 0,
	});
	img_elf(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, x1);

	/* Xen segment 1 against an image with one PT_LOAD. */
	img_init(img, self->base);
	img->signature = ptr(untrusted_sig);
	img->signature_len = sizeof(untrusted_sig);
	x1 = img_add(img, (struct xen_lu_segment){
		.buf = ptr(img->xen2), .buf_size = PG,
		.dest = self->base + 0x4000, .dest_size = PG,
		.kind = XEN_LU_SEG_XEN, .index = 1,
	});
	img_elf(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, x1);
	/* Two PT_LOADs, the second with another relocation delta. */
	data[0] = img->xen;
	data[1] = img->xen2;
	size[0] = XEN_BYTES;
	size[1] = PG;
	paddr[0] = ELF_PADDR;
	paddr[1] = ELF_PADDR + 0x4000 + PG;
	img->image_len = elf_build(img->elf, 2, data, size, paddr);
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, x1);
	/* Matching loads get past this rule, to the signature (below). */
	paddr[1] = ELF_PADDR + 0x4000;
	img->image_len = elf_build(img->elf, 2, data, size, paddr);
	img->signature = ptr(img->mod);
	img->signature_len = 512;
	REFUSED(img, EBADMSG, XEN_LU_RULE_NONE, NO_SEG);
	/* Only part of the image: PT_LOAD 1 has no segment. */
	img->seg[x1].kind = XEN_LU_SEG_MODULE;
	img->seg[x1].index = 1;
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, NO_SEG);

	/*
	 * A PT_LOAD without file bytes (bss only) still needs its segment:
	 * none at all is refused, an empty one gets past this rule, one
	 * with data is refused.
	 */
	img_init(img, self->base);
	img->signature = ptr(img->mod);
	img->signature_len = 512;
	size[1] = 0;
	img->image_len = elf_build(img->elf, 2, data, size, paddr);
	img->image = ptr(img->elf);
	put32(img->elf + 52 + 64 + 20, PG);	/* p_memsz */
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, NO_SEG);
	x1 = img_add(img, (struct xen_lu_segment){
		.dest = self->base + 0x4000, .dest_size = PG,
		.kind = XEN_LU_SEG_XEN, .index = 1,
	});
	REFUSED(img, EBADMSG, XEN_LU_RULE_NONE, NO_SEG);
	img->seg[x1].buf = ptr(img->xen2);
	img->seg[x1].buf_size = PG;
	img_seal(img);
	REFUSED(img, EINVAL, XEN_LU_RULE_SIGNED_IMAGE, x1);
}

/*
 * Test Case: random bytes as signature of a matching image: EBADMSG
 *
 * What verify_pkcs7_signature() answers for something that is not
 * PKCS#7 at all; no rule, no segment.
 */
TEST_F(lu_stage, signature_garbage)
{
	struct image *img = self->img;
	uint8_t junk[600];
	unsigned int i;

	RETURN_IF_SKIPPED();

	srandom(getpid());
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = random();
	junk[0] = 0x17;		/* never an ASN.1 SEQUENCE */
	img_elf(img);
	img->signature = ptr(junk);
	img->signature_len = sizeof(junk);
	REFUSED(img, EBADMSG, XEN_LU_RULE_NONE, NO_SEG);
	/* A real signature, truncated. */
	img->signature = ptr(untrusted_sig);
	img->signature_len = sizeof(untrusted_sig) / 2;
	REFUSED(img, EBADMSG, XEN_LU_RULE_NONE, NO_SEG);
}

/*
 * Test Case: a valid PKCS#7 of the image by a key no keyring trusts:
 * ENOKEY
 */
TEST_F(lu_stage, signature_untrusted_key)
{
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	img_elf(img);
	img->signature = ptr(untrusted_sig);
	img->signature_len = sizeof(untrusted_sig);
	REFUSED(img, ENOKEY, XEN_LU_RULE_NONE, NO_SEG);
}

/*
 * Test Case: a PKCS#7 of another image (a header byte outside the
 * PT_LOAD differs): EKEYREJECTED
 */
TEST_F(lu_stage, signature_other_image)
{
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	img_elf(img);
	img->elf[36] ^= 1;	/* e_flags */
	img->signature = ptr(untrusted_sig);
	img->signature_len = sizeof(untrusted_sig);
	REFUSED(img, EKEYREJECTED, XEN_LU_RULE_NONE, NO_SEG);
}

/*
 * Test Case: unreadable signature or image: EFAULT, nothing staged
 */
TEST_F(lu_stage, signature_efault)
{
	char *bad = unreadable_page();
	struct image *img = self->img;

	RETURN_IF_SKIPPED();

	ASSERT_NE(NULL, bad);
	img_elf(img);
	img->signature = ptr(bad);
	img->signature_len = sizeof(untrusted_sig);
	REFUSED(img, EFAULT, XEN_LU_RULE_NONE, NO_SEG);
	img->signature = ptr(untrusted_sig);
	img->image = ptr(bad);
	REFUSED(img, EFAULT, XEN_LU_RULE_NONE, NO_SEG);
}

/*
 * Lockdown: a separate fixture, since under lockdown no cold image can be
 * staged and lu_stage skips as a whole.
 */
FIXTURE(lu_lockdown) {
	int fd;
};

FIXTURE_SETUP(lu_lockdown)
{
	LU_OPEN(self->fd, O_RDWR, return);
}

FIXTURE_TEARDOWN(lu_lockdown)
{
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * Test Case: locked down: a cold image is refused with EPERM, LOCKDOWN,
 * signed or not
 */
TEST_F(lu_lockdown, cold_eperm)
{
	struct xen_lu_mem_entry map[XEN_LU_MAX_MEMORY_MAP];
	struct xen_lu_info info;
	struct image *img;
	unsigned int nr, i;
	uint64_t base = 0;

	RETURN_IF_SKIPPED();

	ASSERT_EQ(0, get_info(self->fd, &info));
	if (!(info.out_flags & XEN_LU_INFO_LOCKDOWN))
		SKIP(return, "kernel not locked down against kexec");
	ASSERT_EQ(0, get_map(self->fd, map, XEN_LU_MAX_MEMORY_MAP, &nr));
	for (i = 0; i < nr && !base; i++)
		if (map[i].type == XEN_LU_MEM_RAM &&
		    map[i].addr + map[i].size > 17 * MIB &&
		    map[i].addr <= 16 * MIB)
			base = 16 * MIB;
	if (!base)
		SKIP(return, "no RAM at 16 MiB");
	img = calloc(1, sizeof(*img));
	ASSERT_NE(NULL, img);
	img_init(img, base);
	EXPECT_ERRNO(EPERM, stage(self->fd, img));
	EXPECT_EQ(XEN_LU_RULE_LOCKDOWN, img->arg.out_rule);
	EXPECT_EQ(NO_SEG, img->arg.out_segment);
	img_elf(img);
	img->signature = ptr(untrusted_sig);
	img->signature_len = sizeof(untrusted_sig);
	EXPECT_ERRNO(EPERM, stage(self->fd, img));
	EXPECT_EQ(XEN_LU_RULE_LOCKDOWN, img->arg.out_rule);
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(XEN_LU_STATE_IDLE, info.out_state);
	free(img);
}

TEST_HARNESS_MAIN
