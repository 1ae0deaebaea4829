/*
 * act.c: messages to players. world_send() and friends put markup on a
 * player's session; act() writes one message for everyone concerned, each
 * seeing names and pronouns as they can (ROM's act(), with typed arguments).
 *
 * Start reading at act(): act_format() builds the text for one viewer.
 */
#include "game/internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "base/buf.h"
#include "base/list.h"
#include "game/world.h"
#include "base/banned.h"

/* Longest message act() or world_sendf() builds; longer ones are cut. */
#define ACT_MAX_LEN ((size_t)64 * 1024)

void world_send(struct world *w, const struct character *ch, const char *markup)
{
	if (!ch || !ch->pc || !ch->pc->session || !w->ops.send || !markup)
		return;
	w->ops.send(w->ops.ud, ch->pc->session, markup, strlen(markup));
}

void world_sendf(struct world *w, const struct character *ch, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	if (!ch || !ch->pc || !ch->pc->session)
		return;
	buf_init(&b, ACT_MAX_LEN);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	world_send(w, ch, buf_cstr(&b));
	buf_fini(&b);
}

void world_broadcast(struct world *w, const char *markup)
{
	DLIST_FOREACH(&w->chars, l)
	{
		struct character *ch = dlist_entry(l, struct character, world_link);

		if (ch->pc && !ch->extracted)
			world_send(w, ch, markup);
	}
}

bool act_sees_char(const struct character *viewer, const struct character *ch)
{
	if (!ch)
		return false;
	if (ch == viewer)
		return true;
	return ch->room && world_room_is_lit(ch->room);
}

bool act_sees_everyone(const struct character *viewer, const struct room *room)
{
	(void)viewer;
	return room && world_room_is_lit(room);
}

bool act_sees_item(const struct character *viewer, const struct item *it)
{
	const struct item *top = it;

	if (!it)
		return false;
	while (top->in_item)
		top = top->in_item;
	if (top->carried_by)
		return top->carried_by == viewer || act_sees_char(viewer, top->carried_by);
	if (top->in_room)
		return world_room_is_lit(top->in_room);
	return true;
}

const char *act_char_name(const struct character *viewer, const struct character *ch)
{
	return act_sees_char(viewer, ch) ? world_char_name(ch) : "someone";
}

static const char *act_pronoun(const struct character *viewer, const struct character *ch,
			       char form)
{
	static const char *const unseen[] = {"they", "them", "their"};

	if (!ch || !act_sees_char(viewer, ch))
		return unseen[form == 'e' ? 0 : form == 'm' ? 1 : 2];
	if (form == 'e')
		return world_pronoun_subj(ch);
	if (form == 'm')
		return world_pronoun_obj(ch);
	return world_pronoun_poss(ch);
}

static const char *act_item(const struct character *viewer, const struct item *it)
{
	return it && act_sees_item(viewer, it) ? world_item_name(it) : "something";
}

/*
 * Uppercases the first letter of the text that starts at out->data[from],
 * skipping color markup in front of it ("{Y$n" capitalizes the name).
 */
static void act_capitalize(struct buf *out, size_t from)
{
	size_t i = from;

	while (i + 1 < out->len && out->data[i] == '{' && out->data[i + 1] != '{') {
		if (out->data[i + 1] == '#') {
			const char *end = memchr(out->data + i, '}', out->len - i);

			if (!end)
				return;
			i = (size_t)(end - out->data) + 1;
		} else {
			i += 2;
		}
	}
	if (i < out->len && out->data[i] >= 'a' && out->data[i] <= 'z')
		out->data[i] = (char)toupper((unsigned char)out->data[i]);
}

void act_format(struct buf *out, const char *fmt, const struct character *viewer,
		const struct character *ch, const struct act_arg *arg)
{
	static const struct act_arg none;
	size_t start = out->len;

	if (!arg)
		arg = &none;
	for (const char *p = fmt; *p; p++) {
		const char *sub = NULL;

		if (*p != '$') {
			const char *next = strchr(p, '$');
			size_t n = next ? (size_t)(next - p) : strlen(p);

			buf_append(out, p, n);
			p += n - 1;
			continue;
		}
		switch (p[1]) {
		case 'n':
			sub = act_char_name(viewer, ch);
			break;
		case 'N':
			sub = arg->vict ? act_char_name(viewer, arg->vict) : "someone";
			break;
		case 'e':
		case 'm':
		case 's':
			sub = act_pronoun(viewer, ch, p[1]);
			break;
		case 'E':
		case 'M':
		case 'S':
			sub = act_pronoun(viewer, arg->vict, (char)tolower((unsigned char)p[1]));
			break;
		case 'p':
			sub = act_item(viewer, arg->obj);
			break;
		case 'P':
			sub = act_item(viewer, arg->obj2);
			break;
		case 't':
			sub = arg->text ? arg->text : "";
			break;
		case 'T':
			sub = arg->text2 ? arg->text2 : "";
			break;
		case '$':
			sub = "$";
			break;
		default:
			/* Not a token (or the fmt ends): the '$' stands for itself. */
			buf_putc(out, '$');
			continue;
		}
		buf_puts(out, sub);
		p++;
	}
	act_capitalize(out, start);
}

static void act_to_one(struct world *w, const char *fmt, const struct character *viewer,
		       const struct character *ch, const struct act_arg *arg)
{
	struct buf b;

	if (!viewer || !viewer->pc || !viewer->pc->session || viewer->extracted)
		return;
	buf_init(&b, ACT_MAX_LEN);
	act_format(&b, fmt, viewer, ch, arg);
	buf_putc(&b, '\n');
	world_send(w, viewer, buf_cstr(&b));
	buf_fini(&b);
}

void act(struct world *w, enum act_to to, const char *fmt, const struct character *ch,
	 const struct act_arg *arg)
{
	const struct character *vict = arg ? arg->vict : NULL;

	if (!fmt || !ch)
		return;
	switch (to) {
	case ACT_TO_CHAR:
		act_to_one(w, fmt, ch, ch, arg);
		return;
	case ACT_TO_VICT:
		act_to_one(w, fmt, vict, ch, arg);
		return;
	case ACT_TO_ROOM:
	case ACT_TO_NOTVICT:
		break;
	}
	if (!ch->room)
		return;
	DLIST_FOREACH(&ch->room->people, l)
	{
		const struct character *viewer = dlist_entry(l, struct character, room_link);

		if (viewer == ch || (to == ACT_TO_NOTVICT && viewer == vict))
			continue;
		if (viewer->pos <= POS_SLEEPING)
			continue;
		act_to_one(w, fmt, viewer, ch, arg);
	}
}
