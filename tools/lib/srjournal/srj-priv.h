/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the journal's writer and reader share and nobody else needs.
 */
#ifndef SRJ_PRIV_H
#define SRJ_PRIV_H

#include <json-c/json.h>

#include "srjournal.h"

/*
 * The body is hashed in this serialisation.  json-c keeps members in the
 * order they were added or parsed, so the reader's re-serialisation of an
 * intact body is byte for byte the writer's.
 */
#define SRJ_JSON_FLAGS	(JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

int srj_guest_state_parse(const char *name, enum srj_guest_state *state);

__attribute__((format(printf, 3, 4)))
void srj_fail(struct srj_error *err, const char *rule, const char *fmt, ...);

#endif /* SRJ_PRIV_H */
