/*
 * test_world.c: the world core: name tables, handles, resolve errors,
 * placement and light, extraction and reaping, resets, players (creation,
 * JSON round trip, corrupt records), entering, link-dead, timeouts,
 * regeneration and autosave. Worlds are built by hand, without Lua.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "fake_ops.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

/* ---- a small world ----------------------------------------------------------- */

struct fixture {
	struct fake_ops f;
	struct world_ops ops;
	struct world_config cfg;
	struct world *w;
	struct area *vale;
	struct room *square, *inn, *cellar;
};

static struct item_proto *mk_item(struct world *w, struct area *a, const char *id,
				  enum item_type type, const char *name)
{
	struct item_proto *p = world_item_proto_new(w, a, id);
	assert_non_null(p);
	p->type = type;
	world_set_str(&p->short_desc, name);
	world_set_str(&p->keywords, name);
	p->weight = 1;
	return p;
}

static struct room *mk_room(struct world *w, struct area *a, const char *id, unsigned flags)
{
	struct room *r = world_room_new(w, a, id);
	assert_non_null(r);
	world_set_str(&r->name, id);
	r->flags = flags;
	return r;
}

/* Builds "vale" (no resolve, no reset): the caller may break it first. */
static void fx_build(struct fixture *x)
{
	fake_ops_init(&x->f, &x->ops);
	x->cfg.linkdead_timeout_s = 5;
	x->cfg.autosave_s = 60;
	x->cfg.idle_timeout_s = 0;
	x->w = world_new(NULL, &x->ops, &x->cfg);
	struct world *w = x->w;

	x->vale = world_area_new(w, "vale");
	assert_non_null(x->vale);
	world_set_str(&x->vale->file, "areas/vale/area.lua");
	x->vale->reset_minutes = 1;
	world_set_str(&x->vale->reset_message, "The wind shifts.");

	x->square = mk_room(w, x->vale, "vale:square", ROOM_START);
	x->inn = mk_room(w, x->vale, "vale:inn", 0);
	x->cellar = mk_room(w, x->vale, "vale:cellar", ROOM_DARK);
	world_exit_set(w, x->square, DIR_NORTH, "inn");
	world_exit_set(w, x->inn, DIR_SOUTH, "vale:square");
	struct exit *down = world_exit_set(w, x->square, DIR_DOWN, "cellar");
	down->flags = EXIT_DOOR | EXIT_CLOSED | EXIT_LOCKED;
	world_set_str(&down->key_id, "cellar_key");
	world_set_str(&down->door_keywords, "trapdoor");
	struct exit *up = world_exit_set(w, x->cellar, DIR_UP, "square");
	up->flags = EXIT_DOOR | EXIT_CLOSED;

	struct item_proto *lantern = mk_item(w, x->vale, "vale:lantern", ITEM_LIGHT, "a lantern");
	lantern->wear_slots = 1u << WEAR_LIGHT;
	lantern->values[0] = 10;
	mk_item(w, x->vale, "vale:orb", ITEM_TREASURE, "a glowing orb")->flags = ITEM_GLOW;
	struct item_proto *chest = mk_item(w, x->vale, "vale:chest", ITEM_CONTAINER, "a chest");
	chest->flags = ITEM_CLOSED | ITEM_NOTAKE;
	mk_item(w, x->vale, "vale:coin", ITEM_TREASURE, "a coin");
	mk_item(w, x->vale, "vale:cellar_key", ITEM_KEY, "a key");
	mk_item(w, x->vale, "vale:sword", ITEM_WEAPON, "a sword")->wear_slots = 1u << WEAR_WIELD;
	mk_item(w, x->vale, "vale:satchel", ITEM_CONTAINER, "a satchel");
	struct item_proto *crown = mk_item(w, x->vale, "vale:crown", ITEM_TREASURE, "a crown");
	crown->max_world = 1;
	crown->wear_slots = 1u << WEAR_HEAD;

	struct mob_proto *guard = world_mob_proto_new(w, x->vale, "vale:guard");
	world_set_str(&guard->short_desc, "the guard");
	guard->hp = 50;
	guard->move = 40;
	struct mob_proto *cat = world_mob_proto_new(w, x->vale, "vale:cat");
	world_set_str(&cat->short_desc, "a cat");
	cat->hp = 5;

	struct spawn *sp = world_spawn_add(w, x->vale, REF_CHAR, "guard", "square", 1);
	sp->wear = xcalloc(3, sizeof(char *));
	sp->wear[0] = xstrdup("sword");
	sp->wear[1] = xstrdup("vale:crown");
	sp->carry = xcalloc(2, sizeof(char *));
	sp->carry[0] = xstrdup("coin");
	world_spawn_add(w, x->vale, REF_CHAR, "cat", "inn", 2);
	world_spawn_add(w, x->vale, REF_ITEM, "chest", "cellar", 0);
	sp = world_spawn_add(w, x->vale, REF_ITEM, "coin", "cellar", 3);
	world_set_str(&sp->container_id, "chest");
	world_spawn_add(w, x->vale, REF_ITEM, "coin", "square", 2);
}

static int fx_setup(void **state)
{
	struct fixture *x = xcalloc(1, sizeof(*x));
	struct buf errors;

	fx_build(x);
	buf_init(&errors, 0);
	int problems = world_resolve(x->w, &errors);
	if (problems)
		print_error("%s", buf_cstr(&errors));
	assert_int_equal(problems, 0);
	buf_fini(&errors);
	*state = x;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fixture *x = *state;
	world_free(x->w);
	fake_ops_fini(&x->f);
	free(x);
	return 0;
}

static struct item *mk(struct fixture *x, const char *proto)
{
	struct item *it = world_item_create(x->w, world_find_item_proto(x->w, proto));
	assert_non_null(it);
	return it;
}

static int count_proto(const struct dlist *list, const char *proto)
{
	int n = 0;
	DLIST_FOREACH(list, l)
	{
		n += strcmp(dlist_entry(l, struct item, link)->proto->id, proto) == 0;
	}
	return n;
}

static int count_mobs(const struct room *r, const char *proto)
{
	int n = 0;
	DLIST_FOREACH(&r->people, l)
	{
		const struct character *ch = dlist_entry(l, struct character, room_link);
		n += ch->proto && strcmp(ch->proto->id, proto) == 0;
	}
	return n;
}

static void pulses(struct world *w, int n)
{
	for (int i = 0; i < n; i++) {
		world_pulse(w);
		world_reap(w);
	}
}

/* ---- tables -------------------------------------------------------------------- */

