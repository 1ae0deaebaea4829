/*
 * cmd_fixture.h: a small hand-built world for the command tests
 * (test_cmd*.c, test_act.c, test_find.c, test_gmcp.c), with two players
 * on recording sessions (tests/unit/fake_ops.h). Header only; every
 * function is static inline.
 *
 *            tower (hidden, up)
 *                 |
 *   inn --------- square ------- field (forest)
 *    |  (north)     |  (east)
 *  cellar         yard: behind the iron gate (south), closed and locked,
 *  (dark, down)         key t:gate_key
 *
 * Ayla (she/her, session 1) and Bo (he/him, session 2) stand in the square.
 * cfx_do() clears what was recorded, then runs a command line.
 */
#ifndef RUIN_TESTS_CMD_FIXTURE_H
#define RUIN_TESTS_CMD_FIXTURE_H

#include <jansson.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "fake_ops.h"
#include "game/internal.h"
#include "game/world.h"

#define CFX_AYLA 1u
#define CFX_BO	 2u

struct cfx {
	struct fake_ops f;
	struct world_ops ops;
	struct world_config cfg;
	struct world *w;
	struct area *a;
	struct room *square, *inn, *yard, *cellar, *field, *tower;
	struct character *ayla, *bo;
};

static inline struct room *cfx_room(struct cfx *x, const char *id, const char *name,
				    const char *env, unsigned flags, int px, int py)
{
	struct room *r = world_room_new(x->w, x->a, id);

	assert_non_null(r);
	world_set_str(&r->name, name);
	world_set_str(&r->environment, env);
	r->flags = flags;
	r->x = px;
	r->y = py;
	r->has_coords = true;
	return r;
}

static inline struct item_proto *cfx_proto(struct cfx *x, const char *id, enum item_type type,
					   const char *keywords, const char *short_desc,
					   const char *long_desc)
{
	struct item_proto *p = world_item_proto_new(x->w, x->a, id);

	assert_non_null(p);
	p->type = type;
	world_set_str(&p->keywords, keywords);
	world_set_str(&p->short_desc, short_desc);
	world_set_str(&p->long_desc, long_desc);
	p->weight = 1;
	return p;
}

static inline struct exit *cfx_door(struct cfx *x, struct room *from, enum dir d, const char *to,
				    unsigned flags)
{
	struct exit *ex = world_exit_set(x->w, from, d, to);

	world_set_str(&ex->door_keywords, "gate iron");
	world_set_str(&ex->key_id, "t:gate_key");
	ex->flags = EXIT_DOOR | flags;
	return ex;
}

static inline struct character *cfx_player(struct cfx *x, const char *name, enum pronouns pronouns,
					   uint32_t session)
{
	struct character *ch = world_player_new(x->w, name, "fighter", pronouns);

	assert_non_null(ch);
	world_player_enter(x->w, ch, session);
	assert_ptr_equal(ch->room, x->square);
	return ch;
}

