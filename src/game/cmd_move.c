/*
 * cmd_move.c: walking from room to room, doors (open, close, lock, unlock,
 * both sides of an exit kept the same) and containers that open and lock,
 * and the positions (stand, sit, rest, sleep, wake).
 *
 * Start reading at world_char_move(): every direction command is one call,
 * and scripts walk mobs through it too.
 */
#include "game/cmd.h"

#include <string.h>

#include "base/buf.h"
#include "base/list.h"
#include "base/str.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

/* What a step costs by environment; the step costs the mean of both rooms. */
static const struct {
	const char *environment;
	int cost;
} move_costs[] = {
	{"inside", 1}, {"village", 1},	{"road", 1},   {"city", 1},  {"field", 2},
	{"cave", 2},   {"ruin", 2},	{"forest", 2}, {"hills", 3}, {"desert", 3},
	{"swamp", 4},  {"mountain", 4}, {"water", 4},  {NULL, 0},
};

static int move_env_cost(const struct room *room)
{
	if (!room || !room->environment)
		return 1;
	for (int i = 0; move_costs[i].environment; i++)
		if (str_eq_nocase(room->environment, move_costs[i].environment))
			return move_costs[i].cost;
	return 2;
}

int cmd_move_cost(const struct room *from, const struct room *to)
{
	return (move_env_cost(from) + move_env_cost(to) + 1) / 2;
}

void cmd_door_name(struct buf *out, const struct exit *ex)
{
	const char *k = ex->door_keywords ? str_skip_space(ex->door_keywords) : "";
	size_t n = strcspn(k, " \t");

	if (n == 0)
		buf_puts(out, "door");
	else
		buf_append(out, k, n);
}

/* The exit back from where ex leads, if it leads back to room. */
static struct exit *move_back_exit(const struct room *room, enum dir d)
{
	const struct exit *ex = room->exits[d];
	struct exit *back;

	if (!ex || !ex->to)
		return NULL;
	back = ex->to->exits[dir_reverse(d)];
	return back && back->to == room ? back : NULL;
}

static const char *move_arrival(enum dir d)
{
	static const char *const from[DIR_COUNT] = {
		[DIR_NORTH] = "the south", [DIR_EAST] = "the west", [DIR_SOUTH] = "the north",
		[DIR_WEST] = "the east",   [DIR_UP] = "below",	    [DIR_DOWN] = "above",
	};

	return from[d];
}

/*
 * Whether ch can take exit d now: the room it leads to and the step's move
 * cost in *to and *cost, or -1 after telling ch why not.
 */
static int move_check(struct world *w, struct character *ch, enum dir d, struct room **to,
		      int *cost)
{
	const struct exit *ex = ch->room->exits[d];
	struct buf door;

	if (!ex || !ex->to || ((ex->flags & EXIT_HIDDEN) && (ex->flags & EXIT_CLOSED))) {
		world_send(w, ch, "Alas, you cannot go that way.\n");
		return -1;
	}
	if (ex->flags & EXIT_CLOSED) {
		buf_init(&door, 256);
		cmd_door_name(&door, ex);
		world_sendf(w, ch, "The %s is closed.\n", buf_cstr(&door));
		buf_fini(&door);
		return -1;
	}
	*to = ex->to;
	*cost = cmd_move_cost(ch->room, ex->to);
	if (ch->pc && ch->move < *cost) {
		world_send(w, ch, "You are too exhausted to go on. Rest a while.\n");
		return -1;
	}
	return 0;
}

