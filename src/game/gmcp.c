/*
 * gmcp.c: the structured data a player's client gets beside the text, as
 * GMCP packages (IRE / Mudlet conventions) built with jansson and handed to
 * ops->data, which sends each only if the client asked for it.
 *
 *   Char.Name          {"name":"Ayla","fullname":"Ayla the Brave"}
 *   Char.Vitals        {"hp":20,"maxhp":20,"mp":5,"maxmp":5,"mv":100,"maxmv":100}
 *   Char.Status        {"level":1,"exp":0,"gold":5,"path":"fighter","pos":"standing",
 *                       "area":"Emberfall","room":"Lantern Square","exp_next":100,
 *                       "fighting":"a fat crow"}  (fighting is null out of combat)
 *   Char.Combat        {"target":"a fat crow","target_hp":60} each round; {} when it ends
 *   Char.Items.List    {"location":"inv","items":[{"id":"4097","name":"a torch","attrib":"w"}]}
 *   Char.Items.Add     {"location":"room","item":{"id":"4097","name":"a torch"}}
 *   Char.Items.Remove  the same shape as Add
 *   Char.Items.Update  the same shape, after wearing or removing
 *   Room.Info          {"num":1234,"name":..,"area":..,"environment":..,"coords":"0,1,0",
 *                       "exits":{"n":1235},"desc":..,"players":["Ayla","Bo"],
 *                       "items":["a torch"]}  (+ "players_more":970 in a crowd)
 *   Comm.Channel.Text  {"channel":"say","talker":"Ayla","text":"Ayla says, 'hi'","message":"hi"}
 *   Comm.Channel.List  [{"name":"chat","caption":"Chat","command":"chat"}]
 *
 * Item ids are strings (IRE style, and safe from JavaScript number
 * rounding). attrib letters: w worn, W wearable, c container, t takeable.
 * Every string is plain text: markup is rendered with no color. A room is
 * described only as far as anyone in it can see: in the dark, Room.Info
 * keeps num, name, area, coords and exits, and its desc, players and items
 * are empty. Room.Info is the same for everyone in the room (its players
 * include the one who gets it), so when someone arrives or leaves, or the
 * floor's items change, it is built once and sent to every player there
 * whose client asked for it (gmcp_room_changed()); in a crowd, at most
 * once a pulse at once and the rest of a pulse's changes together at the
 * next (gmcp_room_info_due()).
 *
 * Nothing is built for a client that did not ask for the package
 * (gmcp_wants(), through ops->wants).
 *
 * Start reading at gmcp_send(); world_send_state() is at the end.
 */
#include "game/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/color.h"
#include "base/list.h"
#include "base/utf8.h"
#include "game/cmd.h"
#include "game/world.h"
#include "base/banned.h"

/*
 * True if ch is a linked player whose client asked for package. Every
 * sender asks this before it builds anything: in a crowded room most
 * clients (plain telnet) take no GMCP at all, and building JSON for them
 * was most of the cost of an arrival.
 */
static bool gmcp_wants(const struct world *w, const struct character *ch, const char *package)
{
	if (!ch || !ch->pc || !ch->pc->session || ch->extracted || !w->ops.data)
		return false;
	return !w->ops.wants || w->ops.wants(w->ops.ud, ch->pc->session, package);
}

/* Sends obj as package to ch if ch is a linked player that wants it; takes obj's reference. */
static void gmcp_send(struct world *w, const struct character *ch, const char *package, json_t *obj)
{
	char *text;

	if (obj && gmcp_wants(w, ch, package)) {
		text = json_dumps(obj, JSON_COMPACT);
		if (text) {
			w->ops.data(w->ops.ud, ch->pc->session, package, text);
			free(text);
		}
	}
	json_decref(obj);
}

/* Markup as a plain JSON string (colors dropped, bad UTF-8 repaired). */
static json_t *gmcp_plain(const char *markup)
{
	struct buf plain, valid;
	json_t *s;

	if (!markup)
		return json_string("");
	buf_init(&plain, 0);
	buf_init(&valid, 0);
	color_render(&plain, markup, strlen(markup), COLOR_NONE);
	utf8_repair(&valid, buf_cstr(&plain), plain.len);
	s = json_stringn(buf_cstr(&valid), valid.len);
	buf_fini(&plain);
	buf_fini(&valid);
	return s ? s : json_string("");
}

