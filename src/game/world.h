/*
 * world.h: the game world (areas, rooms, exits and doors, item and mob
 * prototypes, item and character instances, players) and the game's whole
 * contract with the layers around it.
 *
 * Start reading here. The world knows nothing of sockets, telnet or Lua:
 *  - what it needs from outside (sending text and structured data to a
 *    player, saving, ending a session) comes through struct world_ops, which
 *    server.c fills in;
 *  - the Lua area loader (src/script/) builds the world through the
 *    world_*_new() functions below, then calls world_resolve();
 *  - server.c feeds it input lines (world_command) and pulses (world_pulse).
 *
 * Everything here is single-threaded. Characters and items are never freed
 * in the middle of a walk: world_extract_*() marks them and world_reap()
 * frees them once per loop pass (STYLE.md rule 9). A struct ref names a
 * character, item or room by slot and generation, so code that holds one
 * across time (a Lua timer, a reply target) finds out that its object is
 * gone instead of touching freed memory.
 */
#ifndef RUIN_GAME_WORLD_H
#define RUIN_GAME_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/list.h"
#include "base/log.h"
#include "base/map.h"

struct world;
struct area;
struct room;
struct item;
struct character;

/* ---- handles --------------------------------------------------------------- */

/*
 * A handle: (generation << 24 | slot) packed in 64 bits; 0 is never valid.
 * world_ref_*() turn one back into a pointer, or NULL once the object is gone.
 * Lua sees handles as integers.
 */
typedef uint64_t ref_t;

enum ref_kind { REF_NONE = 0, REF_ROOM, REF_ITEM, REF_CHAR };

struct room *world_ref_room(const struct world *w, ref_t ref);
struct item *world_ref_item(const struct world *w, ref_t ref);
struct character *world_ref_char(const struct world *w, ref_t ref);
enum ref_kind world_ref_kind(const struct world *w, ref_t ref);

/* ---- enums and tables ------------------------------------------------------ */

enum dir { DIR_NORTH, DIR_EAST, DIR_SOUTH, DIR_WEST, DIR_UP, DIR_DOWN, DIR_COUNT };

/* "north" ... "down"; dir_parse accepts full names and n/e/s/w/u/d; -1 if neither. */
const char *dir_name(enum dir d);
enum dir dir_reverse(enum dir d);
int dir_parse(const char *word);

enum item_type {
	ITEM_OTHER = 0,
	ITEM_WEAPON,
	ITEM_ARMOR,
	ITEM_CONTAINER,
	ITEM_KEY,
	ITEM_FOOD,
	ITEM_DRINK,
	ITEM_LIGHT,
	ITEM_TREASURE,
	ITEM_TYPE_COUNT
};
const char *item_type_name(enum item_type t);
int item_type_parse(const char *name); /* -1 if unknown */

enum wear_slot {
	WEAR_LIGHT = 0,
	WEAR_HEAD,
	WEAR_NECK,
	WEAR_BODY,
	WEAR_ARMS,
	WEAR_HANDS,
	WEAR_FINGER,
	WEAR_WAIST,
	WEAR_LEGS,
	WEAR_FEET,
	WEAR_SHIELD,
	WEAR_WIELD,
	WEAR_HOLD,
	WEAR_COUNT
};
const char *wear_slot_name(enum wear_slot s);
int wear_slot_parse(const char *name); /* -1 if unknown */

/* Pronouns a character is spoken of with: they/them, he/him, she/her. */
enum pronouns { PRONOUNS_THEY = 0, PRONOUNS_HE, PRONOUNS_SHE };
const char *pronouns_name(enum pronouns p); /* "they", "he", "she" */
int pronouns_parse(const char *word);	    /* accepts they/he/she and them/him/her; -1 */

enum position { POS_DEAD = 0, POS_SLEEPING, POS_RESTING, POS_SITTING, POS_FIGHTING, POS_STANDING };

/* Room flags. */
#define ROOM_SAFE    (1u << 0) /* no fighting */
#define ROOM_DARK    (1u << 1) /* needs a light to see */
#define ROOM_NOMOB   (1u << 2) /* wandering mobs do not enter */
#define ROOM_INDOORS (1u << 3) /* no weather */
#define ROOM_RECALL  (1u << 4) /* a recall point */
#define ROOM_START   (1u << 5) /* where new characters begin */

