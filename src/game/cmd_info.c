/*
 * cmd_info.c: commands that show the world and the player: look (the room,
 * someone, something, a detail, a direction, a container's insides),
 * exits, who, score, inventory and equipment.
 *
 * Start reading at cmd_look_room(): the room as a player sees it, also used
 * by the core when a player enters the game and after every move.
 */
#include "game/cmd.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/color.h"
#include "base/list.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

static const char *const info_slot_label[WEAR_COUNT] = {
	[WEAR_LIGHT] = "<used as light>",
	[WEAR_HEAD] = "<worn on head>",
	[WEAR_NECK] = "<worn around neck>",
	[WEAR_BODY] = "<worn on body>",
	[WEAR_ARMS] = "<worn on arms>",
	[WEAR_HANDS] = "<worn on hands>",
	[WEAR_FINGER] = "<worn on finger>",
	[WEAR_WAIST] = "<worn about waist>",
	[WEAR_LEGS] = "<worn on legs>",
	[WEAR_FEET] = "<worn on feet>",
	[WEAR_SHIELD] = "<worn as shield>",
	[WEAR_WIELD] = "<wielded>",
	[WEAR_HOLD] = "<held>",
};

/* Appends markup with a line ending if it lacks one. */
static void info_put_line(struct buf *out, const char *markup)
{
	size_t n = strlen(markup);

	buf_append(out, markup, n);
	if (n == 0 || markup[n - 1] != '\n')
		buf_putc(out, '\n');
}

/* Appends text with its first letter uppercased (for "a sword is here"). */
static void info_put_capitalized(struct buf *out, const char *text)
{
	size_t from = out->len;

	buf_puts(out, text);
	if (!out->err && from < out->len && out->data[from] >= 'a' && out->data[from] <= 'z')
		out->data[from] = (char)(out->data[from] - 'a' + 'A');
}

size_t cmd_show_items(struct buf *out, const struct character *viewer, const struct dlist *list,
		      bool use_long, bool show_nothing)
{
	struct item **seen;
	size_t n = 0, lines = 0;

	seen = xcalloc(list->count ? list->count : 1, sizeof(*seen));
	DLIST_FOREACH(list, l)
	{
		struct item *it = dlist_entry(l, struct item, link);

		if (!it->extracted && act_sees_item(viewer, it) && n < list->count)
			seen[n++] = it;
	}
	for (size_t i = 0; i < n; i++) {
		const struct item_proto *p;
		int count = 1;

		if (!seen[i])
			continue;
		p = seen[i]->proto;
		for (size_t j = i + 1; j < n; j++) {
			if (seen[j] && seen[j]->proto == p) {
				count++;
				seen[j] = NULL;
			}
		}
		if (count > 1)
			buf_printf(out, "(%2d) ", count);
		else if (!use_long)
			buf_puts(out, "     ");
		if (use_long && p && p->long_desc && *p->long_desc) {
			info_put_line(out, p->long_desc);
		} else if (use_long) {
			info_put_capitalized(out, world_item_name(seen[i]));
			buf_puts(out, count > 1 ? " lie here.\n" : " is here.\n");
		} else {
			info_put_line(out, world_item_name(seen[i]));
		}
		lines++;
	}
	if (lines == 0 && show_nothing)
		buf_puts(out, "     Nothing.\n");
	free(seen);
	return lines;
}

static const char *info_pos_phrase(enum position pos)
{
	switch (pos) {
	case POS_DEAD:
		return " is lying here, dead.";
	case POS_SLEEPING:
		return " is sleeping here.";
	case POS_RESTING:
		return " is resting here.";
	case POS_SITTING:
		return " is sitting here.";
	case POS_FIGHTING:
		return " is here, fighting!";
	case POS_STANDING:
		break;
	}
	return " is here.";
}

