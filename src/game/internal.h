/*
 * internal.h: what the files of src/game/ share and nothing outside it
 * includes (STYLE.md rule 2).
 *
 * Start with struct world: it owns every area, room, prototype, instance and
 * player. Then the two sections below: helpers the world core (world.c and
 * its split-out files) offers to the command files, and what the command
 * files (cmd*.c, act.c, gmcp.c, ...) offer back to the core.
 */
#ifndef RUIN_GAME_INTERNAL_H
#define RUIN_GAME_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/list.h"
#include "base/log.h"
#include "base/map.h"
#include "game/world.h"

/* One entry of the handle table: what lives in a slot, and its generation. */
struct world_slot {
	void *ptr;	    /* the object, or NULL when the slot is free */
	uint32_t gen;	    /* bumped every time the slot is freed */
	uint32_t next_free; /* next free slot + 1 while free (0 ends the list) */
	enum ref_kind kind; /* REF_NONE while free */
};

/* Milliseconds between regeneration ticks, combat rounds, and area-reset checks. */
#define WORLD_REGEN_MS	     3000
#define WORLD_ROUND_MS	     3000
#define WORLD_RESET_CHECK_MS 1000

struct world {
	struct log *log;
	struct world_ops ops;
	/* cfg.start_room and cfg.mud_name point into the copies below. */
	struct world_config cfg;
	char *cfg_start_room;
	char *cfg_mud_name;

	int64_t now_ms;		    /* world clock: +100 every pulse */
	struct dlist room_info_due; /* rooms whose Room.Info waits for the next pulse (gmcp.c) */
	uint64_t pulses;	    /* pulses run so far */
	int64_t next_autosave_ms;
	bool autosaving; /* a round of autosaves is under way, a slice a pulse (pulse.c) */

	/* Id -> object. Keys are full ids ("emberfall:square"), case-sensitive. */
	struct map areas;	/* struct area */
	struct map rooms;	/* struct room */
	struct map item_protos; /* struct item_proto */
	struct map mob_protos;	/* struct mob_proto */
	struct map room_nums;	/* decimal room->num -> struct room (collision probing) */

	struct area *area_first, *area_last;	/* load order */
	struct spawn *spawn_first, *spawn_last; /* load order */
	struct room **room_vec;			/* every room, in creation order */
	size_t room_n, room_cap;
	struct room *start_room; /* set by world_resolve() */
	bool resolved;

	/* Handles: slot table with generations (see world_ref_*). */
	struct world_slot *slots;
	uint32_t slot_n, slot_cap;
	uint32_t free_head; /* first free slot + 1, 0 if none */

	struct dlist chars;	 /* every live character, via ch->world_link */
	struct map players;	 /* name (case-insensitive) -> struct character */
	struct dlist dead_chars; /* extracted, freed at world_reap(), via ch->world_link */
	struct dlist dead_items; /* extracted, freed at world_reap(), via it->link */
	/* Item instances in no place and not extracted are tracked nowhere. */

	struct world_script_ops script_ops; /* zeroed until world_set_script_ops() */
	int fire_depth;			    /* world_fire() calls running now */
	bool freeing;			    /* world_free() is running: no destroyed() calls */
	uint64_t rng;			    /* world_rand() state */
	struct sky sky;			    /* time of day and weather (weather.c) */
	int64_t game_hours;		    /* game hours since boot */
	struct item_proto *mote_proto;	    /* the scholar's mote of light (cmd_skill.c) */
};

/* ---- provided by world core ------------------------------------------------ */

/*
 * Conventions of the core that commands rely on:
 *  - A worn item is in ch->equip[slot] only (it->worn_on == slot), never in
 *    ch->inventory; item_equip()/item_unequip() move it between the two.
 *  - room->light is recounted by every placement primitive; call
 *    world_room_light_recount() after changing an item's flags or timer.
 *  - Extracted objects keep their memory (and their refs resolve) until
 *    world_reap(); skip anything with ->extracted set.
 *  - Quitting: ops->save, ops->disconnect, then world_player_leave(); the
 *    server then finds no player on that session. The core does the same for
 *    idle timeouts and link-dead timeouts.
 *  - Markup sent through the world carries its own "\n" line endings.
 *  - world_command() sets pc->idle_since_ms = w->now_ms (the idle timeout
 *    counts from it) and marks the player dirty when it changes them.
 */

/* The name others see: a player's name, a mob's short description. Never NULL. */
const char *world_char_name(const struct character *ch);
/* An item's short description ("a brass lantern"). Never NULL. */
const char *world_item_name(const struct item *it);
/* Pronoun words for ch: subject "they/he/she", object "them/him/her",
 * possessive "their/his/her", reflexive "themself/himself/herself". */
