/*
 * cmd_wear.c: wear, wield, hold and remove (the equipment slots), and eat,
 * drink and use. Split from cmd_obj.c, which moves things around; the same
 * rules hold here: targets follow find.c, and every change tells the
 * clients concerned through GMCP.
 *
 * Start reading at obj_wear_cmd().
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

/* ---- wear, wield, hold, remove -------------------------------------------------- */

static const struct {
	const char *you;
	const char *room;
} obj_wear_text[WEAR_COUNT] = {
	[WEAR_LIGHT] = {"You light $p and hold it up.", "$n lights $p and holds it up."},
	[WEAR_HEAD] = {"You wear $p on your head.", "$n wears $p on $s head."},
	[WEAR_NECK] = {"You wear $p around your neck.", "$n wears $p around $s neck."},
	[WEAR_BODY] = {"You wear $p on your body.", "$n wears $p on $s body."},
	[WEAR_ARMS] = {"You wear $p on your arms.", "$n wears $p on $s arms."},
	[WEAR_HANDS] = {"You wear $p on your hands.", "$n wears $p on $s hands."},
	[WEAR_FINGER] = {"You slip $p onto your finger.", "$n slips $p onto $s finger."},
	[WEAR_WAIST] = {"You wear $p about your waist.", "$n wears $p about $s waist."},
	[WEAR_LEGS] = {"You wear $p on your legs.", "$n wears $p on $s legs."},
	[WEAR_FEET] = {"You wear $p on your feet.", "$n wears $p on $s feet."},
	[WEAR_SHIELD] = {"You strap on $p as a shield.", "$n straps on $p as a shield."},
	[WEAR_WIELD] = {"You wield $p.", "$n wields $p."},
	[WEAR_HOLD] = {"You hold $p in your hand.", "$n holds $p in $s hand."},
};

enum obj_wear_mode { WEAR_MODE_ANY, WEAR_MODE_WIELD, WEAR_MODE_HOLD };

/*
 * The slot it goes to: in WEAR_MODE_ANY its first body slot, else wielded,
 * else held up as a light, else held; -1 if it fits none that mode allows.
 * With free_only, a slot already in use does not count.
 */
static int obj_pick_slot(const struct character *ch, const struct item *it, enum obj_wear_mode mode,
			 bool free_only)
{
	static const int tail[] = {WEAR_WIELD, WEAR_LIGHT, WEAR_HOLD};
	unsigned slots = it->proto ? it->proto->wear_slots : 0;
	int fallback = -1;

	if (mode == WEAR_MODE_WIELD)
		slots &= 1u << WEAR_WIELD;
	else if (mode == WEAR_MODE_HOLD)
		slots &= (1u << WEAR_LIGHT) | (1u << WEAR_HOLD);
	for (int s = 0; s < WEAR_COUNT; s++) {
		if (s == WEAR_WIELD || s == WEAR_LIGHT || s == WEAR_HOLD || !(slots & (1u << s)))
			continue;
		if (!free_only || !ch->equip[s])
			return s;
		if (fallback < 0)
			fallback = s;
	}
	for (size_t i = 0; i < sizeof(tail) / sizeof(tail[0]); i++) {
		if (!(slots & (1u << tail[i])))
			continue;
		if (!free_only || !ch->equip[tail[i]])
			return tail[i];
	}
	return free_only ? -1 : fallback;
}

static void obj_unequip(struct world *w, struct character *ch, struct item *it)
{
	const struct act_arg arg = {.obj = it};

	item_unequip(ch, it);
	act(w, ACT_TO_CHAR, "You stop using $p.", ch, &arg);
	act(w, ACT_TO_ROOM, "$n stops using $p.", ch, &arg);
	gmcp_send_item_update(w, ch, it);
	world_mark_dirty(ch);
	trigger_item(w, TRIG_REMOVE, false, it, ch, NULL);
}

/* Puts it on (replacing what was in its slot unless all). 0 if worn. */
static int obj_wear_one(struct world *w, struct character *ch, struct item *it,
			enum obj_wear_mode mode, bool all)
{
	const struct act_arg arg = {.obj = it};
	int slot = obj_pick_slot(ch, it, mode, true);

