/*
 * cmd.c: the command table, the dispatcher and help.
 *
 * Start reading at cmd_table: one row per command, in the order that
 * decides abbreviations (the first row a word is a prefix of wins, so `n`
 * is north, `l` look, `i` inventory). world_command() takes a line, finds
 * its row (cmd_find()), checks the character's position and calls the
 * row's function with the rest of the line. help reads the same rows.
 */
#include "game/cmd.h"

#include <ctype.h>
#include <string.h>

#include "base/buf.h"
#include "base/color.h"
#include "base/str.h"
#include "base/utf8.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

/* A command word longer than this is no command. */
#define CMD_WORD_MAX 32

#define HELP_DIRECTION(dir, abbrev)                                                                \
	"Usage: " dir " (or " abbrev ")\n"                                                         \
	"Walks " dir ". A closed door is in the way until you open it. Each step costs\n"          \
	"move points: more in the forest and the hills than on a road or indoors.\n"

static const struct cmd_def cmd_table[] = {
	{"north", cmd_north, POS_STANDING, 0, 0, CMD_GROUP_MOVE, "Walk north (n).",
	 HELP_DIRECTION("north", "n")},
	{"east", cmd_east, POS_STANDING, 0, 0, CMD_GROUP_MOVE, "Walk east (e).",
	 HELP_DIRECTION("east", "e")},
	{"south", cmd_south, POS_STANDING, 0, 0, CMD_GROUP_MOVE, "Walk south (s).",
	 HELP_DIRECTION("south", "s")},
	{"west", cmd_west, POS_STANDING, 0, 0, CMD_GROUP_MOVE, "Walk west (w).",
	 HELP_DIRECTION("west", "w")},
	{"up", cmd_up, POS_STANDING, 0, 0, CMD_GROUP_MOVE, "Climb up (u).",
	 HELP_DIRECTION("up", "u")},
	{"down", cmd_down, POS_STANDING, 0, 0, CMD_GROUP_MOVE, "Climb down (d).",
	 HELP_DIRECTION("down", "d")},
	{"look", cmd_look, POS_RESTING, 0, 0, CMD_GROUP_INFO, "Look around, or at something (l).",
	 "Usage: look\n"
	 "       look <person | thing | direction>\n"
	 "       look in <container>\n"
	 "Without a word, shows the room: its name, description, exits (a closed door\n"
	 "in parentheses), what lies on the floor and who is here. With one, looks\n"
	 "closer: at someone, at something you carry, wear or see, at a detail the\n"
	 "description mentions, or through an exit. 'look in' shows what a container\n"
	 "holds. A dark room shows nothing without a light.\n"},
	{"inventory", cmd_inventory, POS_DEAD, 0, 0, CMD_GROUP_INFO, "List what you carry (i).",
	 "Usage: inventory (or i, inv)\n"
	 "Lists what you carry, identical things grouped, like \"( 3) a copper coin\".\n"
	 "What you wear is listed by 'equipment'.\n"},
	{"get", cmd_get, POS_RESTING, 0, 0, CMD_GROUP_OBJ, "Pick something up.",
	 "Usage: get <thing>\n"
	 "       get <thing> [from] <container>\n"
	 "Picks up something from the floor or takes it out of a container you carry\n"
	 "or see. <thing> can be 'all', 'all.coin' or '2.coin' (see 'help targets').\n"},
	{"drop", cmd_drop, POS_RESTING, 0, 0, CMD_GROUP_OBJ, "Put something down.",
	 "Usage: drop <thing>\n"
	 "Drops something you carry on the floor. 'drop all' and 'drop all.coin' work.\n"},
	{"put", cmd_put, POS_RESTING, 0, 0, CMD_GROUP_OBJ, "Put something in a container.",
	 "Usage: put <thing> [in] <container>\n"
	 "Puts something you carry into a container you carry or see. The container\n"
	 "must be open and have room; 'put all.coin satchel' works.\n"},
	{"give", cmd_give, POS_RESTING, 0, 0, CMD_GROUP_OBJ, "Give something or coins to someone.",
	 "Usage: give <thing> [to] <person>\n"
	 "       give <amount> coins [to] <person>\n"
	 "Hands something you carry, or some of your gold, to someone here.\n"},
	{"kill", cmd_kill, POS_FIGHTING, 0, 0, CMD_GROUP_FIGHT, "Attack someone (k).",
	 "Usage: kill <someone>\n"
	 "Attacks someone here: you strike at once, and then every three seconds, each\n"
	 "of you in turn, until one of you flees or dies. Not in safe places (the\n"
	 "village), not against the villagers, never against other players. A blow\n"
	 "lands by your level against theirs and their armor; its damage comes from\n"
	 "your weapon. 'consider' first. See also 'flee', 'wimpy', 'skills', 'help death'.\n"},
	{"attack", cmd_kill, POS_FIGHTING, 0, 0, CMD_GROUP_FIGHT, "The same as kill.",
	 "Usage: attack <someone>\n"
	 "The same as 'kill'.\n"},
	{"flee", cmd_flee, POS_FIGHTING, 0, 0, CMD_GROUP_FIGHT, "Run from a fight.",
	 "Usage: flee\n"
	 "Runs from the fight through a random open exit. It costs moves like any step,\n"
	 "and it may fail: your foe gets another round at you. Scouts get away more\n"
	 "often. A mob you fled from remembers you.\n"},
	{"say", cmd_say, POS_RESTING, 0, 0, CMD_GROUP_COMM, "Say something to the room (').",
	 "Usage: say <message>\n"
	 "       '<message>\n"
	 "Everyone in the room hears you; a question is asked, an exclamation\n"
	 "exclaimed. At most 300 characters.\n"},
	{"tell", cmd_tell, POS_RESTING, 0, 0, CMD_GROUP_COMM, "Tell another player something.",
	 "Usage: tell <player> <message>\n"
	 "Speaks to one player wherever they are. They answer with 'reply'. A player\n"
	 "whose link is lost may not see it.\n"},
	{"reply", cmd_reply, POS_RESTING, 0, 0, CMD_GROUP_COMM, "Answer the last tell you got.",
	 "Usage: reply <message>\n"
	 "Tells the player who last told you something.\n"},
	{"emote", cmd_emote, POS_RESTING, 0, 0, CMD_GROUP_COMM, "Show the room what you do (:).",
	 "Usage: emote <action>\n"
	 "       :<action>\n"
	 "'emote smiles.' shows the room \"Ayla smiles.\" At most 300 characters.\n"},
	{"close", cmd_close, POS_RESTING, 0, 0, CMD_GROUP_MOVE, "Close a door or a container.",
	 "Usage: close <door | direction | container>\n"
	 "Closes a door (both of its sides) or a container.\n"},
	{"chat", cmd_chat, POS_SLEEPING, 0, 0, CMD_GROUP_COMM, "Talk on the chat channel.",
	 "Usage: chat <message>\n"
	 "Talks to every player online who has the chat channel on. Out of character.\n"
	 "See 'channels' to turn it off.\n"},
	{"newbie", cmd_newbie, POS_SLEEPING, 0, 0, CMD_GROUP_COMM,
	 "Ask or answer a newcomer's question.",
	 "Usage: newbie <message>\n"
	 "The channel for questions about the game. Everyone online hears it unless\n"
	 "they turned it off with 'channels'.\n"},
	{"who", cmd_who, POS_DEAD, 0, 0, CMD_GROUP_INFO, "List the players online.",
	 "Usage: who\n"
	 "Lists the players online with their level, path and title. A player whose\n"
	 "link is lost is marked (link-dead).\n"},
	{"score", cmd_score, POS_DEAD, 0, 0, CMD_GROUP_INFO, "Show your character.",
	 "Usage: score\n"
	 "Shows your level, path, health, mana, moves, experience, gold and time played.\n"},
	{"exits", cmd_exits, POS_RESTING, 0, 0, CMD_GROUP_INFO,
	 "List the ways out and where they lead.",
	 "Usage: exits\n"
	 "Lists the exits of the room and the rooms they lead to; a closed door shows\n"
	 "as closed.\n"},
	{"help", cmd_help, POS_DEAD, 0, 0, CMD_GROUP_INFO, "Show this index, or help on a topic.",
	 "Usage: help\n"
	 "       help <topic>\n"
	 "Without a topic, lists every command. A topic can be shortened: 'help sa'\n"
	 "is help on say.\n"},
	{"equipment", cmd_equipment, POS_DEAD, 0, 0, CMD_GROUP_INFO,
	 "List what you wear and wield.",
	 "Usage: equipment (or eq)\n"
	 "Lists what you wear, wield and hold, slot by slot.\n"},
	{"wear", cmd_wear, POS_RESTING, 0, 0, CMD_GROUP_OBJ, "Wear something (or wield, or hold).",
	 "Usage: wear <thing>\n"
	 "       wear all\n"
	 "Puts on something you carry where it fits: armor on its place, a weapon in\n"
	 "your hand, a light held up. What was in that place comes off first.\n"
	 "'wear all' puts on everything that fits a free place.\n"},
	{"wield", cmd_wield, POS_RESTING, 0, 0, CMD_GROUP_OBJ, "Wield a weapon.",
	 "Usage: wield <weapon>\n"
	 "Takes a weapon in hand, putting away the one you held.\n"},
	{"hold", cmd_hold, POS_RESTING, 0, 0, CMD_GROUP_OBJ, "Hold something, or raise a light.",
	 "Usage: hold <thing>\n"
	 "Holds something in your hand; a lantern or torch is held up as your light.\n"},
	{"remove", cmd_remove, POS_RESTING, 0, 0, CMD_GROUP_OBJ, "Take off something you wear.",
	 "Usage: remove <thing>\n"
	 "       remove all\n"
	 "Takes off something you wear, wield or hold and puts it with what you carry.\n"},
	{"open", cmd_open, POS_RESTING, 0, 0, CMD_GROUP_MOVE, "Open a door or a container.",
	 "Usage: open <door | direction | container>\n"
	 "Opens a door (both of its sides) or a container. 'open north' opens the door\n"
	 "to the north; 'open gate' the door called gate.\n"},
	{"lock", cmd_lock, POS_RESTING, 0, 0, CMD_GROUP_MOVE,
	 "Lock a door or container with its key.",
	 "Usage: lock <door | direction | container>\n"
	 "Locks something closed, if you carry its key.\n"},
	{"unlock", cmd_unlock, POS_RESTING, 0, 0, CMD_GROUP_MOVE, "Unlock a door or container.",
	 "Usage: unlock <door | direction | container>\n"
	 "Unlocks something, if you carry its key.\n"},
	{"eat", cmd_eat, POS_RESTING, 0, 0, CMD_GROUP_OBJ, "Eat some food.",
	 "Usage: eat <food>\n"
	 "Eats food you carry. Nobody starves here: food is comfort, and it heals a\n"
	 "little (more for a good meal than for a crust).\n"},
	{"drink", cmd_drink, POS_RESTING, 0, 0, CMD_GROUP_OBJ, "Drink something.",
	 "Usage: drink <drink>\n"
	 "       drink\n"
	 "Drinks something you carry, or from a well or fountain here (alone, 'drink'\n"
	 "finds one). A drink brings back some of your moves.\n"},
	{"use", cmd_use, POS_RESTING, 0, 0, CMD_GROUP_OBJ, "Use something.",
	 "Usage: use <thing> [anything more]\n"
	 "Uses something you carry, wear or see: what happens depends on the thing.\n"
	 "'use horn' blows a horn; 'use key door' might try a key on a door.\n"},
	{"stand", cmd_stand, POS_SLEEPING, 0, 0, CMD_GROUP_MOVE, "Stand up.",
	 "Usage: stand\n"
	 "Gets you on your feet (waking you if you sleep).\n"},
	{"sit", cmd_sit, POS_SLEEPING, 0, 0, CMD_GROUP_MOVE, "Sit down.",
	 "Usage: sit\n"
	 "Sits you down. You must stand to walk.\n"},
	{"rest", cmd_rest, POS_SLEEPING, 0, 0, CMD_GROUP_MOVE, "Rest (you heal faster).",
	 "Usage: rest\n"
	 "You sit back and rest: health, mana and moves come back faster.\n"},
	{"sleep", cmd_sleep, POS_SLEEPING, 0, 0, CMD_GROUP_MOVE, "Go to sleep (you heal fastest).",
	 "Usage: sleep\n"
	 "You sleep: you heal fastest but see and hear little. 'wake' to get up.\n"},
	{"wake", cmd_wake, POS_SLEEPING, 0, 0, CMD_GROUP_MOVE, "Wake up, or wake someone.",
	 "Usage: wake\n"
	 "       wake <person>\n"
	 "Wakes you and gets you on your feet, or wakes someone asleep beside you.\n"},
	{"channels", cmd_channels, POS_DEAD, 0, 0, CMD_GROUP_COMM, "Show or switch your channels.",
	 "Usage: channels\n"
	 "       channels <channel> [on | off]\n"
	 "Lists the channels and whether you hear them; with a channel, turns it on\n"
	 "or off (or switches it without on/off).\n"},
	{"color", cmd_color, POS_DEAD, 0, 0, CMD_GROUP_SETTINGS, "Set how much color you get.",
	 "Usage: color [auto | on | off | 16 | 256 | truecolor]\n"
	 "Without a word, shows your setting. 'auto' and 'on' follow what your client\n"
	 "says it can show; 16, 256 and truecolor force a level; off strips color.\n"},
	{"colour", cmd_color, POS_DEAD, 0, 0, CMD_GROUP_SETTINGS, "The same as color.",
	 "Usage: colour [auto | on | off | 16 | 256 | truecolor]\n"
	 "The same as 'color'.\n"},
	{"consider", cmd_consider, POS_RESTING, 0, 0, CMD_GROUP_FIGHT,
	 "Size up a foe before a fight (con).",
	 "Usage: consider <someone>\n"
	 "Tells you how a fight with someone here would go, by your levels: from\n"
	 "'with your eyes closed' to 'death itself would thank you'.\n"},
	{"commands", cmd_commands, POS_DEAD, 0, 0, CMD_GROUP_INFO, "List the command names.",
	 "Usage: commands\n"
	 "Lists every command's name, compactly. 'help' explains each.\n"},
	{"prompt", cmd_prompt, POS_DEAD, 0, CMD_RAW, CMD_GROUP_SETTINGS, "Show or set your prompt.",
	 "Usage: prompt\n"
	 "       prompt <format>\n"
	 "       prompt default\n"
	 "Sets the line shown when the game waits for you. In the format:\n"
	 "  %h %H  health and its maximum     %m %M  mana and its maximum\n"
	 "  %v %V  moves and their maximum    %g     gold\n"
	 "  %r     the room's name           %%     a percent sign\n"
	 "Color markup works (see 'help markup'). Spaces at the end are kept.\n"
	 "At most 160 characters.\n"},
	{"time", cmd_time, POS_RESTING, 0, 0, CMD_GROUP_INFO, "What time of day it is.",
	 "Usage: time\n"
	 "Tells the hour and the time of day. A game hour passes every real minute, so\n"
	 "a whole day lasts 24 minutes: dawn at 5, day from 7, dusk at 18, night from\n"
	 "20. At night the woods and roads are dark without a light; the village keeps\n"
	 "its lamps lit.\n"},
	{"weather", cmd_weather, POS_RESTING, 0, 0, CMD_GROUP_INFO, "Look at the sky.",
	 "Usage: weather\n"
	 "Tells you what the sky is doing: clear, cloudy, rain, fog or storm. Indoors\n"
	 "you cannot see it. The weather turns every few game hours.\n"},
	{"title", cmd_title, POS_DEAD, 0, 0, CMD_GROUP_SETTINGS, "Set the title after your name.",
	 "Usage: title <text>\n"
	 "       title none\n"
	 "Sets what others see after your name in 'who' and in the room, like\n"
	 "\"Ayla the Lamplighter\". At most 40 characters.\n"},
	{"take", cmd_get, POS_RESTING, 0, 0, CMD_GROUP_OBJ, "The same as get.",
	 "Usage: take <thing> [[from] <container>]\n"
	 "The same as 'get'.\n"},
	{"skills", cmd_skills, POS_DEAD, 0, 0, CMD_GROUP_FIGHT, "List your skills and cooldowns.",
	 "Usage: skills\n"
	 "Lists your path's skills and spells: the level each is learned at, what it\n"
	 "costs, its cooldown and whether it is ready; and what effects are on you.\n"
	 "Fighters: kick, bash. Scouts: sneak, backstab. Scholars: light, mend, ward.\n"},
	{"bash", cmd_bash, POS_FIGHTING, 0, 0, CMD_GROUP_FIGHT, "Fighter: knock a foe reeling.",
	 "Usage: bash [someone]\n"
	 "Fighters, from level 3. Charges shoulder-first into your foe (or someone\n"
	 "here, starting a fight): damage, and they are dazed and lose their next\n"
	 "round. Miss, and you are the one on the floor. 8 moves; every 15 seconds.\n"},
	{"kick", cmd_kick, POS_FIGHTING, 0, 0, CMD_GROUP_FIGHT, "Fighter: kick a foe.",
	 "Usage: kick [someone]\n"
	 "Fighters, from level 1. A kick on top of your blows, harder as you rise in\n"
	 "level. 4 moves; every 6 seconds.\n"},
	{"sneak", cmd_sneak, POS_STANDING, 0, 0, CMD_GROUP_FIGHT, "Scout: move unseen.",
	 "Usage: sneak\n"
	 "Scouts, from level 1. For two minutes you come and go without a word to\n"
	 "anyone in the rooms you pass, and creatures that wait for arrivals miss\n"
	 "you. 6 moves; every 10 seconds.\n"},
	{"backstab", cmd_backstab, POS_STANDING, 0, 0, CMD_GROUP_FIGHT,
	 "Scout: an opening strike with a blade (bs).",
	 "Usage: backstab <someone>\n"
	 "Scouts, from level 2, wielding a dagger or a knife. Opens a fight with one\n"
	 "strike worth several blows (more as you rise). Only on someone not fighting\n"
	 "yet. 10 moves; every 20 seconds.\n"},
	{"bs", cmd_backstab, POS_STANDING, 0, CMD_FULL, CMD_GROUP_FIGHT, "The same as backstab.",
	 "Usage: bs <someone>\n"
	 "The same as 'backstab'.\n"},
	{"light", cmd_light, POS_FIGHTING, 0, 0, CMD_GROUP_FIGHT, "Scholar: a mote of light.",
	 "Usage: light\n"
	 "Scholars, from level 1. Breathes a glowing mote into the air: it lights the\n"
	 "room for four minutes, in a cellar or on a night road. 5 mana; every 10\n"
	 "seconds.\n"},
	{"mend", cmd_mend, POS_FIGHTING, 0, 0, CMD_GROUP_FIGHT, "Scholar: a small heal.",
	 "Usage: mend [someone]\n"
	 "Scholars, from level 2. Heals you, or someone here, a little (more as you\n"
	 "rise). 8 mana; every 6 seconds.\n"},
	{"ward", cmd_ward, POS_FIGHTING, 0, 0, CMD_GROUP_FIGHT, "Scholar: take less damage.",
	 "Usage: ward\n"
	 "Scholars, from level 4. A shimmering ward takes a third off every blow you\n"
	 "take for ninety seconds. 12 mana; every minute.\n"},
	{"wimpy", cmd_wimpy, POS_DEAD, 0, 0, CMD_GROUP_FIGHT, "Flee on your own when hurt.",
	 "Usage: wimpy [hit points | off]\n"
	 "With a number, you try to flee by yourself when a blow leaves you with less\n"
	 "health than that (at most half your maximum). Without one, shows it.\n"},
	{"save", cmd_save, POS_DEAD, 0, 0, CMD_GROUP_SETTINGS, "Save your character now.",
	 "Usage: save\n"
	 "Saves your character. The game also saves you now and then, and when you\n"
	 "quit.\n"},
	{"quit", cmd_quit, POS_DEAD, 0, CMD_FULL, CMD_GROUP_SETTINGS, "Save and leave the game.",
	 "Usage: quit\n"
	 "Saves your character and leaves the game. Type it in full.\n"},
	{"reload", cmd_reload, POS_DEAD, 0, CMD_FULL, CMD_GROUP_SETTINGS,
	 "Builders: load an area's files again, live.",
	 "Usage: reload area <id>\n"
	 "Builders and admins only. Loads the area's files again and checks them as\n"
	 "ruin-server --check does. If all is well the new version replaces the running\n"
	 "one at once and players stay where they are; otherwise nothing changes and\n"
	 "you get every problem. See docs/building.md.\n"},
	{"reboot", cmd_reboot, POS_DEAD, 0, CMD_FULL, CMD_GROUP_SETTINGS,
	 "Admins: restart the server without dropping anyone.",
	 "Usage: reboot hot\n"
	 "Admins only. Saves everyone and restarts the server from its binary on disk\n"
	 "(an upgrade, if a new one was built), keeping every connection: players see a\n"
	 "message and go on where they stood. Type it in full.\n"},
	{NULL, NULL, POS_DEAD, 0, 0, CMD_GROUP_INFO, NULL, NULL},
};