static inline int cfx_setup(void **state)
{
	struct cfx *x = xcalloc(1, sizeof(*x));
	struct item_proto *p;
	struct mob_proto *m;
	struct buf errors;

	fake_ops_init(&x->f, &x->ops);
	x->cfg.linkdead_timeout_s = 60;
	x->cfg.autosave_s = 600;
	x->cfg.mud_name = "Testland MUD";
	x->w = world_new(NULL, &x->ops, &x->cfg);
	x->a = world_area_new(x->w, "t");
	world_set_str(&x->a->name, "Testland");

	x->square = cfx_room(x, "t:square", "Lantern Square", "village", ROOM_START, 0, 0);
	world_set_str(&x->square->desc, "Lanterns hang over a dry fountain.");
	world_extra_add(&x->square->extra, "fountain basin", "A stone fish spits no water.");
	x->inn = cfx_room(x, "t:inn", "The Crooked Inn", "inside", ROOM_INDOORS, 0, 1);
	x->yard = cfx_room(x, "t:yard", "The Yard", "village", 0, 0, -1);
	x->cellar = cfx_room(x, "t:cellar", "A Cellar", "inside", ROOM_DARK, 0, 1);
	x->field = cfx_room(x, "t:field", "A Bramble Field", "forest", 0, 1, 0);
	x->tower = cfx_room(x, "t:tower", "The Tower", "inside", 0, 0, 0);
	world_exit_set(x->w, x->square, DIR_NORTH, "inn");
	world_exit_set(x->w, x->inn, DIR_SOUTH, "square");
	world_exit_set(x->w, x->square, DIR_EAST, "field");
	world_exit_set(x->w, x->field, DIR_WEST, "square");
	world_exit_set(x->w, x->inn, DIR_DOWN, "cellar");
	world_exit_set(x->w, x->cellar, DIR_UP, "inn");
	world_exit_set(x->w, x->square, DIR_UP, "tower")->flags = EXIT_HIDDEN;
	world_exit_set(x->w, x->tower, DIR_DOWN, "square");
	world_set_str(&cfx_door(x, x->square, DIR_SOUTH, "yard", EXIT_CLOSED | EXIT_LOCKED)->desc,
		      "Iron bars, rusted at the hinges.");
	cfx_door(x, x->yard, DIR_NORTH, "square", EXIT_CLOSED | EXIT_LOCKED);

	p = cfx_proto(x, "t:sword", ITEM_WEAPON, "sword steel", "a steel sword",
		      "A steel sword lies here.");
	p->wear_slots = 1u << WEAR_WIELD;
	world_set_str(&p->desc, "Its edge is keen.");
	p = cfx_proto(x, "t:rusty", ITEM_WEAPON, "sword rusty", "a rusty sword",
		      "A rusty sword lies here.");
	p->wear_slots = 1u << WEAR_WIELD;
	cfx_proto(x, "t:coin", ITEM_TREASURE, "coin copper", "a copper coin",
		  "A copper coin glints here.");
	p = cfx_proto(x, "t:bag", ITEM_CONTAINER, "bag satchel leather", "a leather satchel",
		      "A leather satchel lies here.");
	p->values[0] = 9;
	p = cfx_proto(x, "t:chest", ITEM_CONTAINER, "chest oak", "an oak chest",
		      "An oak chest sits against the wall.");
	p->flags = ITEM_NOTAKE | ITEM_CLOSED | ITEM_LOCKED;
	world_set_str(&p->key_id, "chest_key");
	cfx_proto(x, "t:chest_key", ITEM_KEY, "key small", "a small key", "A small key lies here.");
	cfx_proto(x, "t:gate_key", ITEM_KEY, "key iron", "an iron key", "An iron key lies here.");
	p = cfx_proto(x, "t:helm", ITEM_ARMOR, "helm helmet dented", "a dented helm",
		      "A dented helm lies here.");
	p->wear_slots = 1u << WEAR_HEAD;
	p = cfx_proto(x, "t:cap", ITEM_ARMOR, "cap wool", "a wool cap", "A wool cap lies here.");
	p->wear_slots = 1u << WEAR_HEAD;
	p = cfx_proto(x, "t:crown", ITEM_ARMOR, "crown gold", "a gold crown", "A gold crown.");
	p->wear_slots = 1u << WEAR_HEAD;
	p->level = 50;
	p = cfx_proto(x, "t:lantern", ITEM_LIGHT, "lantern brass", "a brass lantern",
		      "A brass lantern lies here.");
	p->wear_slots = 1u << WEAR_LIGHT;
	p->values[0] = 10;
	world_extra_add(&p->extra, "glass", "Etched with a tiny fox.");
	cfx_proto(x, "t:statue", ITEM_OTHER, "statue marble", "a marble statue",
		  "A marble statue stands here.")
		->flags = ITEM_NOTAKE;
	cfx_proto(x, "t:anvil", ITEM_OTHER, "anvil", "an anvil", "An anvil squats here.")->weight =
		5000;
	cfx_proto(x, "t:doll", ITEM_OTHER, "doll", "a sad doll", "A sad doll lies here.")->flags =
		ITEM_NODROP;
	cfx_proto(x, "t:gem", ITEM_TREASURE, "gem", "a blue gem", "A blue gem lies here.")->flags =
		ITEM_UNIQUE;
	p = cfx_proto(x, "t:rock", ITEM_OTHER, "rock", "a rock", "A rock lies here.");
	p->weight = 8;

	m = world_mob_proto_new(x->w, x->a, "t:cat");
	world_set_str(&m->keywords, "cat grey");
	world_set_str(&m->short_desc, "a grey cat");
	world_set_str(&m->long_desc, "A grey cat washes itself here.");
	world_set_str(&m->desc, "The cat ignores you with great skill.");
	m->hp = 5;

	buf_init(&errors, 0);
	assert_int_equal(world_resolve(x->w, &errors), 0);
	buf_fini(&errors);

	x->ayla = cfx_player(x, "Ayla", PRONOUNS_SHE, CFX_AYLA);
	x->bo = cfx_player(x, "Bo", PRONOUNS_HE, CFX_BO);
	fake_ops_clear(&x->f);
	*state = x;
	return 0;
}