static void test_tables(void **state)
{
	(void)state;
	assert_int_equal(dir_parse("n"), DIR_NORTH);
	assert_int_equal(dir_parse("Down"), DIR_DOWN);
	assert_int_equal(dir_parse("w"), DIR_WEST);
	assert_int_equal(dir_parse("x"), -1);
	assert_int_equal(dir_parse("nor"), -1);
	assert_int_equal(dir_reverse(DIR_EAST), DIR_WEST);
	assert_int_equal(dir_reverse(DIR_UP), DIR_DOWN);
	assert_string_equal(dir_name(DIR_SOUTH), "south");
	assert_int_equal(item_type_parse("container"), ITEM_CONTAINER);
	assert_int_equal(item_type_parse("bogus"), -1);
	assert_string_equal(item_type_name(ITEM_LIGHT), "light");
	assert_int_equal(wear_slot_parse("wield"), WEAR_WIELD);
	assert_int_equal(wear_slot_parse("tail"), -1);
	assert_string_equal(wear_slot_name(WEAR_FEET), "feet");
	assert_int_equal(pronouns_parse("her"), PRONOUNS_SHE);
	assert_int_equal(pronouns_parse("he"), PRONOUNS_HE);
	assert_int_equal(pronouns_parse("them"), PRONOUNS_THEY);
	assert_int_equal(pronouns_parse("it"), -1);
	assert_string_equal(pronouns_name(PRONOUNS_HE), "he");
	assert_non_null(world_path_blurb("scout"));
	assert_null(world_path_blurb("wizard"));
	assert_string_equal(world_paths[2], "scholar");
	assert_null(world_paths[3]);
}

/* ---- building and resolve -------------------------------------------------------- */

static void test_build_and_resolve(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;

	assert_null(world_area_new(w, "vale"));
	assert_null(world_room_new(w, x->vale, "vale:square"));
	assert_null(world_item_proto_new(w, x->vale, "vale:coin"));
	assert_null(world_mob_proto_new(w, x->vale, "vale:cat"));
	assert_ptr_equal(world_find_area(w, "vale"), x->vale);
	assert_ptr_equal(world_areas(w), x->vale);
	assert_int_equal(world_room_count(w), 3);
	assert_int_equal(x->vale->room_count, 3);
	assert_ptr_equal(world_start_room(w), x->square);
	assert_ptr_equal(x->square->exits[DIR_NORTH]->to, x->inn);
	assert_ptr_equal(x->inn->exits[DIR_SOUTH]->to, x->square);
	assert_ptr_equal(x->cellar->exits[DIR_UP]->to, x->square);
	/* Keys are rewritten as full ids; reset_flags default to the loaded state. */
	assert_string_equal(x->square->exits[DIR_DOWN]->key_id, "vale:cellar_key");
	assert_int_equal(x->square->exits[DIR_DOWN]->reset_flags,
			 EXIT_DOOR | EXIT_CLOSED | EXIT_LOCKED);
	/* Room numbers: stable (from the id), distinct, positive. */
	assert_true(x->square->num > 0 && x->inn->num > 0);
	assert_int_not_equal(x->square->num, x->inn->num);
	assert_int_equal(x->square->num, (int)(map_hash("vale:square", false) & 0x7fffffff));
	assert_ptr_equal(world_ref_room(w, x->square->ref), x->square);
	assert_int_equal(world_ref_kind(w, x->square->ref), REF_ROOM);
}

static void test_room_numbers_stable_across_worlds(void **state)
{
	(void)state;
	struct world *a = world_new(NULL, NULL, NULL), *b = world_new(NULL, NULL, NULL);
	struct area *aa = world_area_new(a, "z"), *ba = world_area_new(b, "z");
	/* Different creation order, same numbers. */
	struct room *a1 = world_room_new(a, aa, "z:one"), *a2 = world_room_new(a, aa, "z:two");
	struct room *b2 = world_room_new(b, ba, "z:two"), *b1 = world_room_new(b, ba, "z:one");
	assert_int_equal(a1->num, b1->num);
	assert_int_equal(a2->num, b2->num);
	world_free(a);
	world_free(b);
}

static void test_resolve_errors(void **state)
{
	(void)state;
	struct fixture x;
	struct buf errors;

	memset(&x, 0, sizeof(x));
	fx_build(&x);
	struct world *w = x.w;
	x.square->flags = 0;						/* no start room left */
	world_exit_set(w, x.inn, DIR_EAST, "cellr");			/* typo: cellar */
	world_exit_set(w, x.inn, DIR_WEST, "elsewhere:road");		/* unknown area */
	world_set_str(&x.square->exits[DIR_DOWN]->key_id, "cellar_ky"); /* bad key */
	world_spawn_add(w, x.vale, REF_CHAR, "gaurd", "square", 1);	/* bad mob */
	world_spawn_add(w, x.vale, REF_ITEM, "coin", "vault", 1);	/* bad room */
	struct spawn *sp = world_spawn_add(w, x.vale, REF_ITEM, "coin", "inn", 1);
	world_set_str(&sp->container_id, "coin"); /* not a container */
	sp = world_spawn_add(w, x.vale, REF_CHAR, "cat", "inn", 1);
	sp->wear = xcalloc(3, sizeof(char *));
	sp->wear[0] = xstrdup("coin");	/* cannot be worn */
	sp->wear[1] = xstrdup("swrod"); /* unknown */

	buf_init(&errors, 0);
	int problems = world_resolve(w, &errors);
	const char *e = buf_cstr(&errors);
	assert_int_equal(problems, 9);
	assert_non_null(strstr(e, "areas/vale/area.lua: room 'vale:inn': exit east leads to "
				  "unknown room 'vale:cellr' (did you mean 'vale:cellar'?)\n"));
	assert_non_null(strstr(e, "room 'vale:inn': exit west leads to unknown room "
				  "'elsewhere:road'\n"));
	assert_non_null(strstr(e, "exit down has unknown key 'vale:cellar_ky' (did you mean "
				  "'vale:cellar_key'?)"));
	assert_non_null(strstr(e, "unknown mob 'vale:gaurd' (did you mean 'vale:guard'?)"));
	assert_non_null(strstr(e, "spawn of 'vale:coin': unknown room 'vale:vault'\n"));
	assert_non_null(strstr(e, "'vale:coin' is not a container"));
	assert_non_null(strstr(e, "item 'vale:coin' cannot be worn"));
	assert_non_null(
		strstr(e, "worn item 'vale:swrod' is unknown (did you mean 'vale:sword'?)"));
	assert_non_null(strstr(e, "no start room"));
	/* One line per problem. */
	size_t lines = 0;
	for (const char *p = e; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, (size_t)problems);
	assert_null(x.inn->exits[DIR_EAST]->to);
	assert_null(world_start_room(w));
	buf_fini(&errors);
	world_free(w);
	fake_ops_fini(&x.f);
}