/* Help topics that are not commands. */
static const struct {
	const char *name;
	const char *text;
} cmd_topics[] = {
	{"targets", "How to name things:\n"
		    "  sword       the first sword you can see\n"
		    "  2.sword     the second one\n"
		    "  all         everything (get all, drop all, wear all)\n"
		    "  all.coin    every coin\n"
		    "  bra lan     words narrow it down: a brass lantern\n"
		    "  me, self    yourself (look me)\n"
		    "Names match by their beginning: 'lant' finds a lantern.\n"},
	{"markup",
	 "Color markup, for your prompt:\n"
	 "  {{r {{g {{y {{b {{m {{c {{w {{k   red green yellow blue magenta cyan white black\n"
	 "  {{R {{G {{Y {{B {{M {{C {{W {{K   the bright ones\n"
	 "  {{u  underline     {{x  back to plain     {{{{  a {{ itself\n"
	 "  {{#rrggbb}  any color by its hex code\n"
	 "What you say, emote, tell or chat is shown exactly as you typed it: markup\n"
	 "there is not turned into color.\n"},
	{"positions", "You stand, sit, rest or sleep. Walking needs you on your feet; resting\n"
		      "and sleeping heal you faster (nothing heals while you fight). Asleep,\n"
		      "you see and hear little: 'wake'.\n"},
	{"death", "When your health runs out you die, and wake at Emberfall's shrine with half\n"
		  "your health. You keep everything you carry, and your gold. The price is\n"
		  "experience: a quarter of what a level takes, out of your progress toward the\n"
		  "next one (you never lose a level). A creature you kill leaves a corpse with\n"
		  "what it carried ('look in corpse', 'get all corpse'); its gold is yours at\n"
		  "once. Corpses crumble after a few minutes.\n"},
	{"experience",
	 "You gain experience by killing: more for a foe above your level, little for\n"
	 "one far below. 'score' shows how much the next level needs. Each level (up\n"
	 "to 10) raises your health, mana and moves, and brings skills: see 'skills'.\n"},
	{NULL, NULL},
};