	if (slot < 0 && all)
		return -1;
	if (slot < 0)
		slot = obj_pick_slot(ch, it, mode, false);
	if (slot < 0) {
		act(w, ACT_TO_CHAR,
		    mode == WEAR_MODE_WIELD  ? "$p is not something you can wield."
		    : mode == WEAR_MODE_HOLD ? "$p is not something you can hold."
					     : "$p is not something you can wear.",
		    ch, &arg);
		return -1;
	}
	if (it->proto->level > ch->level) {
		if (!all) {
			struct buf msg;

			buf_init(&msg, 256);
			buf_printf(&msg, "You must be level %d to use $p.", it->proto->level);
			act(w, ACT_TO_CHAR, buf_cstr(&msg), ch, &arg);
			buf_fini(&msg);
		}
		return -1;
	}
	if (ch->equip[slot]) {
		obj_unequip(w, ch, ch->equip[slot]);
		/* Its remove trigger may have done anything. */
		if (ch->extracted || it->extracted || it->carried_by != ch || it->worn_on >= 0)
			return -1;
	}
	if (item_equip(ch, it, (enum wear_slot)slot) < 0) {
		act(w, ACT_TO_CHAR, "You cannot put $p on right now.", ch, &arg);
		return -1;
	}
	act(w, ACT_TO_CHAR, obj_wear_text[slot].you, ch, &arg);
	act(w, ACT_TO_ROOM, obj_wear_text[slot].room, ch, &arg);
	gmcp_send_item_update(w, ch, it);
	world_mark_dirty(ch);
	trigger_item(w, TRIG_WEAR, false, it, ch, NULL);
	return 0;
}

static void obj_wear_cmd(struct world *w, struct character *ch, const char *arg,
			 enum obj_wear_mode mode)
{
	static const char *const what[] = {"Wear what?\n", "Wield what?\n", "Hold what?\n"};
	struct find_target t;
	struct item *it;

	if (!*arg) {
		world_send(w, ch, what[mode]);
		return;
	}
	find_target_init(&t, arg);
	if (t.all && mode == WEAR_MODE_ANY) {
		struct item_vec v = {0};
		size_t worn = 0;

		find_items(ch, &ch->inventory, &t, &v);
		for (size_t i = 0; i < v.n && !ch->extracted; i++)
			if (!v.v[i]->extracted && v.v[i]->carried_by == ch && v.v[i]->worn_on < 0)
				worn += obj_wear_one(w, ch, v.v[i], mode, true) == 0;
		if (!worn)
			world_send(w, ch, "You have nothing more you can put on.\n");
		find_vec_fini(&v);
	} else if (t.all) {
		world_send(w, ch, "One thing at a time.\n");
	} else if ((it = find_item_inv(ch, arg))) {
		obj_wear_one(w, ch, it, mode, false);
	} else {
		world_send(w, ch,
			   find_item_worn(ch, arg) ? "You are already using that.\n"
						   : "You do not have that.\n");
	}
	find_target_fini(&t);
}

void cmd_wear(struct world *w, struct character *ch, const char *arg)
{
	obj_wear_cmd(w, ch, arg, WEAR_MODE_ANY);
}

void cmd_wield(struct world *w, struct character *ch, const char *arg)
{
	obj_wear_cmd(w, ch, arg, WEAR_MODE_WIELD);
}

void cmd_hold(struct world *w, struct character *ch, const char *arg)
{
	obj_wear_cmd(w, ch, arg, WEAR_MODE_HOLD);
}

void cmd_remove(struct world *w, struct character *ch, const char *arg)
{
	struct find_target t;
	struct item *it;
	size_t removed = 0;

	if (!*arg) {
		world_send(w, ch, "Remove what?\n");
		return;
	}
	find_target_init(&t, arg);
	if (t.all) {
		for (int s = 0; s < WEAR_COUNT; s++) {
			it = ch->equip[s];
			if (ch->extracted)
				break;
			if (!it || !find_target_matches(&t, it->proto ? it->proto->keywords : ""))
				continue;
			if (ch->inventory.count + 1 > cmd_carry_count_max(ch)) {
				world_send(w, ch, "Your hands are full.\n");
				break;
			}
			obj_unequip(w, ch, it);
			removed++;
		}
		if (!removed)
			world_send(w, ch, "You are not using anything like that.\n");
	} else if ((it = find_item_worn(ch, arg))) {
		if (ch->inventory.count + 1 > cmd_carry_count_max(ch))
			world_send(w, ch, "Your hands are full.\n");
		else
			obj_unequip(w, ch, it);
	} else {
		world_send(w, ch, "You are not using that.\n");
	}
	find_target_fini(&t);
}

/* ---- eat, drink, use ---------------------------------------------------------------- */

/*
 * ch consumes it: the consume trigger runs while it still exists, then it is
 * gone (unless it is a fixture, a well or a fountain, which stays).
 */