const char *world_pronoun_subj(const struct character *ch);
const char *world_pronoun_obj(const struct character *ch);
const char *world_pronoun_poss(const struct character *ch);
const char *world_pronoun_self(const struct character *ch);
/* True if someone in room can see without a light of their own (not dark, or lit). */
bool world_room_is_lit(const struct room *room);
/* The playing character on session, or NULL (session 0 always NULL). */
struct character *world_player_by_session(const struct world *w, uint32_t session);
/*
 * Sends markup to every linked player in room except `except` (may be NULL),
 * straight through ops->send. The markup carries its own line ending.
 */
void world_send_room(struct world *w, const struct room *room, const struct character *except,
		     const char *markup);
/* Number of players (linked or not) in the rooms of area. */
size_t world_area_player_count(const struct world *w, const struct area *area);
/* Total weight of what ch carries and wears, containers' contents included. */
int world_char_carried_weight(const struct character *ch);
/* Weight of an item with everything inside it. */
int world_item_total_weight(const struct item *it);
/* True if ch carries or wears an instance of proto, inside containers too (ITEM_UNIQUE). */
bool world_char_holds_proto(const struct character *ch, const struct item_proto *proto);
/* Recounts room->light from the glowing and lit things in it and on its people. */
void world_room_light_recount(struct room *room);
/* Marks a player as changed since the last save (no-op for mobs). */
void world_mark_dirty(struct character *ch);

/* ---- shared by the world core files only ---------------------------------- */

/* Takes a slot for obj and returns its ref; world_ref_release() frees the slot. */
ref_t world_ref_alloc(struct world *w, enum ref_kind kind, void *obj);
void world_ref_release(struct world *w, ref_t ref);
/* Makes an item; force ignores max_world (a player's saved items). */
struct item *world_item_make(struct world *w, struct item_proto *proto, bool force);
/* Frees it and everything inside it, without unlinking it from its place. */
void world_item_destroy(struct world *w, struct item *it);
/* A bare player character (pc set, name copied, a slot; no place, not in the world). */
struct character *world_player_alloc(struct world *w, const char *name);
/* Frees a character and what it carries, without unlinking it from anything. */
void world_char_destroy(struct world *w, struct character *ch);
/* "id" in area -> "area:id"; a full id is copied as is. Appends to out (cleared first). */
void world_qualify(const struct area *area, const char *id, struct buf *out);
/* Every area's reset checks, run once a second by world_pulse(). */
void world_reset_tick(struct world *w);

/* ---- random numbers (world.c) ----------------------------------------------- */

/* world_seed() is public (world.h): the area tests seed each file's world. */
/* A number in [lo, hi] (lo when hi < lo). */
int world_rand(struct world *w, int lo, int hi);
/* True with pct percent chance. */
bool world_chance(struct world *w, int pct);
/* Frees a prototype made outside the loader (corpses, the mote). */
void world_item_proto_free(struct item_proto *p);

/* ---- triggers (trigger.c) ---------------------------------------------------- */

/* Whether an object has trigger t (before or after): bit tests, nothing more. */
bool trigger_room_has(const struct room *room, enum trig t, bool before);
bool trigger_item_has(const struct item *it, enum trig t, bool before);
bool trigger_char_has(const struct character *ch, enum trig t, bool before);
/*
 * Fires ev for room, then for each mob in room but skip that has the
 * trigger (ev->self is set for each). Stops at, and returns true for, the
 * first veto of a before-trigger.
 */
bool trigger_room_and_mobs(struct world *w, struct room *room, const struct trig_event *ev,
			   const struct character *skip);
/*
 * Fires item trigger t of it for ch (text for use), if it has one. Returns
 * true if a before-trigger vetoed.
 */
bool trigger_item(struct world *w, enum trig t, bool before, struct item *it, struct character *ch,
		  const char *text);
/* The area ticks due this pulse (each object every 10 s, spread over the pulses). */
void trigger_tick(struct world *w);

/* ---- actions shared by the game's files (action.c) ------------------------------ */

/*
 * Moves ch to room outside the exits: tells the old room leave_msg and the
 * new one arrive_msg (act() formats, NULL for none), fires leave (dir -1),
 * enter and greet (dir -1), shows a player the room and refreshes GMCP.
 * Fights end. Returns 0, or -1 if ch was gone or had no room.
 */
int action_relocate(struct world *w, struct character *ch, struct room *room, const char *leave_msg,
		    const char *arrive_msg);
/* After ch arrived in its room from direction from (-1 if not by an exit): enter, greet. */
void action_arrived(struct world *w, struct character *ch, int from);

/* ---- combat (fight.c, death.c) ------------------------------------------------ */