static void test_resolve_config_start_room(void **state)
{
	(void)state;
	struct fixture x;
	struct buf errors;

	/* A config start room wins over the flag. */
	memset(&x, 0, sizeof(x));
	fx_build(&x);
	struct world *w = x.w;
	free(w->cfg_start_room);
	w->cfg_start_room = xstrdup("vale:inn");
	w->cfg.start_room = w->cfg_start_room;
	buf_init(&errors, 0);
	assert_int_equal(world_resolve(w, &errors), 0);
	assert_ptr_equal(world_start_room(w), x.inn);

	w->cfg_start_room[5] = 'x'; /* "vale:xnn" */
	buf_clear(&errors);
	assert_int_equal(world_resolve(w, &errors), 1);
	assert_non_null(strstr(buf_cstr(&errors), "start_room 'vale:xnn' is not a room (did you "
						  "mean 'vale:inn'?)"));
	buf_fini(&errors);
	world_free(w);
	fake_ops_fini(&x.f);
}

/* ---- handles ------------------------------------------------------------------------ */

static void test_handles_die_at_reap(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct item *it = mk(x, "vale:coin");
	ref_t ref = it->ref;

	assert_int_not_equal(ref, 0);
	assert_null(world_ref_item(w, 0));
	assert_int_equal(world_ref_kind(w, 0), REF_NONE);
	assert_ptr_equal(world_ref_item(w, ref), it);
	assert_null(world_ref_char(w, ref)); /* wrong kind */
	assert_null(world_ref_room(w, ref));
	assert_int_equal(world_ref_kind(w, ref), REF_ITEM);

	item_to_room(it, x->square);
	world_extract_item(w, it);
	assert_true(it->extracted);
	assert_int_equal(count_proto(&x->square->items, "vale:coin"), 0);
	assert_ptr_equal(world_ref_item(w, ref), it); /* alive until the reap */
	world_reap(w);
	assert_null(world_ref_item(w, ref));
	assert_int_equal(world_ref_kind(w, ref), REF_NONE);

	/* The slot is reused with a new generation: the old ref stays dead. */
	struct item *again = mk(x, "vale:coin");
	assert_int_equal(again->ref & 0xffffff, ref & 0xffffff);
	assert_int_not_equal(again->ref, ref);
	assert_null(world_ref_item(w, ref));
	assert_ptr_equal(world_ref_item(w, again->ref), again);

	struct character *cat = world_mob_create(w, world_find_mob_proto(w, "vale:cat"));
	ref_t cref = cat->ref;
	assert_ptr_equal(world_ref_char(w, cref), cat);
	world_extract_char(w, cat);
	world_reap(w);
	assert_null(world_ref_char(w, cref));
	world_extract_item(w, again);
	world_reap(w);
	/* A ref with a slot past the table is simply dead. */
	assert_null(world_ref_item(w, ((ref_t)1 << 24) | 0xfffff));
}

/* ---- placement and light --------------------------------------------------------------- */

static void test_item_moves_keep_lists(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct character *cat = world_mob_create(w, world_find_mob_proto(w, "vale:cat"));
	struct item *sat = mk(x, "vale:satchel"), *coin = mk(x, "vale:coin");
	size_t floor = x->inn->items.count;

	char_to_room(cat, x->inn);
	assert_ptr_equal(cat->room, x->inn);
	item_to_room(sat, x->inn);
	assert_int_equal(x->inn->items.count, floor + 1);
	item_to_room(coin, x->inn);
	item_to_item(coin, sat);
	assert_int_equal(x->inn->items.count, floor + 1);
	assert_int_equal(sat->contents.count, 1);
	assert_ptr_equal(coin->in_item, sat);
	assert_null(coin->in_room);

	item_to_char(sat, cat);
	assert_int_equal(x->inn->items.count, floor);
	assert_int_equal(cat->inventory.count, 1);
	assert_ptr_equal(sat->carried_by, cat);
	assert_int_equal(world_char_carried_weight(cat), 2);
	assert_true(world_char_holds_proto(cat, coin->proto));

	item_to_char(coin, cat);
	assert_int_equal(sat->contents.count, 0);
	assert_int_equal(cat->inventory.count, 2);

	/* Equip: wrong slot, right slot, slot taken; worn items leave the inventory. */
	struct item *sword = mk(x, "vale:sword"), *sword2 = mk(x, "vale:sword");
	item_to_char(sword, cat);
	item_to_char(sword2, cat);
	assert_int_equal(item_equip(cat, sword, WEAR_HEAD), -1);
	assert_int_equal(item_equip(cat, sword, WEAR_WIELD), 0);
	assert_ptr_equal(cat->equip[WEAR_WIELD], sword);
	assert_int_equal(sword->worn_on, WEAR_WIELD);
	assert_int_equal(cat->inventory.count, 3);
	assert_int_equal(item_equip(cat, sword2, WEAR_WIELD), -1);
	item_unequip(cat, sword);
	assert_null(cat->equip[WEAR_WIELD]);
	assert_int_equal(sword->worn_on, -1);
	assert_int_equal(cat->inventory.count, 4);
	assert_int_equal(item_equip(cat, sword2, WEAR_WIELD), 0);
	item_to_room(sword2, x->inn); /* from the equipment straight to the floor */
	assert_null(cat->equip[WEAR_WIELD]);
	assert_int_equal(sword2->worn_on, -1);
	assert_ptr_equal(sword2->in_room, x->inn);

	char_to_room(cat, x->square);
	assert_int_equal(x->inn->people.count, 0);
	assert_ptr_equal(cat->room, x->square);
	char_from_room(cat);
	assert_null(cat->room);
	assert_false(dlist_empty(&cat->inventory));
	world_extract_char(w, cat);
	world_extract_item(w, sword2);
	world_reap(w);
}

static void test_light(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct character *cat = world_mob_create(w, world_find_mob_proto(w, "vale:cat"));
	struct item *lantern = mk(x, "vale:lantern"), *orb = mk(x, "vale:orb");

	assert_int_equal(lantern->timer, 10);
	assert_int_equal(x->cellar->light, 0);
	assert_false(world_room_is_lit(x->cellar));
	assert_true(world_room_is_lit(x->square));

	item_to_room(orb, x->cellar);
	assert_int_equal(x->cellar->light, 1);
	assert_true(world_room_is_lit(x->cellar));
	item_to_room(orb, x->inn);
	assert_int_equal(x->cellar->light, 0);

	/* A lantern lights the room only while worn as a light, and lit. */
	char_to_room(cat, x->cellar);
	item_to_char(lantern, cat);
	assert_int_equal(x->cellar->light, 0);
	assert_int_equal(item_equip(cat, lantern, WEAR_LIGHT), 0);
	assert_int_equal(x->cellar->light, 1);
	char_to_room(cat, x->inn);
	assert_int_equal(x->cellar->light, 0);
	assert_int_equal(x->inn->light, 2);
	lantern->timer = 0;
	world_room_light_recount(x->inn);
	assert_int_equal(x->inn->light, 1);
	/* A glowing thing carried in the inventory lights too; inside a container not. */
	item_to_char(orb, cat);
	assert_int_equal(x->inn->light, 1);
	struct item *sat = mk(x, "vale:satchel");
	item_to_char(sat, cat);
	item_to_item(orb, sat);
	assert_int_equal(x->inn->light, 0);
	world_extract_char(w, cat);
	assert_int_equal(x->inn->light, 0);
	world_reap(w);
}

