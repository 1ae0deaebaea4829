/*
 * player.c: player characters: creation by path, entering and leaving the
 * world, link-dead and reconnect, and the lookups by name and session.
 * Their JSON form is in save.c, their timeouts in pulse.c.
 *
 * Start reading at world_player_new() and world_player_enter().
 */
#include "game/world.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/color.h"
#include "base/xalloc.h"
#include "game/internal.h"
#include "base/banned.h"

/* A creation path: its starting maxima and gear (item proto ids, worn if they fit). */
struct player_path {
	const char *name;
	const char *blurb;
	int hp, mana, move;
	const char *gear[3];
};

static const struct player_path player_paths[] = {
	{"fighter",
	 "Steel and grit: the most hit points, a sword and a padded jerkin.",
	 30,
	 10,
	 80,
	 {"emberfall:practice_sword", "emberfall:padded_jerkin", NULL}},
	{"scout",
	 "Quick feet and a sharp knife: the most movement, soft boots for the road.",
	 24,
	 10,
	 120,
	 {"emberfall:hunting_knife", "emberfall:soft_boots", NULL}},
	{"scholar",
	 "Patience and lore: the most mana, an oak staff and a lantern against the dark.",
	 20,
	 40,
	 80,
	 {"emberfall:oak_staff", "emberfall:lantern", NULL}},
};

#define PLAYER_PATH_COUNT (sizeof(player_paths) / sizeof(player_paths[0]))

const char *const world_paths[] = {"fighter", "scout", "scholar", NULL};

static const struct player_path *player_path_find(const char *name)
{
	for (size_t i = 0; name && i < PLAYER_PATH_COUNT; i++)
		if (strcmp(player_paths[i].name, name) == 0)
			return &player_paths[i];
	return NULL;
}

const char *world_path_blurb(const char *path)
{
	const struct player_path *p = player_path_find(path);
	return p ? p->blurb : NULL;
}

struct character *world_player_alloc(struct world *w, const char *name)
{
	struct character *ch = xcalloc(1, sizeof(*ch));
	ch->pc = xcalloc(1, sizeof(*ch->pc));
	ch->name = xstrdup(name);
	ch->keywords = xstrdup(name);
	ch->short_desc = xstrdup(name);
	dlink_init(&ch->room_link);
	dlink_init(&ch->world_link);
	dlist_init(&ch->inventory);
	ch->pos = POS_STANDING;
	ch->level = 1;
	ch->pc->color = -1;
	ch->ref = world_ref_alloc(w, REF_CHAR, ch);
	return ch;
}

struct character *world_player_new(struct world *w, const char *name, const char *path,
				   enum pronouns pronouns)
{
	const struct player_path *p = player_path_find(path);

	if (!p || !name || !*name)
		return NULL;
	struct character *ch = world_player_alloc(w, name);
	ch->pronouns = (unsigned)pronouns <= PRONOUNS_SHE ? pronouns : PRONOUNS_THEY;
	ch->max_hp = ch->hp = p->hp;
	ch->max_mana = ch->mana = p->mana;
	ch->max_move = ch->move = p->move;
	ch->gold = 10;
	ch->pc->path = xstrdup(p->name);
	ch->pc->title = xstrdup("the newcomer");
	ch->pc->created = clock_wall_s();
	ch->pc->dirty = true;
	for (size_t i = 0; p->gear[i]; i++) {
		struct item_proto *proto = world_find_item_proto(w, p->gear[i]);
		struct item *it = proto ? world_item_create(w, proto) : NULL;
		if (!it)
			continue;
		item_to_char(it, ch);
		for (int s = 0; s < WEAR_COUNT; s++)
			if (item_equip(ch, it, (enum wear_slot)s) == 0)
				break;
	}
	return ch;
}

/* ---- lookups ------------------------------------------------------------------ */

struct character *world_find_player(const struct world *w, const char *name)
{
	return name ? map_get(&w->players, name) : NULL;
}