static json_t *gmcp_id(ref_t ref)
{
	char id[24];

	snprintf(id, sizeof(id), "%" PRIu64, (uint64_t)ref);
	return json_string(id);
}

static const char *gmcp_pos_name(enum position pos)
{
	static const char *const names[] = {"dead",    "sleeping", "resting",
					    "sitting", "fighting", "standing"};

	return pos >= POS_DEAD && pos <= POS_STANDING ? names[pos] : "standing";
}

static const char *gmcp_area_name(const struct room *room)
{
	if (!room || !room->area)
		return "";
	return room->area->name ? room->area->name : room->area->id;
}

/* {"id","name","attrib"} for it as viewer knows it. */
static json_t *gmcp_item_obj(const struct item *it, const struct character *viewer)
{
	char attrib[8];
	size_t n = 0;
	json_t *o = json_object();

	json_object_set_new(o, "id", gmcp_id(it->ref));
	json_object_set_new(o, "name", gmcp_plain(world_item_name(it)));
	if (it->worn_on >= 0)
		attrib[n++] = 'w';
	else if (it->carried_by == viewer && it->proto &&
		 (it->proto->wear_slots & ~(1u << WEAR_HOLD)) != 0)
		attrib[n++] = 'W';
	if (it->proto && it->proto->type == ITEM_CONTAINER)
		attrib[n++] = 'c';
	if (it->in_room && it->proto && !(it->flags & ITEM_NOTAKE))
		attrib[n++] = 't';
	attrib[n] = '\0';
	if (n)
		json_object_set_new(o, "attrib", json_string(attrib));
	return o;
}

void gmcp_send_name(struct world *w, const struct character *ch)
{
	struct buf full;
	json_t *o;

	if (!gmcp_wants(w, ch, "Char.Name"))
		return;
	buf_init(&full, 0);
	cmd_put_full_name(&full, ch);
	o = json_object();
	json_object_set_new(o, "name", gmcp_plain(world_char_name(ch)));
	json_object_set_new(o, "fullname", gmcp_plain(buf_cstr(&full)));
	buf_fini(&full);
	gmcp_send(w, ch, "Char.Name", o);
}

void gmcp_send_vitals(struct world *w, const struct character *ch)
{
	if (!gmcp_wants(w, ch, "Char.Vitals"))
		return;
	gmcp_send(w, ch, "Char.Vitals",
		  json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}", "hp", ch->hp, "maxhp", ch->max_hp, "mp",
			    ch->mana, "maxmp", ch->max_mana, "mv", ch->move, "maxmv",
			    ch->max_move));
}

void gmcp_send_status(struct world *w, const struct character *ch)
{
	json_t *o;

	if (!gmcp_wants(w, ch, "Char.Status"))
		return;
	o = json_pack("{s:i,s:I,s:i,s:s,s:s}", "level", ch->level, "exp", (json_int_t)ch->exp,
		      "gold", ch->gold, "path", ch->pc->path ? ch->pc->path : "", "pos",
		      gmcp_pos_name(ch->pos));
	if (!o)
		return;
	json_object_set_new(o, "area", gmcp_plain(gmcp_area_name(ch->room)));
	json_object_set_new(o, "room", gmcp_plain(ch->room ? ch->room->name : ""));
	json_object_set_new(o, "exp_next", json_integer(level_exp_next(ch)));
	json_object_set_new(o, "fighting",
			    ch->fighting && !ch->fighting->extracted
				    ? gmcp_plain(act_char_name(ch, ch->fighting))
				    : json_null());
	gmcp_send(w, ch, "Char.Status", o);
}