/* ---- extraction ------------------------------------------------------------------------- */

static void test_extract_container_and_mob(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct item_proto *coin = world_find_item_proto(w, "vale:coin");
	int coins = coin->live;
	struct item *sat = mk(x, "vale:satchel"), *c1 = mk(x, "vale:coin"),
		    *c2 = mk(x, "vale:coin");
	ref_t r1 = c1->ref, r2 = c2->ref, rs = sat->ref;

	item_to_room(sat, x->inn);
	item_to_item(c1, sat);
	item_to_item(c2, sat);
	assert_int_equal(coin->live, coins + 2);
	world_extract_item(w, sat);
	assert_true(c1->extracted && c2->extracted);
	assert_int_equal(coin->live, coins);
	world_reap(w);
	assert_null(world_ref_item(w, r1));
	assert_null(world_ref_item(w, r2));
	assert_null(world_ref_item(w, rs));

	/* A mob's things vanish with it. */
	struct mob_proto *catp = world_find_mob_proto(w, "vale:cat");
	int cats = catp->live;
	struct character *cat = world_mob_create(w, catp);
	struct item *sword = mk(x, "vale:sword"), *c3 = mk(x, "vale:coin");
	char_to_room(cat, x->inn);
	item_to_char(sword, cat);
	assert_int_equal(item_equip(cat, sword, WEAR_WIELD), 0);
	item_to_char(c3, cat);
	ref_t rsw = sword->ref, rc3 = c3->ref, rcat = cat->ref;
	assert_int_equal(catp->live, cats + 1);
	world_extract_char(w, cat);
	assert_int_equal(catp->live, cats);
	assert_true(sword->extracted && c3->extracted);
	assert_null(cat->room);
	/* Gone from the world's iteration at once. */
	for (struct character *ch = world_next_char(w, NULL); ch; ch = world_next_char(w, ch))
		assert_ptr_not_equal(ch, cat);
	world_reap(w);
	assert_null(world_ref_char(w, rcat));
	assert_null(world_ref_item(w, rsw));
	assert_null(world_ref_item(w, rc3));
}

static void test_extract_player_keeps_items(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct character *ayla = world_player_new(w, "Ayla", "scout", PRONOUNS_SHE);
	struct item *sat = mk(x, "vale:satchel"), *coin = mk(x, "vale:coin");

	item_to_char(sat, ayla);
	item_to_item(coin, sat);
	world_player_enter(w, ayla, 3);
	ref_t rc = coin->ref;
	world_player_leave(w, ayla);
	assert_false(coin->extracted);
	assert_ptr_equal(coin->in_item, sat);
	assert_ptr_equal(sat->carried_by, ayla);
	assert_null(world_find_player(w, "ayla"));
	assert_int_equal(world_player_count(w), 0);
	world_reap(w);
	assert_null(world_ref_item(w, rc));
}

/* ---- resets --------------------------------------------------------------------------------- */

static void test_reset_tops_up(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;

	world_reset_all(w);
	assert_int_equal(count_mobs(x->square, "vale:guard"), 1);
	assert_int_equal(count_mobs(x->inn, "vale:cat"), 2);
	assert_int_equal(count_proto(&x->square->items, "vale:coin"), 2);
	assert_int_equal(count_proto(&x->cellar->items, "vale:chest"), 1);
	struct item *chest = dlist_entry(x->cellar->items.head.next, struct item, link);
	assert_int_equal(count_proto(&chest->contents, "vale:coin"), 3);
	assert_true(chest->flags & ITEM_CLOSED);

	/* The guard wears its sword and the unique crown, carries a coin. */
	struct character *guard =
		dlist_entry(x->square->people.head.next, struct character, room_link);
	assert_non_null(guard->equip[WEAR_WIELD]);
	assert_non_null(guard->equip[WEAR_HEAD]);
	assert_int_equal(count_proto(&guard->inventory, "vale:coin"), 1);
	assert_int_equal(guard->hp, 50);

	/* A second reset adds nothing. */
	world_reset_all(w);
	assert_int_equal(count_mobs(x->square, "vale:guard"), 1);
	assert_int_equal(count_mobs(x->inn, "vale:cat"), 2);
	assert_int_equal(count_proto(&x->square->items, "vale:coin"), 2);
	assert_int_equal(count_proto(&chest->contents, "vale:coin"), 3);

	/* Taken things are topped up; a cat that wandered off is not replaced: it lives. */
	struct item *taken = dlist_entry(x->square->items.head.next, struct item, link);
	world_extract_item(w, taken);
	struct character *cat = dlist_entry(x->inn->people.head.next, struct character, room_link);
	char_to_room(cat, x->square);
	chest->flags &= ~(unsigned)ITEM_CLOSED;
	world_reap(w);
	world_reset_all(w);
	assert_int_equal(count_proto(&x->square->items, "vale:coin"), 2);
	assert_int_equal(count_mobs(x->inn, "vale:cat"), 1);
	assert_int_equal(count_mobs(x->square, "vale:cat"), 1);
	assert_true(chest->flags & ITEM_CLOSED);

	/* A dead cat is replaced, in the rule's room. */
	world_extract_char(w, cat);
	world_reap(w);
	world_reset_all(w);
	assert_int_equal(count_mobs(x->inn, "vale:cat"), 2);
	assert_int_equal(count_mobs(x->square, "vale:cat"), 0);

	/* max_world: the crown exists once even when a second guard is dressed. */
	struct item_proto *crown = world_find_item_proto(w, "vale:crown");
	assert_int_equal(crown->live, 1);
	world_extract_char(w, guard);
	/* A guard the rule did not make does not count for it, even in its room. */
	struct character *guard2 = world_mob_create(w, world_find_mob_proto(w, "vale:guard"));
	char_to_room(guard2, x->square);
	world_reap(w);
	assert_int_equal(crown->live, 0);
	world_reset_all(w);
	assert_int_equal(crown->live, 1);
	assert_null(world_item_create(w, crown));
	assert_int_equal(crown->live, 1);
	assert_int_equal(count_mobs(x->square, "vale:guard"), 2);
	assert_null(guard2->spawn);
}