/* One line for a character in the room, as viewer sees it. */
static void info_put_person(struct buf *out, const struct character *viewer,
			    const struct character *ch)
{
	if (!ch->pc && ch->pos == POS_STANDING && ch->long_desc && *ch->long_desc) {
		buf_puts(out, "{y");
		info_put_line(out, ch->long_desc);
		return;
	}
	buf_puts(out, "{y");
	if (ch->pc) {
		size_t from = out->len;

		cmd_put_full_name(out, ch);
		if (!out->err && from < out->len && out->data[from] >= 'a' &&
		    out->data[from] <= 'z')
			out->data[from] = (char)(out->data[from] - 'a' + 'A');
	} else {
		info_put_capitalized(out, world_char_name(ch));
	}
	if (ch->pos == POS_FIGHTING && ch->fighting) {
		buf_puts(out, " is here, fighting ");
		buf_puts(out,
			 ch->fighting == viewer ? "YOU!" : act_char_name(viewer, ch->fighting));
		buf_puts(out, ch->fighting == viewer ? "" : ".");
	} else {
		buf_puts(out, info_pos_phrase(ch->pos));
	}
	buf_puts(out, "{x");
	if (ch->pc && !ch->pc->session)
		buf_puts(out, " {R(link-dead){x");
	buf_putc(out, '\n');
}

static void info_put_exits_line(struct buf *out, const struct room *room)
{
	bool any = false;

	buf_puts(out, "{c[Exits:");
	for (int d = 0; d < DIR_COUNT; d++) {
		const struct exit *ex = room->exits[d];

		if (!ex || !ex->to || (ex->flags & EXIT_HIDDEN))
			continue;
		if (ex->flags & EXIT_CLOSED)
			buf_printf(out, " (%s)", dir_name((enum dir)d));
		else
			buf_printf(out, " %s", dir_name((enum dir)d));
		any = true;
	}
	buf_puts(out, any ? "]{x\n" : " none]{x\n");
}

/*
 * The people in a room, as the look lists them. Nobody reads a thousand
 * names, and a crowded square's look was a 35 KB listing sent to every
 * player who typed it: at most CMD_LOOK_PEOPLE_MAX lines are listed, then
 * one line counts the rest. The room keeps its mobs first (char_to_room()):
 * the shopkeeper, the quest giver, the wolf at the door are why a room is
 * worth looking at, and they are few; then players in the order they arrived.
 */
static void info_put_people(struct buf *out, const struct character *viewer,
			    const struct room *room)
{
	size_t seen = 0, walked = 0;
	bool viewer_left = viewer->room == room; /* the viewer is still ahead in the walk */

	DLIST_FOREACH(&room->people, l)
	{
		const struct character *other = dlist_entry(l, struct character, room_link);

		/*
		 * The list is full. If nobody here is hidden from the viewer, the
		 * rest are counted, not each looked at: a look in a square of a
		 * thousand walked all thousand.
		 */
		if (seen == CMD_LOOK_PEOPLE_MAX && act_sees_everyone(viewer, room)) {
			seen += room->people.count - walked - (viewer_left ? 1 : 0);
			break;
		}
		walked++;
		if (other == viewer) {
			viewer_left = false;
			continue;
		}
		if (other->extracted || !act_sees_char(viewer, other))
			continue;
		if (seen++ < CMD_LOOK_PEOPLE_MAX)
			info_put_person(out, viewer, other);
	}
	if (seen > CMD_LOOK_PEOPLE_MAX)
		buf_printf(out, "{y...and %zu other%s here.{x\n", seen - CMD_LOOK_PEOPLE_MAX,
			   seen - CMD_LOOK_PEOPLE_MAX == 1 ? " is" : "s are");
}

