/*
 * cmd_obj.c: handling things: get (from the floor or a container), drop,
 * give (things or coins) and put (into containers); wearing and using
 * them is in cmd_wear.c. Targets follow find.c: "sword", "2.sword", "all", "all.coin".
 * Every move of an item tells the clients concerned through GMCP
 * (Char.Items.Add/Remove/Update, and a fresh Room.Info when the floor
 * changed).
 *
 * Start reading at cmd_get(); the obj_*_one() functions do one item each.
 */
#include "game/cmd.h"

#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/list.h"
#include "base/str.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

int cmd_carry_weight_max(const struct character *ch)
{
	return 100 + 10 * (ch->level > 0 ? ch->level : 0);
}

size_t cmd_carry_count_max(const struct character *ch)
{
	return 20 + (size_t)(ch->level > 0 ? ch->level : 0);
}

/* The character whose hands or pack hold it (inside containers too), or NULL. */
static struct character *obj_holder(const struct item *it)
{
	while (it->in_item)
		it = it->in_item;
	return it->carried_by;
}

/* True if ch could take it on top of what it carries; else tells actor why. */
static bool obj_can_receive(struct world *w, struct character *actor, struct character *ch,
			    struct item *it)
{
	const struct act_arg arg = {.obj = it, .vict = ch};
	bool self = actor == ch;

	if (ch->inventory.count + 1 > cmd_carry_count_max(ch)) {
		act(w, ACT_TO_CHAR,
		    self ? "$p: you cannot carry that many things."
			 : "$N cannot carry that many things.",
		    actor, &arg);
		return false;
	}
	if (obj_holder(it) != ch && world_char_carried_weight(ch) + world_item_total_weight(it) >
					    cmd_carry_weight_max(ch)) {
		act(w, ACT_TO_CHAR,
		    self ? "$p: you cannot carry that much weight."
			 : "$N cannot carry that much weight.",
		    actor, &arg);
		return false;
	}
	if ((it->proto->flags & ITEM_UNIQUE) && obj_holder(it) != ch &&
	    world_char_holds_proto(ch, it->proto)) {
		act(w, ACT_TO_CHAR,
		    self ? "You already have one of $p; one is all anyone may hold."
			 : "$N already has one of $p.",
		    actor, &arg);
		return false;
	}
	return true;
}

/* ---- get ------------------------------------------------------------------------ */

/* Takes it from the floor (container NULL) or from container. 0 if taken. */
static int obj_get_one(struct world *w, struct character *ch, struct item *it,
		       struct item *container)
{
	const struct act_arg arg = {.obj = it, .obj2 = container};

	if (it->flags & ITEM_NOTAKE) {
		act(w, ACT_TO_CHAR, "You cannot take $p.", ch, &arg);
		return -1;
	}
	if (!obj_can_receive(w, ch, ch, it))
		return -1;
	if (trigger_item_has(it, TRIG_GET, true)) {
		struct room *room = ch->room;
		struct room *where = it->in_room;
		struct item *in = it->in_item;

		if (trigger_item(w, TRIG_GET, true, it, ch, NULL))
			return -1;
		/* The trigger may have moved the item or ch, or destroyed either. */
		if (it->extracted || ch->extracted || ch->room != room || it->in_room != where ||
		    it->in_item != in)
			return -1;
	}
	if (!container)
		gmcp_room_item_change(w, it->in_room, it, false);
	item_to_char(it, ch);
	if (container) {
		act(w, ACT_TO_CHAR, "You get $p from $P.", ch, &arg);
		act(w, ACT_TO_ROOM, "$n gets $p from $P.", ch, &arg);
	} else {
		act(w, ACT_TO_CHAR, "You get $p.", ch, &arg);
		act(w, ACT_TO_ROOM, "$n gets $p.", ch, &arg);
	}
	gmcp_send_item_change(w, ch, "inv", it, true);
	world_mark_dirty(ch);
	trigger_item(w, TRIG_GET, false, it, ch, NULL);
	return 0;
}

/* Skips a noise word ("from", "in", "to") at the start of arg. */
static const char *obj_skip_word(const char *arg, const char *const *noise)
{
	for (; *noise; noise++) {
		size_t n = strlen(*noise);

		if (strncasecmp(arg, *noise, n) == 0 && (arg[n] == ' ' || arg[n] == '\t'))
			return str_skip_space(arg + n);
	}
	return arg;
}