/* Every cat in the world, wherever it is. */
static int count_cats(const struct fixture *x)
{
	return count_mobs(x->square, "vale:cat") + count_mobs(x->inn, "vale:cat") +
	       count_mobs(x->cellar, "vale:cat");
}

static struct spawn *cat_rule(struct world *w)
{
	for (struct spawn *sp = w->spawn_first; sp; sp = sp->next)
		if (strcmp(sp->proto_id, "vale:cat") == 0) /* world_resolve() made it full */
			return sp;
	fail_msg("no cat rule");
	return NULL;
}

static void test_reset_wanderers_not_duplicated(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct spawn *rule = cat_rule(w);

	world_reset_all(w);
	assert_int_equal(rule->live, 2);

	/* Both cats wander off, one of them far: however many resets, still two cats. */
	struct character *a = dlist_entry(x->inn->people.head.next, struct character, room_link);
	struct character *b = dlist_entry(x->inn->people.head.prev, struct character, room_link);
	assert_ptr_equal(a->spawn, rule);
	assert_ptr_equal(b->spawn, rule);
	char_to_room(a, x->square);
	char_to_room(b, x->cellar);
	for (int i = 0; i < 3; i++)
		world_reset_all(w);
	assert_int_equal(count_mobs(x->inn, "vale:cat"), 0);
	assert_int_equal(count_cats(x), 2);
	assert_int_equal(rule->live, 2);

	/* One dies far from home: exactly one new cat, in the rule's room. */
	world_extract_char(w, b);
	assert_int_equal(rule->live, 1);
	world_reap(w);
	world_reset_all(w);
	assert_int_equal(count_mobs(x->inn, "vale:cat"), 1);
	assert_int_equal(count_cats(x), 2);

	/* A cat made by hand (a script's spawn_mob) is nobody's: the rule still keeps two. */
	struct character *stray = world_mob_create(w, world_find_mob_proto(w, "vale:cat"));
	char_to_room(stray, x->inn);
	world_extract_char(w, a);
	world_reap(w);
	world_reset_all(w);
	assert_int_equal(count_mobs(x->inn, "vale:cat"), 3);
	assert_int_equal(rule->live, 2);
}

static void test_spawn_handover(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct spawn *old = cat_rule(w);

	world_reset_all(w);
	struct character *c = dlist_entry(x->inn->people.head.next, struct character, room_link);
	char_to_room(c, x->square);

	/* A reload's new rule takes the cats over: no new cats at the next reset. */
	struct spawn *fresh = world_spawn_add(w, x->vale, REF_CHAR, "vale:cat", "vale:inn", 2);
	old->area = NULL;
	world_spawn_handover(w, old, fresh);
	assert_int_equal(old->live, 0);
	assert_int_equal(fresh->live, 2);
	world_reset_all(w);
	assert_int_equal(count_cats(x), 2);
	assert_ptr_equal(c->spawn, fresh);

	/* Handed to no rule, they are nobody's: the rule makes its own two. */
	world_spawn_handover(w, fresh, NULL);
	assert_null(c->spawn);
	world_extract_char(w, c); /* an orphan's death counts for no rule */
	assert_int_equal(fresh->live, 0);
	world_reap(w);
	world_reset_all(w);
	assert_int_equal(fresh->live, 2);
	assert_int_equal(count_cats(x), 3);
}

static void test_reset_doors_and_timing(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct exit *down = x->square->exits[DIR_DOWN];

	world_reset_all(w);
	assert_int_equal(x->vale->next_reset_ms, 60000);
	down->flags &= ~(unsigned)(EXIT_CLOSED | EXIT_LOCKED);

	/* A player in the area delays the reset up to one more interval. */
	struct character *p = world_player_new(w, "Ayla", "fighter", PRONOUNS_SHE);
	world_player_enter(w, p, 2);
	fake_ops_clear(&x->f);
	pulses(w, 600);
	assert_int_equal(world_now_ms(w), 60000);
	assert_int_equal(down->flags, EXIT_DOOR);
	pulses(w, 590);
	assert_int_equal(down->flags, EXIT_DOOR);
	assert_null(strstr(fake_ops_text(&x->f, 2), "The wind shifts."));
	pulses(w, 10);
	assert_int_equal(world_now_ms(w), 120000);
	assert_int_equal(down->flags, EXIT_DOOR | EXIT_CLOSED | EXIT_LOCKED);
	assert_non_null(strstr(fake_ops_text(&x->f, 2), "The wind shifts.\n"));
	assert_int_equal(x->vale->next_reset_ms, 180000);

	/* With nobody there it resets as soon as it is due. */
	world_player_leave(w, p);
	world_reap(w);
	down->flags = EXIT_DOOR;
	pulses(w, 599);
	assert_int_equal(down->flags, EXIT_DOOR);
	pulses(w, 1);
	assert_int_equal(down->flags, EXIT_DOOR | EXIT_CLOSED | EXIT_LOCKED);
}

/* ---- players -------------------------------------------------------------------------------- */

static void test_player_new_paths(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;

	assert_null(world_player_new(w, "Bad", "wizard", PRONOUNS_HE));
	struct character *f = world_player_new(w, "Fen", "fighter", PRONOUNS_HE);
	struct character *s = world_player_new(w, "Sia", "scout", PRONOUNS_SHE);
	struct character *k = world_player_new(w, "Kit", "scholar", PRONOUNS_THEY);
	assert_true(f->max_hp > s->max_hp && f->max_hp > k->max_hp);
	assert_true(s->max_move > f->max_move && s->max_move > k->max_move);
	assert_true(k->max_mana > f->max_mana && k->max_mana > s->max_mana);
	assert_int_equal(f->hp, f->max_hp);
	assert_string_equal(s->pc->path, "scout");
	assert_int_equal(s->pronouns, PRONOUNS_SHE);
	assert_string_equal(world_pronoun_poss(s), "her");
	assert_string_equal(world_pronoun_subj(k), "they");
	assert_string_equal(world_char_name(f), "Fen");
	/* No emberfall gear in this world: no items, no failure. */
	assert_true(dlist_empty(&f->inventory));
	assert_null(f->equip[WEAR_WIELD]);
	assert_null(world_find_player(w, "Fen")); /* not in the world yet */
	world_player_leave(w, f);
	world_player_leave(w, s);
	world_player_leave(w, k);
	world_reap(w);
}