int world_char_move(struct world *w, struct character *ch, enum dir d)
{
	struct room *from, *to;
	int cost;
	bool sneaking;

	if (!ch || ch->extracted || !ch->room || (unsigned)d >= DIR_COUNT)
		return -1;
	from = ch->room;
	if (move_check(w, ch, d, &to, &cost) < 0)
		return -1;
	if (trigger_room_has(from, TRIG_LEAVE, true)) {
		if (world_fire(w, &(struct trig_event){.trig = TRIG_LEAVE,
						       .before = true,
						       .self = from->ref,
						       .actor = ch->ref,
						       .dir = (int)d}))
			return -1;
		/* The trigger may have moved ch, closed the door or spent its moves. */
		if (ch->extracted || ch->room != from || move_check(w, ch, d, &to, &cost) < 0)
			return -1;
	}
	if (ch->pc)
		ch->move -= cost;
	sneaking = ch->sneak_until_ms > world_now_ms(w);
	fight_stop_all(w, ch);
	if (!sneaking)
		act(w, ACT_TO_ROOM, "$n leaves $t.", ch, &(struct act_arg){.text = dir_name(d)});
	char_from_room(ch);
	char_to_room(ch, to);
	if (!sneaking)
		act(w, ACT_TO_ROOM, "$n arrives from $t.", ch,
		    &(struct act_arg){.text = move_arrival(d)});
	world_mark_dirty(ch);
	cmd_look_room(w, ch);
	if (ch->pc) {
		gmcp_send_vitals(w, ch);
		gmcp_send_status(w, ch);
		gmcp_room_changed(w, from, NULL);
		gmcp_room_changed(w, to, ch);
	}
	if (trigger_room_has(from, TRIG_LEAVE, false))
		world_fire(w, &(struct trig_event){.trig = TRIG_LEAVE,
						   .self = from->ref,
						   .actor = ch->ref,
						   .dir = (int)d});
	if (!ch->extracted && ch->room == to)
		action_arrived(w, ch, (int)dir_reverse(d));
	return 0;
}

void cmd_north(struct world *w, struct character *ch, const char *arg)
{
	(void)arg;
	world_char_move(w, ch, DIR_NORTH);
}

void cmd_east(struct world *w, struct character *ch, const char *arg)
{
	(void)arg;
	world_char_move(w, ch, DIR_EAST);
}

void cmd_south(struct world *w, struct character *ch, const char *arg)
{
	(void)arg;
	world_char_move(w, ch, DIR_SOUTH);
}

void cmd_west(struct world *w, struct character *ch, const char *arg)
{
	(void)arg;
	world_char_move(w, ch, DIR_WEST);
}

void cmd_up(struct world *w, struct character *ch, const char *arg)
{
	(void)arg;
	world_char_move(w, ch, DIR_UP);
}

void cmd_down(struct world *w, struct character *ch, const char *arg)
{
	(void)arg;
	world_char_move(w, ch, DIR_DOWN);
}

/* ---- doors and containers ------------------------------------------------------ */

enum move_lock_op { LOCK_OPEN, LOCK_CLOSE, LOCK_LOCK, LOCK_UNLOCK };

static const struct {
	const char *verb;   /* "open": for "Open what?" */
	const char *you;    /* "You open $t." */
	const char *room;   /* "$n opens $t." */
	const char *beyond; /* "The $t opens." on the door's other side */
} move_lock_text[] = {
	[LOCK_OPEN] = {"Open", "You open the $t.", "$n opens the $t.", "The %s opens.\n"},
	[LOCK_CLOSE] = {"Close", "You close the $t.", "$n closes the $t.", "The %s closes.\n"},
	[LOCK_LOCK] = {"Lock", "*Click* You lock the $t.", "$n locks the $t.",
		       "You hear a click: the %s has been locked.\n"},
	[LOCK_UNLOCK] = {"Unlock", "*Click* You unlock the $t.", "$n unlocks the $t.",
			 "You hear a click: the %s has been unlocked.\n"},
};

/*
 * True if proto_id is key_id: the same full id, or key_id is short ("box_key")
 * and names a prototype of area.
 */
static bool move_key_is(const char *proto_id, const char *key_id, const struct area *area)
{
	size_t n;

	if (!proto_id)
		return false;
	if (strcmp(proto_id, key_id) == 0)
		return true;
	if (strchr(key_id, ':') || !area || !area->id)
		return false;
	n = strlen(area->id);
	return strncmp(proto_id, area->id, n) == 0 && proto_id[n] == ':' &&
	       strcmp(proto_id + n + 1, key_id) == 0;
}

/* True if ch carries or holds an item of the prototype key_id (short ids in area). */
static bool move_has_key(const struct character *ch, const char *key_id, const struct area *area)
{
	if (!key_id)
		return false;
	DLIST_FOREACH(&ch->inventory, l)
	{
		const struct item *it = dlist_entry(l, struct item, link);

		if (!it->extracted && it->proto && move_key_is(it->proto->id, key_id, area))
			return true;
	}
	for (int s = 0; s < WEAR_COUNT; s++) {
		const struct item *it = ch->equip[s];

		if (it && it->proto && move_key_is(it->proto->id, key_id, area))
			return true;
	}
	return false;
}