void gmcp_send_combat(struct world *w, const struct character *ch)
{
	const struct character *foe;
	json_t *o;

	if (!gmcp_wants(w, ch, "Char.Combat"))
		return;
	foe = ch->fighting;
	o = json_object();
	if (foe && !foe->extracted) {
		int pct = foe->max_hp > 0 ? (int)((int64_t)foe->hp * 100 / foe->max_hp) : 0;

		json_object_set_new(o, "target", gmcp_plain(act_char_name(ch, foe)));
		json_object_set_new(o, "target_hp", json_integer(pct < 0 ? 0 : pct));
	}
	gmcp_send(w, ch, "Char.Combat", o);
}

void gmcp_send_items_list(struct world *w, const struct character *ch, const char *location)
{
	json_t *items, *o;

	if (!gmcp_wants(w, ch, "Char.Items.List"))
		return;
	items = json_array();
	if (strcmp(location, "room") == 0) {
		if (ch->room) {
			DLIST_FOREACH(&ch->room->items, l)
			{
				const struct item *it = dlist_entry(l, struct item, link);

				if (!it->extracted && act_sees_item(ch, it))
					json_array_append_new(items, gmcp_item_obj(it, ch));
			}
		}
	} else {
		location = "inv";
		DLIST_FOREACH(&ch->inventory, l)
		{
			const struct item *it = dlist_entry(l, struct item, link);

			if (!it->extracted)
				json_array_append_new(items, gmcp_item_obj(it, ch));
		}
		for (int s = 0; s < WEAR_COUNT; s++)
			if (ch->equip[s] && !ch->equip[s]->extracted)
				json_array_append_new(items, gmcp_item_obj(ch->equip[s], ch));
	}
	o = json_object();
	json_object_set_new(o, "location", json_string(location));
	json_object_set_new(o, "items", items);
	gmcp_send(w, ch, "Char.Items.List", o);
}

static void gmcp_item_message(struct world *w, const struct character *ch, const char *package,
			      const char *location, const struct item *it)
{
	json_t *o;

	if (!gmcp_wants(w, ch, package))
		return;
	o = json_object();
	json_object_set_new(o, "location", json_string(location));
	json_object_set_new(o, "item", gmcp_item_obj(it, ch));
	gmcp_send(w, ch, package, o);
}

void gmcp_send_item_change(struct world *w, const struct character *ch, const char *location,
			   const struct item *it, bool add)
{
	if (!ch || !ch->pc || !it)
		return;
	gmcp_item_message(w, ch, add ? "Char.Items.Add" : "Char.Items.Remove", location, it);
}

void gmcp_send_item_update(struct world *w, const struct character *ch, const struct item *it)
{
	if (!ch || !ch->pc || !it)
		return;
	gmcp_item_message(w, ch, "Char.Items.Update", "inv", it);
}

void gmcp_room_item_change(struct world *w, const struct room *room, const struct item *it,
			   bool add)
{
	if (!room || !it)
		return;
	DLIST_FOREACH(&room->people, l)
	{
		const struct character *ch = dlist_entry(l, struct character, room_link);

		if (ch->pc && act_sees_item(ch, it))
			gmcp_send_item_change(w, ch, "room", it, add);
	}
}

static const char *const gmcp_dir_short[DIR_COUNT] = {"n", "e", "s", "w", "u", "d"};

/*
 * Room.Info for room, the same for everyone in it (so a change is rendered
 * once, not once per viewer): players lists the players there, the viewer
 * included, in the order they came, the first CMD_LOOK_PEOPLE_MAX of a
 * crowd, and players_more counts the rest (only when there is a rest).
 * Returns the JSON text (free() it), or NULL.
 */
