/*
 * cmd.h: what the command files of src/game/ share among themselves: the
 * command table's entry type, every command function, target lookup
 * (find.c) and a few helpers. Only cmd*.c and find.c include it; what the
 * world core needs from the commands is in internal.h.
 *
 * Start reading at cmd_table in cmd.c: one row per command, in the order
 * that decides what an abbreviation means. world_command() there looks a
 * line's first word up in it and calls the function with the rest.
 */
#ifndef RUIN_GAME_CMD_H
#define RUIN_GAME_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/list.h"
#include "game/internal.h"
#include "game/world.h"

/* One command: arg is the rest of the line with outer white space trimmed (see CMD_RAW). */
typedef void (*cmd_fn)(struct world *w, struct character *ch, const char *arg);

#define CMD_FULL (1u << 0) /* only the full name runs it ("quit") */
#define CMD_RAW	 (1u << 1) /* arg keeps its trailing white space ("prompt [%h] ") */

/* Sections of the help index. */
enum cmd_group {
	CMD_GROUP_MOVE,
	CMD_GROUP_INFO,
	CMD_GROUP_COMM,
	CMD_GROUP_OBJ,
	CMD_GROUP_FIGHT,
	CMD_GROUP_SETTINGS,
	CMD_GROUP_COUNT
};

struct cmd_def {
	const char *name;
	cmd_fn fn;
	enum position min_pos; /* refused below this, with a message per position */
	unsigned roles;	       /* PLAYER_ROLE_* needed, 0 for everyone */
	unsigned flags;	       /* CMD_* */
	enum cmd_group group;
	const char *summary; /* one line for the help index */
	const char *help;    /* the help topic: usage lines, then what it does */
};

/* The command word names for ch (exact name first, then a unique-enough prefix), or NULL. */
const struct cmd_def *cmd_find(const struct character *ch, const char *word);
/*
 * Puts text a player typed into out as safe markup (color_escape), unless
 * it is longer than max_chars code points or holds nothing but control
 * characters and spaces: then tells ch why and returns -1. Returns 0 when
 * out holds the text.
 */
int cmd_player_text(struct world *w, const struct character *ch, const char *what, const char *text,
		    size_t max_chars, struct buf *out);
/* Appends "Name" or "Name the Title" (title escaped) for a player, the name for a mob. */
void cmd_put_full_name(struct buf *out, const struct character *ch);
/*
 * Splits arg into its first word (into word) and returns the rest, white
 * space skipped. Quotes group words as in str_next_word().
 */
const char *cmd_split(const char *arg, struct buf *word);

/* ---- cmd_move.c: movement, doors and containers, positions ---------------- */
void cmd_north(struct world *w, struct character *ch, const char *arg);
void cmd_east(struct world *w, struct character *ch, const char *arg);
void cmd_south(struct world *w, struct character *ch, const char *arg);
void cmd_west(struct world *w, struct character *ch, const char *arg);
void cmd_up(struct world *w, struct character *ch, const char *arg);
void cmd_down(struct world *w, struct character *ch, const char *arg);
void cmd_open(struct world *w, struct character *ch, const char *arg);
void cmd_close(struct world *w, struct character *ch, const char *arg);
void cmd_lock(struct world *w, struct character *ch, const char *arg);
void cmd_unlock(struct world *w, struct character *ch, const char *arg);
void cmd_stand(struct world *w, struct character *ch, const char *arg);
void cmd_sit(struct world *w, struct character *ch, const char *arg);
void cmd_rest(struct world *w, struct character *ch, const char *arg);
void cmd_sleep(struct world *w, struct character *ch, const char *arg);
void cmd_wake(struct world *w, struct character *ch, const char *arg);
/* Move points a step from one room to another costs (by their environments). */
int cmd_move_cost(const struct room *from, const struct room *to);
/* Appends a door's name: the first of its keywords ("gate" of "gate iron"), or "door". */
void cmd_door_name(struct buf *out, const struct exit *ex);

/* ---- cmd_info.c: looking and knowing ---------------------------------------- */
void cmd_look(struct world *w, struct character *ch, const char *arg);
void cmd_exits(struct world *w, struct character *ch, const char *arg);
void cmd_who(struct world *w, struct character *ch, const char *arg);
void cmd_score(struct world *w, struct character *ch, const char *arg);
void cmd_inventory(struct world *w, struct character *ch, const char *arg);
void cmd_equipment(struct world *w, struct character *ch, const char *arg);
void cmd_time(struct world *w, struct character *ch, const char *arg);
void cmd_weather(struct world *w, struct character *ch, const char *arg);
/*
 * Appends to out the visible items of list, one line each, identical ones
 * grouped as "( 3) a copper coin": long descriptions (the floor) when
 * use_long, else short ones. Appends "     Nothing.\n" if none and
 * show_nothing. Returns the number of lines.
 */
size_t cmd_show_items(struct buf *out, const struct character *viewer, const struct dlist *list,
		      bool use_long, bool show_nothing);

/* ---- cmd_comm.c: talking ---------------------------------------------------- */
void cmd_say(struct world *w, struct character *ch, const char *arg);
void cmd_emote(struct world *w, struct character *ch, const char *arg);
void cmd_tell(struct world *w, struct character *ch, const char *arg);
void cmd_reply(struct world *w, struct character *ch, const char *arg);
void cmd_chat(struct world *w, struct character *ch, const char *arg);
void cmd_newbie(struct world *w, struct character *ch, const char *arg);
void cmd_channels(struct world *w, struct character *ch, const char *arg);

