/*
 * test_cmd_comm.c: say, emote, tell, reply, the chat and newbie channels
 * and `channels`; that what a player types reaches others without markup
 * or control codes, length caps, and the Comm.Channel.Text that goes with
 * each line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/color.h"
#include "cmd_fixture.h"
#include "game/cmd.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

/* What session's client would show: the markup rendered with colors. */
static void rendered(struct cfx *x, uint32_t session, struct buf *out)
{
	const char *t = cfx_text(x, session);

	buf_clear(out);
	color_render(out, t, strlen(t), COLOR_256);
}

static void test_say(void **state)
{
	struct cfx *x = *state;
	json_t *j;

	cfx_do(x, x->ayla, "say Well met.");
	assert_string_equal(cfx_text(x, CFX_AYLA), "You say, '{cWell met.{x'\n");
	assert_string_equal(cfx_text(x, CFX_BO), "Ayla says, '{cWell met.{x'\n");
	j = cfx_json(x, CFX_BO, "Comm.Channel.Text");
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "channel")), "say");
	assert_string_equal(json_string_value(json_object_get(j, "talker")), "Ayla");
	assert_string_equal(json_string_value(json_object_get(j, "text")),
			    "Ayla says, 'Well met.'");
	assert_string_equal(json_string_value(json_object_get(j, "message")), "Well met.");
	json_decref(j);
	j = cfx_json(x, CFX_AYLA, "Comm.Channel.Text");
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "text")), "You say, 'Well met.'");
	json_decref(j);
	cfx_do(x, x->ayla, "say Is it far?");
	CFX_SAW(x, CFX_AYLA, "You ask, '{cIs it far?{x'");
	CFX_SAW(x, CFX_BO, "Ayla asks, '{cIs it far?{x'");
	cfx_do(x, x->ayla, "say Run!");
	CFX_SAW(x, CFX_AYLA, "You exclaim, '{cRun!{x'");
	CFX_SAW(x, CFX_BO, "Ayla exclaims, '{cRun!{x'");
	cfx_do(x, x->ayla, "say");
	CFX_SAW(x, CFX_AYLA, "Say what?");
	cfx_do(x, x->ayla, "say \x1b\x07\x1b");
	CFX_SAW(x, CFX_AYLA, "That leaves nothing to send: a say needs words.");
	assert_string_equal(cfx_text(x, CFX_BO), "");
	cfx_do(x, x->ayla, "emote \x1b \x7f");
	CFX_SAW(x, CFX_AYLA, "an emote needs words");
	assert_string_equal(cfx_text(x, CFX_BO), "");
	assert_string_equal(cfx_text(x, CFX_BO), "");
}

static void test_player_text_is_escaped(void **state)
{
	struct cfx *x = *state;
	struct buf shown;
	json_t *j;

	buf_init(&shown, 0);
	cfx_do(x, x->ayla, "say \x1b[31m{Rred\x07 $n {x");
	rendered(x, CFX_BO, &shown);
	/* No escape byte but the renderer's own color codes, and the markup shows as typed. */
	assert_non_null(strstr(buf_cstr(&shown), "[31m{Rred $n {x"));
	assert_null(strstr(cfx_text(x, CFX_BO), "\x1b"));
	assert_null(strstr(cfx_text(x, CFX_BO), "\x07"));
	CFX_SAW(x, CFX_BO, "Ayla says, '{c[31m{{Rred $n {{x{x'");
	j = cfx_json(x, CFX_BO, "Comm.Channel.Text");
	assert_string_equal(json_string_value(json_object_get(j, "message")), "[31m{Rred $n {x");
	json_decref(j);

	cfx_do(x, x->ayla, "emote {Gglows\x1b]0;pwned\x07");
	CFX_SAW(x, CFX_BO, "Ayla {{Gglows]0;pwned\n");
	cfx_do(x, x->ayla, "tell bo {Bblue\x1b[0m");
	CFX_SAW(x, CFX_BO, "Ayla tells you, '{m{{Bblue[0m{x'");
	cfx_do(x, x->ayla, "chat {Mhi\x1b[1m");
	assert_null(strstr(cfx_text(x, CFX_BO), "\x1b"));
	CFX_SAW(x, CFX_BO, "{Y[Chat]{x Ayla: {{Mhi");
	/* A C1 control (U+009B, CSI) is dropped too. */
	cfx_do(x, x->ayla,
	       "say a\xc2\x9b"
	       "b");
	CFX_SAW(x, CFX_BO, "'{cab{x'");
	buf_fini(&shown);
}