/* Gets what t names from list (the floor, or container's contents). */
static void obj_get_from(struct world *w, struct character *ch, const char *what,
			 const struct dlist *list, struct item *container)
{
	struct find_target t;
	struct item_vec v = {0};
	size_t taken = 0, fixtures = 0;

	find_target_init(&t, what);
	if (t.all) {
		find_items(ch, list, &t, &v);
		for (size_t i = 0; i < v.n; i++) {
			if (v.v[i]->extracted || ch->extracted)
				continue;
			if (v.v[i]->flags & ITEM_NOTAKE)
				fixtures++;
			else if (obj_get_one(w, ch, v.v[i], container) == 0)
				taken++;
		}
		if (v.n == 0 && container)
			act(w, ACT_TO_CHAR,
			    t.name.len ? "You see nothing like that in $p."
				       : "You see nothing in $p.",
			    ch, &(struct act_arg){.obj = container});
		else if (v.n == 0)
			world_send(w, ch,
				   t.name.len ? "You see nothing like that here.\n"
					      : "You see nothing here.\n");
		else if (v.n == fixtures)
			world_send(w, ch, "There is nothing here you can take.\n");
	} else {
		struct item *it = find_item_list(ch, list, what);

		if (!it && container)
			act(w, ACT_TO_CHAR, "You see nothing like that in $p.", ch,
			    &(struct act_arg){.obj = container});
		else if (!it)
			world_sendf(w, ch, "You see no %s here.\n", what);
		else if (obj_get_one(w, ch, it, container) == 0)
			taken++;
	}
	if (taken && !container && !ch->extracted)
		gmcp_room_changed(w, ch->room, NULL);
	find_vec_fini(&v);
	find_target_fini(&t);
}

/* The container where names, checked to be open; NULL after telling ch why not. */
static struct item *obj_find_container(struct world *w, struct character *ch, const char *where)
{
	struct item *c = find_item_here(ch, where);

	if (!c) {
		world_sendf(w, ch, "You see no %s here.\n", where);
		return NULL;
	}
	if (!c->proto || c->proto->type != ITEM_CONTAINER) {
		act(w, ACT_TO_CHAR, "$p is not a container.", ch, &(struct act_arg){.obj = c});
		return NULL;
	}
	if (c->flags & ITEM_CLOSED) {
		act(w, ACT_TO_CHAR, "$p is closed.", ch, &(struct act_arg){.obj = c});
		return NULL;
	}
	return c;
}

void cmd_get(struct world *w, struct character *ch, const char *arg)
{
	static const char *const noise[] = {"from", "out of", "in", NULL};
	struct buf what, where;
	const char *rest;

	buf_init(&what, 0);
	buf_init(&where, 0);
	rest = cmd_split(arg, &what);
	cmd_split(obj_skip_word(rest, noise), &where);
	if (what.len == 0) {
		world_send(w, ch, "Get what?\n");
	} else if (!ch->room) {
		world_send(w, ch, "There is nothing here.\n");
	} else if (where.len == 0) {
		obj_get_from(w, ch, buf_cstr(&what), &ch->room->items, NULL);
	} else {
		struct item *c = obj_find_container(w, ch, buf_cstr(&where));

		if (c)
			obj_get_from(w, ch, buf_cstr(&what), &c->contents, c);
	}
	buf_fini(&what);
	buf_fini(&where);
}

/* ---- drop ------------------------------------------------------------------------ */

/* True (after telling ch) if arg is "<n> coins" or "<n> gold". */
static bool obj_is_coins(const char *arg, long *amount)
{
	struct buf num, unit;
	const char *rest;
	bool coins = false;

	buf_init(&num, 64);
	buf_init(&unit, 64);
	rest = cmd_split(arg, &num);
	rest = cmd_split(rest, &unit);
	if (str_to_long(buf_cstr(&num), -1000000000L, 1000000000L, amount) == 0 &&
	    (str_eq_nocase(buf_cstr(&unit), "coins") || str_eq_nocase(buf_cstr(&unit), "coin") ||
	     str_eq_nocase(buf_cstr(&unit), "gold")))
		coins = true;
	buf_fini(&num);
	buf_fini(&unit);
	return coins;
}

static int obj_drop_one(struct world *w, struct character *ch, struct item *it)
{
	const struct act_arg arg = {.obj = it};

	if (it->flags & ITEM_NODROP) {
		act(w, ACT_TO_CHAR, "You cannot let go of $p.", ch, &arg);
		return -1;
	}
	item_to_room(it, ch->room);
	act(w, ACT_TO_CHAR, "You drop $p.", ch, &arg);
	act(w, ACT_TO_ROOM, "$n drops $p.", ch, &arg);
	gmcp_send_item_change(w, ch, "inv", it, false);
	gmcp_room_item_change(w, ch->room, it, true);
	world_mark_dirty(ch);
	trigger_item(w, TRIG_DROP, false, it, ch, NULL);
	if (!ch->extracted && !it->extracted && trigger_room_has(ch->room, TRIG_DROP, false))
		world_fire(w, &(struct trig_event){.trig = TRIG_DROP,
						   .self = ch->room->ref,
						   .actor = ch->ref,
						   .object = it->ref,
						   .dir = -1});
	return 0;
}

