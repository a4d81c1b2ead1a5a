// SPDX-License-Identifier: GPL-2.0-only
/*
 * The purgatory: the 20 bytes Xen's kexec_reloc jumps to in 32-bit
 * protected mode.  Multiboot2 needs %eax and %ebx set, which Xen's 32-bit
 * kexec entry leaves undefined.  The kernel module rebuilds the same bytes
 * and refuses any other purgatory, so this is the whole of it.
 */
#include "luimage.h"
#include "util.h"


void lui_purgatory_build(uint8_t *code, uint32_t mbi, uint32_t xen_entry)
{
	code[0] = 0xfa;				/* cli */
	code[1] = 0xfc;				/* cld */
	code[2] = 0xb8;				/* mov $magic, %eax */
	lui_put32(code + 3, XEN_LU_MB2_BOOTLOADER_MAGIC);
	code[7] = 0xbb;				/* mov $mbi, %ebx */
	lui_put32(code + 8, mbi);
	code[12] = 0xb9;			/* mov $entry, %ecx */
	lui_put32(code + 13, xen_entry);
	code[17] = 0xff;			/* jmp *%ecx */
	code[18] = 0xe1;
	code[19] = 0xf4;			/* hlt: never reached */
}