void cmd_look_room(struct world *w, struct character *ch)
{
	const struct room *room = ch ? ch->room : NULL;
	struct buf out;

	/* Mobs and link-dead players walk without anyone to show the room to. */
	if (!room || !ch->pc || !ch->pc->session)
		return;
	buf_init(&out, 0);
	if (!world_room_is_lit(room)) {
		buf_puts(&out, "{KDarkness{x\n"
			       "It is pitch black. You cannot see a thing without a light.\n");
		info_put_exits_line(&out, room);
	} else {
		buf_puts(&out, "{C");
		buf_puts(&out, room->name ? room->name : room->id);
		buf_puts(&out, "{x\n");
		if (room->desc && *room->desc)
			info_put_line(&out, room->desc);
		info_put_exits_line(&out, room);
		cmd_show_items(&out, ch, &room->items, true, false);
		info_put_people(&out, ch, room);
	}
	world_send(w, ch, buf_cstr(&out));
	buf_fini(&out);
	gmcp_send_room_info(w, ch);
	gmcp_send_items_list(w, ch, "room");
}

static void info_look_dir(struct world *w, struct character *ch, enum dir d)
{
	const struct exit *ex = ch->room->exits[d];
	struct buf out, door;

	if (!ex || !ex->to || ((ex->flags & EXIT_HIDDEN) && (ex->flags & EXIT_CLOSED))) {
		world_send(w, ch, "You see nothing special that way.\n");
		return;
	}
	buf_init(&out, 0);
	buf_init(&door, 256);
	if (ex->desc && *ex->desc)
		info_put_line(&out, ex->desc);
	if (ex->flags & EXIT_DOOR) {
		cmd_door_name(&door, ex);
		buf_printf(&out, "The %s is %s.\n", buf_cstr(&door),
			   (ex->flags & EXIT_CLOSED) ? "closed" : "open");
	}
	if (!(ex->flags & EXIT_CLOSED))
		buf_printf(&out, "To the %s lies %s.\n", dir_name(d),
			   world_room_is_lit(ex->to) && ex->to->name ? ex->to->name : "darkness");
	world_send(w, ch, buf_cstr(&out));
	buf_fini(&out);
	buf_fini(&door);
}

/* How hurt ch looks: [0] for the character itself, [1] for others. */
static const char *info_condition(const struct character *ch, int other)
{
	static const char *const words[][2] = {
		{"You are in perfect health.", "is in perfect health."},
		{"You have a few scratches.", "has a few scratches."},
		{"You have some nasty wounds.", "has some nasty wounds."},
		{"You are bleeding freely.", "is bleeding freely."},
		{"You are barely clinging to life.", "is barely clinging to life."},
	};
	int pct = ch->max_hp > 0 ? ch->hp * 100 / ch->max_hp : 100;
	int i = pct >= 100 ? 0 : pct >= 75 ? 1 : pct >= 50 ? 2 : pct >= 25 ? 3 : 4;

	return words[i][other];
}

static void info_look_char(struct world *w, struct character *ch, struct character *victim)
{
	bool self = victim == ch, any = false;
	struct buf out;

	if (self) {
		act(w, ACT_TO_ROOM, "$n looks $mself over.", ch, NULL);
	} else {
		act(w, ACT_TO_VICT, "$n looks at you.", ch, &(struct act_arg){.vict = victim});
		act(w, ACT_TO_NOTVICT, "$n looks at $N.", ch, &(struct act_arg){.vict = victim});
	}
	buf_init(&out, 0);
	if (victim->desc && *victim->desc)
		info_put_line(&out, victim->desc);
	else if (self)
		buf_puts(&out, "You see nothing special about yourself.\n");
	else
		buf_printf(&out, "You see nothing special about %s.\n", world_pronoun_obj(victim));
	if (self) {
		buf_printf(&out, "%s\n", info_condition(victim, 0));
	} else {
		info_put_capitalized(&out, world_char_name(victim));
		buf_printf(&out, " %s\n", info_condition(victim, 1));
	}
	for (int s = 0; s < WEAR_COUNT; s++) {
		if (!victim->equip[s])
			continue;
		if (!any && self) {
			buf_puts(&out, "You are using:\n");
		} else if (!any) {
			info_put_capitalized(&out, world_char_name(victim));
			buf_puts(&out, " is using:\n");
		}
		any = true;
		buf_printf(&out, "%-20s %s\n", info_slot_label[s],
			   world_item_name(victim->equip[s]));
	}
	world_send(w, ch, buf_cstr(&out));
	buf_fini(&out);
}