static const char *const cmd_group_names[CMD_GROUP_COUNT] = {
	"Moving about", "Looking and knowing", "Talking",
	"Things",	"Fighting and skills", "You and your settings",
};

static bool cmd_allowed(const struct character *ch, const struct cmd_def *c)
{
	unsigned roles = ch->pc ? ch->pc->roles : 0;

	return (c->roles & roles) == c->roles;
}

const struct cmd_def *cmd_find(const struct character *ch, const char *word)
{
	if (!word || !*word)
		return NULL;
	for (const struct cmd_def *c = cmd_table; c->name; c++)
		if (str_eq_nocase(word, c->name) && cmd_allowed(ch, c))
			return c;
	for (const struct cmd_def *c = cmd_table; c->name; c++)
		if (!(c->flags & CMD_FULL) && str_prefix(word, c->name) && cmd_allowed(ch, c))
			return c;
	return NULL;
}

/* A CMD_FULL command that word abbreviates, or NULL. */
static const struct cmd_def *cmd_find_full_only(const struct character *ch, const char *word)
{
	for (const struct cmd_def *c = cmd_table; c->name; c++)
		if ((c->flags & CMD_FULL) && str_prefix(word, c->name) && cmd_allowed(ch, c))
			return c;
	return NULL;
}

static void cmd_refuse_position(struct world *w, const struct character *ch)
{
	static const char *const msg[] = {
		[POS_DEAD] = "Lie still; you are DEAD.\n",
		[POS_SLEEPING] = "In your dreams, or what? (Type 'wake' first.)\n",
		[POS_RESTING] = "Nah... You feel too relaxed. (Type 'stand' first.)\n",
		[POS_SITTING] = "Better stand up first.\n",
		[POS_FIGHTING] = "No way! You are still fighting!\n",
		[POS_STANDING] = "You cannot do that now.\n",
	};

	world_send(w, ch, msg[ch->pos >= POS_DEAD && ch->pos <= POS_STANDING ? ch->pos : POS_DEAD]);
}