/* A global channel a player can turn off (bit 1u << index in pc->channels_off). */
struct cmd_channel {
	const char *name;    /* "chat": also the command */
	const char *caption; /* "Chat" */
	const char *tag;     /* markup in front of each line: "{Y[Chat]{x" */
};
/* The channels, ending with a row whose name is NULL. */
extern const struct cmd_channel cmd_channels_table[];

/* ---- cmd_obj.c: things -------------------------------------------------------- */
void cmd_get(struct world *w, struct character *ch, const char *arg);
void cmd_drop(struct world *w, struct character *ch, const char *arg);
void cmd_give(struct world *w, struct character *ch, const char *arg);
void cmd_put(struct world *w, struct character *ch, const char *arg);
/* The most weight ch can carry, and the most items (worn ones not counted). */
int cmd_carry_weight_max(const struct character *ch);
size_t cmd_carry_count_max(const struct character *ch);

/* ---- cmd_wear.c: equipment, and using things ----------------------------------- */
void cmd_wear(struct world *w, struct character *ch, const char *arg);
void cmd_wield(struct world *w, struct character *ch, const char *arg);
void cmd_hold(struct world *w, struct character *ch, const char *arg);
void cmd_remove(struct world *w, struct character *ch, const char *arg);
void cmd_eat(struct world *w, struct character *ch, const char *arg);
void cmd_drink(struct world *w, struct character *ch, const char *arg);
void cmd_use(struct world *w, struct character *ch, const char *arg);

/* ---- cmd_fight.c: fighting ------------------------------------------------------ */
void cmd_kill(struct world *w, struct character *ch, const char *arg);
void cmd_flee(struct world *w, struct character *ch, const char *arg);
void cmd_wimpy(struct world *w, struct character *ch, const char *arg);
void cmd_consider(struct world *w, struct character *ch, const char *arg);

/* ---- cmd_skill.c: skills and spells ---------------------------------------------- */
void cmd_kick(struct world *w, struct character *ch, const char *arg);
void cmd_bash(struct world *w, struct character *ch, const char *arg);
void cmd_sneak(struct world *w, struct character *ch, const char *arg);
void cmd_backstab(struct world *w, struct character *ch, const char *arg);
void cmd_light(struct world *w, struct character *ch, const char *arg);
void cmd_mend(struct world *w, struct character *ch, const char *arg);
void cmd_ward(struct world *w, struct character *ch, const char *arg);
void cmd_skills(struct world *w, struct character *ch, const char *arg);

/* ---- cmd_misc.c: settings and leaving --------------------------------------- */
void cmd_prompt(struct world *w, struct character *ch, const char *arg);
void cmd_color(struct world *w, struct character *ch, const char *arg);
void cmd_title(struct world *w, struct character *ch, const char *arg);
void cmd_save(struct world *w, struct character *ch, const char *arg);
void cmd_quit(struct world *w, struct character *ch, const char *arg);

/* ---- cmd_build.c: builders ------------------------------------------------- */
void cmd_reload(struct world *w, struct character *ch, const char *arg);
void cmd_reboot(struct world *w, struct character *ch, const char *arg);

/* ---- cmd.c: help ------------------------------------------------------------- */
void cmd_help(struct world *w, struct character *ch, const char *arg);
void cmd_commands(struct world *w, struct character *ch, const char *arg);

/* ---- find.c: what a player's words name ------------------------------------ */

/* A parsed target: "sword", "2.sword", "all", "all.coin". */
struct find_target {
	int number;	 /* the n of "n.name"; 1 without one */
	bool all;	 /* "all" or "all.name" */
	struct buf name; /* the name part, lowercase; empty for a plain "all" */
};

/* Parses arg (one word) into t; find_target_fini() frees it. */
void find_target_init(struct find_target *t, const char *arg);
void find_target_fini(struct find_target *t);
/*
 * True if every word of name is a case-insensitive prefix of some word of
 * keywords ("bra lan" matches "lantern brass"). An empty name matches nothing.
 */
bool find_name_matches(const char *name, const char *keywords);
/* True if t names something with these keywords (a plain "all" names everything). */
bool find_target_matches(const struct find_target *t, const char *keywords);

/*
 * The item arg names ("sword", "2.sword") among the items of list that
 * viewer can see, or NULL. "all" forms name nothing here.
 */
struct item *find_item_list(const struct character *viewer, const struct dlist *list,
			    const char *arg);
/* ... in viewer's inventory; among what it wears; on the floor of its room. */
struct item *find_item_inv(const struct character *viewer, const char *arg);
struct item *find_item_worn(const struct character *viewer, const char *arg);
struct item *find_item_room(const struct character *viewer, const char *arg);
/* Inventory, then worn, then the floor; "2.sword" counts across all three. */
struct item *find_item_here(const struct character *viewer, const char *arg);
/* The character arg names in viewer's room ("me"/"self" is viewer), or NULL. */
struct character *find_char_room(const struct character *viewer, const char *arg);
/*
 * The player online (linked or link-dead) arg names: the exact name, else
 * the one player whose name it begins. NULL if none or ambiguous.
 */
struct character *find_player(const struct world *w, const char *arg);

/* A growable array of items. */
struct item_vec {
	struct item **v;
	size_t n, cap;
};
void find_vec_fini(struct item_vec *v);
/* Appends every item of list that viewer sees and t matches; returns how many. */
size_t find_items(const struct character *viewer, const struct dlist *list,
		  const struct find_target *t, struct item_vec *out);

#endif