/* Exit flags. */
#define EXIT_DOOR      (1u << 0) /* has a door that opens and closes */
#define EXIT_CLOSED    (1u << 1) /* the door is closed */
#define EXIT_LOCKED    (1u << 2) /* the door is locked */
#define EXIT_HIDDEN    (1u << 3) /* not listed among exits */
#define EXIT_PICKPROOF (1u << 4)

/* Item flags. */
#define ITEM_NOTAKE (1u << 0) /* cannot be picked up (fixtures) */
#define ITEM_NODROP (1u << 1) /* cannot be dropped */
#define ITEM_UNIQUE (1u << 2) /* a player may hold only one */
#define ITEM_GLOW   (1u << 3) /* lights the room */
#define ITEM_CLOSED (1u << 4) /* container closed (instance flag) */
#define ITEM_LOCKED (1u << 5) /* container locked (instance flag) */
#define ITEM_NOSAVE (1u << 6) /* never saved with a player */
#define ITEM_DECAYS (1u << 7) /* instance: crumbles when its timer runs out (corpses, motes) */

/* Mob flags. */
#define MOB_SENTINEL   (1u << 0) /* never wanders */
#define MOB_AGGRESSIVE (1u << 1)
#define MOB_SHOPKEEPER (1u << 2)
#define MOB_NOKILL     (1u << 3) /* cannot be attacked */

/* ---- the world model ------------------------------------------------------- */

/* An extra description: look at <keyword> shows text. A singly linked list. */
struct extra_desc {
	char *keywords; /* space-separated */
	char *text;
	struct extra_desc *next;
};

struct area {
	char *id;   /* "emberfall": lowercase letters, digits, '_' */
	char *name; /* "Emberfall" */
	char *author;
	char *file; /* the Lua file it came from, for error messages */
	int level_lo, level_hi;
	int reset_minutes;     /* reset interval; 0 = never */
	char *reset_message;   /* shown to players in the area at reset */
	int64_t next_reset_ms; /* world clock of the next reset */
	size_t room_count;
	void *script;	   /* owned by src/script/; the world never touches it */
	struct area *next; /* all areas, in load order */
};

struct exit {
	char *to_id;	      /* "area:room" or "room" (same area) as written by the builder */
	struct room *to;      /* resolved by world_resolve(); NULL until then */
	char *door_keywords;  /* "door", "gate oak": NULL if no door */
	char *key_id;	      /* item prototype id that locks/unlocks, or NULL */
	char *desc;	      /* what look <dir> shows, or NULL */
	unsigned flags;	      /* EXIT_*: current state */
	unsigned reset_flags; /* EXIT_*: state restored at area reset */
};

struct room {
	ref_t ref;
	char *id; /* full id, "emberfall:square" */
	int num;  /* stable number for GMCP Room.Info (from the id's hash) */
	struct area *area;
	char *name;
	char *desc;
	char *environment; /* "village", "forest", "inside", ... for GMCP */
	int x, y, z;
	bool has_coords;
	unsigned flags; /* ROOM_* */
	struct exit *exits[DIR_COUNT];
	struct extra_desc *extra;
	struct dlist items;    /* struct item, via item->link */
	struct dlist people;   /* struct character, via ch->room_link */
	int mobs;	       /* how many of them are mobs (only mobs have triggers) */
	int light;	       /* lit items and glowing things present */
	uint64_t triggers;     /* TRIG_BIT()s of the room's triggers */
	const struct sky *sky; /* the world's sky (set by world_room_new): night darkens it */
	/* Room.Info on a change: when last sent (world clock, -1 never), and in
	 * world.room_info_due while a change waits for the next pulse (gmcp.c). */
	int64_t info_sent_ms;
	struct dlink info_due;
	/* A crowd's Room.Info text, built once a pulse (gmcp_room_info_memo):
	 * NULL, or valid while the world clock is info_memo_ms and the room's
	 * lighting is info_memo_lit. */
	char *info_memo;
	int64_t info_memo_ms;
	bool info_memo_lit;
};