static void obj_consume(struct world *w, struct character *ch, struct item *it)
{
	struct room *room = it->in_room;

	trigger_item(w, TRIG_CONSUME, false, it, ch, NULL);
	if (it->extracted || (it->flags & ITEM_NOTAKE))
		return;
	if (it->carried_by == ch && !ch->extracted)
		gmcp_send_item_change(w, ch, "inv", it, false);
	if (it->in_room)
		gmcp_room_item_change(w, it->in_room, it, false);
	world_extract_item(w, it);
	world_mark_dirty(ch);
	if (room)
		gmcp_room_changed(w, room, NULL);
}

void cmd_eat(struct world *w, struct character *ch, const char *arg)
{
	struct item *it;
	int heal;

	if (!*arg) {
		world_send(w, ch, "Eat what?\n");
		return;
	}
	it = find_item_inv(ch, arg);
	if (!it) {
		world_send(w, ch, "You do not have that.\n");
		return;
	}
	if (it->proto->type != ITEM_FOOD) {
		act(w, ACT_TO_CHAR, "$p is not food.", ch, &(struct act_arg){.obj = it});
		return;
	}
	act(w, ACT_TO_CHAR, "You eat $p.", ch, &(struct act_arg){.obj = it});
	act(w, ACT_TO_ROOM, "$n eats $p.", ch, &(struct act_arg){.obj = it});
	heal = it->proto->values[0] > 0 ? it->proto->values[0] : 3;
	if (ch->hp < ch->max_hp)
		world_send(w, ch, "You feel a little better.\n");
	world_heal(w, ch, heal);
	obj_consume(w, ch, it);
}

/* Something here or carried to drink from when no name is given: a fixture first. */
static struct item *obj_find_drink(const struct character *ch)
{
	if (ch->room) {
		DLIST_FOREACH(&ch->room->items, l)
		{
			struct item *it = dlist_entry(l, struct item, link);

			if (!it->extracted && it->proto->type == ITEM_DRINK &&
			    act_sees_item(ch, it))
				return it;
		}
	}
	DLIST_FOREACH(&ch->inventory, l)
	{
		struct item *it = dlist_entry(l, struct item, link);

		if (!it->extracted && it->proto->type == ITEM_DRINK)
			return it;
	}
	return NULL;
}

void cmd_drink(struct world *w, struct character *ch, const char *arg)
{
	struct item *it;
	int moves;

	it = *arg ? find_item_inv(ch, arg) : obj_find_drink(ch);
	if (!it && *arg)
		it = find_item_room(ch, arg);
	if (!it) {
		world_send(w, ch,
			   *arg ? "You see no such thing to drink.\n"
				: "There is nothing here to drink.\n");
		return;
	}
	if (it->proto->type != ITEM_DRINK) {
		act(w, ACT_TO_CHAR, "You cannot drink from $p.", ch, &(struct act_arg){.obj = it});
		return;
	}
	if (it->flags & ITEM_NOTAKE) {
		act(w, ACT_TO_CHAR, "You drink from $p.", ch, &(struct act_arg){.obj = it});
		act(w, ACT_TO_ROOM, "$n drinks from $p.", ch, &(struct act_arg){.obj = it});
	} else {
		act(w, ACT_TO_CHAR, "You drink $p.", ch, &(struct act_arg){.obj = it});
		act(w, ACT_TO_ROOM, "$n drinks $p.", ch, &(struct act_arg){.obj = it});
	}
	moves = it->proto->values[0] > 0 ? it->proto->values[0] * 2 : 10;
	if (ch->move < ch->max_move) {
		ch->move = moves >= ch->max_move - ch->move ? ch->max_move : ch->move + moves;
		world_send(w, ch, "You feel refreshed.\n");
		world_mark_dirty(ch);
		gmcp_send_vitals(w, ch);
	}
	obj_consume(w, ch, it);
}

void cmd_use(struct world *w, struct character *ch, const char *arg)
{
	struct buf what;
	const char *rest;
	struct item *it;

	buf_init(&what, 0);
	rest = cmd_split(arg, &what);
	if (what.len == 0) {
		world_send(w, ch, "Use what?\n");
		goto out;
	}
	it = find_item_here(ch, buf_cstr(&what));
	if (!it) {
		world_sendf(w, ch, "You see no %s here.\n", buf_cstr(&what));
		goto out;
	}
	if (!trigger_item_has(it, TRIG_USE, false)) {
		if (it->proto->type == ITEM_FOOD)
			world_send(w, ch, "Food is for eating: 'eat' it.\n");
		else if (it->proto->type == ITEM_DRINK)
			world_send(w, ch, "Try to 'drink' it.\n");
		else
			act(w, ACT_TO_CHAR,
			    "You turn $p over in your hands, but find no use for it.", ch,
			    &(struct act_arg){.obj = it});
		goto out;
	}
	trigger_item(w, TRIG_USE, false, it, ch, rest);
out:
	buf_fini(&what);
}
