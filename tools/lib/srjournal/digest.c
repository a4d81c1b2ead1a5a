// SPDX-License-Identifier: GPL-2.0-only
/*
 * SHA-256 of buffers and files (OpenSSL's libcrypto), as lower-case hex.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "srjournal.h"

static void to_hex(const unsigned char *md, char hex[SRJ_SHA256_HEX + 1])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < SRJ_SHA256_HEX / 2; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[SRJ_SHA256_HEX] = '\0';
}

void srj_sha256_hex(const void *buf, size_t len, char hex[SRJ_SHA256_HEX + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len;

	EVP_Digest(buf, len, md, &md_len, EVP_sha256(), NULL);
	to_hex(md, hex);
}

int srj_file_sha256(int dirfd, const char *name,
		    char hex[SRJ_SHA256_HEX + 1], uint64_t *bytes)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	static unsigned char buf[1 << 20];
	unsigned int md_len;
	EVP_MD_CTX *ctx = NULL;
	uint64_t total = 0;
	int fd, ret = -1, saved;
	ssize_t n;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		errno = ENOMEM;
		goto out;
	}
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		EVP_DigestUpdate(ctx, buf, n);
		total += n;
	}
	EVP_DigestFinal_ex(ctx, md, &md_len);
	to_hex(md, hex);
	*bytes = total;
	ret = 0;
out:
	saved = errno;
	EVP_MD_CTX_free(ctx);
	close(fd);
	errno = saved;
	return ret;
}