struct item_proto {
	char *id; /* full id, "emberfall:lantern" */
	struct area *area;
	char *keywords;	  /* "lantern brass" */
	char *short_desc; /* "a brass lantern" */
	char *long_desc;  /* on the floor: "A brass lantern sits here." */
	char *desc;	  /* look at it */
	enum item_type type;
	unsigned wear_slots; /* bit (1u << WEAR_*) for each slot it fits */
	unsigned flags;	     /* ITEM_* */
	int weight;
	int value; /* in coins */
	int level;
	int values[4]; /* by type: weapon dice n, sides, bonus; armor ac; container capacity; light
			  hours */
	char *key_id;  /* container: the item prototype id of its key ("box_key" or "area:box_key"),
			  or NULL */
	struct extra_desc *extra;
	int max_world;	   /* at most this many in the world; 0 = no limit */
	int live;	   /* instances existing now */
	uint64_t triggers; /* TRIG_BIT()s of its triggers */
};

struct mob_proto {
	char *id; /* full id, "emberfall:smith" */
	struct area *area;
	char *keywords;
	char *short_desc; /* "Bren the smith" */
	char *long_desc;  /* in the room: "Bren the smith hammers at a glowing blade." */
	char *desc;
	int level;
	int hp, mana, move; /* maxima */
	int damage_lo, damage_hi;
	int armor;
	int gold;
	unsigned flags; /* MOB_* */
	int live;
	uint64_t triggers;	   /* TRIG_BIT()s of its triggers */
	struct item_proto *corpse; /* its corpses' prototype, made at its first death (death.c) */
};

struct item {
	ref_t ref;
	struct item_proto *proto;
	/* Where it is: exactly one of these is set, or none (nowhere). */
	struct room *in_room;
	struct character *carried_by; /* in inventory, or worn when worn_on >= 0 */
	struct item *in_item;
	int worn_on;	   /* enum wear_slot, or -1 */
	struct dlink link; /* in room->items, ch->inventory or in_item->contents */
	struct dlist contents;
	unsigned flags; /* instance flags, starting from proto->flags */
	int timer;	/* light hours left, food freshness, ...; -1 = none */
	bool extracted; /* marked for world_reap() */
};

/* Player-only state. */
struct player {
	uint32_t session; /* the server's session id; 0 while link-dead */
	int64_t db_id;	  /* characters.id in the store; 0 until first save */
	char *title;
	char *prompt;	/* prompt markup with %h %H %m %M %v %V tokens, or NULL for the default */
	int color;	/* enum color_level the player chose, or -1 to follow the client */
	char *path;	/* "fighter", "scout" or "scholar" */
	char *recall;	/* room id of recall */
	ref_t reply_to; /* last player who told us something */
	unsigned roles; /* PLAYER_ROLE_* */
	unsigned channels_off;	   /* bit per channel the player has turned off */
	int64_t linkdead_since_ms; /* world clock when the link dropped; 0 if linked */
	int64_t created;	   /* wall clock seconds */
	int64_t played_s;	   /* seconds played before this login */
	int64_t login_ms;	   /* world clock at login */
	int64_t idle_since_ms;	   /* world clock of the last command */
	char *load_room;	   /* room id from the save, used by world_player_enter() */
	bool dirty;		   /* changed since the last save */
	bool autosave_due;	   /* dirty when this autosave round began; unsaved (pulse.c) */
	json_t *extra;		   /* saved fields this version does not know, kept as they were */
};

#define PLAYER_ROLE_BUILDER (1u << 0)
#define PLAYER_ROLE_ADMIN   (1u << 1)

/* Skill cooldown slots on a character (at least the number of skills). */
#define CHAR_COOLDOWNS 8

struct character {
	ref_t ref;
	char *name;	  /* players: "Ayla"; mobs: NULL */
	char *keywords;	  /* mobs: from proto; players: the name */
	char *short_desc; /* mobs: from proto; players: the name */
	char *long_desc;  /* mobs: from proto; players: NULL (built from name and title) */
	char *desc;
	struct mob_proto *proto; /* NULL for players */
	struct player *pc;	 /* NULL for mobs */
	struct spawn *spawn; /* mobs: the spawn rule that made it (counted in its live), or NULL */
	struct room *room;
	struct dlink room_link;	 /* in room->people */
	struct dlink world_link; /* in the world's list of all characters */
	struct dlist inventory;	 /* carried items */
	struct item *equip[WEAR_COUNT];
	enum position pos;
	enum pronouns pronouns;
	int level;
	int64_t exp;
	int hp, max_hp, mana, max_mana, move, max_move;
	int gold;
	unsigned flags; /* MOB_* for mobs */
	bool extracted;