/* The direction of a door arg names ("north", "n" or a door keyword), or -1. */
static int move_find_door(const struct character *ch, const char *arg, bool by_dir_only)
{
	int d = dir_parse(arg);

	if (d >= 0)
		return d;
	if (by_dir_only)
		return -1;
	for (d = 0; d < DIR_COUNT; d++) {
		const struct exit *ex = ch->room->exits[d];

		if (ex && (ex->flags & EXIT_DOOR) && ex->door_keywords &&
		    find_name_matches(arg, ex->door_keywords))
			return d;
	}
	return -1;
}

static void move_door_op(struct world *w, struct character *ch, enum dir d, enum move_lock_op op)
{
	struct exit *ex = ch->room->exits[d];
	struct exit *back = move_back_exit(ch->room, d);
	unsigned set = 0, clear = 0;
	struct buf door, beyond;

	if (!ex || !ex->to || !(ex->flags & EXIT_DOOR)) {
		world_sendf(w, ch, "There is no door %s%s.\n",
			    d == DIR_UP	    ? ""
			    : d == DIR_DOWN ? ""
					    : "to the ",
			    d == DIR_UP	    ? "above you"
			    : d == DIR_DOWN ? "below you"
					    : dir_name(d));
		return;
	}
	switch (op) {
	case LOCK_OPEN:
		if (!(ex->flags & EXIT_CLOSED)) {
			world_send(w, ch, "It is already open.\n");
			return;
		}
		if (ex->flags & EXIT_LOCKED) {
			world_send(w, ch, "It is locked.\n");
			return;
		}
		clear = EXIT_CLOSED;
		break;
	case LOCK_CLOSE:
		if (ex->flags & EXIT_CLOSED) {
			world_send(w, ch, "It is already closed.\n");
			return;
		}
		set = EXIT_CLOSED;
		break;
	case LOCK_LOCK:
	case LOCK_UNLOCK:
		if (!(ex->flags & EXIT_CLOSED)) {
			world_send(w, ch, "It is not closed.\n");
			return;
		}
		if (!ex->key_id) {
			world_send(w, ch,
				   op == LOCK_LOCK ? "It cannot be locked.\n"
						   : "It has no lock to open.\n");
			return;
		}
		if (op == LOCK_LOCK && (ex->flags & EXIT_LOCKED)) {
			world_send(w, ch, "It is already locked.\n");
			return;
		}
		if (op == LOCK_UNLOCK && !(ex->flags & EXIT_LOCKED)) {
			world_send(w, ch, "It is already unlocked.\n");
			return;
		}
		if (!move_has_key(ch, ex->key_id, ch->room->area)) {
			world_send(w, ch, "You lack the key.\n");
			return;
		}
		if (op == LOCK_LOCK)
			set = EXIT_LOCKED;
		else
			clear = EXIT_LOCKED;
		break;
	}
	ex->flags = (ex->flags | set) & ~clear;
	if (back)
		back->flags = (back->flags | set) & ~clear;
	buf_init(&door, 256);
	buf_init(&beyond, 512);
	cmd_door_name(&door, ex);
	act(w, ACT_TO_CHAR, move_lock_text[op].you, ch, &(struct act_arg){.text = buf_cstr(&door)});
	act(w, ACT_TO_ROOM, move_lock_text[op].room, ch,
	    &(struct act_arg){.text = buf_cstr(&door)});
	if (back && ex->to != ch->room) {
		buf_clear(&door);
		cmd_door_name(&door, back);
		buf_printf(&beyond, move_lock_text[op].beyond, buf_cstr(&door));
		world_send_room(w, ex->to, NULL, buf_cstr(&beyond));
	}
	buf_fini(&door);
	buf_fini(&beyond);
	if (op == LOCK_OPEN || op == LOCK_CLOSE) {
		gmcp_room_changed(w, ch->room, NULL);
		gmcp_room_changed(w, ex->to, NULL);
	}
}

/* The key a container locks with: its prototype's key_id, or NULL. */
static const char *move_container_key(const struct item *it)
{
	return it->proto ? it->proto->key_id : NULL;
}