static void test_length_caps(void **state)
{
	struct cfx *x = *state;
	struct buf line;

	buf_init(&line, 0);
	buf_puts(&line, "say ");
	for (int i = 0; i < 300; i++)
		buf_putc(&line, 'a');
	cfx_do(x, x->ayla, buf_cstr(&line));
	CFX_SAW(x, CFX_BO, "aaaa");
	buf_putc(&line, 'a');
	cfx_do(x, x->ayla, buf_cstr(&line));
	CFX_SAW(x, CFX_AYLA, "That is too long: a say can be at most 300 characters.");
	assert_string_equal(cfx_text(x, CFX_BO), "");
	buf_clear(&line);
	buf_puts(&line, "chat ");
	for (int i = 0; i < 301; i++)
		buf_putc(&line, 'b');
	cfx_do(x, x->ayla, buf_cstr(&line));
	CFX_SAW(x, CFX_AYLA, "at most 300 characters");
	CFX_NOT_SAW(x, CFX_BO, "bbb");
	buf_fini(&line);
}

static void test_emote(void **state)
{
	struct cfx *x = *state;

	cfx_do(x, x->ayla, "emote smiles.");
	assert_string_equal(cfx_text(x, CFX_AYLA), "Ayla smiles.\n");
	assert_string_equal(cfx_text(x, CFX_BO), "Ayla smiles.\n");
	cfx_do(x, x->ayla, "emote 's eyes narrow.");
	CFX_SAW(x, CFX_BO, "Ayla's eyes narrow.\n");
	cfx_do(x, x->ayla, "emote");
	CFX_SAW(x, CFX_AYLA, "Emote what?");
}

static void test_room_talk_stays_in_room(void **state)
{
	struct cfx *x = *state;
	struct character *cy = cfx_player(x, "Cy", PRONOUNS_THEY, 3);

	cfx_place(cy, x->inn);
	cfx_do(x, x->ayla, "say hush");
	CFX_SAW(x, CFX_BO, "hush");
	CFX_NOT_SAW(x, 3, "hush");
	assert_int_equal(fake_ops_data_count(&x->f, 3, "Comm.Channel.Text"), 0);
	/* In the dark, a voice has no name. */
	cfx_place(x->ayla, x->cellar);
	cfx_place(x->bo, x->cellar);
	cfx_do(x, x->ayla, "say boo");
	CFX_SAW(x, CFX_BO, "Someone says, '{cboo{x'");
}

static void test_tell_and_reply(void **state)
{
	struct cfx *x = *state;
	struct character *cy = cfx_player(x, "Cy", PRONOUNS_THEY, 3);
	json_t *j;

	cfx_place(cy, x->cellar);
	cfx_do(x, x->ayla, "tell cy Meet me by the well.");
	CFX_SAW(x, CFX_AYLA, "You tell Cy, '{mMeet me by the well.{x'");
	CFX_SAW(x, 3, "Ayla tells you, '{mMeet me by the well.{x'");
	assert_string_equal(cfx_text(x, CFX_BO), "");
	j = cfx_json(x, 3, "Comm.Channel.Text");
	assert_string_equal(json_string_value(json_object_get(j, "channel")), "tell");
	assert_string_equal(json_string_value(json_object_get(j, "talker")), "Ayla");
	assert_string_equal(json_string_value(json_object_get(j, "text")),
			    "Ayla tells you, 'Meet me by the well.'");
	json_decref(j);
	assert_int_equal(cy->pc->reply_to, x->ayla->ref);

	cfx_do(x, cy, "reply On my way.");
	CFX_SAW(x, CFX_AYLA, "Cy tells you, '{mOn my way.{x'");
	CFX_SAW(x, 3, "You tell Ayla, '{mOn my way.{x'");
	cfx_do(x, x->ayla, "reply");
	CFX_SAW(x, CFX_AYLA, "Reply what to Cy?");

	/* Names: prefixes and case; refusals. */
	cfx_do(x, x->bo, "tell AY hi");
	CFX_SAW(x, CFX_AYLA, "Bo tells you, '{mhi{x'");
	cfx_do(x, x->bo, "tell nobody hi");
	CFX_SAW(x, CFX_BO, "No one by that name is playing.");
	cfx_do(x, x->bo, "tell bo hi");
	CFX_SAW(x, CFX_BO, "You mutter to yourself.");
	cfx_do(x, x->bo, "tell ayla");
	CFX_SAW(x, CFX_BO, "Tell Ayla what?");
	cfx_do(x, x->bo, "tell");
	CFX_SAW(x, CFX_BO, "Tell whom what?");
	/* Mobs are not players. */
	cfx_mob(x, "t:cat", x->square);
	cfx_do(x, x->bo, "tell cat hi");
	CFX_SAW(x, CFX_BO, "No one by that name is playing.");
}

