/*
 * test_act.c: act() token expansion ($n $N $e $m $s $E $M $S $p $P $t $T
 * $$), pronouns for they/he/she, capitalization behind markup, who gets
 * each kind of message, "someone" and "something" in the dark, and
 * world_send/world_sendf/world_broadcast.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "cmd_fixture.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

static const char *expand(const char *fmt, const struct character *viewer,
			  const struct character *ch, const struct act_arg *arg, struct buf *b)
{
	buf_clear(b);
	act_format(b, fmt, viewer, ch, arg);
	return buf_cstr(b);
}

static void test_tokens(void **state)
{
	struct cfx *x = *state;
	struct item *sword = cfx_item_on(x, "t:sword", x->ayla);
	struct item *bag = cfx_item_on(x, "t:bag", x->ayla);
	const struct act_arg arg = {
		.vict = x->bo, .obj = sword, .obj2 = bag, .text = "north", .text2 = "gate"};
	struct buf b;

	buf_init(&b, 0);
	assert_string_equal(expand("$n puts $p in $P.", x->bo, x->ayla, &arg, &b),
			    "Ayla puts a steel sword in a leather satchel.");
	assert_string_equal(
		expand("$n gives $N $s sword; $e smiles at $m.", x->bo, x->ayla, &arg, &b),
		"Ayla gives Bo her sword; she smiles at her.");
	assert_string_equal(
		expand("$N nods; $E thanks $M for $S gift.", x->ayla, x->ayla, &arg, &b),
		"Bo nods; he thanks him for his gift.");
	assert_string_equal(expand("$t and $T cost $$5, not $x or $", x->bo, x->ayla, &arg, &b),
			    "North and gate cost $5, not $x or $");
	assert_string_equal(expand("", x->bo, x->ayla, &arg, &b), "");
	/* Missing arguments read as someone, something and nothing. */
	assert_string_equal(expand("$N|$p|$t|$E", x->bo, x->ayla, NULL, &b),
			    "Someone|something||they");
	buf_fini(&b);
}

static void test_pronouns(void **state)
{
	struct cfx *x = *state;
	struct character *cy = cfx_player(x, "Cy", PRONOUNS_THEY, 3);
	struct buf b;

	buf_init(&b, 0);
	assert_string_equal(expand("$n: $e $m $s.", x->bo, cy, NULL, &b), "Cy: they them their.");
	assert_string_equal(expand("$n: $e $m $s.", cy, x->bo, NULL, &b), "Bo: he him his.");
	assert_string_equal(expand("$n: $e $m $s.", cy, x->ayla, NULL, &b), "Ayla: she her her.");
	assert_string_equal(expand("$n looks $mself over.", x->bo, cy, NULL, &b),
			    "Cy looks themself over.");
	buf_fini(&b);
}

static void test_capitalize_behind_markup(void **state)
{
	struct cfx *x = *state;
	struct character *cat = cfx_mob(x, "t:cat", x->square);
	struct buf b;

	buf_init(&b, 0);
	assert_string_equal(expand("$n purrs.", x->ayla, cat, NULL, &b), "A grey cat purrs.");
	assert_string_equal(expand("{Y$n purrs.", x->ayla, cat, NULL, &b), "{YA grey cat purrs.");
	assert_string_equal(expand("{#ff8800}{u$n purrs.", x->ayla, cat, NULL, &b),
			    "{#ff8800}{uA grey cat purrs.");
	/* A literal {{ is text, not markup: nothing after it is capitalized. */
	assert_string_equal(expand("{{$n", x->ayla, cat, NULL, &b), "{{a grey cat");
	assert_string_equal(expand("'$n'", x->ayla, cat, NULL, &b), "'a grey cat'");
	buf_fini(&b);
}

