/*
 * cmd_misc.c: a player's settings and leaving: prompt (and world_prompt(),
 * which draws it), color, title, save and quit.
 *
 * Start reading at world_prompt(); the commands follow in help order.
 */
#include "game/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/color.h"
#include "base/str.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

#define MISC_PROMPT_MAX 160 /* characters of a prompt format */
#define MISC_TITLE_MAX	40  /* characters of a title */

static const char misc_default_prompt[] = "{g%h{x/{G%H{xhp {c%m{x/{C%M{xmp {y%v{x/{Y%V{xmv> ";

/* Appends v in decimal; a prompt has six numbers and follows every burst of output. */
static void misc_put_int(struct buf *out, int v)
{
	char digits[12];
	size_t n = sizeof(digits);
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;

	do {
		digits[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		digits[--n] = '-';
	buf_append(out, digits + n, sizeof(digits) - n);
}

void world_prompt(const struct world *w, const struct character *ch, struct buf *out)
{
	const char *p;

	(void)w;
	if (!ch || !ch->pc)
		return;
	p = ch->pc->prompt && *ch->pc->prompt ? ch->pc->prompt : misc_default_prompt;
	for (; *p; p++) {
		if (*p != '%' || !p[1]) {
			buf_putc(out, *p);
			continue;
		}
		switch (*++p) {
		case 'h':
			misc_put_int(out, ch->hp);
			break;
		case 'H':
			misc_put_int(out, ch->max_hp);
			break;
		case 'm':
			misc_put_int(out, ch->mana);
			break;
		case 'M':
			misc_put_int(out, ch->max_mana);
			break;
		case 'v':
			misc_put_int(out, ch->move);
			break;
		case 'V':
			misc_put_int(out, ch->max_move);
			break;
		case 'g':
			misc_put_int(out, ch->gold);
			break;
		case 'r':
			if (ch->room && world_room_is_lit(ch->room))
				buf_puts(out, ch->room->name ? ch->room->name : ch->room->id);
			else
				buf_puts(out, "darkness");
			break;
		case '%':
			buf_putc(out, '%');
			break;
		default:
			buf_putc(out, '%');
			buf_putc(out, *p);
			break;
		}
	}
}

/*
 * Appends text without control characters (C0, DEL, C1; a tab becomes a
 * space), keeping markup: for what a player sets for themself.
 */
static void misc_strip_controls(struct buf *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;

	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '\t')
			buf_putc(out, ' ');
		else if (s[i] < 0x20 || s[i] == 0x7F)
			continue;
		else if (s[i] == 0xC2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F)
			i++;
		else
			buf_putc(out, (char)s[i]);
	}
}

void cmd_prompt(struct world *w, struct character *ch, const char *arg)
{
	struct buf b, word;
	bool reset;

	if (!ch->pc) {
		world_send(w, ch, "Only players have prompts.\n");
		return;
	}
	/* arg keeps its trailing spaces (CMD_RAW): they belong to the prompt. */
	buf_init(&word, 64);
	buf_puts(&word, arg);
	reset = false;
	if (word.data && !word.err) {
		const char *t = str_trim(word.data);

		reset = str_eq_nocase(t, "default") || str_eq_nocase(t, "reset");
	}
	buf_fini(&word);
	buf_init(&b, 0);
	if (!*str_skip_space(arg)) {
		buf_puts(&b, "Your prompt is: ");
		color_escape(&b, ch->pc->prompt ? ch->pc->prompt : misc_default_prompt,
			     strlen(ch->pc->prompt ? ch->pc->prompt : misc_default_prompt));
		buf_puts(&b,
			 "\nType 'prompt <format>' to change it, 'prompt default' to reset it,\n"
			 "'help prompt' for the % codes.\n");
		world_send(w, ch, buf_cstr(&b));
	} else if (reset) {
		free(ch->pc->prompt);
		ch->pc->prompt = NULL;
		world_mark_dirty(ch);
		world_send(w, ch, "Your prompt is back to the default.\n");
	} else if (utf8_length(arg, strlen(arg)) > MISC_PROMPT_MAX) {
		world_sendf(w, ch, "That is too long: a prompt can be at most %d characters.\n",
			    MISC_PROMPT_MAX);
	} else {
		misc_strip_controls(&b, arg);
		free(ch->pc->prompt);
		ch->pc->prompt = buf_steal(&b);
		world_mark_dirty(ch);
		world_send(w, ch, "Prompt set.\n");
	}
	buf_fini(&b);
}