	/* Combat (fight.c). fighting is cleared everywhere before a character is extracted. */
	struct character *fighting; /* the opponent, or NULL (set through fight.c only) */
	int attackers;		    /* characters whose fighting is this one (fight.c keeps it) */
	ref_t enemy;		    /* mobs: who fought it last; attacked again on sight */
	int wimpy;		    /* players: flee when hp falls below this; 0 = never (saved) */
	int hp_low_pct;		    /* lowest hp percent of this fight, for hp_below triggers */
	/* Timed effects and skill cooldowns: world clock ms when each ends (0 = none). */
	int64_t stun_until_ms;	/* stunned (bash): loses its attacks */
	int64_t sneak_until_ms; /* moves without arrival and departure messages */
	int64_t ward_until_ms;	/* takes a third less damage in combat */
	int64_t cooldown_until_ms[CHAR_COOLDOWNS]; /* by skill, see `skills` (skill.c) */
};

/* ---- what the world needs from outside ------------------------------------- */

struct world_ops {
	void *ud;
	/* Sends markup text to a player's session (a no-op if it has none). */
	void (*send)(void *ud, uint32_t session, const char *markup, size_t n);
	/*
	 * Sends a structured message to a session: package is a GMCP package name
	 * ("Room.Info", "Char.Vitals", ...) and json a JSON object or array. The
	 * session layer sends it only if the client asked for that package.
	 */
	void (*data)(void *ud, uint32_t session, const char *package, const char *json);
	/*
	 * True if the session's client asked for package (the same rule data
	 * follows): the world asks before it builds a message, so clients that
	 * take no GMCP cost nothing. May be NULL: every package is built and
	 * data decides.
	 */
	bool (*wants)(void *ud, uint32_t session, const char *package);
	/*
	 * Saves a player (one transaction). During a pulse the write may wait
	 * for the pulse's batch; 0 then means queued. 0 or negative on failure.
	 */
	int (*save)(void *ud, struct character *ch);
	/*
	 * Saves a player now, even during a pulse: for one about to leave the
	 * world, whose save must have been written before it goes. May be
	 * NULL (save is used). 0 or negative on failure.
	 */
	int (*save_now)(void *ud, struct character *ch);
	/* Ends a player's session after its pending output is sent (quit). */
	void (*disconnect)(void *ud, uint32_t session);
	/* Fills out with a line about the session for `who`/admins (client name, idle); may be
	 * NULL. */
	void (*describe_session)(void *ud, uint32_t session, struct buf *out);
	/*
	 * (engine, issue 3) Reloads an area's files live, for `reload area`:
	 * appends the report (every problem, or what changed) to out; returns
	 * 0 when the new version runs, else the number of problems. May be NULL.
	 */
	int (*reload_area)(void *ud, const char *area_id, struct buf *out);
	/*
	 * Asks for a hot reboot (the `reboot hot` command): the server runs it
	 * between loop passes. 0 if it will, negative (reason in out) if not.
	 * May be NULL (unavailable).
	 */
	int (*hot_reboot)(void *ud, struct buf *out);
};

/*
 * struct world itself is private (src/game/internal.h). Fields of the
 * structs above may be added as the game grows; keep them documented here.
 */

/* ---- lifetime -------------------------------------------------------------- */

struct world_config {
	int linkdead_timeout_s; /* link-dead characters leave the world after this */
	int autosave_s;		/* players saved every this many seconds */
	int idle_timeout_s;	/* playing characters idle this long are disconnected; 0 = never */
	const char *start_room; /* where new characters begin; NULL = a ROOM_START room */
	const char *mud_name;
};

/* log may be NULL. ops is copied. */
struct world *world_new(struct log *lg, const struct world_ops *ops,
			const struct world_config *cfg);
/* Frees everything, players included (save them first). */
void world_free(struct world *w);
struct log *world_log(const struct world *w);
/* Changes the timeouts of world_config on a running world (SIGHUP). */
void world_set_timeouts(struct world *w, int linkdead_timeout_s, int autosave_s,
			int idle_timeout_s);
