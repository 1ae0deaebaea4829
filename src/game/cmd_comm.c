/*
 * cmd_comm.c: talking: say and emote to the room, tell and reply to one
 * player anywhere, the global channels (chat, newbie) and `channels` to
 * switch them. Every word a player typed passes through cmd_player_text()
 * (color_escape, a length cap) before another player sees it, and each
 * line also goes out as GMCP Comm.Channel.Text ("say", "emote", "tell",
 * or the channel's name).
 *
 * Start reading at comm_room(), which say and emote share.
 */
#include "game/cmd.h"

#include <string.h>

#include "base/buf.h"
#include "base/color.h"
#include "base/list.h"
#include "base/str.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

/* The most characters a say, emote, tell or channel message may have. */
#define COMM_MAX_CHARS 300

const struct cmd_channel cmd_channels_table[] = {
	{"chat", "Chat", "{Y[Chat]{x"},
	{"newbie", "Newbie", "{G[Newbie]{x"},
	{NULL, NULL, NULL},
};

/*
 * Sends one line to ch (you_fmt) and to everyone awake in the room
 * (room_fmt), each expanded by act_format() with $t the message, and the
 * same line as Comm.Channel.Text on channel.
 */
static void comm_room(struct world *w, struct character *ch, const char *you_fmt,
		      const char *room_fmt, const char *channel, const char *msg)
{
	const struct act_arg arg = {.text = msg};
	struct gmcp_text_memo memo;
	struct buf line;

	if (!ch->room)
		return;
	buf_init(&line, 0);
	gmcp_text_memo_init(&memo);
	DLIST_FOREACH(&ch->room->people, l)
	{
		const struct character *viewer = dlist_entry(l, struct character, room_link);

		if (!viewer->pc || !viewer->pc->session || viewer->extracted)
			continue;
		if (viewer != ch && viewer->pos <= POS_SLEEPING)
			continue;
		buf_clear(&line);
		act_format(&line, viewer == ch ? you_fmt : room_fmt, viewer, ch, &arg);
		gmcp_send_channel_text(w, viewer, channel, act_char_name(viewer, ch),
				       buf_cstr(&line), msg, &memo);
		buf_putc(&line, '\n');
		world_send(w, viewer, buf_cstr(&line));
	}
	gmcp_text_memo_fini(&memo);
	buf_fini(&line);
}

/*
 * ch says msg (markup, escaped already if a player typed it): a question
 * is asked and an exclamation exclaimed. Then the room and every mob in it
 * hear text (plain: what was typed) through their say triggers.
 */
static void comm_say(struct world *w, struct character *ch, const char *msg, const char *text)
{
	static const char *const you[] = {"You say, '{c$t{x'", "You ask, '{c$t{x'",
					  "You exclaim, '{c$t{x'"};
	static const char *const room[] = {"$n says, '{c$t{x'", "$n asks, '{c$t{x'",
					   "$n exclaims, '{c$t{x'"};
	size_t n = strlen(text);
	int kind = n && text[n - 1] == '?' ? 1 : n && text[n - 1] == '!' ? 2 : 0;

	comm_room(w, ch, you[kind], room[kind], "say", msg);
	if (ch->room && !ch->extracted)
		trigger_room_and_mobs(
			w, ch->room,
			&(struct trig_event){
				.trig = TRIG_SAY, .actor = ch->ref, .text = text, .dir = -1},
			ch);
}

void cmd_say(struct world *w, struct character *ch, const char *arg)
{
	struct buf msg;

	if (!*arg) {
		world_send(w, ch, "Say what?\n");
		return;
	}
	buf_init(&msg, 0);
	if (cmd_player_text(w, ch, "a say", arg, COMM_MAX_CHARS, &msg) == 0)
		comm_say(w, ch, buf_cstr(&msg), arg);
	buf_fini(&msg);
}

void world_say(struct world *w, struct character *ch, const char *text)
{
	struct buf plain;

	if (!ch || ch->extracted || !ch->room || !text || !*text)
		return;
	buf_init(&plain, 0);
	color_render(&plain, text, strlen(text), COLOR_NONE);
	comm_say(w, ch, text, buf_cstr(&plain));
	buf_fini(&plain);
}