/* world_player_raise() and experience reach the same character. */
static void test_player_raise(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct character *raised = world_player_new(w, "Ras", "scout", PRONOUNS_HE);
	struct character *earned = world_player_new(w, "Ern", "scout", PRONOUNS_HE);

	world_player_enter(w, raised, 2);
	world_player_enter(w, earned, 3);
	fake_ops_clear(&x->f);
	assert_int_equal(world_player_raise(w, raised, 7), 7);
	assert_string_equal(fake_ops_text(&x->f, 2), ""); /* in silence */
	world_gain_exp(w, earned, 1400);		  /* exactly level 7 */
	assert_int_equal(earned->level, 7);
	assert_int_equal(raised->exp, earned->exp);
	assert_int_equal(raised->max_hp, earned->max_hp);
	assert_int_equal(raised->max_mana, earned->max_mana);
	assert_int_equal(raised->max_move, earned->max_move);
	assert_int_equal(raised->max_hp, 24 + 6 * 7); /* the scout's gains */
	assert_int_equal(raised->hp, raised->max_hp);
	assert_int_equal(raised->move, raised->max_move);

	/* Never down, never past 10. */
	int hp = raised->max_hp;
	assert_int_equal(world_player_raise(w, raised, 3), 7);
	assert_int_equal(raised->max_hp, hp);
	assert_int_equal(world_player_raise(w, raised, 50), 10);
	assert_int_equal(raised->max_hp, hp + 3 * 7);
	assert_int_equal(raised->exp, 3200);
	world_player_leave(w, raised);
	world_player_leave(w, earned);
	world_reap(w);
}

static void test_player_new_gear(void **state)
{
	(void)state;
	struct world *w = world_new(NULL, NULL, NULL);
	struct area *a = world_area_new(w, "emberfall");
	mk_item(w, a, "emberfall:practice_sword", ITEM_WEAPON, "a practice sword")->wear_slots =
		1u << WEAR_WIELD;
	mk_item(w, a, "emberfall:padded_jerkin", ITEM_ARMOR, "a padded jerkin")->wear_slots =
		1u << WEAR_BODY;
	mk_item(w, a, "emberfall:lantern", ITEM_LIGHT, "a lantern"); /* fits nowhere */

	struct character *f = world_player_new(w, "Fen", "fighter", PRONOUNS_HE);
	assert_non_null(f->equip[WEAR_WIELD]);
	assert_string_equal(f->equip[WEAR_WIELD]->proto->id, "emberfall:practice_sword");
	assert_non_null(f->equip[WEAR_BODY]);
	struct character *k = world_player_new(w, "Kit", "scholar", PRONOUNS_THEY);
	assert_int_equal(k->inventory.count, 1); /* the lantern, carried; no staff proto */
	world_free(w);				 /* frees players never entered */
}

/* Gives Ayla nested containers, worn gear, roles and an unknown field. */
static struct character *mk_ayla(struct fixture *x)
{
	struct world *w = x->w;
	struct character *ch = world_player_new(w, "Ayla", "scout", PRONOUNS_SHE);
	struct item *sat = mk(x, "vale:satchel"), *inner = mk(x, "vale:satchel");
	struct item *coin = mk(x, "vale:coin"), *lantern = mk(x, "vale:lantern");
	struct item *sword = mk(x, "vale:sword"), *key = mk(x, "vale:cellar_key");

	item_to_char(sat, ch);
	item_to_item(inner, sat);
	item_to_item(coin, inner);
	item_to_item(key, sat);
	sat->flags |= ITEM_CLOSED;
	item_to_char(lantern, ch);
	assert_int_equal(item_equip(ch, lantern, WEAR_LIGHT), 0);
	lantern->timer = 7;
	item_to_char(sword, ch);
	assert_int_equal(item_equip(ch, sword, WEAR_WIELD), 0);
	ch->pc->roles = PLAYER_ROLE_BUILDER;
	ch->pc->channels_off = 5;
	ch->pc->color = 2;
	world_set_str(&ch->pc->title, "the wanderer");
	world_set_str(&ch->pc->prompt, "%h> ");
	world_set_str(&ch->pc->recall, "vale:inn");
	ch->pc->created = 1767225600;
	ch->pc->played_s = 100;
	ch->gold = 42;
	ch->exp = 1234567890123LL;
	ch->hp = 5;
	ch->pc->extra = json_pack("{s:s, s:[i,i]}", "future_field", "kept", "quests", 1, 2);
	return ch;
}

static void test_player_json_round_trip(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct buf err;
	struct character *ch = mk_ayla(x);

	world_player_enter(w, ch, 1);
	char_to_room(ch, x->inn);
	pulses(w, 20); /* two seconds of play */
	json_t *j = world_player_to_json(w, ch);
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(j, "room")), "vale:inn");
	assert_string_equal(json_string_value(json_object_get(j, "future_field")), "kept");
	assert_int_equal(json_integer_value(json_object_get(j, "played_s")), 102);
	assert_string_equal(json_string_value(json_object_get(j, "pronouns")), "she");
	json_t *eq = json_object_get(j, "equipment");
	assert_int_equal(json_array_size(eq), 2);
	json_t *inv = json_object_get(j, "inventory");
	assert_int_equal(json_array_size(inv), 1);
	json_t *sat = json_array_get(inv, 0);
	assert_true(json_is_true(json_object_get(sat, "closed")));
	assert_int_equal(json_array_size(json_object_get(sat, "contents")), 2);

	/* Through text, as the store keeps it. */
	char *text = json_dumps(j, JSON_COMPACT);
	json_t *back = json_loads(text, 0, NULL);
	world_player_leave(w, ch);
	world_reap(w);

	buf_init(&err, 0);
	struct character *ch2 = world_player_from_json(w, "Ayla", back, &err);
	assert_non_null(ch2);
	assert_string_equal(buf_cstr(&err), "");
	assert_string_equal(ch2->pc->load_room, "vale:inn");
	assert_string_equal(ch2->pc->title, "the wanderer");
	assert_string_equal(ch2->pc->prompt, "%h> ");
	assert_string_equal(ch2->pc->recall, "vale:inn");
	assert_int_equal(ch2->pc->roles, PLAYER_ROLE_BUILDER);
	assert_int_equal(ch2->pc->channels_off, 5);
	assert_int_equal(ch2->pc->color, 2);
	assert_int_equal(ch2->gold, 42);
	assert_int_equal(ch2->exp, 1234567890123LL);
	assert_int_equal(ch2->hp, 5);
	assert_int_equal(ch2->pc->played_s, 102);
	assert_int_equal(ch2->pronouns, PRONOUNS_SHE);
	assert_non_null(ch2->equip[WEAR_LIGHT]);
	assert_int_equal(ch2->equip[WEAR_LIGHT]->timer, 7);
	assert_non_null(ch2->equip[WEAR_WIELD]);
	struct item *s2 = dlist_entry(ch2->inventory.head.next, struct item, link);
	assert_string_equal(s2->proto->id, "vale:satchel");
	assert_true(s2->flags & ITEM_CLOSED);
	assert_int_equal(s2->contents.count, 2);
	struct item *inner = dlist_entry(s2->contents.head.next, struct item, link);
	assert_int_equal(inner->contents.count, 1);

	/* Written back identical, unknown fields included (not yet entered: no play time added). */
	json_t *again = world_player_to_json(w, ch2);
	assert_true(json_equal(again, back));
	assert_int_equal(json_integer_value(json_array_get(json_object_get(again, "quests"), 1)),
			 2);

	/* Entering puts the loaded player in the saved room. */
	world_player_enter(w, ch2, 4);
	assert_ptr_equal(ch2->room, x->inn);

	json_decref(again);
	json_decref(back);
	json_decref(j);
	free(text);
	buf_fini(&err);
}