static void info_look_item(struct world *w, struct character *ch, const struct item *it)
{
	const struct item_proto *p = it->proto;
	struct buf out;

	buf_init(&out, 0);
	if (p && p->desc && *p->desc)
		info_put_line(&out, p->desc);
	else
		buf_printf(&out, "You see nothing special about %s.\n", world_item_name(it));
	if (p && p->type == ITEM_CONTAINER)
		buf_puts(&out, (it->flags & ITEM_CLOSED) ? "It is closed.\n"
							 : "It is open ('look in' it).\n");
	if (p && p->type == ITEM_LIGHT && it->timer >= 0)
		buf_printf(&out, "It has %d hour%s of light left.\n", it->timer,
			   it->timer == 1 ? "" : "s");
	world_send(w, ch, buf_cstr(&out));
	buf_fini(&out);
}

static const struct extra_desc *info_extra_find(const struct extra_desc *e, const char *name)
{
	for (; e; e = e->next)
		if (find_name_matches(name, e->keywords))
			return e;
	return NULL;
}

/* A detail of something ch can see that name matches, or NULL. */
static const char *info_find_detail(const struct character *ch, const char *name, bool lit)
{
	const struct extra_desc *e;

	DLIST_FOREACH(&ch->inventory, l)
	{
		const struct item *it = dlist_entry(l, struct item, link);

		if (!it->extracted && it->proto && (e = info_extra_find(it->proto->extra, name)))
			return e->text;
	}
	for (int s = 0; s < WEAR_COUNT; s++)
		if (ch->equip[s] && ch->equip[s]->proto &&
		    (e = info_extra_find(ch->equip[s]->proto->extra, name)))
			return e->text;
	if (!lit)
		return NULL;
	DLIST_FOREACH(&ch->room->items, l)
	{
		const struct item *it = dlist_entry(l, struct item, link);

		if (!it->extracted && it->proto && (e = info_extra_find(it->proto->extra, name)))
			return e->text;
	}
	e = info_extra_find(ch->room->extra, name);
	return e ? e->text : NULL;
}

static void info_look_in(struct world *w, struct character *ch, const char *arg)
{
	struct item *it = find_item_here(ch, arg);
	struct buf out;

	if (!*arg) {
		world_send(w, ch, "Look in what?\n");
		return;
	}
	if (!it) {
		world_sendf(w, ch, "You see no %s here.\n", arg);
		return;
	}
	if (!it->proto || it->proto->type != ITEM_CONTAINER) {
		act(w, ACT_TO_CHAR, "$p is not a container.", ch, &(struct act_arg){.obj = it});
		return;
	}
	if (it->flags & ITEM_CLOSED) {
		act(w, ACT_TO_CHAR, "$p is closed.", ch, &(struct act_arg){.obj = it});
		return;
	}
	buf_init(&out, 0);
	info_put_capitalized(&out, world_item_name(it));
	buf_puts(&out, " holds:\n");
	cmd_show_items(&out, ch, &it->contents, false, true);
	world_send(w, ch, buf_cstr(&out));
	buf_fini(&out);
}