static void test_recipients(void **state)
{
	struct cfx *x = *state;
	struct character *cy = cfx_player(x, "Cy", PRONOUNS_THEY, 3);
	struct character *di = cfx_player(x, "Di", PRONOUNS_SHE, 4);
	const struct act_arg arg = {.vict = x->bo};

	cfx_place(di, x->inn);
	fake_ops_clear(&x->f);
	act(x->w, ACT_TO_CHAR, "You poke $N.", x->ayla, &arg);
	act(x->w, ACT_TO_VICT, "$n pokes you.", x->ayla, &arg);
	act(x->w, ACT_TO_NOTVICT, "$n pokes $N.", x->ayla, &arg);
	act(x->w, ACT_TO_ROOM, "$n grins.", x->ayla, &arg);
	assert_string_equal(cfx_text(x, CFX_AYLA), "You poke Bo.\n");
	assert_string_equal(cfx_text(x, CFX_BO), "Ayla pokes you.\nAyla grins.\n");
	assert_string_equal(cfx_text(x, 3), "Ayla pokes Bo.\nAyla grins.\n");
	assert_string_equal(cfx_text(x, 4), "");
	(void)cy;

	/* The sleeping hear nothing of the room; the link-dead get nothing. */
	fake_ops_clear(&x->f);
	x->bo->pos = POS_SLEEPING;
	world_player_linkdead(x->w, cy);
	fake_ops_clear(&x->f);
	act(x->w, ACT_TO_ROOM, "$n grins.", x->ayla, NULL);
	assert_string_equal(cfx_text(x, CFX_BO), "");
	assert_int_equal(x->f.text[0].len, 0);
	/* A victim may be told even while asleep (being woken). */
	act(x->w, ACT_TO_VICT, "$n shakes you.", x->ayla, &arg);
	assert_string_equal(cfx_text(x, CFX_BO), "Ayla shakes you.\n");
	/* NULL format or actor: nothing, no crash. */
	act(x->w, ACT_TO_ROOM, NULL, x->ayla, NULL);
	act(x->w, ACT_TO_ROOM, "x", NULL, NULL);
	act(x->w, ACT_TO_VICT, "x", x->ayla, NULL);
}

static void test_darkness(void **state)
{
	struct cfx *x = *state;
	struct item *coin = cfx_item_in_room(x, "t:coin", x->cellar);
	struct item *sword = cfx_item_on(x, "t:sword", x->ayla);
	struct buf b;

	cfx_place(x->ayla, x->cellar);
	cfx_place(x->bo, x->cellar);
	buf_init(&b, 0);
	assert_false(act_sees_char(x->bo, x->ayla));
	assert_true(act_sees_char(x->ayla, x->ayla));
	assert_false(act_sees_everyone(x->bo, x->cellar));
	assert_true(act_sees_everyone(x->bo, x->square));
	assert_false(act_sees_item(x->bo, coin));
	assert_true(act_sees_item(x->ayla, sword));
	assert_false(act_sees_item(x->bo, sword));
	assert_string_equal(act_char_name(x->bo, x->ayla), "someone");
	assert_string_equal(expand("$n drops $p near $s feet.", x->bo, x->ayla,
				   &(struct act_arg){.obj = coin}, &b),
			    "Someone drops something near their feet.");
	assert_string_equal(expand("$p", x->ayla, x->ayla, &(struct act_arg){.obj = sword}, &b),
			    "A steel sword");
	/* A glowing thing in the room lights it for everyone. */
	coin->flags |= ITEM_GLOW;
	world_room_light_recount(x->cellar);
	assert_true(act_sees_char(x->bo, x->ayla));
	assert_true(act_sees_everyone(x->bo, x->cellar));
	assert_string_equal(act_char_name(x->bo, x->ayla), "Ayla");
	buf_fini(&b);
}

static void test_send_and_broadcast(void **state)
{
	struct cfx *x = *state;
	struct character *cat = cfx_mob(x, "t:cat", x->square);

	world_send(x->w, x->ayla, "plain\n");
	world_sendf(x->w, x->bo, "%d %s\n", 42, "things");
	world_send(x->w, cat, "to a mob\n");
	world_send(x->w, NULL, "to nobody\n");
	assert_string_equal(cfx_text(x, CFX_AYLA), "plain\n");
	assert_string_equal(cfx_text(x, CFX_BO), "42 things\n");
	world_player_linkdead(x->w, x->bo);
	fake_ops_clear(&x->f);
	world_broadcast(x->w, "{RThe server will restart.{x\n");
	assert_string_equal(cfx_text(x, CFX_AYLA), "{RThe server will restart.{x\n");
	assert_string_equal(cfx_text(x, 0), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tokens, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_pronouns, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_capitalize_behind_markup, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_recipients, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_darkness, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_send_and_broadcast, cfx_setup, cfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