void world_command(struct world *w, struct character *ch, const char *line)
{
	struct buf word, rest;
	const struct cmd_def *c = NULL;
	const char *s, *argp;

	if (!w || !ch || ch->extracted || !line)
		return;
	if (ch->pc)
		ch->pc->idle_since_ms = world_now_ms(w);
	s = str_skip_space(line);
	if (!*s)
		return;
	/* Scripts hear every line first, the room then its mobs, and may take it over. */
	if (ch->room && trigger_room_and_mobs(w, ch->room,
					      &(struct trig_event){.trig = TRIG_COMMAND,
								   .before = true,
								   .actor = ch->ref,
								   .text = s,
								   .dir = -1},
					      ch))
		return;
	if (ch->extracted)
		return;
	buf_init(&word, CMD_WORD_MAX + 1);
	buf_init(&rest, 0);
	if (*s == '\'' || *s == ':') {
		buf_puts(&word, *s == '\'' ? "say" : "emote");
		argp = s + 1;
	} else {
		argp = s;
		while (*argp && !isspace((unsigned char)*argp))
			argp++;
		if ((size_t)(argp - s) <= CMD_WORD_MAX)
			buf_append(&word, s, (size_t)(argp - s));
	}
	buf_puts(&rest, argp);
	c = cmd_find(ch, buf_cstr(&word));
	if (!c) {
		const struct cmd_def *full =
			word.len ? cmd_find_full_only(ch, buf_cstr(&word)) : NULL;

		if (full)
			world_sendf(w, ch, "Type '%s' in full to do that.\n", full->name);
		else
			world_send(w, ch, "Huh? Type 'help' for a list of commands.\n");
	} else if (ch->pos < c->min_pos) {
		cmd_refuse_position(w, ch);
	} else {
		const char *arg = "";

		if (rest.data)
			arg = (c->flags & CMD_RAW) ? str_skip_space(rest.data)
						   : str_trim(rest.data);

		c->fn(w, ch, arg);
	}
	buf_fini(&word);
	buf_fini(&rest);
}