/* The world clock in milliseconds: advances by 100 on every world_pulse(). */
int64_t world_now_ms(const struct world *w);
/*
 * Reseeds the world's dice (combat, flight, weather): world_new() seeds
 * them from the clock; tests seed them to make every run the same.
 */
void world_seed(struct world *w, uint64_t seed);

/* ---- building (used by the area loader) ------------------------------------- */

/*
 * Each *_new() creates an empty object with its id and returns it, or NULL
 * if the id is taken (the loader reports that). Strings are copied; fields
 * are filled in by the caller afterwards with world_set_str() or directly.
 */
struct area *world_area_new(struct world *w, const char *id);
struct room *world_room_new(struct world *w, struct area *area, const char *full_id);
struct item_proto *world_item_proto_new(struct world *w, struct area *area, const char *full_id);
struct mob_proto *world_mob_proto_new(struct world *w, struct area *area, const char *full_id);
/* Replaces *field with a copy of s (NULL allowed). */
void world_set_str(char **field, const char *s);
/* Adds or replaces the exit dir of room; returns it for further setting. */
struct exit *world_exit_set(struct world *w, struct room *room, enum dir d, const char *to_id);
void world_extra_add(struct extra_desc **list, const char *keywords, const char *text);

/*
 * A spawn rule, run at every reset of its area. An item rule tops its room
 * (or container) up to max instances, counting what lies there. A mob rule
 * keeps max of its own mobs alive, wherever they have wandered: each mob
 * it makes points back at it (ch->spawn) and is counted in live until it
 * is extracted, so a wanderer is never replaced while it lives (ROM's
 * reset pointer), and a mob it did not make never counts. New mobs appear
 * in room_id; for them, equip/carry lists the item prototypes they get.
 */
struct spawn {
	enum ref_kind kind; /* REF_CHAR (mob) or REF_ITEM */
	char *proto_id;
	char *room_id;
	char *container_id; /* REF_ITEM: put into this item proto's instance in the room, or NULL */
	int max;	    /* mobs: alive at once; items: in that room; 0 means 1 */
	int live;	    /* REF_CHAR: its mobs in the world now (not extracted) */
	char **carry;	    /* NULL-terminated item proto ids a mob carries */
	char **wear;	    /* NULL-terminated item proto ids a mob wears */
	struct area *area;  /* NULL once the rule was retired (a live reload replaced it) */
	struct spawn *next;
};
struct spawn *world_spawn_add(struct world *w, struct area *area, enum ref_kind kind,
			      const char *proto_id, const char *room_id, int max);
/*
 * The mobs rule `from` made are counted from now on for `to` (its
 * successor after a live reload: the same mob in the same room), or for no
 * rule at all when to is NULL; from->live drops to 0. Without this a
 * reload would leave every mob of the area uncounted, and the next reset
 * would double them.
 */
void world_spawn_handover(struct world *w, struct spawn *from, struct spawn *to);

/*
 * Resolves what loading left as names: exit targets, key ids, spawn
 * prototypes and rooms, the start room. Appends one line per problem to
 * errors ("emberfall:square: exit north leads to unknown room 'emberfall:nowhere'").
 * Returns the number of problems (0 = the world is whole).
 */
int world_resolve(struct world *w, struct buf *errors);
/* Runs every area's reset now (at boot, after world_resolve()). */
void world_reset_all(struct world *w);

struct area *world_find_area(const struct world *w, const char *id);
struct room *world_find_room(const struct world *w, const char *full_id);
struct item_proto *world_find_item_proto(const struct world *w, const char *full_id);
struct mob_proto *world_find_mob_proto(const struct world *w, const char *full_id);
struct area *world_areas(const struct world *w); /* first in load order */
size_t world_room_count(const struct world *w);
struct room *world_start_room(const struct world *w);

/* ---- instances ------------------------------------------------------------- */

/* Creates an instance in no place. NULL if the prototype's max_world is reached. */
struct item *world_item_create(struct world *w, struct item_proto *proto);
struct character *world_mob_create(struct world *w, struct mob_proto *proto);

