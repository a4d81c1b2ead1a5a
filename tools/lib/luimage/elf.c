// SPDX-License-Identifier: GPL-2.0-only
/*
 * ELF header and PT_LOAD program headers of a Xen image (ELF32 or ELF64,
 * little endian, ET_EXEC, x86).  Checked outside in: identification, header
 * fields, the program header table, then each PT_LOAD against the file.
 */
#include <elf.h>
#include <string.h>

#include "luimage.h"
#include "util.h"

struct elf_fields {
	uint16_t type, machine, phentsize, phnum;
	uint64_t entry, phoff;
	size_t ehsize, want_phentsize;
};

static int elf_header(const uint8_t *p, size_t len, struct lui_elf *elf,
		      struct elf_fields *f, struct lui_error *e)
{
	if (len < EI_NIDENT || memcmp(p, ELFMAG, SELFMAG))
		return lui_fail(e, LUI_E_NOT_ELF, "no ELF magic");
	if (p[EI_DATA] != ELFDATA2LSB || p[EI_VERSION] != EV_CURRENT)
		return lui_fail(e, LUI_E_ELF_BAD,
				"ELF data encoding %u version %u: want little endian, current",
				p[EI_DATA], p[EI_VERSION]);
	if (p[EI_CLASS] == ELFCLASS32) {
		elf->elf_class = 32;
		f->ehsize = sizeof(Elf32_Ehdr);
		f->want_phentsize = sizeof(Elf32_Phdr);
	} else if (p[EI_CLASS] == ELFCLASS64) {
		elf->elf_class = 64;
		f->ehsize = sizeof(Elf64_Ehdr);
		f->want_phentsize = sizeof(Elf64_Phdr);
	} else {
		return lui_fail(e, LUI_E_ELF_BAD, "ELF class %u", p[EI_CLASS]);
	}
	if (len < f->ehsize)
		return lui_fail(e, LUI_E_ELF_BAD, "ELF header truncated at %zu bytes",
				len);
	f->type = lui_get16(p + 16);
	f->machine = lui_get16(p + 18);
	if (elf->elf_class == 32) {
		f->entry = lui_get32(p + 24);
		f->phoff = lui_get32(p + 28);
		f->phentsize = lui_get16(p + 42);
		f->phnum = lui_get16(p + 44);
	} else {
		f->entry = lui_get64(p + 24);
		f->phoff = lui_get64(p + 32);
		f->phentsize = lui_get16(p + 54);
		f->phnum = lui_get16(p + 56);
	}
	if (f->type != ET_EXEC)
		return lui_fail(e, LUI_E_ELF_BAD, "ELF type %u is not ET_EXEC",
				f->type);
	if (f->machine != EM_386 && f->machine != EM_X86_64)
		return lui_fail(e, LUI_E_ELF_BAD, "ELF machine %u is not x86",
				f->machine);
	return 0;
}

static void elf_phdr(const uint8_t *ph, unsigned int cls, uint32_t *type,
		     struct lui_load *ld)
{
	*type = lui_get32(ph);
	if (cls == 32) {
		ld->offset = lui_get32(ph + 4);
		ld->paddr = lui_get32(ph + 12);
		ld->filesz = lui_get32(ph + 16);
		ld->memsz = lui_get32(ph + 20);
		ld->align = lui_get32(ph + 28);
	} else {
		ld->offset = lui_get64(ph + 8);
		ld->paddr = lui_get64(ph + 24);
		ld->filesz = lui_get64(ph + 32);
		ld->memsz = lui_get64(ph + 40);
		ld->align = lui_get64(ph + 48);
	}
}

static int elf_check_load(const struct lui_load *ld, unsigned int i,
			  size_t len, struct lui_error *e)
{
	uint64_t end;

	if (ld->filesz > ld->memsz)
		return lui_fail(e, LUI_E_ELF_BAD,
				"PT_LOAD %u: filesz %#llx > memsz %#llx", i,
				(unsigned long long)ld->filesz,
				(unsigned long long)ld->memsz);
	if (__builtin_add_overflow(ld->offset, ld->filesz, &end) || end > len)
		return lui_fail(e, LUI_E_ELF_BAD,
				"PT_LOAD %u: file bytes [%#llx, +%#llx) beyond the %zu-byte image",
				i, (unsigned long long)ld->offset,
				(unsigned long long)ld->filesz, len);
	if (ld->memsz > LUI_MAX_SPAN ||
	    __builtin_add_overflow(ld->paddr, ld->memsz, &end))
		return lui_fail(e, LUI_E_ELF_BAD,
				"PT_LOAD %u: [%#llx, +%#llx) too large or wraps", i,
				(unsigned long long)ld->paddr,
				(unsigned long long)ld->memsz);
	if (ld->align > 1 && !lui_is_pow2(ld->align))
		return lui_fail(e, LUI_E_ELF_BAD,
				"PT_LOAD %u: p_align %#llx not a power of two", i,
				(unsigned long long)ld->align);
	return 0;
}