void world_emote(struct world *w, struct character *ch, const char *text)
{
	bool joined;

	if (!ch || ch->extracted || !ch->room || !text || !*text)
		return;
	joined = text[0] == '\'' || text[0] == ',';
	comm_room(w, ch, joined ? "$n$t" : "$n $t", joined ? "$n$t" : "$n $t", "emote", text);
}

void cmd_emote(struct world *w, struct character *ch, const char *arg)
{
	struct buf msg;

	if (!*arg) {
		world_send(w, ch, "Emote what?\n");
		return;
	}
	/* "emote 's eyes narrow." reads "Ayla's eyes narrow." */
	buf_init(&msg, 0);
	if (cmd_player_text(w, ch, "an emote", arg, COMM_MAX_CHARS, &msg) == 0)
		world_emote(w, ch, buf_cstr(&msg));
	buf_fini(&msg);
}

/* Delivers a tell from ch to victim: msg is escaped markup already. */
static void comm_tell(struct world *w, struct character *ch, struct character *victim,
		      const char *msg)
{
	struct buf line;
	const char *talker = world_char_name(ch);

	buf_init(&line, 0);
	buf_printf(&line, "You tell %s, '{m%s{x'", world_char_name(victim), msg);
	gmcp_send_channel_text(w, ch, "tell", talker, buf_cstr(&line), msg, NULL);
	buf_putc(&line, '\n');
	world_send(w, ch, buf_cstr(&line));

	buf_clear(&line);
	buf_printf(&line, "%s tells you, '{m%s{x'", talker, msg);
	gmcp_send_channel_text(w, victim, "tell", talker, buf_cstr(&line), msg, NULL);
	buf_putc(&line, '\n');
	world_send(w, victim, buf_cstr(&line));
	buf_fini(&line);

	if (!victim->pc->session)
		world_sendf(w, ch, "%s has lost %s link and may not see your tell.\n",
			    world_char_name(victim), world_pronoun_poss(victim));
	else if (victim->pos == POS_SLEEPING)
		world_sendf(w, ch, "%s is asleep, but may hear you in a dream.\n",
			    world_char_name(victim));
	victim->pc->reply_to = ch->ref;
}

void cmd_tell(struct world *w, struct character *ch, const char *arg)
{
	struct buf name, msg;
	struct character *victim;
	const char *text;

	buf_init(&name, 0);
	buf_init(&msg, 0);
	text = cmd_split(arg, &name);
	if (name.len == 0) {
		world_send(w, ch, "Tell whom what?\n");
		goto out;
	}
	victim = find_player(w, buf_cstr(&name));
	if (!victim || victim->extracted) {
		world_send(w, ch, "No one by that name is playing.\n");
		goto out;
	}
	if (victim == ch) {
		world_send(w, ch, "You mutter to yourself. It helps a little.\n");
		goto out;
	}
	if (!*text) {
		world_sendf(w, ch, "Tell %s what?\n", world_char_name(victim));
		goto out;
	}
	if (cmd_player_text(w, ch, "a tell", text, COMM_MAX_CHARS, &msg) == 0)
		comm_tell(w, ch, victim, buf_cstr(&msg));
out:
	buf_fini(&name);
	buf_fini(&msg);
}

void cmd_reply(struct world *w, struct character *ch, const char *arg)
{
	struct character *victim;
	struct buf msg;

	if (!ch->pc)
		return;
	victim = ch->pc->reply_to ? world_ref_char(w, ch->pc->reply_to) : NULL;
	if (!ch->pc->reply_to) {
		world_send(w, ch, "No one has told you anything yet.\n");
		return;
	}
	if (!victim || victim->extracted || !victim->pc) {
		world_send(w, ch, "They are no longer playing.\n");
		return;
	}
	if (!*arg) {
		world_sendf(w, ch, "Reply what to %s?\n", world_char_name(victim));
		return;
	}
	buf_init(&msg, 0);
	if (cmd_player_text(w, ch, "a tell", arg, COMM_MAX_CHARS, &msg) == 0)
		comm_tell(w, ch, victim, buf_cstr(&msg));
	buf_fini(&msg);
}