static void test_player_json_corrupt(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct buf err;
	static const char *const bad[] = {
		"[1,2]",
		"{\"name\":\"Ayla\"}",
		"{\"version\":\"1\"}",
		"{\"version\":1,\"hp\":\"lots\"}",
		"{\"version\":1,\"title\":7}",
		"{\"version\":1,\"roles\":\"admin\"}",
		"{\"version\":1,\"inventory\":{}}",
		"{\"version\":1,\"inventory\":[{\"proto\":5}]}",
		"{\"version\":1,\"inventory\":[{\"proto\":\"vale:satchel\",\"contents\":[7]}]}",
		"{\"version\":1,\"equipment\":[{\"proto\":\"vale:sword\",\"worn\":1}]}",
	};
	int coins = world_find_item_proto(w, "vale:satchel")->live;

	buf_init(&err, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *j = json_loads(bad[i], 0, NULL);
		assert_non_null(j);
		buf_clear(&err);
		assert_null(world_player_from_json(w, "Ayla", j, &err));
		assert_non_null(strstr(buf_cstr(&err), "corrupt save for 'Ayla'"));
		json_decref(j);
	}
	/* Half-built items were freed with the refused record. */
	assert_int_equal(world_find_item_proto(w, "vale:satchel")->live, coins);
	json_t *j = json_loads("{\"version\":1,\"hp\":\"lots\"}", 0, NULL);
	buf_clear(&err);
	assert_null(world_player_from_json(w, "Ayla", j, &err));
	assert_string_equal(buf_cstr(&err),
			    "corrupt save for 'Ayla': hp should be an integer, not a string");
	json_decref(j);
	buf_fini(&err);
}

static void test_player_json_missing_proto(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct buf err;
	json_t *j =
		json_loads("{\"version\":1,\"inventory\":[{\"proto\":\"vale:gone\","
			   "\"contents\":[{\"proto\":\"vale:coin\"}]},{\"proto\":\"vale:coin\"}],"
			   "\"equipment\":[{\"proto\":\"vale:coin\",\"worn\":\"head\"}]}",
			   0, NULL);

	buf_init(&err, 0);
	struct character *ch = world_player_from_json(w, "Ayla", j, &err);
	assert_non_null(ch);
	/* The vanished container is dropped; its coin and the rest are kept. A coin
	 * cannot be worn on the head, so it is carried. */
	assert_int_equal(count_proto(&ch->inventory, "vale:coin"), 3);
	assert_null(ch->equip[WEAR_HEAD]);
	assert_string_equal(ch->pc->path, "fighter");
	assert_int_equal(ch->max_hp, 1);
	world_player_leave(w, ch);
	world_reap(w);
	json_decref(j);
	buf_fini(&err);
}

/* ---- entering, link-dead, timeouts -------------------------------------------------------------
 */

static void test_enter_linkdead_timeout(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct character *bo = world_player_new(w, "Bo", "fighter", PRONOUNS_HE);
	struct character *ayla = world_player_new(w, "Ayla", "scout", PRONOUNS_SHE);

	world_player_enter(w, bo, 1);
	assert_ptr_equal(bo->room, x->square);
	/* Entering shows the room (cmd_look_room) and sends the client its state. */
	assert_non_null(strstr(fake_ops_text(&x->f, 1), "vale:square"));
	assert_int_equal(fake_ops_data_count(&x->f, 1, "Char.Name"), 1);
	assert_int_equal(fake_ops_data_count(&x->f, 1, "Room.Info"), 1);
	assert_int_equal(fake_ops_data_count(&x->f, 1, "Char.Items.List"), 2); /* inv, room */
	assert_int_equal(fake_ops_data_count(&x->f, 1, "Comm.Channel.List"), 1);
	assert_int_equal(fake_ops_data_count(&x->f, 1, "Char.Vitals"), 1);
	world_player_enter(w, ayla, 2);
	assert_ptr_equal(world_find_player(w, "AYLA"), ayla);
	assert_ptr_equal(world_player_by_session(w, 2), ayla);
	assert_null(world_player_by_session(w, 0));
	assert_int_equal(world_player_count(w), 2);
	assert_non_null(strstr(fake_ops_text(&x->f, 1), "Ayla has entered the game.\n"));
	assert_null(strstr(fake_ops_text(&x->f, 2), "Ayla has entered"));

	fake_ops_clear(&x->f);
	world_player_linkdead(w, ayla);
	assert_int_equal(ayla->pc->session, 0);
	assert_null(world_player_by_session(w, 2));
	assert_non_null(strstr(fake_ops_text(&x->f, 1), "Ayla has lost her link.\n"));

	/* Reconnect inside the timeout. */
	pulses(w, 30);
	world_player_reconnect(w, ayla, 5);
	assert_ptr_equal(world_player_by_session(w, 5), ayla);
	assert_non_null(strstr(fake_ops_text(&x->f, 5), "vale:square"));
	assert_int_equal(fake_ops_data_count(&x->f, 5, "Char.Name"), 1);
	assert_non_null(strstr(fake_ops_text(&x->f, 1), "Ayla has reconnected.\n"));

	/* Taken over while linked: the new session has it, the old one nothing more. */
	world_player_reconnect(w, ayla, 6);
	assert_ptr_equal(world_player_by_session(w, 6), ayla);
	assert_null(world_player_by_session(w, 5));

	/* Link-dead past the timeout (5 s): saved, then gone. */
	world_player_linkdead(w, ayla);
	fake_ops_clear(&x->f);
	pulses(w, 49);
	assert_int_equal(x->f.saves, 0);
	assert_ptr_equal(world_find_player(w, "Ayla"), ayla);
	pulses(w, 1);
	assert_int_equal(x->f.saves, 1);
	assert_string_equal(buf_cstr(&x->f.saved), "Ayla\n");
	assert_null(world_find_player(w, "Ayla"));
	assert_int_equal(world_player_count(w), 1);
	assert_non_null(strstr(fake_ops_text(&x->f, 1), "Ayla fades from the world.\n"));
	assert_int_equal(x->square->people.count, count_mobs(x->square, "vale:guard") + 1);
}