/* Insert sorted by paddr; refuse overlapping PT_LOADs. */
static int elf_add_load(struct lui_elf *elf, const struct lui_load *ld,
			struct lui_error *e)
{
	unsigned int i, n = elf->nr_loads;

	if (n == LUI_MAX_LOADS)
		return lui_fail(e, LUI_E_ELF_BAD, "more than %u PT_LOAD headers",
				LUI_MAX_LOADS);
	for (i = 0; i < n; i++)
		if (lui_overlaps(ld->paddr, ld->memsz, elf->load[i].paddr,
				 elf->load[i].memsz))
			return lui_fail(e, LUI_E_ELF_BAD,
					"PT_LOAD at %#llx overlaps PT_LOAD at %#llx",
					(unsigned long long)ld->paddr,
					(unsigned long long)elf->load[i].paddr);
	for (i = n; i > 0 && elf->load[i - 1].paddr > ld->paddr; i--)
		elf->load[i] = elf->load[i - 1];
	elf->load[i] = *ld;
	elf->nr_loads = n + 1;
	return 0;
}

int lui_elf_parse(const uint8_t *img, size_t len, struct lui_elf *elf,
		  struct lui_error *e)
{
	struct elf_fields f = { 0 };
	struct lui_load ld;
	uint64_t tab_len, tab_end;
	uint32_t type;
	unsigned int i;
	int ret;

	if (!img || !elf)
		return lui_fail(e, LUI_E_USAGE, "elf: bad arguments");
	memset(elf, 0, sizeof(*elf));
	ret = elf_header(img, len, elf, &f, e);
	if (ret)
		return ret;
	elf->machine = f.machine;
	elf->entry = f.entry;
	if (f.phentsize != f.want_phentsize)
		return lui_fail(e, LUI_E_ELF_BAD, "e_phentsize %u, want %zu",
				f.phentsize, f.want_phentsize);
	if (!f.phnum || f.phnum > LUI_MAX_PHDRS)
		return lui_fail(e, LUI_E_ELF_BAD, "e_phnum %u not in 1..%u",
				f.phnum, LUI_MAX_PHDRS);
	tab_len = (uint64_t)f.phnum * f.phentsize;
	if (__builtin_add_overflow(f.phoff, tab_len, &tab_end) || tab_end > len)
		return lui_fail(e, LUI_E_ELF_BAD,
				"program headers [%#llx, +%#llx) beyond the %zu-byte image",
				(unsigned long long)f.phoff,
				(unsigned long long)tab_len, len);
	elf->lo = UINT64_MAX;
	for (i = 0; i < f.phnum; i++) {
		elf_phdr(img + f.phoff + (uint64_t)i * f.phentsize,
			 elf->elf_class, &type, &ld);
		if (type != PT_LOAD || !ld.memsz)
			continue;
		ret = elf_check_load(&ld, i, len, e);
		if (!ret)
			ret = elf_add_load(elf, &ld, e);
		if (ret)
			return ret;
		if (ld.paddr < elf->lo)
			elf->lo = ld.paddr;
		if (ld.paddr + ld.memsz > elf->hi)
			elf->hi = ld.paddr + ld.memsz;
		if (ld.align > elf->max_align)
			elf->max_align = ld.align;
	}
	if (!elf->nr_loads)
		return lui_fail(e, LUI_E_ELF_BAD, "no PT_LOAD with memory");
	if (elf->hi - elf->lo > LUI_MAX_SPAN)
		return lui_fail(e, LUI_E_ELF_BAD,
				"PT_LOADs span %#llx bytes, more than %#llx",
				(unsigned long long)(elf->hi - elf->lo),
				(unsigned long long)LUI_MAX_SPAN);
	return 0;
}