void cmd_look(struct world *w, struct character *ch, const char *arg)
{
	struct buf word;
	const char *rest, *detail;
	struct character *victim;
	struct item *it;
	bool lit;
	int d;

	if (!ch->room)
		return;
	if (!*arg || str_eq_nocase(arg, "auto")) {
		cmd_look_room(w, ch);
		if (!*arg && trigger_room_has(ch->room, TRIG_LOOK, false))
			world_fire(w, &(struct trig_event){.trig = TRIG_LOOK,
							   .self = ch->room->ref,
							   .actor = ch->ref,
							   .dir = -1});
		return;
	}
	buf_init(&word, 0);
	rest = cmd_split(arg, &word);
	if (*rest &&
	    (str_eq_nocase(buf_cstr(&word), "in") || str_eq_nocase(buf_cstr(&word), "inside"))) {
		info_look_in(w, ch, rest);
		goto out;
	}
	if (str_eq_nocase(buf_cstr(&word), "at") && *rest)
		arg = rest;
	lit = world_room_is_lit(ch->room);
	d = dir_parse(arg);
	if (d >= 0) {
		info_look_dir(w, ch, (enum dir)d);
		goto out;
	}
	if (lit && (victim = find_char_room(ch, arg))) {
		info_look_char(w, ch, victim);
		if (trigger_char_has(victim, TRIG_LOOK, false))
			world_fire(w, &(struct trig_event){.trig = TRIG_LOOK,
							   .self = victim->ref,
							   .actor = ch->ref,
							   .dir = -1});
		goto out;
	}
	if (!lit && (str_eq_nocase(arg, "me") || str_eq_nocase(arg, "self"))) {
		info_look_char(w, ch, ch);
		goto out;
	}
	it = lit ? find_item_here(ch, arg) : find_item_inv(ch, arg);
	if (!it && !lit)
		it = find_item_worn(ch, arg);
	if (it) {
		info_look_item(w, ch, it);
		if (trigger_item_has(it, TRIG_LOOK, false))
			world_fire(w, &(struct trig_event){.trig = TRIG_LOOK,
							   .self = it->ref,
							   .actor = ch->ref,
							   .dir = -1});
		goto out;
	}
	detail = info_find_detail(ch, arg, lit);
	if (detail) {
		struct buf out;

		buf_init(&out, 0);
		info_put_line(&out, detail);
		world_send(w, ch, buf_cstr(&out));
		buf_fini(&out);
	} else if (!lit)
		world_send(w, ch, "It is too dark to see that.\n");
	else
		world_send(w, ch, "You do not see that here.\n");
out:
	buf_fini(&word);
}

void cmd_exits(struct world *w, struct character *ch, const char *arg)
{
	const struct room *room = ch->room;
	bool lit, any = false;
	struct buf out, door;

	(void)arg;
	if (!room)
		return;
	lit = world_room_is_lit(room);
	buf_init(&out, 0);
	buf_init(&door, 256);
	buf_puts(&out, "Obvious exits:\n");
	for (int d = 0; d < DIR_COUNT; d++) {
		const struct exit *ex = room->exits[d];
		char name[16];

		if (!ex || !ex->to || (ex->flags & EXIT_HIDDEN))
			continue;
		any = true;
		str_copy(name, sizeof(name), dir_name((enum dir)d));
		name[0] = (char)(name[0] - 'a' + 'A');
		buf_printf(&out, "%-5s - ", name);
		if (ex->flags & EXIT_CLOSED) {
			buf_clear(&door);
			cmd_door_name(&door, ex);
			buf_printf(&out, "(a closed %s)\n", buf_cstr(&door));
		} else if (!lit || !world_room_is_lit(ex->to)) {
			buf_puts(&out, "Too dark to tell\n");
		} else {
			buf_puts(&out, ex->to->name ? ex->to->name : ex->to->id);
			buf_puts(&out, "\n");
		}
	}
	if (!any)
		buf_puts(&out, "None.\n");
	world_send(w, ch, buf_cstr(&out));
	buf_fini(&out);
	buf_fini(&door);
}

static int info_who_cmp(const void *a, const void *b)
{
	const struct character *x = *(const struct character *const *)a;
	const struct character *y = *(const struct character *const *)b;

	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	return strcasecmp(world_char_name(x), world_char_name(y));
}

