/*
 * color.c: markup to ANSI escapes. See color.h for the markup itself.
 */
#include "base/color.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "base/utf8.h"
#include "base/banned.h"

/* ANSI SGR for the 16 named colors; index = position in "krgybmcw". */
static const char color_letters[] = "krgybmcw";

/* The xterm 16-color palette, used to map hex colors down to 16. */
static const uint8_t color_palette16[16][3] = {
	{0, 0, 0},	 {205, 0, 0},	{0, 205, 0},   {205, 205, 0},
	{0, 0, 238},	 {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
	{127, 127, 127}, {255, 0, 0},	{0, 255, 0},   {255, 255, 0},
	{92, 92, 255},	 {255, 0, 255}, {0, 255, 255}, {255, 255, 255},
};

static int color_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parses "#rrggbb}" at s; returns the bytes used (8) or 0 if not hex markup. */
static size_t color_parse_hex(const char *s, size_t n, uint8_t rgb[3])
{
	if (n < 8 || s[0] != '#' || s[7] != '}')
		return 0;
	for (int i = 0; i < 3; i++) {
		int hi = color_hexval(s[1 + 2 * i]), lo = color_hexval(s[2 + 2 * i]);

		if (hi < 0 || lo < 0)
			return 0;
		rgb[i] = (uint8_t)(hi * 16 + lo);
	}
	return 8;
}

static int color_dist(const uint8_t a[3], const uint8_t b[3])
{
	int d = 0;

	for (int i = 0; i < 3; i++)
		d += (a[i] - b[i]) * (a[i] - b[i]);
	return d;
}

static int color_nearest16(const uint8_t rgb[3])
{
	int best = 0, bestd = 1 << 30;

	for (int i = 0; i < 16; i++) {
		int d = color_dist(rgb, color_palette16[i]);

		if (d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

static int color_cube_index(int v)
{
	return v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40;
}

static int color_nearest256(const uint8_t rgb[3])
{
	static const int steps[6] = {0, 95, 135, 175, 215, 255};
	int r = color_cube_index(rgb[0]), g = color_cube_index(rgb[1]),
	    b = color_cube_index(rgb[2]);
	uint8_t cube[3] = {(uint8_t)steps[r], (uint8_t)steps[g], (uint8_t)steps[b]};
	int avg = (rgb[0] + rgb[1] + rgb[2]) / 3;
	int gi = avg > 238 ? 23 : (avg - 3) / 10;
	uint8_t grey[3];

	if (gi < 0)
		gi = 0;
	grey[0] = grey[1] = grey[2] = (uint8_t)(8 + 10 * gi);
	if (color_dist(rgb, grey) < color_dist(rgb, cube))
		return 232 + gi;
	return 16 + 36 * r + 6 * g + b;
}

static void color_emit16(struct buf *out, int idx)
{
	buf_printf(out, "\033[%d;%dm", idx >= 8 ? 1 : 0, 30 + (idx & 7));
}

static void color_emit_hex(struct buf *out, const uint8_t rgb[3], enum color_level level)
{
	if (level == COLOR_TRUE)
		buf_printf(out, "\033[38;2;%d;%d;%dm", rgb[0], rgb[1], rgb[2]);
	else if (level == COLOR_256)
		buf_printf(out, "\033[38;5;%dm", color_nearest256(rgb));
	else
		color_emit16(out, color_nearest16(rgb));
}

void color_render(struct buf *out, const char *s, size_t n, enum color_level level)
{
	size_t i = 0, run = 0;
	int dirty = 0;

	while (i < n) {
		const char *p;
		uint8_t rgb[3];
		size_t used;

		if (s[i] != '{' || i + 1 >= n) {
			i++;
			run++;
			continue;
		}
		buf_append(out, s + i - run, run);
		run = 0;
		p = strchr(color_letters, tolower((unsigned char)s[i + 1]));
		if (s[i + 1] == '{') {
			buf_putc(out, '{');
			i += 2;
		} else if (p && s[i + 1] != '\0') {
			int idx = (int)(p - color_letters) +
				  (isupper((unsigned char)s[i + 1]) ? 8 : 0);

			if (level != COLOR_NONE) {
				color_emit16(out, idx);
				dirty = 1;
			}
			i += 2;
		} else if (s[i + 1] == 'x') {
			if (level != COLOR_NONE && dirty) {
				buf_puts(out, "\033[0m");
				dirty = 0;
			}
			i += 2;
		} else if (s[i + 1] == 'u') {
			if (level != COLOR_NONE) {
				buf_puts(out, "\033[4m");
				dirty = 1;
			}
			i += 2;
		} else if ((used = color_parse_hex(s + i + 1, n - i - 1, rgb)) != 0) {
			if (level != COLOR_NONE) {
				color_emit_hex(out, rgb, level);
				dirty = 1;
			}
			i += 1 + used;
		} else {
			/* Unknown code: keep the brace as text. */
			i++;
			run++;
		}
	}
	buf_append(out, s + n - run, run);
	if (dirty)
		buf_puts(out, "\033[0m");
}

void color_escape(struct buf *out, const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, run = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t skip = 0;

		if (c == '{' || c == '\t' || c < 0x20 || c == 0x7F)
			skip = 1;
		else if (c == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F)
			skip = 2; /* C1 control, U+0080-U+009F */
		if (!skip) {
			i++;
			run++;
			continue;
		}
		buf_append(out, text + i - run, run);
		run = 0;
		if (c == '{')
			buf_puts(out, "{{");
		else if (c == '\t')
			buf_putc(out, ' ');
		i += skip;
	}
	buf_append(out, text + n - run, run);
}

size_t color_visible_length(const char *markup, size_t n)
{
	struct buf plain;
	size_t len;

	buf_init(&plain, n + 1);
	color_render(&plain, markup, n, COLOR_NONE);
	len = utf8_length(plain.data ? plain.data : "", plain.len);
	buf_fini(&plain);
	return len;
}

static const char *const color_level_names[] = {"none", "16", "256", "truecolor"};

const char *color_level_name(enum color_level level)
{
	return (unsigned)level < 4 ? color_level_names[level] : "none";
}

int color_level_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, color_level_names[i]) == 0)
			return i;
	if (strcmp(name, "off") == 0)
		return COLOR_NONE;
	if (strcmp(name, "on") == 0 || strcmp(name, "ansi") == 0)
		return COLOR_16;
	if (strcmp(name, "true") == 0 || strcmp(name, "24bit") == 0)
		return COLOR_TRUE;
	return -1;
}