void cmd_drop(struct world *w, struct character *ch, const char *arg)
{
	struct find_target t;
	struct item_vec v = {0};
	size_t dropped = 0;
	long amount;

	if (!*arg) {
		world_send(w, ch, "Drop what?\n");
		return;
	}
	if (!ch->room)
		return;
	if (obj_is_coins(arg, &amount)) {
		world_send(w, ch, "Coins stay in your purse: 'give' them to someone instead.\n");
		return;
	}
	find_target_init(&t, arg);
	if (t.all) {
		find_items(ch, &ch->inventory, &t, &v);
		if (v.n == 0)
			world_send(w, ch,
				   t.name.len ? "You are not carrying anything like that.\n"
					      : "You are not carrying anything.\n");
		for (size_t i = 0; i < v.n && !ch->extracted; i++)
			if (!v.v[i]->extracted && v.v[i]->carried_by == ch && v.v[i]->worn_on < 0)
				dropped += obj_drop_one(w, ch, v.v[i]) == 0;
	} else {
		struct item *it = find_item_inv(ch, arg);

		if (!it)
			world_send(w, ch,
				   find_item_worn(ch, arg) ? "You must remove it first.\n"
							   : "You do not have that.\n");
		else
			dropped += obj_drop_one(w, ch, it) == 0;
	}
	if (dropped && !ch->extracted)
		gmcp_room_changed(w, ch->room, NULL);
	find_vec_fini(&v);
	find_target_fini(&t);
}

/* ---- give ------------------------------------------------------------------------ */

static void obj_give_coins(struct world *w, struct character *ch, long amount,
			   struct character *victim)
{
	struct buf n;
	const struct act_arg arg = {.vict = victim};

	if (amount <= 0) {
		world_send(w, ch, "You can give only a positive number of coins.\n");
		return;
	}
	if (amount > ch->gold) {
		world_send(w, ch, "You do not have that much gold.\n");
		return;
	}
	ch->gold -= (int)amount;
	victim->gold += (int)amount;
	buf_init(&n, 64);
	buf_printf(&n, "%ld coin%s", amount, amount == 1 ? "" : "s");
	act(w, ACT_TO_CHAR, "You give $N $t.", ch,
	    &(struct act_arg){.vict = victim, .text = buf_cstr(&n)});
	act(w, ACT_TO_VICT, "$n gives you $t.", ch,
	    &(struct act_arg){.vict = victim, .text = buf_cstr(&n)});
	act(w, ACT_TO_NOTVICT, "$n gives $N some coins.", ch, &arg);
	buf_fini(&n);
	world_mark_dirty(ch);
	world_mark_dirty(victim);
	gmcp_send_status(w, ch);
	gmcp_send_status(w, victim);
}