static char *gmcp_room_info(const struct room *room)
{
	bool lit = world_room_is_lit(room);
	json_t *o = json_object(), *exits = json_object();
	json_t *players = json_array(), *items = json_array();
	char *text;

	json_object_set_new(o, "num", json_integer(room->num));
	json_object_set_new(o, "name", gmcp_plain(room->name));
	json_object_set_new(o, "area", gmcp_plain(gmcp_area_name(room)));
	json_object_set_new(o, "environment", gmcp_plain(room->environment));
	if (room->has_coords) {
		char coords[48];

		snprintf(coords, sizeof(coords), "%d,%d,%d", room->x, room->y, room->z);
		json_object_set_new(o, "coords", json_string(coords));
	}
	for (int d = 0; d < DIR_COUNT; d++) {
		const struct exit *ex = room->exits[d];

		if (ex && ex->to && !(ex->flags & EXIT_HIDDEN))
			json_object_set_new(exits, gmcp_dir_short[d], json_integer(ex->to->num));
	}
	json_object_set_new(o, "exits", exits);
	json_object_set_new(o, "desc", gmcp_plain(lit ? room->desc : ""));
	if (lit) {
		size_t more = 0, walked = 0;

		DLIST_FOREACH(&room->people, l)
		{
			const struct character *ch = dlist_entry(l, struct character, room_link);

			/* Full, and past the mobs (char_to_room puts them first): the
			 * rest are players, counted, not walked (a look in a square of
			 * a thousand walked all thousand). */
			if (ch->pc && json_array_size(players) == CMD_LOOK_PEOPLE_MAX) {
				more = room->people.count - walked;
				break;
			}
			walked++;
			if (ch->pc && !ch->extracted)
				json_array_append_new(players, gmcp_plain(world_char_name(ch)));
		}
		if (more)
			json_object_set_new(o, "players_more", json_integer((json_int_t)more));
		DLIST_FOREACH(&room->items, l)
		{
			const struct item *it = dlist_entry(l, struct item, link);

			if (!it->extracted)
				json_array_append_new(items, gmcp_plain(world_item_name(it)));
		}
	}
	json_object_set_new(o, "players", players);
	json_object_set_new(o, "items", items);
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

/*
 * In a crowd (more than GMCP_ROOM_CROWD there), the first change in a
 * pulse is sent at once and later ones in the same pulse wait for the
 * next, going as one Room.Info (to everyone there, except included: what
 * it saw may be stale by then). A crowd's comings and goings then cost
 * each of its players at most ten a second instead of one per arrival: a
 * thousand players logging in to one square sent each of them up to a
 * thousand Room.Info of ~1.5 KiB. A smaller room gets every change at once.
 */
#define GMCP_ROOM_CROWD 32

/*
 * In a crowd (more than GMCP_ROOM_CROWD there) Room.Info's text is built
 * once a pulse and kept in the room: each of a thousand looks a second
 * sent its own, rebuilt from twenty names and the room's items (jansson,
 * two allocations a string), the same text every time. The memo holds
 * for the pulse it was built in while the room's lighting stays the same,
 * and gmcp_room_changed() drops it; a change that does not go through
 * there (an area reload) shows from the next pulse, as a crowd's
 * coalesced changes do. Smaller rooms build it each time and keep
 * nothing (most rooms would otherwise hold their last text for good).
 * Returns the text, owned by the room (or by *own, free() it), or NULL.
 */
static const char *gmcp_room_info_memo(struct world *w, struct room *room, char **own)
{
	bool lit = world_room_is_lit(room);

	*own = NULL;
	if (room->people.count <= GMCP_ROOM_CROWD) {
		*own = gmcp_room_info(room);
		return *own;
	}
	if (room->info_memo && room->info_memo_ms == w->now_ms && room->info_memo_lit == lit)
		return room->info_memo;
	free(room->info_memo);
	room->info_memo = gmcp_room_info(room);
	room->info_memo_ms = w->now_ms;
	room->info_memo_lit = lit;
	return room->info_memo;
}

static void gmcp_room_info_forget(struct room *room)
{
	free(room->info_memo);
	room->info_memo = NULL;
}

void gmcp_send_room_info(struct world *w, const struct character *ch)
{
	const char *text;
	char *own;

	if (!ch || !ch->room || !gmcp_wants(w, ch, "Room.Info"))
		return;
	text = gmcp_room_info_memo(w, ch->room, &own);
	if (text)
		w->ops.data(w->ops.ud, ch->pc->session, "Room.Info", text);
	free(own);
}

/* Room.Info to every player in room but except whose client wants it, built once. */
static void gmcp_room_info_to_all(struct world *w, struct room *room,
				  const struct character *except)
{
	const char *text = NULL;
	char *own = NULL;

	room->info_sent_ms = w->now_ms;
	DLIST_FOREACH(&room->people, l)
	{
		const struct character *ch = dlist_entry(l, struct character, room_link);

		if (ch == except || !gmcp_wants(w, ch, "Room.Info"))
			continue;
		if (!text)
			text = gmcp_room_info_memo(w, room, &own);
		if (!text)
			return;
		w->ops.data(w->ops.ud, ch->pc->session, "Room.Info", text);
	}
	free(own);
}

void gmcp_room_changed(struct world *w, struct room *room, const struct character *except)
{
	if (room)
		gmcp_room_info_forget(room);
	if (!room || dlink_linked(&room->info_due))
		return;
	if (room->info_sent_ms == w->now_ms && room->people.count > GMCP_ROOM_CROWD) {
		dlist_push_back(&w->room_info_due, &room->info_due);
		return;
	}
	gmcp_room_info_to_all(w, room, except);
}

void gmcp_room_info_due(struct world *w)
{
	while (!dlist_empty(&w->room_info_due)) {
		struct room *room = dlist_entry(w->room_info_due.head.next, struct room, info_due);

		dlist_remove(&w->room_info_due, &room->info_due);
		gmcp_room_info_to_all(w, room, NULL);
	}
}

void gmcp_text_memo_init(struct gmcp_text_memo *m)
{
	buf_init(&m->key, 0);
	m->json = NULL;
}

void gmcp_text_memo_fini(struct gmcp_text_memo *m)
{
	buf_fini(&m->key);
	free(m->json);
	m->json = NULL;
}

static bool gmcp_text_memo_has(const struct gmcp_text_memo *m, const char *talker, const char *line)
{
	size_t tn = strlen(talker), ln = strlen(line);

	return m->json && m->key.len == tn + 1 + ln && memcmp(m->key.data, talker, tn + 1) == 0 &&
	       memcmp(m->key.data + tn + 1, line, ln) == 0;
}

void gmcp_send_channel_text(struct world *w, const struct character *to, const char *channel,
			    const char *talker, const char *line_markup, const char *message,
			    struct gmcp_text_memo *memo)
{
	json_t *o;
	char *text;

	if (!gmcp_wants(w, to, "Comm.Channel.Text"))
		return;
	if (memo && gmcp_text_memo_has(memo, talker, line_markup)) {
		w->ops.data(w->ops.ud, to->pc->session, "Comm.Channel.Text", memo->json);
		return;
	}
	o = json_object();
	json_object_set_new(o, "channel", json_string(channel));
	json_object_set_new(o, "talker", gmcp_plain(talker));
	json_object_set_new(o, "text", gmcp_plain(line_markup));
	json_object_set_new(o, "message", gmcp_plain(message));
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text)
		return;
	w->ops.data(w->ops.ud, to->pc->session, "Comm.Channel.Text", text);
	if (!memo) {
		free(text);
		return;
	}
	free(memo->json);
	memo->json = text;
	buf_clear(&memo->key);
	buf_append(&memo->key, talker, strlen(talker) + 1);
	buf_puts(&memo->key, line_markup);
}

void gmcp_send_channel_list(struct world *w, const struct character *ch)
{
	json_t *list;

	if (!gmcp_wants(w, ch, "Comm.Channel.List"))
		return;
	list = json_array();
	for (const struct cmd_channel *c = cmd_channels_table; c->name; c++)
		json_array_append_new(list, json_pack("{s:s,s:s,s:s}", "name", c->name, "caption",
						      c->caption, "command", c->name));
	gmcp_send(w, ch, "Comm.Channel.List", list);
}

void world_send_state(struct world *w, const struct character *ch)
{
	if (!ch || !ch->pc)
		return;
	gmcp_send_name(w, ch);
	gmcp_send_vitals(w, ch);
	gmcp_send_status(w, ch);
	gmcp_send_items_list(w, ch, "inv");
	gmcp_send_room_info(w, ch);
	gmcp_send_channel_list(w, ch);
}