static bool comm_channel_on(const struct character *ch, int index)
{
	return ch->pc && !(ch->pc->channels_off & (1u << index));
}

static void comm_channel(struct world *w, struct character *ch, int index, const char *arg)
{
	const struct cmd_channel *c = &cmd_channels_table[index];
	const char *talker = world_char_name(ch);
	struct gmcp_text_memo memo;
	struct buf msg, line;

	if (!ch->pc)
		return;
	if (!comm_channel_on(ch, index)) {
		world_sendf(w, ch,
			    "You have turned %s off. Type 'channels %s on' to use it again.\n",
			    c->name, c->name);
		return;
	}
	if (!*arg) {
		world_sendf(w, ch, "Usage: %s <message>\n", c->name);
		return;
	}
	buf_init(&msg, 0);
	buf_init(&line, 0);
	gmcp_text_memo_init(&memo);
	if (cmd_player_text(w, ch, "a message", arg, COMM_MAX_CHARS, &msg) < 0)
		goto out;
	DLIST_FOREACH(&w->chars, l)
	{
		const struct character *to = dlist_entry(l, struct character, world_link);

		if (!to->pc || !to->pc->session || to->extracted || !comm_channel_on(to, index))
			continue;
		buf_clear(&line);
		buf_printf(&line, "%s %s: %s", c->tag, to == ch ? "You" : talker, buf_cstr(&msg));
		gmcp_send_channel_text(w, to, c->name, talker, buf_cstr(&line), buf_cstr(&msg),
				       &memo);
		buf_putc(&line, '\n');
		world_send(w, to, buf_cstr(&line));
	}
out:
	gmcp_text_memo_fini(&memo);
	buf_fini(&msg);
	buf_fini(&line);
}

void cmd_chat(struct world *w, struct character *ch, const char *arg)
{
	comm_channel(w, ch, 0, arg);
}

void cmd_newbie(struct world *w, struct character *ch, const char *arg)
{
	comm_channel(w, ch, 1, arg);
}

void cmd_channels(struct world *w, struct character *ch, const char *arg)
{
	struct buf name, out;
	const char *rest;
	int index = -1;

	if (!ch->pc) {
		world_send(w, ch, "Only players have channels.\n");
		return;
	}
	buf_init(&name, 0);
	buf_init(&out, 0);
	rest = cmd_split(arg, &name);
	if (name.len == 0) {
		buf_puts(&out, "Channel   You hear it?\n");
		for (int i = 0; cmd_channels_table[i].name; i++)
			buf_printf(&out, "%-9s %s\n", cmd_channels_table[i].name,
				   comm_channel_on(ch, i) ? "{Gon{x" : "{Roff{x");
		buf_puts(&out, "Type 'channels <channel> on' or 'off' to switch one.\n");
		world_send(w, ch, buf_cstr(&out));
		goto out;
	}
	for (int i = 0; cmd_channels_table[i].name; i++)
		if (str_prefix(buf_cstr(&name), cmd_channels_table[i].name)) {
			index = i;
			break;
		}
	if (index < 0) {
		buf_puts(&out, "There is no such channel. The channels are:");
		for (int i = 0; cmd_channels_table[i].name; i++)
			buf_printf(&out, " %s", cmd_channels_table[i].name);
		buf_puts(&out, ".\n");
		world_send(w, ch, buf_cstr(&out));
		goto out;
	}
	if (*rest && !str_eq_nocase(rest, "on") && !str_eq_nocase(rest, "off")) {
		world_send(w, ch, "Usage: channels <channel> [on | off]\n");
		goto out;
	}
	if (str_eq_nocase(rest, "on") || (!*rest && !comm_channel_on(ch, index)))
		ch->pc->channels_off &= ~(1u << index);
	else
		ch->pc->channels_off |= 1u << index;
	world_mark_dirty(ch);
	world_sendf(w, ch, "You will %s %s.\n",
		    comm_channel_on(ch, index) ? "now hear" : "no longer hear",
		    cmd_channels_table[index].name);
out:
	buf_fini(&name);
	buf_fini(&out);
}