void cmd_who(struct world *w, struct character *ch, const char *arg)
{
	struct character **list;
	size_t n = 0, cap = 16;
	bool admin = ch->pc && (ch->pc->roles & PLAYER_ROLE_ADMIN);
	struct buf out, desc;

	(void)arg;
	list = xcalloc(cap, sizeof(*list));
	DLIST_FOREACH(&w->chars, l)
	{
		struct character *p = dlist_entry(l, struct character, world_link);

		if (!p->pc || p->extracted)
			continue;
		if (n == cap) {
			cap *= 2;
			list = xreallocarray(list, cap, sizeof(*list));
		}
		list[n++] = p;
	}
	qsort(list, n, sizeof(*list), info_who_cmp);
	buf_init(&out, 0);
	buf_init(&desc, 1024);
	buf_printf(&out, "{WPlayers in %s{x\n",
		   w->cfg.mud_name ? w->cfg.mud_name : "Forgotten Ruin");
	buf_puts(&out, "{K------------------------------------------------{x\n");
	for (size_t i = 0; i < n; i++) {
		const struct character *p = list[i];
		char path[16];

		str_copy(path, sizeof(path), p->pc->path ? p->pc->path : "");
		if (path[0] >= 'a' && path[0] <= 'z')
			path[0] = (char)(path[0] - 'a' + 'A');
		buf_printf(&out, "[%3d %-8s] ", p->level, path);
		cmd_put_full_name(&out, p);
		if (p->pc->roles & PLAYER_ROLE_ADMIN)
			buf_puts(&out, " {M(admin){x");
		else if (p->pc->roles & PLAYER_ROLE_BUILDER)
			buf_puts(&out, " {M(builder){x");
		if (!p->pc->session)
			buf_puts(&out, " {R(link-dead){x");
		buf_putc(&out, '\n');
		if (admin && p->pc->session && w->ops.describe_session) {
			buf_clear(&desc);
			w->ops.describe_session(w->ops.ud, p->pc->session, &desc);
			if (desc.len) {
				buf_puts(&out, "      {K");
				color_escape(&out, buf_cstr(&desc), desc.len);
				buf_puts(&out, "{x\n");
			}
		}
	}
	buf_printf(&out, "%zu player%s online.\n", n, n == 1 ? "" : "s");
	world_send(w, ch, buf_cstr(&out));
	buf_fini(&out);
	buf_fini(&desc);
	free(list);
}

static const char *info_pos_name(enum position pos)
{
	switch (pos) {
	case POS_DEAD:
		return "You are DEAD!";
	case POS_SLEEPING:
		return "You are sleeping.";
	case POS_RESTING:
		return "You are resting.";
	case POS_SITTING:
		return "You are sitting.";
	case POS_FIGHTING:
		return "You are fighting!";
	case POS_STANDING:
		break;
	}
	return "You are standing.";
}

void cmd_score(struct world *w, struct character *ch, const char *arg)
{
	struct buf out;
	size_t carried = ch->inventory.count;

	(void)arg;
	buf_init(&out, 0);
	buf_puts(&out, "{W");
	cmd_put_full_name(&out, ch);
	buf_puts(&out, "{x\n");
	buf_printf(&out, "Level %d %s, spoken of as %s/%s.  Experience: %lld", ch->level,
		   ch->pc && ch->pc->path ? ch->pc->path : "wanderer", world_pronoun_subj(ch),
		   world_pronoun_obj(ch), (long long)ch->exp);
	if (ch->level < LEVEL_MAX)
		buf_printf(&out, " (%lld more to level %d).\n", (long long)level_exp_next(ch),
			   ch->level + 1);
	else
		buf_puts(&out, " (the highest level).\n");
	buf_printf(&out, "Health {G%d{x/%d, mana {C%d{x/%d, moves {Y%d{x/%d.\n", ch->hp, ch->max_hp,
		   ch->mana, ch->max_mana, ch->move, ch->max_move);
	buf_printf(&out, "Gold: %d coin%s.  Carrying %zu/%zu items, %d/%d pounds.\n", ch->gold,
		   ch->gold == 1 ? "" : "s", carried, cmd_carry_count_max(ch),
		   world_char_carried_weight(ch), cmd_carry_weight_max(ch));
	buf_printf(&out, "%s", info_pos_name(ch->pos));
	if (ch->fighting)
		buf_printf(&out, " (with %s)", act_char_name(ch, ch->fighting));
	buf_putc(&out, '\n');
	if (ch->wimpy > 0)
		buf_printf(&out, "Wimpy: you flee below %d health.\n", ch->wimpy);
	if (ch->pc) {
		int64_t played = ch->pc->played_s + (world_now_ms(w) - ch->pc->login_ms) / 1000;

		if (played < 0)
			played = ch->pc->played_s;
		buf_printf(&out, "Played: %lld hour%s, %lld minute%s.\n",
			   (long long)(played / 3600), played / 3600 == 1 ? "" : "s",
			   (long long)(played % 3600 / 60), played % 3600 / 60 == 1 ? "" : "s");
		if (ch->pc->roles)
			buf_printf(&out, "Roles:%s%s.\n",
				   (ch->pc->roles & PLAYER_ROLE_BUILDER) ? " builder" : "",
				   (ch->pc->roles & PLAYER_ROLE_ADMIN) ? " admin" : "");
	}
	world_send(w, ch, buf_cstr(&out));
	buf_fini(&out);
}

