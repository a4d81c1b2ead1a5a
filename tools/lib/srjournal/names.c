// SPDX-License-Identifier: GPL-2.0-only
/*
 * The journal's small vocabulary: guest states, update ids, file names.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "srjournal.h"

static const char *const guest_state_names[] = {
	[SRJ_GUEST_SAVED] = "saved",
	[SRJ_GUEST_RESTORED] = "restored",
	[SRJ_GUEST_FAILED] = "failed",
};

const char *srj_guest_state_name(enum srj_guest_state state)
{
	if ((unsigned int)state >= sizeof(guest_state_names) / sizeof(guest_state_names[0]))
		return NULL;
	return guest_state_names[state];
}

int srj_guest_state_parse(const char *name, enum srj_guest_state *state)
{
	unsigned int i;

	for (i = 0; i < sizeof(guest_state_names) / sizeof(guest_state_names[0]); i++) {
		if (!strcmp(name, guest_state_names[i])) {
			*state = i;
			return 0;
		}
	}
	return -1;
}

int srj_new_update_id(char id[SRJ_UPDATE_ID_HEX + 1])
{
	unsigned char raw[SRJ_UPDATE_ID_HEX / 2];
	size_t got = 0;
	ssize_t n;
	int i;

	while (got < sizeof(raw)) {
		n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		got += n;
	}
	for (i = 0; i < (int)sizeof(raw); i++)
		sprintf(id + 2 * i, "%02x", raw[i]);
	return 0;
}

bool srj_plain_name(const char *name)
{
	size_t len = strlen(name), i;

	if (len == 0 || len > 255 || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++)
		if (name[i] == '/' || (unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return false;
	return true;
}
