/*
 * color.h: the one color markup, rendered for each client.
 *
 * Game text and builder text are written in markup (docs/building.md):
 *
 *   {r {g {y {b {m {c {w {k   red green yellow blue magenta cyan white black
 *   {R {G {Y {B {M {C {W {K   the bright (bold) versions; {K is dark grey
 *   {u                        underline
 *   {x                        reset to plain text
 *   {#rrggbb}                 any color by hex, for clients with 256 colors or truecolor
 *                             (mapped to the nearest of 256 or 16 for the others)
 *   {{                        a literal {
 *
 * An unknown code is kept as written, so nothing a builder typed is lost.
 * color_render() turns markup into ANSI escapes for a level, or strips it.
 * Text a player typed is passed through color_escape() before it is put into
 * markup, so a player can neither inject color codes nor raw escapes.
 */
#ifndef RUIN_BASE_COLOR_H
#define RUIN_BASE_COLOR_H

#include <stddef.h>

#include "base/buf.h"

enum color_level {
	COLOR_NONE = 0, /* strip */
	COLOR_16 = 1,
	COLOR_256 = 2,
	COLOR_TRUE = 3,
};

/* Appends markup rendered at level; ends with a reset if it changed colors. */
void color_render(struct buf *out, const char *markup, size_t n, enum color_level level);
/*
 * Appends text as markup that renders to exactly that text: '{' doubled,
 * ESC, other C0 controls, DEL and C1 controls (U+0080-U+009F) dropped, tabs
 * made spaces. The text must already be valid UTF-8.
 */
void color_escape(struct buf *out, const char *text, size_t n);
/* Length in code points of markup once rendered (for padding columns). */
size_t color_visible_length(const char *markup, size_t n);
/* "none", "16", "256", "truecolor" and back; parse returns -1 if unknown. */
const char *color_level_name(enum color_level level);
int color_level_parse(const char *name);

#endif