void cmd_give(struct world *w, struct character *ch, const char *arg)
{
	static const char *const noise[] = {"to", NULL};
	struct buf what, whom;
	const char *rest;
	struct character *victim;
	struct item *it;
	bool coins;
	long amount = 0;

	buf_init(&what, 0);
	buf_init(&whom, 0);
	coins = obj_is_coins(arg, &amount);
	rest = cmd_split(arg, &what);
	if (coins)
		rest = cmd_split(rest, &what); /* past "coins" */
	cmd_split(obj_skip_word(rest, noise), &whom);
	if (what.len == 0 || whom.len == 0) {
		world_send(w, ch, "Give what to whom?\n");
		goto out;
	}
	victim = find_char_room(ch, buf_cstr(&whom));
	if (!victim) {
		world_send(w, ch, "They are not here.\n");
		goto out;
	}
	if (victim == ch) {
		world_send(w, ch, "You shuffle it from one hand to the other.\n");
		goto out;
	}
	if (coins) {
		obj_give_coins(w, ch, amount, victim);
		goto out;
	}
	if (str_prefix("all", buf_cstr(&what)) && (what.len == 3 || what.data[3] == '.')) {
		world_send(w, ch, "You can give only one thing at a time.\n");
		goto out;
	}
	it = find_item_inv(ch, buf_cstr(&what));
	if (!it) {
		world_send(w, ch,
			   find_item_worn(ch, buf_cstr(&what)) ? "You must remove it first.\n"
							       : "You do not have that.\n");
		goto out;
	}
	if (it->flags & ITEM_NODROP) {
		act(w, ACT_TO_CHAR, "You cannot let go of $p.", ch, &(struct act_arg){.obj = it});
		goto out;
	}
	if (!obj_can_receive(w, ch, victim, it))
		goto out;
	if (trigger_char_has(victim, TRIG_GIVE, true)) {
		struct room *room = ch->room;

		if (world_fire(w, &(struct trig_event){.trig = TRIG_GIVE,
						       .before = true,
						       .self = victim->ref,
						       .actor = ch->ref,
						       .object = it->ref,
						       .dir = -1}))
			goto out;
		if (ch->extracted || victim->extracted || it->extracted || it->carried_by != ch ||
		    it->worn_on >= 0 || ch->room != room || victim->room != room)
			goto out;
	}
	gmcp_send_item_change(w, ch, "inv", it, false);
	item_to_char(it, victim);
	act(w, ACT_TO_CHAR, "You give $p to $N.", ch, &(struct act_arg){.obj = it, .vict = victim});
	act(w, ACT_TO_VICT, "$n gives you $p.", ch, &(struct act_arg){.obj = it, .vict = victim});
	act(w, ACT_TO_NOTVICT, "$n gives $p to $N.", ch,
	    &(struct act_arg){.obj = it, .vict = victim});
	gmcp_send_item_change(w, victim, "inv", it, true);
	world_mark_dirty(ch);
	world_mark_dirty(victim);
	if (trigger_char_has(victim, TRIG_GIVE, false))
		world_fire(w, &(struct trig_event){.trig = TRIG_GIVE,
						   .self = victim->ref,
						   .actor = ch->ref,
						   .object = it->ref,
						   .dir = -1});
out:
	buf_fini(&what);
	buf_fini(&whom);
}

/* ---- put ------------------------------------------------------------------------- */

static int obj_contents_weight(const struct item *c)
{
	int n = 0;

	DLIST_FOREACH(&c->contents, l)
	n += world_item_total_weight(dlist_entry(l, struct item, link));
	return n;
}

static int obj_put_one(struct world *w, struct character *ch, struct item *it, struct item *c)
{
	const struct act_arg arg = {.obj = it, .obj2 = c};
	int capacity = c->proto->values[0];

	if (it == c) {
		act(w, ACT_TO_CHAR, "You cannot fold $p into itself.", ch, &arg);
		return -1;
	}
	if ((it->flags & ITEM_NODROP) && obj_holder(c) != ch) {
		act(w, ACT_TO_CHAR, "You cannot let go of $p.", ch, &arg);
		return -1;
	}
	if (capacity > 0 && obj_contents_weight(c) + world_item_total_weight(it) > capacity) {
		act(w, ACT_TO_CHAR, "$p will not fit in $P.", ch, &arg);
		return -1;
	}
	gmcp_send_item_change(w, ch, "inv", it, false);
	item_to_item(it, c);
	act(w, ACT_TO_CHAR, "You put $p in $P.", ch, &arg);
	act(w, ACT_TO_ROOM, "$n puts $p in $P.", ch, &arg);
	world_mark_dirty(ch);
	return 0;
}

void cmd_put(struct world *w, struct character *ch, const char *arg)
{
	static const char *const noise[] = {"in", "into", "inside", NULL};
	struct buf what, where;
	struct find_target t;
	struct item_vec v = {0};
	struct item *c;
	const char *rest;

	buf_init(&what, 0);
	buf_init(&where, 0);
	rest = cmd_split(arg, &what);
	cmd_split(obj_skip_word(rest, noise), &where);
	find_target_init(&t, buf_cstr(&what));
	if (what.len == 0 || where.len == 0) {
		world_send(w, ch, "Put what in what?\n");
		goto out;
	}
	c = obj_find_container(w, ch, buf_cstr(&where));
	if (!c)
		goto out;
	if (t.all) {
		size_t tried = 0;

		find_items(ch, &ch->inventory, &t, &v);
		for (size_t i = 0; i < v.n; i++) {
			if (v.v[i] == c)
				continue;
			tried++;
			obj_put_one(w, ch, v.v[i], c);
		}
		if (!tried)
			world_send(w, ch, "You are not carrying anything like that.\n");
	} else {
		struct item *it = find_item_inv(ch, buf_cstr(&what));

		if (!it)
			world_send(w, ch, "You do not have that.\n");
		else
			obj_put_one(w, ch, it, c);
	}
out:
	find_vec_fini(&v);
	find_target_fini(&t);
	buf_fini(&what);
	buf_fini(&where);
}