static void move_container_op(struct world *w, struct character *ch, struct item *it,
			      enum move_lock_op op)
{
	static const char *const you[] = {
		[LOCK_OPEN] = "You open $p.",
		[LOCK_CLOSE] = "You close $p.",
		[LOCK_LOCK] = "*Click* You lock $p.",
		[LOCK_UNLOCK] = "*Click* You unlock $p.",
	};
	static const char *const room[] = {
		[LOCK_OPEN] = "$n opens $p.",
		[LOCK_CLOSE] = "$n closes $p.",
		[LOCK_LOCK] = "$n locks $p.",
		[LOCK_UNLOCK] = "$n unlocks $p.",
	};
	const struct act_arg arg = {.obj = it};

	if (!it->proto || it->proto->type != ITEM_CONTAINER) {
		act(w, ACT_TO_CHAR, "$p is not something you can do that to.", ch, &arg);
		return;
	}
	switch (op) {
	case LOCK_OPEN:
		if (!(it->flags & ITEM_CLOSED)) {
			world_send(w, ch, "It is already open.\n");
			return;
		}
		if (it->flags & ITEM_LOCKED) {
			world_send(w, ch, "It is locked.\n");
			return;
		}
		it->flags &= ~ITEM_CLOSED;
		break;
	case LOCK_CLOSE:
		if (it->flags & ITEM_CLOSED) {
			world_send(w, ch, "It is already closed.\n");
			return;
		}
		it->flags |= ITEM_CLOSED;
		break;
	case LOCK_LOCK:
	case LOCK_UNLOCK:
		if (!(it->flags & ITEM_CLOSED)) {
			world_send(w, ch, "It is not closed.\n");
			return;
		}
		if (!move_container_key(it)) {
			world_send(w, ch,
				   op == LOCK_LOCK ? "It cannot be locked.\n"
						   : "It has no lock to open.\n");
			return;
		}
		if (op == LOCK_LOCK && (it->flags & ITEM_LOCKED)) {
			world_send(w, ch, "It is already locked.\n");
			return;
		}
		if (op == LOCK_UNLOCK && !(it->flags & ITEM_LOCKED)) {
			world_send(w, ch, "It is already unlocked.\n");
			return;
		}
		if (!move_has_key(ch, move_container_key(it), it->proto->area)) {
			world_send(w, ch, "You lack the key.\n");
			return;
		}
		if (op == LOCK_LOCK)
			it->flags |= ITEM_LOCKED;
		else
			it->flags &= ~ITEM_LOCKED;
		break;
	}
	act(w, ACT_TO_CHAR, you[op], ch, &arg);
	act(w, ACT_TO_ROOM, room[op], ch, &arg);
	if (it->carried_by == ch)
		world_mark_dirty(ch);
}

static void move_lock_cmd(struct world *w, struct character *ch, const char *arg,
			  enum move_lock_op op)
{
	struct item *it;
	int d;

	if (!*arg) {
		world_sendf(w, ch, "%s what?\n", move_lock_text[op].verb);
		return;
	}
	if (!ch->room)
		return;
	d = move_find_door(ch, arg, true);
	if (d >= 0) {
		move_door_op(w, ch, (enum dir)d, op);
		return;
	}
	/* A container first, then a door ("open iron" is the iron gate, not an iron key). */
	it = find_item_here(ch, arg);
	if (it && it->proto && it->proto->type == ITEM_CONTAINER) {
		move_container_op(w, ch, it, op);
		return;
	}
	d = move_find_door(ch, arg, false);
	if (d >= 0)
		move_door_op(w, ch, (enum dir)d, op);
	else if (it)
		move_container_op(w, ch, it, op);
	else
		world_sendf(w, ch, "You see no %s here.\n", arg);
}

void cmd_open(struct world *w, struct character *ch, const char *arg)
{
	move_lock_cmd(w, ch, arg, LOCK_OPEN);
}

void cmd_close(struct world *w, struct character *ch, const char *arg)
{
	move_lock_cmd(w, ch, arg, LOCK_CLOSE);
}

void cmd_lock(struct world *w, struct character *ch, const char *arg)
{
	move_lock_cmd(w, ch, arg, LOCK_LOCK);
}

void cmd_unlock(struct world *w, struct character *ch, const char *arg)
{
	move_lock_cmd(w, ch, arg, LOCK_UNLOCK);
}