static void test_linkdead_save_failure_keeps_player(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct character *ayla = world_player_new(w, "Ayla", "scout", PRONOUNS_SHE);

	world_player_enter(w, ayla, 2);
	world_player_linkdead(w, ayla);
	x->f.save_rc = -5;
	pulses(w, 50);
	assert_int_equal(x->f.saves, 1);
	assert_ptr_equal(world_find_player(w, "Ayla"), ayla); /* not lost */
	x->f.save_rc = 0;
	pulses(w, 50);
	assert_int_equal(x->f.saves, 2);
	assert_null(world_find_player(w, "Ayla"));
}

static void test_idle_timeout(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct character *ayla = world_player_new(w, "Ayla", "scout", PRONOUNS_SHE);

	w->cfg.idle_timeout_s = 3;
	world_player_enter(w, ayla, 2);
	pulses(w, 20);
	ayla->pc->idle_since_ms = world_now_ms(w); /* a command */
	pulses(w, 29);
	assert_ptr_equal(world_find_player(w, "Ayla"), ayla);
	pulses(w, 1);
	assert_true(fake_ops_was_disconnected(&x->f, 2));
	assert_non_null(strstr(fake_ops_text(&x->f, 2), "idle too long"));
	assert_int_equal(x->f.saves, 1);
	assert_null(world_find_player(w, "Ayla"));
}

static void test_regen_and_autosave(void **state)
{
	struct fixture *x = *state;
	struct world *w = x->w;
	struct character *ayla = world_player_new(w, "Ayla", "scout", PRONOUNS_SHE);
	struct character *bo = world_player_new(w, "Bo", "fighter", PRONOUNS_HE);

	world_player_enter(w, ayla, 2);
	world_player_enter(w, bo, 3);
	ayla->hp = 1;
	ayla->pos = POS_STANDING;
	bo->hp = 1;
	bo->pos = POS_SLEEPING;
	pulses(w, 29);
	assert_int_equal(ayla->hp, 1);
	size_t vitals = fake_ops_data_count(&x->f, 2, "Char.Vitals");
	pulses(w, 1);
	int gain = ayla->max_hp / 10 + 1;
	assert_int_equal(ayla->hp, 1 + gain);
	assert_int_equal(fake_ops_data_count(&x->f, 2, "Char.Vitals"), vitals + 1);
	json_t *v = json_loads(fake_ops_data_last(&x->f, 2, "Char.Vitals"), 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(v, "hp")), 1 + gain);
	json_decref(v);
	assert_int_equal(bo->hp, 1 + 3 * (bo->max_hp / 10 + 1));
	pulses(w, 300);
	assert_int_equal(ayla->hp, ayla->max_hp);
	assert_int_equal(bo->hp, bo->max_hp);

	/* Autosave at 60 s saves the dirty ones only. */
	fake_ops_clear(&x->f);
	ayla->pc->dirty = false;
	bo->pc->dirty = false;
	while (world_now_ms(w) % 60000)
		pulses(w, 1);
	pulses(w, 1); /* past the mark with nobody dirty */
	assert_int_equal(x->f.saves, 0);
	bo->pc->dirty = true;
	pulses(w, 599);
	assert_int_equal(x->f.saves, 1);
	assert_string_equal(buf_cstr(&x->f.saved), "Bo\n");
	assert_false(bo->pc->dirty);
	pulses(w, 600);
	assert_int_equal(x->f.saves, 1);
}

/*
 * An autosave round saves at most 64 players a pulse (pulse.c): a thousand
 * at once held the server up for ~26 ms. The rest go in the next pulses;
 * one saved meanwhile is skipped, one dirtied after the round began waits
 * for the next round.
 */
static void test_autosave_round_spreads_over_pulses(void **state)
{
	enum { N = 70, SLICE = 64 };
	struct fixture *x = *state;
	struct world *w = x->w;
	struct character *ch[N], *later = NULL, *skipped = NULL;
	size_t due = 0;

	for (int i = 0; i < N; i++) {
		char name[16];

		snprintf(name, sizeof(name), "Saver%c%c", 'a' + i / 26, 'a' + i % 26);
		ch[i] = world_player_new(w, name, "scout", PRONOUNS_SHE);
		world_player_enter(w, ch[i], (uint32_t)(100 + i));
	}
	while (world_now_ms(w) % 60000 != 59900)
		pulses(w, 1);
	for (int i = 0; i < N; i++)
		ch[i]->pc->dirty = true;
	fake_ops_clear(&x->f);
	pulses(w, 1); /* the 60 s mark: a round begins */
	assert_int_equal(x->f.saves, SLICE);
	for (int i = 0; i < N; i++) {
		if (ch[i]->pc->autosave_due) {
			assert_true(ch[i]->pc->dirty);
			due++;
			if (!skipped) {
				skipped = ch[i];
				skipped->pc->dirty = false; /* as if saved by a quit meanwhile */
			}
		} else {
			assert_false(ch[i]->pc->dirty);
			if (!later) {
				later = ch[i];
				later->pc->dirty = true; /* changed after its save */
			}
		}
	}
	assert_int_equal(due, N - SLICE);
	assert_non_null(later);
	pulses(w, 1);
	assert_int_equal(x->f.saves, N - 1); /* all but the one saved meanwhile */
	for (int i = 0; i < N; i++) {
		assert_false(ch[i]->pc->autosave_due);
		assert_int_equal(ch[i]->pc->dirty, ch[i] == later);
	}
	assert_null(strstr(buf_cstr(&x->f.saved), skipped->name));
	pulses(w, 598); /* the round is over: nothing until the next mark */
	assert_int_equal(x->f.saves, N - 1);
	pulses(w, 1);
	assert_int_equal(x->f.saves, N);
	assert_false(later->pc->dirty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_room_numbers_stable_across_worlds),
		cmocka_unit_test(test_resolve_errors),
		cmocka_unit_test(test_resolve_config_start_room),
		cmocka_unit_test(test_player_new_gear),
		cmocka_unit_test_setup_teardown(test_build_and_resolve, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_handles_die_at_reap, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_item_moves_keep_lists, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_light, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_extract_container_and_mob, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_extract_player_keeps_items, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_reset_tops_up, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reset_wanderers_not_duplicated, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_spawn_handover, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reset_doors_and_timing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_player_new_paths, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_player_raise, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_player_json_round_trip, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_player_json_corrupt, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_player_json_missing_proto, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_enter_linkdead_timeout, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_linkdead_save_failure_keeps_player, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_idle_timeout, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_regen_and_autosave, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_autosave_round_spreads_over_pulses, fx_setup,
						fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