/* Moves an item: first out of wherever it is, then into the new place. */
void item_to_room(struct item *it, struct room *room);
void item_to_char(struct item *it, struct character *ch);
void item_to_item(struct item *it, struct item *container);
void item_from_place(struct item *it);
/* Equips a carried item on slot; returns 0, or -1 if the slot is taken or wrong. */
int item_equip(struct character *ch, struct item *it, enum wear_slot slot);
void item_unequip(struct character *ch, struct item *it);

void char_to_room(struct character *ch, struct room *room);
void char_from_room(struct character *ch);

/* Marks for removal at the next world_reap(); the object leaves its place now. */
void world_extract_item(struct world *w, struct item *it);
void world_extract_char(struct world *w, struct character *ch);
/* Frees what was extracted. Called once per loop pass by the server. */
void world_reap(struct world *w);

/* ---- players --------------------------------------------------------------- */

/*
 * Makes a new player character (not yet in the world) named name, with the
 * creation choices given (path: "fighter", "scout" or "scholar"; it sets the
 * starting stats and gear). Returns NULL if path is unknown.
 */
struct character *world_player_new(struct world *w, const char *name, const char *path,
				   enum pronouns pronouns);
/* The creation paths, NULL-terminated, with a one-line blurb each (for the login menu). */
extern const char *const world_paths[];
const char *world_path_blurb(const char *path);
/*
 * Rebuilds a player from what world_player_to_json() saved. Unknown fields
 * are kept in pc->extra and saved back. Returns NULL and fills err on a
 * corrupt record.
 */
struct character *world_player_from_json(struct world *w, const char *name, json_t *saved,
					 struct buf *err);
/* The player's whole saved state: room, stats, settings, items (new reference). */
json_t *world_player_to_json(const struct world *w, const struct character *ch);
/* The player online (linked or link-dead) with that name, case-insensitive; NULL if none. */
struct character *world_find_player(const struct world *w, const char *name);
/* Puts the player in the world on session, in its saved room (or the start room). */
void world_player_enter(struct world *w, struct character *ch, uint32_t session);
/* The player's link dropped: it stays in the world, link-dead, for the timeout. */
void world_player_linkdead(struct world *w, struct character *ch);
/*
 * A new session takes over the character (link-dead or still linked
 * elsewhere); the caller ends the old session, if any. The room sees
 * "<Name> has reconnected." and the player the room and its state.
 */
void world_player_reconnect(struct world *w, struct character *ch, uint32_t session);
/*
 * The player leaves the world now (after being saved by the caller) and is
 * freed at the next world_reap(), with its items. Also discards a player
 * from world_player_new()/world_player_from_json() that never entered.
 */
void world_player_leave(struct world *w, struct character *ch);
/* Players in the world, linked or not. */
size_t world_player_count(const struct world *w);
/*
 * Iterates over all characters in the world (players and mobs, not yet
 * extracted): start with it = NULL. Take the next one before extracting it.
 */
struct character *world_next_char(const struct world *w, struct character *it);

/* ---- the game -------------------------------------------------------------- */