/* Runs a combat round for everyone fighting (every 3 s of world clock). */
void fight_round_all(struct world *w);
/* ch stops fighting (and tells its client); others may still fight ch. */
void fight_stop(struct world *w, struct character *ch);
/* ch and everyone fighting ch stop (ch leaves, dies or is extracted). */
void fight_stop_all(struct world *w, struct character *ch);
/* Starts ch fighting victim (positions, GMCP), without a blow or any check. */
void fight_engage(struct world *w, struct character *ch, struct character *victim);
/*
 * ch attacks victim without striking yet: the checks (fight_can_attack()),
 * before_attacked, the "attacks" messages, engaging and on_attacked.
 * 0 if they now fight, -1 if not (ch was told why, or a trigger intervened).
 */
int fight_start(struct world *w, struct character *ch, struct character *victim);
/* ch tries to flee through a random open exit (may fail). 0 if it got away. */
int fight_flee(struct world *w, struct character *ch);
/*
 * One blow's worth of damage dam from ch to victim, with the message graded
 * by dam ("You scratch ...", "Your kick MAULS ..."; attack NULL for a plain
 * blow) and everything damage brings (ward, hp_below, death, wimpy is for
 * rounds). Returns the damage dealt; 0 is a miss.
 */
int fight_deal(struct world *w, struct character *ch, struct character *victim, int dam,
	       const char *attack);
/* A normal blow's damage from ch (weapon dice and bonus, or the mob's range), before armor. */
int fight_roll_damage(struct world *w, const struct character *ch);
/* True if ch lands a blow on victim (level, armor). */
bool fight_hit_roll(struct world *w, const struct character *ch, const struct character *victim);
/* The armor ch wears (players) or has (mobs). */
int fight_armor(const struct character *ch);
/* True (after telling ch why not) unless ch may attack victim here. */
bool fight_can_attack(struct world *w, struct character *ch, struct character *victim);

/* victim's hp reached 0: death, corpse, experience, triggers (death.c). */
void death_kill(struct world *w, struct character *victim, struct character *killer);
/* Where a dead player wakes: pc->recall, then emberfall:shrine, a recall room, the start. */
struct room *death_room(const struct world *w, const struct character *ch);
/* Crumbles items with ITEM_DECAYS whose timer ran out; burns lights down (each game hour). */
void death_decay_hour(struct world *w);

/* ---- levels (level.c) -------------------------------------------------------- */

#define LEVEL_MAX 10
/* Total experience a character needs to be level (1-LEVEL_MAX). */
int64_t level_exp_for(int level);
/* Experience ch still needs for its next level; 0 at LEVEL_MAX. */
int64_t level_exp_next(const struct character *ch);
/* Experience for killing a victim_level foe at killer_level. */
int level_kill_exp(int killer_level, int victim_level);

/* ---- time and weather (weather.c) --------------------------------------------- */

/* Sets the sky for a new world (8 in the morning, clear). */
void weather_init(struct world *w);
/* Called every pulse: a new game hour each minute (messages, time triggers, weather). */
void weather_pulse(struct world *w);

/* ---- skills (cmd_skill.c) ------------------------------------------------------- */

/* Ends timed effects whose time is up, with a message (every second). */
void skill_affects_tick(struct world *w);
/* Tells ch which skills its level (just reached) brings. */
void skill_announce(struct world *w, const struct character *ch);

/* ---- provided by commands (cmds owns this section) ------------------------- */

/*
 * What the command files offer the core (cmd*.c, act.c, gmcp.c). The
 * command table itself and the helpers the command files share among
 * themselves are in src/game/cmd.h.
 */

/*
 * Shows ch its room as `look` does (name, description, exits, items,
 * people; "too dark" without light) and sends ch Room.Info. For entering
 * the game, reconnecting and moving.
 */
void cmd_look_room(struct world *w, struct character *ch);
/*
 * The most people a look lists, and the most players Room.Info names; the
 * rest of a crowd is counted ("...and 970 others are here.", players_more).
 */
#define CMD_LOOK_PEOPLE_MAX 30

/* Who sees an act() message. */
enum act_to {
	ACT_TO_CHAR,	/* the actor only */
	ACT_TO_VICT,	/* arg->vict only */
	ACT_TO_ROOM,	/* everyone in the actor's room but the actor */
	ACT_TO_NOTVICT, /* everyone in the actor's room but the actor and arg->vict */
};

/* What an act() message may name besides its actor. Any field may be NULL. */
struct act_arg {
	const struct character *vict; /* $N, and $E $M $S: its pronouns */
	const struct item *obj;	      /* $p */
	const struct item *obj2;      /* $P */
	const char *text;	      /* $t: markup, escaped already if a player typed it */
	const char *text2;	      /* $T */
};