static void test_tell_linkdead_and_gone(void **state)
{
	struct cfx *x = *state;

	cfx_do(x, x->bo, "reply hello?");
	CFX_SAW(x, CFX_BO, "No one has told you anything yet.");
	cfx_do(x, x->ayla, "tell bo one");
	world_player_linkdead(x->w, x->bo);
	cfx_do(x, x->ayla, "tell bo are you there?");
	CFX_SAW(x, CFX_AYLA, "Bo has lost his link and may not see your tell.");
	x->bo->pc->session = CFX_BO;
	x->bo->pos = POS_SLEEPING;
	cfx_do(x, x->ayla, "tell bo wake up");
	CFX_SAW(x, CFX_BO, "Ayla tells you, '{mwake up{x'");
	CFX_SAW(x, CFX_AYLA, "Bo is asleep");
	x->bo->pos = POS_STANDING;
	/* The one to reply to left the game. */
	world_player_leave(x->w, x->ayla);
	world_reap(x->w);
	cfx_do(x, x->bo, "reply bye");
	CFX_SAW(x, CFX_BO, "They are no longer playing.");
	x->ayla = NULL;
}

static void test_chat_channel(void **state)
{
	struct cfx *x = *state;
	struct character *cy = cfx_player(x, "Cy", PRONOUNS_THEY, 3);
	json_t *j;

	cfx_place(cy, x->cellar);
	cy->pos = POS_SLEEPING;
	cfx_do(x, x->ayla, "chat Anyone seen my cat?");
	CFX_SAW(x, CFX_AYLA, "{Y[Chat]{x You: Anyone seen my cat?\n");
	CFX_SAW(x, CFX_BO, "{Y[Chat]{x Ayla: Anyone seen my cat?\n");
	CFX_SAW(x, 3, "{Y[Chat]{x Ayla: Anyone seen my cat?\n");
	j = cfx_json(x, 3, "Comm.Channel.Text");
	assert_string_equal(json_string_value(json_object_get(j, "channel")), "chat");
	assert_string_equal(json_string_value(json_object_get(j, "talker")), "Ayla");
	assert_string_equal(json_string_value(json_object_get(j, "text")),
			    "[Chat] Ayla: Anyone seen my cat?");
	assert_string_equal(json_string_value(json_object_get(j, "message")),
			    "Anyone seen my cat?");
	json_decref(j);

	cfx_do(x, cy, "channels chat off");
	CFX_SAW(x, 3, "You will no longer hear chat.");
	assert_true(cy->pc->channels_off & 1u);
	cfx_do(x, x->ayla, "chat again");
	CFX_NOT_SAW(x, 3, "again");
	assert_int_equal(fake_ops_data_count(&x->f, 3, "Comm.Channel.Text"), 0);
	CFX_SAW(x, CFX_BO, "again");
	cfx_do(x, cy, "chat me too");
	CFX_SAW(x, 3, "You have turned chat off.");
	CFX_NOT_SAW(x, CFX_BO, "me too");

	cfx_do(x, cy, "channels");
	CFX_SAW(x, 3, "chat      {Roff{x");
	CFX_SAW(x, 3, "newbie    {Gon{x");
	cfx_do(x, cy, "channels ch");
	CFX_SAW(x, 3, "You will now hear chat.");
	assert_false(cy->pc->channels_off & 1u);
	cfx_do(x, cy, "channels bogus");
	CFX_SAW(x, 3, "There is no such channel. The channels are: chat newbie.");
	cfx_do(x, cy, "channels chat maybe");
	CFX_SAW(x, 3, "Usage: channels");

	cfx_do(x, x->bo, "newbie How do I eat?");
	CFX_SAW(x, CFX_AYLA, "{G[Newbie]{x Bo: How do I eat?");
	cfx_do(x, x->bo, "chat");
	CFX_SAW(x, CFX_BO, "Usage: chat <message>");
	/* Link-dead players get nothing. */
	world_player_linkdead(x->w, x->bo);
	cfx_do(x, x->ayla, "chat ping");
	assert_int_equal(fake_ops_data_count(&x->f, 0, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_say, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_player_text_is_escaped, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_length_caps, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_emote, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_room_talk_stays_in_room, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_tell_and_reply, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_tell_linkdead_and_gone, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_chat_channel, cfx_setup, cfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