int cmd_player_text(struct world *w, const struct character *ch, const char *what, const char *text,
		    size_t max_chars, struct buf *out)
{
	size_t n = strlen(text);

	if (utf8_length(text, n) > max_chars) {
		world_sendf(w, ch, "That is too long: %s can be at most %zu characters.\n", what,
			    max_chars);
		return -1;
	}
	color_escape(out, text, n);
	if (out->len == 0 || !*str_skip_space(buf_cstr(out))) {
		world_sendf(w, ch, "That leaves nothing to send: %s needs words.\n", what);
		return -1;
	}
	return 0;
}

void cmd_put_full_name(struct buf *out, const struct character *ch)
{
	const char *title = ch->pc ? ch->pc->title : NULL;

	buf_puts(out, world_char_name(ch));
	if (!title || !*title)
		return;
	if (*title != ',' && *title != '.' && *title != '\'')
		buf_putc(out, ' ');
	color_escape(out, title, strlen(title));
}

const char *cmd_split(const char *arg, struct buf *word)
{
	if (!str_next_word(&arg, word))
		buf_clear(word);
	return str_skip_space(arg);
}

static void cmd_help_index(struct world *w, const struct character *ch)
{
	struct buf out;

	buf_init(&out, 0);
	buf_puts(&out, "{WCommands{x  (type 'help <command>' for more; 'help targets' and\n"
		       "'help markup' explain naming things and colors)\n");
	for (int g = 0; g < CMD_GROUP_COUNT; g++) {
		buf_printf(&out, "\n{c%s{x\n", cmd_group_names[g]);
		for (const struct cmd_def *c = cmd_table; c->name; c++) {
			if (c->group != (enum cmd_group)g || !cmd_allowed(ch, c))
				continue;
			buf_printf(&out, "  %-10s %s\n", c->name, c->summary);
		}
	}
	world_send(w, ch, buf_cstr(&out));
	buf_fini(&out);
}