struct character *world_player_by_session(const struct world *w, uint32_t session)
{
	size_t pos = 0;
	const char *key;
	void *val;

	if (!session)
		return NULL;
	while (map_next(&w->players, &pos, &key, &val)) {
		struct character *ch = val;
		if (ch->pc->session == session)
			return ch;
	}
	return NULL;
}

size_t world_player_count(const struct world *w)
{
	return w->players.count;
}

size_t world_area_player_count(const struct world *w, const struct area *area)
{
	size_t pos = 0, n = 0;
	const char *key;
	void *val;

	while (map_next(&w->players, &pos, &key, &val)) {
		const struct character *ch = val;
		n += ch->room && ch->room->area == area;
	}
	return n;
}

/* ---- in and out of the world ------------------------------------------------------ */

/* Tells the others in ch's room "<Name> <what>", the name escaped. */
static void player_tell_room(struct world *w, struct character *ch, const char *what)
{
	struct buf msg;

	buf_init(&msg, 0);
	color_escape(&msg, ch->name, strlen(ch->name));
	buf_printf(&msg, " %s\n", what);
	world_send_room(w, ch->room, ch, buf_cstr(&msg));
	buf_fini(&msg);
}

/* Shows the player where they are and sends the client its state, each package once. */
static void player_show(struct world *w, struct character *ch)
{
	if (!ch->pc->session || !ch->room)
		return;
	/* world_send_state() less Room.Info, which cmd_look_room() sends. */
	gmcp_send_name(w, ch);
	gmcp_send_vitals(w, ch);
	gmcp_send_status(w, ch);
	gmcp_send_items_list(w, ch, "inv");
	gmcp_send_channel_list(w, ch);
	cmd_look_room(w, ch);
}

void world_player_enter(struct world *w, struct character *ch, uint32_t session)
{
	assert(ch->pc && !ch->extracted);
	struct character *other = map_get(&w->players, ch->name);
	if (other && other != ch) {
		log_error(w->log, "world: %s entered twice; the older copy leaves", ch->name);
		world_extract_char(w, other);
	}
	map_put(&w->players, ch->name, ch);
	if (!dlink_linked(&ch->world_link))
		dlist_push_back(&w->chars, &ch->world_link);

	ch->pc->session = session;
	ch->pc->login_ms = w->now_ms;
	ch->pc->idle_since_ms = w->now_ms;
	ch->pc->linkdead_since_ms = 0;
	ch->pos = POS_STANDING;

	struct room *room = world_find_room(w, ch->pc->load_room);
	if (!room)
		room = w->start_room;
	if (!room) {
		log_error(w->log, "world: no room for %s to enter (no start room)", ch->name);
		return;
	}
	char_to_room(ch, room);
	player_tell_room(w, ch, "has entered the game.");
	gmcp_room_changed(w, room, ch);
	player_show(w, ch);
}

void world_player_linkdead(struct world *w, struct character *ch)
{
	assert(ch->pc);
	ch->pc->session = 0;
	ch->pc->linkdead_since_ms = w->now_ms;
	ch->pc->dirty = true;
	if (ch->room) {
		struct buf what;
		buf_init(&what, 0);
		buf_printf(&what, "has lost %s link.", world_pronoun_poss(ch));
		player_tell_room(w, ch, buf_cstr(&what));
		buf_fini(&what);
		gmcp_room_changed(w, ch->room, ch);
	}
}

void world_player_reconnect(struct world *w, struct character *ch, uint32_t session)
{
	assert(ch->pc);
	ch->pc->session = session;
	ch->pc->linkdead_since_ms = 0;
	ch->pc->idle_since_ms = w->now_ms;
	if (ch->room) {
		player_tell_room(w, ch, "has reconnected.");
		gmcp_room_changed(w, ch->room, ch);
	}
	player_show(w, ch);
}

void world_player_leave(struct world *w, struct character *ch)
{
	assert(ch->pc);
	world_extract_char(w, ch);
}