/* ---- positions ------------------------------------------------------------------- */

static void move_set_pos(struct world *w, struct character *ch, enum position pos, const char *you,
			 const char *room)
{
	bool was_asleep = ch->pos == POS_SLEEPING;

	act(w, ACT_TO_CHAR, you, ch, NULL);
	ch->pos = pos;
	act(w, ACT_TO_ROOM, room, ch, NULL);
	gmcp_send_status(w, ch);
	if (was_asleep && pos != POS_SLEEPING)
		cmd_look_room(w, ch);
}

void cmd_stand(struct world *w, struct character *ch, const char *arg)
{
	(void)arg;
	switch (ch->pos) {
	case POS_STANDING:
		world_send(w, ch, "You are already standing.\n");
		return;
	case POS_FIGHTING:
		world_send(w, ch, "You are already on your feet, fighting!\n");
		return;
	case POS_SLEEPING:
		move_set_pos(w, ch, POS_STANDING, "You wake and stand up.",
			     "$n wakes and stands up.");
		return;
	default:
		move_set_pos(w, ch, POS_STANDING, "You stand up.", "$n stands up.");
		return;
	}
}

void cmd_sit(struct world *w, struct character *ch, const char *arg)
{
	(void)arg;
	switch (ch->pos) {
	case POS_SITTING:
		world_send(w, ch, "You are already sitting.\n");
		return;
	case POS_FIGHTING:
		world_send(w, ch, "Maybe you should finish this fight first?\n");
		return;
	case POS_SLEEPING:
		move_set_pos(w, ch, POS_SITTING, "You wake and sit up.", "$n wakes and sits up.");
		return;
	default:
		move_set_pos(w, ch, POS_SITTING, "You sit down.", "$n sits down.");
		return;
	}
}

void cmd_rest(struct world *w, struct character *ch, const char *arg)
{
	(void)arg;
	switch (ch->pos) {
	case POS_RESTING:
		world_send(w, ch, "You are already resting.\n");
		return;
	case POS_FIGHTING:
		world_send(w, ch, "Maybe you should finish this fight first?\n");
		return;
	case POS_SLEEPING:
		move_set_pos(w, ch, POS_RESTING, "You wake up and start resting.",
			     "$n wakes up and starts resting.");
		return;
	default:
		move_set_pos(w, ch, POS_RESTING, "You sit back and rest.",
			     "$n sits back and rests.");
		return;
	}
}

void cmd_sleep(struct world *w, struct character *ch, const char *arg)
{
	(void)arg;
	switch (ch->pos) {
	case POS_SLEEPING:
		world_send(w, ch, "You are already asleep.\n");
		return;
	case POS_FIGHTING:
		world_send(w, ch, "Sleep? Now? You are fighting!\n");
		return;
	default:
		move_set_pos(w, ch, POS_SLEEPING, "You lie down and go to sleep.",
			     "$n lies down and goes to sleep.");
		return;
	}
}

void cmd_wake(struct world *w, struct character *ch, const char *arg)
{
	struct character *victim;

	if (!*arg) {
		if (ch->pos != POS_SLEEPING) {
			world_send(w, ch, "You are already awake.\n");
			return;
		}
		cmd_stand(w, ch, "");
		return;
	}
	if (ch->pos == POS_SLEEPING) {
		world_send(w, ch, "You are asleep yourself!\n");
		return;
	}
	victim = find_char_room(ch, arg);
	if (!victim) {
		world_send(w, ch, "They are not here.\n");
		return;
	}
	if (victim == ch) {
		world_send(w, ch, "You are already awake.\n");
		return;
	}
	if (victim->pos != POS_SLEEPING) {
		act(w, ACT_TO_CHAR, "$N is already awake.", ch, &(struct act_arg){.vict = victim});
		return;
	}
	act(w, ACT_TO_CHAR, "You wake $M.", ch, &(struct act_arg){.vict = victim});
	act(w, ACT_TO_VICT, "$n wakes you.", ch, &(struct act_arg){.vict = victim});
	victim->pos = POS_STANDING;
	act(w, ACT_TO_NOTVICT, "$n wakes $N.", ch, &(struct act_arg){.vict = victim});
	gmcp_send_status(w, victim);
	cmd_look_room(w, victim);
}