static inline int cfx_teardown(void **state)
{
	struct cfx *x = *state;

	world_free(x->w);
	fake_ops_fini(&x->f);
	free(x);
	return 0;
}

/* A new instance of the prototype id (no place yet). */
static inline struct item *cfx_item(struct cfx *x, const char *id)
{
	struct item_proto *p = world_find_item_proto(x->w, id);
	struct item *it;

	assert_non_null(p);
	it = world_item_create(x->w, p);
	assert_non_null(it);
	return it;
}

static inline struct item *cfx_item_in_room(struct cfx *x, const char *id, struct room *room)
{
	struct item *it = cfx_item(x, id);

	item_to_room(it, room);
	return it;
}

static inline struct item *cfx_item_on(struct cfx *x, const char *id, struct character *ch)
{
	struct item *it = cfx_item(x, id);

	item_to_char(it, ch);
	return it;
}

static inline struct character *cfx_mob(struct cfx *x, const char *id, struct room *room)
{
	struct character *m = world_mob_create(x->w, world_find_mob_proto(x->w, id));

	assert_non_null(m);
	char_to_room(m, room);
	return m;
}

/* Forgets what was recorded, then runs line as ch. */
static inline void cfx_do(struct cfx *x, struct character *ch, const char *line)
{
	fake_ops_clear(&x->f);
	world_command(x->w, ch, line);
}

static inline const char *cfx_text(struct cfx *x, uint32_t session)
{
	return fake_ops_text(&x->f, session);
}

/* True if session was sent text containing needle. */
static inline int cfx_saw(struct cfx *x, uint32_t session, const char *needle)
{
	return strstr(fake_ops_text(&x->f, session), needle) != NULL;
}

/* The last package sent to session, parsed (json_decref it), or NULL. */
static inline json_t *cfx_json(struct cfx *x, uint32_t session, const char *package)
{
	const char *text = fake_ops_data_last(&x->f, session, package);
	json_t *j;

	if (!text)
		return NULL;
	j = json_loads(text, 0, NULL);
	assert_non_null(j);
	return j;
}

/* Moves ch to room directly (no messages). */
static inline void cfx_place(struct character *ch, struct room *room)
{
	char_from_room(ch);
	char_to_room(ch, room);
}

#define CFX_SAW(x, s, needle)                                                                      \
	do {                                                                                       \
		if (!cfx_saw((x), (s), (needle)))                                                  \
			fail_msg("session %u did not get \"%s\"; it got:\n%s", (unsigned)(s),      \
				 (needle), cfx_text((x), (s)));                                    \
	} while (0)
#define CFX_NOT_SAW(x, s, needle)                                                                  \
	do {                                                                                       \
		if (cfx_saw((x), (s), (needle)))                                                   \
			fail_msg("session %u got \"%s\" unexpectedly:\n%s", (unsigned)(s),         \
				 (needle), cfx_text((x), (s)));                                    \
	} while (0)

#endif