void cmd_inventory(struct world *w, struct character *ch, const char *arg)
{
	struct buf out;

	(void)arg;
	buf_init(&out, 0);
	buf_puts(&out, "You are carrying:\n");
	cmd_show_items(&out, ch, &ch->inventory, false, true);
	world_send(w, ch, buf_cstr(&out));
	buf_fini(&out);
}

void cmd_equipment(struct world *w, struct character *ch, const char *arg)
{
	struct buf out;
	bool any = false;

	(void)arg;
	buf_init(&out, 0);
	buf_puts(&out, "You are using:\n");
	for (int s = 0; s < WEAR_COUNT; s++) {
		if (!ch->equip[s])
			continue;
		any = true;
		buf_printf(&out, "%-20s %s\n", info_slot_label[s], world_item_name(ch->equip[s]));
	}
	if (!any)
		buf_puts(&out, "     Nothing.\n");
	world_send(w, ch, buf_cstr(&out));
	buf_fini(&out);
}

void cmd_time(struct world *w, struct character *ch, const char *arg)
{
	const struct sky *sky = world_sky(w);
	int h = sky->hour % 12 ? sky->hour % 12 : 12;
	static const char *const says[] = {
		[PERIOD_DAWN] = "Dawn is breaking.",
		[PERIOD_DAY] = "It is day.",
		[PERIOD_DUSK] = "Dusk is falling.",
		[PERIOD_NIGHT] = "It is night.",
	};

	(void)arg;
	world_sendf(w, ch, "It is %d o'clock in the %s. %s\n", h,
		    sky->hour < 12   ? (sky->hour < 5 ? "night" : "morning")
		    : sky->hour < 18 ? "afternoon"
				     : "evening",
		    says[sky->period]);
}

void cmd_weather(struct world *w, struct character *ch, const char *arg)
{
	const struct sky *sky = world_sky(w);
	bool night = sky->period == PERIOD_NIGHT;
	static const char *const day[] = {
		[WEATHER_CLEAR] = "The sky is clear and blue.",
		[WEATHER_CLOUDY] = "Grey clouds cover the sky.",
		[WEATHER_RAIN] = "Rain falls steadily from a grey sky.",
		[WEATHER_FOG] = "A thick fog hides everything beyond a stone's throw.",
		[WEATHER_STORM] = "A storm rages: wind, rain and thunder.",
	};
	static const char *const dark[] = {
		[WEATHER_CLEAR] = "The sky is clear, and full of stars.",
		[WEATHER_CLOUDY] = "Clouds hide the moon and the stars.",
		[WEATHER_RAIN] = "Rain falls out of the dark.",
		[WEATHER_FOG] = "A cold fog fills the night.",
		[WEATHER_STORM] =
			"A storm rages in the dark; lightning shows the world in flashes.",
	};

	(void)arg;
	if (!world_room_outdoors(ch->room)) {
		world_send(w, ch, "You cannot see the sky from here.\n");
		return;
	}
	world_sendf(w, ch, "%s\n", (night ? dark : day)[sky->weather]);
}
