/*
 * wrap.h: word wrapping of rendered text for a terminal of a given width.
 *
 * Builders write descriptions as single paragraphs; a telnet terminal would
 * break them mid-word. wrap_text() breaks every line longer than width at
 * its last space before the edge, counting code points (not bytes) and not
 * counting ANSI escape sequences (ESC [ ... final byte), so colored text
 * wraps like plain text. A word longer than the width is left whole.
 */
#ifndef RUIN_BASE_WRAP_H
#define RUIN_BASE_WRAP_H

#include <stddef.h>

#include "base/buf.h"

/* Appends s (n bytes, UTF-8, lines ending in "\n") to out, wrapped at width columns. */
void wrap_text(struct buf *out, const char *s, size_t n, int width);

#endif
