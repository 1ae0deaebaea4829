/*
 * pages.h: the text of ruin-console's full-screen pages: one connection in
 * detail (Enter) and the server's health (m). Formatting only, from the
 * server's JSON and the model's snapshot: no curses, no sockets.
 */
#ifndef RUIN_TUI_PAGES_H
#define RUIN_TUI_PAGES_H

#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "model.h"

/*
 * The detail view of one connection: "label  value" lines from the
 * server's {"conn":...} object (conn, may be NULL), falling back to the
 * table row (row, may be NULL) for a link-dead character.
 */
void pages_detail(json_t *conn, const struct conn_row *row, struct buf *out);
/*
 * The health page: memory (the process, Lua per area), the database's
 * saves, the game loop's pulse figures, the admin socket's own cost.
 */
void pages_health(const struct snap *s, int64_t now_s, struct buf *out);

#endif