/*
 * Sends one message, expanded for each viewer, with a line ending:
 * $n is the actor's name as that viewer sees it ("someone" in the dark),
 * $e/$m/$s the actor's subject/object/possessive pronoun, $N/$E/$M/$S the
 * same for arg->vict, $p/$P item short descriptions ("something" unseen),
 * $t/$T text, $$ a dollar sign. The first letter is capitalized. Sleeping
 * and link-dead characters and mobs get nothing for ACT_TO_ROOM/NOTVICT.
 * arg may be NULL.
 */
void act(struct world *w, enum act_to to, const char *fmt, const struct character *ch,
	 const struct act_arg *arg);
/* Appends fmt expanded for viewer as act() does, without the line ending. */
void act_format(struct buf *out, const char *fmt, const struct character *viewer,
		const struct character *ch, const struct act_arg *arg);
/* True if viewer can see ch (itself always; others need light in ch's room). */
bool act_sees_char(const struct character *viewer, const struct character *ch);
/*
 * True when act_sees_char(viewer, ch) holds for every ch in room, so a
 * crowd can be counted rather than each of them asked about.
 */
bool act_sees_everyone(const struct character *viewer, const struct room *room);
/* True if viewer can see it (carried or worn always; elsewhere it needs light). */
bool act_sees_item(const struct character *viewer, const struct item *it);
/* ch's name for viewer: world_char_name(ch), or "someone" if unseen. */
const char *act_char_name(const struct character *viewer, const struct character *ch);

/*
 * GMCP senders (gmcp.c). Each builds its JSON with jansson and sends it
 * through ops->data to a linked player whose client wants the package
 * (ops->wants; nothing is built otherwise); mobs and link-dead players get
 * nothing. Shapes are documented in gmcp.c and docs/protocol.md.
 */
void gmcp_send_name(struct world *w, const struct character *ch);
void gmcp_send_vitals(struct world *w, const struct character *ch);
void gmcp_send_status(struct world *w, const struct character *ch);
/* Char.Combat {"target","target_hp"} while ch fights, {} when it does not. */
void gmcp_send_combat(struct world *w, const struct character *ch);
/* Char.Items.List for location "inv" (carried and worn) or "room". */
void gmcp_send_items_list(struct world *w, const struct character *ch, const char *location);
/* Char.Items.Add (add true) or Char.Items.Remove of it at location "inv" or "room". */
void gmcp_send_item_change(struct world *w, const struct character *ch, const char *location,
			   const struct item *it, bool add);
/* Char.Items.Update of an item ch carries or wears, at location "inv" (worn or not). */
void gmcp_send_item_update(struct world *w, const struct character *ch, const struct item *it);
/* Char.Items.Add/Remove at location "room" to every linked player in room. */
void gmcp_room_item_change(struct world *w, const struct room *room, const struct item *it,
			   bool add);
/* Room.Info for ch's room (the same for everyone there: its players include ch). */
void gmcp_send_room_info(struct world *w, const struct character *ch);
/*
 * Re-sends Room.Info to every linked player in room but except (may be
 * NULL) whose client wants it, built once: how web panels learn that
 * someone came or went or that the items on the floor changed. The commands call it for moves,
 * quits and items; the core should call it when a player enters the game, drops link, reconnects or
 * times out (gmcp_room_changed(w, room, ch)). In a crowd, at most one a pulse per room goes
 * at once; further changes in that pulse are sent together by gmcp_room_info_due() at the next.
 */
void gmcp_room_changed(struct world *w, struct room *room, const struct character *except);
/* Sends the Room.Info that waited for this pulse (world_pulse calls it first). */
void gmcp_room_info_due(struct world *w);
/*
 * Comm.Channel.Text {"channel","talker","text","message"}: text is the
 * whole line as `to` sees it, message what talker said; both are given as
 * markup (player text escaped) and sent as plain text.
 *
 * A line to a room or a channel goes to every listener, mostly the same
 * for all: with a memo (one per line sent: same channel and message for
 * every call), the JSON is made once per different talker and text, not
 * once per listener. memo may be NULL.
 */
struct gmcp_text_memo {
	struct buf key; /* talker, NUL, line_markup */
	char *json;	/* their Comm.Channel.Text, or NULL */
};
void gmcp_text_memo_init(struct gmcp_text_memo *m);
void gmcp_text_memo_fini(struct gmcp_text_memo *m);
void gmcp_send_channel_text(struct world *w, const struct character *to, const char *channel,
			    const char *talker, const char *line_markup, const char *message,
			    struct gmcp_text_memo *memo);
void gmcp_send_channel_list(struct world *w, const struct character *ch);

#endif