/* Interprets one input line from a playing character. */
void world_command(struct world *w, struct character *ch, const char *line);
/* Appends the player's prompt (markup) to out. */
void world_prompt(const struct world *w, const struct character *ch, struct buf *out);
/* Runs one 100 ms pulse: regeneration, resets, link-dead reaping, autosave. */
void world_pulse(struct world *w);
/* Sends markup to a character (players only; a no-op for mobs). */
void world_send(struct world *w, const struct character *ch, const char *markup);
void world_sendf(struct world *w, const struct character *ch, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sends markup to every player in the world (admin broadcasts, shutdown). */
void world_broadcast(struct world *w, const char *markup);
/* Sends the full GMCP state (Char.*, Room.Info) to a player, after login or reconnect. */
void world_send_state(struct world *w, const struct character *ch);

/* ---- actions (issue 3): what commands and scripts both do to the world ------ */

/*
 * Walks ch through exit d as a player would: doors, move cost (players),
 * before_leave (may forbid), departure and arrival messages (none while
 * sneaking), a look for players, then on_leave, on_enter and each mob's
 * greet; mobs that remember ch as an enemy, and aggressive ones, attack.
 * ch's fights end. Returns 0, or -1 if ch could not go (ch was told why).
 */
int world_char_move(struct world *w, struct character *ch, enum dir d);
/* Moves ch to room with "vanishes"/"appears" messages and triggers; players look. */
void world_char_teleport(struct world *w, struct character *ch, struct room *room);
/* Says and emotes for any character (mobs too), with triggers and GMCP, as the commands do. */
void world_say(struct world *w, struct character *ch, const char *text);
void world_emote(struct world *w, struct character *ch, const char *text);
/* Sends markup to every player in room except `except` (may be NULL). */
void world_echo(struct world *w, const struct room *room, const struct character *except,
		const char *markup);
/*
 * Deals amount damage to ch from by (NULL: no one), as it is (no armor,
 * no ward, no message), and starts no fight; may kill (death, corpse,
 * triggers, experience). Sends Char.Vitals. Returns the damage dealt.
 */
int world_damage(struct world *w, struct character *ch, int amount, struct character *by);
/* Heals up to ch's maximum hp; sends Char.Vitals. */
void world_heal(struct world *w, struct character *ch, int amount);
/*
 * ch attacks victim: both fight from now on, and ch strikes a first blow at
 * once (rounds follow every 3 s). Not in a ROOM_SAFE room, not a MOB_NOKILL
 * mob, never player against player; a before_attacked trigger may prevent
 * it. Returns 0 if they fight (also if they already did), -1 if not (ch
 * was told why).
 */
int world_attack(struct world *w, struct character *ch, struct character *victim);
/* Makes a mob in room (limits respected), firing its spawn trigger. NULL if not allowed. */
struct character *world_mob_spawn(struct world *w, struct mob_proto *proto, struct room *room);
/*
 * Experience for a player (mobs have none): positive may level up (up to
 * 10, with messages); negative takes some away, but never a level.
 */
void world_gain_exp(struct world *w, struct character *ch, int64_t amount);
/*
 * Raises a player to level (at most 10) as experience would, in silence:
 * the experience the level needs, and each level's hit points, mana and
 * moves for the player's path (full, as after a level-up). A player at or
 * above level is left alone. Returns the level the player has. For test
 * characters and tools; play raises levels through world_gain_exp().
 */
int world_player_raise(struct world *w, struct character *ch, int level);
/*
 * The game clock: hour 0-23, and "dawn", "day", "dusk" or "night". One game
 * hour passes every real minute of world clock (a day is 24 minutes), and
 * the world starts at 8 in the morning. Dawn is 5-6, day 7-17, dusk 18-19,
 * night 20-4.
 */
int world_hour(const struct world *w);
const char *world_time_period(const struct world *w);

enum period { PERIOD_DAWN, PERIOD_DAY, PERIOD_DUSK, PERIOD_NIGHT };
enum weather { WEATHER_CLEAR, WEATHER_CLOUDY, WEATHER_RAIN, WEATHER_FOG, WEATHER_STORM };

/* The sky over the world (weather.c); every room points at it. */
struct sky {
	int hour; /* 0-23 */
	enum period period;
	enum weather weather; /* changes every few game hours */
	int next_change_hour; /* game hours (since boot) when the weather next changes */
};

const struct sky *world_sky(const struct world *w);
/* "clear", "cloudy", "rain", "fog", "storm". */
const char *world_weather_name(enum weather wx);
/*
 * True if room is under the open sky (weather reaches it): not ROOM_INDOORS
 * and not an "inside" or "cave" environment.
 */
bool world_room_outdoors(const struct room *room);

/* ---- script hooks (issue 3) ------------------------------------------------ */

/*
 * Triggers: the game announces what happens through struct trig_event, and
 * the script layer (src/script/) runs the builder's Lua functions for it.
 * A "before" trigger runs before the action and may veto it (it tells the
 * actor why); an "after" trigger runs once the action is done.
 *
 * Which triggers an object has is kept in a bit set on it (room->triggers,
 * item_proto->triggers, mob_proto->triggers), set by the loader with
 * TRIG_BIT(t, before), so the game calls into Lua only where a builder
 * wrote something.
 */
enum trig {
	/* rooms */
	TRIG_ENTER = 0, /* actor entered the room (dir: the side it came in by, -1 if teleported) */
	TRIG_LEAVE,	/* actor leaves (dir: which way, -1 if teleported); before: may forbid */
	TRIG_SAY,	/* actor said text (the room, then every mob in it, hear it) */
	TRIG_COMMAND,	/* actor typed a command line here (text); before only: may take it over */
	TRIG_DROP,	/* actor dropped object (the item, then the room) */
	TRIG_LOOK,	/* actor looked at the room (plain `look`) / the mob / the item */
	TRIG_TICK,	/* every 10 s of world clock (rooms, mobs, items with a tick trigger) */
	TRIG_RESET,	/* the area reset (each of its rooms, after the spawns) */
	/* mobs */
	TRIG_SPAWN, /* the mob was made and placed (by a reset or world_mob_spawn) */
	TRIG_GREET, /* a player came into the mob's room (dir as for enter; not while sneaking) */
	TRIG_GIVE,  /* actor gave object to the mob; before: may refuse */
	TRIG_ATTACKED, /* actor attacked the mob; before: may prevent the fight */
	TRIG_FIGHT,    /* every combat round the mob fights (victim: its opponent) */
	TRIG_HP_BELOW, /* a blow from actor took the mob's hp to number percent, below was */
	TRIG_DEATH,    /* the mob died (actor: the killer, may be 0); before: may cheat death */
	TRIG_KILL,     /* the mob killed victim */
	TRIG_TIME,     /* a game hour began (text: "dawn", "day", "dusk", "night"; number: hour) */
	/* items */
	TRIG_GET,     /* actor picks object up; before: may refuse */
	TRIG_WEAR,    /* actor wears/wields/holds it */
	TRIG_REMOVE,  /* actor takes it off */
	TRIG_USE,     /* actor uses it (the "use" command; text: the rest of the line, or "") */
	TRIG_CONSUME, /* actor eats or drinks it (it still exists while the trigger runs) */
	TRIG_COUNT
};

/*
 * How the game fires them (src/game/trigger.c and the trigger points):
 *  - self is the object whose trigger runs; world_fire() does nothing unless
 *    self has the trigger's bit, so a world without scripts pays one test.
 *  - After each fire the game re-checks whatever it holds (->extracted, the
 *    character's room): a trigger may destroy or move anything.
 *  - Triggers nest (a trigger's action fires others) at most
 *    WORLD_FIRE_MAX_DEPTH deep; deeper fires are dropped with a log line.
 *  - An after-trigger's return value is ignored.
 */
#define WORLD_FIRE_MAX_DEPTH 8

#define TRIG_BIT(t, before) ((uint64_t)1 << ((t) + ((before) ? 32 : 0)))

/* "enter", "leave", ... as builders write them after on_/before_; -1 if unknown. */
const char *trig_name(enum trig t);
int trig_parse(const char *name);

struct trig_event {
	enum trig trig;
	bool before;	  /* a before-trigger: may veto */
	ref_t self;	  /* the room, mob or item whose trigger runs */
	ref_t actor;	  /* the character who did it, or 0 */
	ref_t object;	  /* the item involved, or 0 */
	ref_t victim;	  /* the other character (opponent, killed), or 0 */
	const char *text; /* said text, command line, time of day, use argument; NULL if none */
	int dir;	  /* enum dir, or -1 */
	int number;	  /* hp percent (hp_below), hour (time) */
	int was; /* hp_below: the lowest percent before this blow (100 when a fight starts) */
};

struct world_script_ops {
	void *ud;
	/*
	 * Runs the triggers of ev.self for ev. Returns true if a before-trigger
	 * vetoed the action (it has told the actor why; the game then does
	 * nothing more). Never called for objects without the trigger bit.
	 */
	bool (*fire)(void *ud, const struct trig_event *ev);
	/* ref is gone for good (reaped): cancel its timers and pending waits. */
	void (*destroyed)(void *ud, ref_t ref);
};

/* Installs the script layer's hooks (copied). Without them no trigger runs. */
void world_set_script_ops(struct world *w, const struct world_script_ops *ops);
/*
 * Fires ev if ev->self has the trigger (by its bit set). Returns true if it
 * was vetoed. The game calls this at every trigger point.
 */
bool world_fire(struct world *w, const struct trig_event *ev);

/* ---- for the script layer (engine, issue 3) -------------------------------------- */

/*
 * Resets one area now, as its reset timer would (spawns, doors, the reset
 * message, reset triggers). Used by the area tests' test.reset_area().
 */
void world_reset_area(struct world *w, struct area *area);

#endif