static void cmd_help_show(struct world *w, const struct character *ch, const char *name,
			  const char *text)
{
	struct buf out;

	buf_init(&out, 0);
	buf_puts(&out, "{W");
	for (const char *p = name; *p; p++)
		buf_putc(&out, (char)toupper((unsigned char)*p));
	buf_puts(&out, "{x\n");
	buf_puts(&out, text);
	world_send(w, ch, buf_cstr(&out));
	buf_fini(&out);
}

void cmd_help(struct world *w, struct character *ch, const char *arg)
{
	const struct cmd_def *c;

	if (!*arg) {
		cmd_help_index(w, ch);
		return;
	}
	for (c = cmd_table; c->name; c++) {
		if (str_eq_nocase(arg, c->name) && cmd_allowed(ch, c)) {
			cmd_help_show(w, ch, c->name, c->help);
			return;
		}
	}
	for (int i = 0; cmd_topics[i].name; i++) {
		if (str_eq_nocase(arg, cmd_topics[i].name)) {
			cmd_help_show(w, ch, cmd_topics[i].name, cmd_topics[i].text);
			return;
		}
	}
	c = cmd_find(ch, arg);
	if (!c)
		c = cmd_find_full_only(ch, arg);
	if (c) {
		cmd_help_show(w, ch, c->name, c->help);
		return;
	}
	for (int i = 0; cmd_topics[i].name; i++) {
		if (str_prefix(arg, cmd_topics[i].name)) {
			cmd_help_show(w, ch, cmd_topics[i].name, cmd_topics[i].text);
			return;
		}
	}
	world_send(w, ch, "No help on that. Type 'help' for the list of commands.\n");
}

void cmd_commands(struct world *w, struct character *ch, const char *arg)
{
	struct buf out;
	int col = 0;

	(void)arg;
	buf_init(&out, 0);
	for (const struct cmd_def *c = cmd_table; c->name; c++) {
		if (!cmd_allowed(ch, c))
			continue;
		buf_printf(&out, "%-12s", c->name);
		if (++col % 6 == 0)
			buf_putc(&out, '\n');
	}
	if (col % 6)
		buf_putc(&out, '\n');
	world_send(w, ch, buf_cstr(&out));
	buf_fini(&out);
}