static const char *misc_color_setting(int color)
{
	return color < 0 ? "auto (whatever your client can show)"
			 : color_level_name((enum color_level)color);
}

void cmd_color(struct world *w, struct character *ch, const char *arg)
{
	int level;

	if (!ch->pc) {
		world_send(w, ch, "Only players choose colors.\n");
		return;
	}
	if (!*arg) {
		world_sendf(w, ch,
			    "Color: %s.\nUsage: color [auto | on | off | 16 | 256 | truecolor]\n",
			    misc_color_setting(ch->pc->color));
		return;
	}
	if (str_eq_nocase(arg, "auto") || str_eq_nocase(arg, "on")) {
		level = -1;
	} else if (str_eq_nocase(arg, "off")) {
		level = COLOR_NONE;
	} else if (str_eq_nocase(arg, "true") || str_eq_nocase(arg, "24bit")) {
		level = COLOR_TRUE;
	} else {
		level = color_level_parse(arg);
		if (level < 0) {
			world_send(w, ch,
				   "Usage: color [auto | on | off | 16 | 256 | truecolor]\n");
			return;
		}
	}
	ch->pc->color = level;
	world_mark_dirty(ch);
	if (level == COLOR_NONE)
		world_send(w, ch, "Color is off.\n");
	else
		world_sendf(w, ch, "Color: %s. {RRed{x, {Ggreen{x, {Bblue{x, {#ff8800}amber{x.\n",
			    misc_color_setting(level));
}

void cmd_title(struct world *w, struct character *ch, const char *arg)
{
	struct buf b;

	if (!ch->pc) {
		world_send(w, ch, "Only players have titles.\n");
		return;
	}
	buf_init(&b, 0);
	if (!*arg) {
		buf_puts(&b, "You are known as ");
		cmd_put_full_name(&b, ch);
		buf_puts(&b, ".\nUsage: title <text>, or 'title none' to have none.\n");
		world_send(w, ch, buf_cstr(&b));
		goto out;
	}
	if (str_eq_nocase(arg, "none") || str_eq_nocase(arg, "clear")) {
		free(ch->pc->title);
		ch->pc->title = NULL;
	} else if (utf8_length(arg, strlen(arg)) > MISC_TITLE_MAX) {
		world_sendf(w, ch, "That is too long: a title can be at most %d characters.\n",
			    MISC_TITLE_MAX);
		goto out;
	} else {
		misc_strip_controls(&b, arg);
		free(ch->pc->title);
		ch->pc->title = buf_steal(&b);
	}
	world_mark_dirty(ch);
	buf_clear(&b);
	buf_puts(&b, "You are now known as ");
	cmd_put_full_name(&b, ch);
	buf_puts(&b, ".\n");
	world_send(w, ch, buf_cstr(&b));
	gmcp_send_name(w, ch);
out:
	buf_fini(&b);
}

void cmd_save(struct world *w, struct character *ch, const char *arg)
{
	(void)arg;
	if (!ch->pc) {
		world_send(w, ch, "Only players are saved.\n");
		return;
	}
	if (!w->ops.save || w->ops.save(w->ops.ud, ch) < 0) {
		world_send(w, ch, "Saving failed. The game will try again shortly.\n");
		return;
	}
	ch->pc->dirty = false;
	world_send(w, ch, "Saved.\n");
}

void cmd_quit(struct world *w, struct character *ch, const char *arg)
{
	struct room *room = ch->room;
	uint32_t session;

	(void)arg;
	if (!ch->pc) {
		world_send(w, ch, "Only players can quit.\n");
		return;
	}
	if (ch->pos == POS_FIGHTING) {
		world_send(w, ch, "No way! You are fighting.\n");
		return;
	}
	if (!w->ops.save || w->ops.save(w->ops.ud, ch) < 0) {
		world_send(w, ch,
			   "Your character could not be saved, so you have not quit. Try again "
			   "in a moment.\n");
		return;
	}
	ch->pc->dirty = false;
	world_sendf(w, ch, "Farewell, %s. The lanterns will be lit when you return.\n",
		    world_char_name(ch));
	act(w, ACT_TO_ROOM, "$n has left the game.", ch, NULL);
	session = ch->pc->session;
	if (session && w->ops.disconnect)
		w->ops.disconnect(w->ops.ud, session);
	world_player_leave(w, ch);
	gmcp_room_changed(w, room, NULL);
}
