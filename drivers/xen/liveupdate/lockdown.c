// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel lockdown and image signatures (UAPI "Lockdown").
 *
 * kexec_load is forbidden under lockdown because the kernel cannot know what
 * it would run.  Staging xen#2 is the same act, so the module refuses it too,
 * unless user space passes xen#2's ELF image with a detached PKCS#7
 * signature that the kernel's keyrings accept, and the Xen segments are
 * exactly that image's PT_LOAD contents.  The purgatory is already known to
 * the kernel byte for byte (image-check.c), and the MBI is data.
 *
 * A signature given without lockdown is checked all the same: an operator
 * who signs expects the signature to mean something.
 */

#define pr_fmt(fmt) "xen:" KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/security.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/verification.h>

#include "image.h"

/* The ELF header fields and PT_LOADs the match needs, whatever the class. */
struct xen_lu_load {
	u64 offset;
	u64 filesz;
	u64 memsz;
	u64 paddr;
};

struct xen_lu_elf {
	u64 entry;
	unsigned int nr_loads;
	struct xen_lu_load load[XEN_LU_MAX_SEGMENTS];
};

static int xen_lu_cmp_paddr(const void *a, const void *b)
{
	const struct xen_lu_load *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

static bool xen_lu_elf_parse(const u8 *elf, size_t len, struct xen_lu_elf *out)
{
	const struct elf32_hdr *e32 = (const void *)elf;
	const struct elf64_hdr *e64 = (const void *)elf;
	unsigned int i, n = 0, phnum;
	size_t phsize;
	bool is64;
	u64 phoff;

	/* The header is read only once it is known to be there. */
	if (len < sizeof(*e64) || memcmp(elf, ELFMAG, SELFMAG) ||
	    (elf[EI_CLASS] != ELFCLASS32 && elf[EI_CLASS] != ELFCLASS64) ||
	    elf[EI_DATA] != ELFDATA2LSB)
		return false;
	is64 = elf[EI_CLASS] == ELFCLASS64;
	phoff = is64 ? e64->e_phoff : e32->e_phoff;
	phnum = is64 ? e64->e_phnum : e32->e_phnum;
	phsize = is64 ? sizeof(struct elf64_phdr) : sizeof(struct elf32_phdr);
	if (phoff > len || phnum > (len - phoff) / phsize)
		return false;
	out->entry = is64 ? e64->e_entry : e32->e_entry;
	for (i = 0; i < phnum; i++) {
		const u8 *ph = elf + phoff + (u64)i * phsize;
		const struct elf32_phdr *p32 = (const void *)ph;
		const struct elf64_phdr *p64 = (const void *)ph;

		if ((is64 ? p64->p_type : p32->p_type) != PT_LOAD ||
		    !(is64 ? p64->p_memsz : p32->p_memsz))
			continue;
		if (n == ARRAY_SIZE(out->load))
			return false;
		out->load[n].offset = is64 ? p64->p_offset : p32->p_offset;
		out->load[n].filesz = is64 ? p64->p_filesz : p32->p_filesz;
		out->load[n].memsz = is64 ? p64->p_memsz : p32->p_memsz;
		out->load[n].paddr = is64 ? p64->p_paddr : p32->p_paddr;
		if (out->load[n].offset > len ||
		    out->load[n].filesz > len - out->load[n].offset ||
		    out->load[n].filesz > out->load[n].memsz)
			return false;
		n++;
	}
	out->nr_loads = n;
	/* Numbered by p_paddr, as the segments' index (UAPI). */
	sort(out->load, n, sizeof(out->load[0]), xen_lu_cmp_paddr, NULL);
	return true;
}

/*
 * The UAPI "Lockdown" match: one Xen segment per PT_LOAD with memory,
 * holding exactly its file bytes, at least p_memsz long, one relocation for
 * all, and the entry the ELF's own.
 */
static int xen_lu_signed_image_matches(struct xen_lu_image *img,
				       const u8 *elf, size_t len)
{
	unsigned long seen = 0, want;
	struct xen_lu_elf e;
	bool have_delta = false;
	unsigned int i;
	u64 delta = 0;

	if (!xen_lu_elf_parse(elf, len, &e))
		return xen_lu_broke(img, XEN_LU_RULE_SIGNED_IMAGE,
				    XEN_LU_NO_SEGMENT, -EINVAL);
	want = GENMASK(e.nr_loads, 0) >> 1;

	for (i = 0; i < img->nr; i++) {
		const struct xen_lu_segment *s = &img->seg[i];
		unsigned int k = s->index;

		if (s->kind != XEN_LU_SEG_XEN)
			continue;
		if (k >= e.nr_loads || !(want & BIT(k)) || (seen & BIT(k)) ||
		    e.load[k].filesz != s->buf_size ||
		    e.load[k].memsz > s->dest_size ||
		    (have_delta && s->dest - e.load[k].paddr != delta) ||
		    memcmp(img->buf[i], elf + e.load[k].offset, s->buf_size))
			return xen_lu_broke(img, XEN_LU_RULE_SIGNED_IMAGE, i,
					    -EINVAL);
		seen |= BIT(k);
		delta = s->dest - e.load[k].paddr;
		have_delta = true;
	}
	if (seen != want || img->xen_entry != e.entry + delta)
		return xen_lu_broke(img, XEN_LU_RULE_SIGNED_IMAGE,
				    XEN_LU_NO_SEGMENT, -EINVAL);
	return 0;
}

static int xen_lu_verify(const void *elf, size_t len, const void *sig,
			 size_t sig_len)
{
	int rc;

	rc = verify_pkcs7_signature(elf, len, sig, sig_len,
				    VERIFY_USE_SECONDARY_KEYRING,
				    VERIFYING_UNSPECIFIED_SIGNATURE, NULL, NULL);
	if (rc == -ENOKEY && IS_ENABLED(CONFIG_INTEGRITY_PLATFORM_KEYRING))
		rc = verify_pkcs7_signature(elf, len, sig, sig_len,
					    VERIFY_USE_PLATFORM_KEYRING,
					    VERIFYING_UNSPECIFIED_SIGNATURE,
					    NULL, NULL);
	return rc;
}

/**
 * xen_lu_lockdown_gate() - may this image be staged at all under lockdown
 * @img: the image, its table checked
 * @arg: the STAGE arguments
 *
 * Runs before any buffer is copied, so a refusal costs nothing.
 *
 * Return: 0; -EPERM (%XEN_LU_RULE_LOCKDOWN); or -EINVAL (%XEN_LU_RULE_FLAGS)
 * for signature arguments that do not go together.
 */
int xen_lu_lockdown_gate(struct xen_lu_image *img,
			 const struct xen_lu_stage *arg)
{
	bool signed_image = arg->signature_len;

	if (security_locked_down(LOCKDOWN_KEXEC) &&
	    (img->type == XEN_LU_IMAGE_COLD || !signed_image))
		return xen_lu_broke(img, XEN_LU_RULE_LOCKDOWN,
				    XEN_LU_NO_SEGMENT, -EPERM);
	if (signed_image ?
	    !arg->signature || !arg->image || !arg->image_len ||
	    arg->signature_len > XEN_LU_MAX_SIGNATURE ||
	    arg->image_len > XEN_LU_MAX_SIGNED_IMAGE :
	    arg->signature || arg->image || arg->image_len)
		return xen_lu_broke(img, XEN_LU_RULE_FLAGS, XEN_LU_NO_SEGMENT,
				    -EINVAL);
	return 0;
}

/**
 * xen_lu_signature_check() - check a signature given with the image
 * @img: an image with its buffers copied in, past xen_lu_lockdown_gate()
 * @arg: the STAGE arguments (signature and image pointers)
 *
 * Return: 0 (also when no signature was given); -EINVAL with
 * %XEN_LU_RULE_SIGNED_IMAGE; -EFAULT, -ENOMEM; or verify_pkcs7_signature()'s
 * error (-EKEYREJECTED, -EBADMSG, -ENOKEY, -ENOPKG).
 */
int xen_lu_signature_check(struct xen_lu_image *img,
			   const struct xen_lu_stage *arg)
{
	void *sig = NULL, *elf = NULL;
	int rc;

	if (!arg->signature_len)
		return 0;

	sig = xen_lu_copy_in(arg->signature, arg->signature_len);
	if (IS_ERR(sig)) {
		rc = PTR_ERR(sig);
		sig = NULL;
		goto out;
	}
	elf = xen_lu_copy_in(arg->image, arg->image_len);
	if (IS_ERR(elf)) {
		rc = PTR_ERR(elf);
		elf = NULL;
		goto out;
	}

	rc = xen_lu_signed_image_matches(img, elf, arg->image_len);
	if (!rc)
		rc = xen_lu_verify(elf, arg->image_len, sig,
				   arg->signature_len);
	if (rc && rc != -EINVAL)
		pr_notice("xen#2 signature refused: %pe\n", ERR_PTR(rc));
out:
	kvfree(elf);
	kvfree(sig);
	return rc;
}
