/*
 * test_cmd_build.c: `reload area <id>` (cmd_build.c): who may use it, what
 * it asks of world_ops.reload_area, and how the report comes back (every
 * line, colored by the outcome, with '{' escaped). `reboot hot`: admins
 * only, and what it asks of world_ops.hot_reboot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "fake_ops.h"
#include "game/world.h"
#include "base/banned.h"

struct fixture {
	struct fake_ops f;
	struct world *w;
	struct character *builder, *player;
	char asked[64];
	int calls;
	int problems; /* what the fake reload returns */
	int reboots;  /* hot_reboot calls */
	int refuse;   /* the fake hot_reboot refuses */
};

static int fake_reload(void *ud, const char *area_id, struct buf *out)
{
	struct fake_ops *ops = ud;
	struct fixture *x = (struct fixture *)(void *)((char *)ops - offsetof(struct fixture, f));

	x->calls++;
	buf_clear(out);
	snprintf(x->asked, sizeof(x->asked), "%s", area_id);
	if (x->problems)
		buf_puts(out, "areas/x/area.lua:3: unknown field 'dsec' {braces}\n"
			      "reload of x refused: 1 problem; the running version is unchanged\n");
	else
		buf_puts(out, "reloaded x: 1 rooms (0 new, 0 removed)\n");
	return x->problems;
}

static int fake_hot_reboot(void *ud, struct buf *out)
{
	struct fake_ops *ops = ud;
	struct fixture *x = (struct fixture *)(void *)((char *)ops - offsetof(struct fixture, f));

	x->reboots++;
	if (x->refuse) {
		buf_puts(out, "the binary is gone");
		return -1;
	}
	return 0;
}

static int setup(void **state)
{
	struct fixture *x = test_calloc(1, sizeof(*x));
	struct world_ops ops;
	const struct world_config cfg = {
		.mud_name = "test", .autosave_s = 600, .linkdead_timeout_s = 60};

	fake_ops_init(&x->f, &ops);
	ops.reload_area = fake_reload;
	ops.hot_reboot = fake_hot_reboot;
	x->w = world_new(NULL, &ops, &cfg);
	struct area *a = world_area_new(x->w, "x");
	struct room *r = world_room_new(x->w, a, "x:square");
	world_set_str(&r->name, "Square");
	r->flags = ROOM_START;
	assert_int_equal(world_resolve(x->w, NULL), 0);
	x->builder = world_player_new(x->w, "Bea", "fighter", PRONOUNS_SHE);
	x->builder->pc->roles = PLAYER_ROLE_BUILDER;
	world_player_enter(x->w, x->builder, 1);
	x->player = world_player_new(x->w, "Pat", "scout", PRONOUNS_THEY);
	world_player_enter(x->w, x->player, 2);
	fake_ops_clear(&x->f);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *x = *state;

	world_free(x->w);
	fake_ops_fini(&x->f);
	test_free(x);
	return 0;
}

static void test_builders_only(void **state)
{
	struct fixture *x = *state;

	world_command(x->w, x->player, "reload area x");
	assert_int_equal(x->calls, 0);
	assert_string_equal(fake_ops_text(&x->f, 2), "Huh? Type 'help' for a list of commands.\n");
	/* Admins may too. */
	x->player->pc->roles = PLAYER_ROLE_ADMIN;
	world_command(x->w, x->player, "reload area x");
	assert_int_equal(x->calls, 1);
}

static void test_usage(void **state)
{
	struct fixture *x = *state;

	world_command(x->w, x->builder, "reload");
	world_command(x->w, x->builder, "reload room x");
	world_command(x->w, x->builder, "reload area");
	assert_int_equal(x->calls, 0);
	const char *t = fake_ops_text(&x->f, 1);
	assert_non_null(strstr(t, "Usage: reload area <id>"));
	/* Typed in full only: "rel" is not reload. */
	fake_ops_clear(&x->f);
	world_command(x->w, x->builder, "relo area x");
	assert_int_equal(x->calls, 0);
}

static void test_report_comes_back(void **state)
{
	struct fixture *x = *state;

	world_command(x->w, x->builder, "reload area x");
	assert_int_equal(x->calls, 1);
	assert_string_equal(x->asked, "x");
	assert_string_equal(fake_ops_text(&x->f, 1),
			    "Reloading x...\n{Greloaded x: 1 rooms (0 new, 0 removed){x\n");
	fake_ops_clear(&x->f);
	x->problems = 1;
	world_command(x->w, x->builder, "reload area x");
	assert_string_equal(
		fake_ops_text(&x->f, 1),
		"Reloading x...\n"
		"{Rareas/x/area.lua:3: unknown field 'dsec' {{braces}{x\n"
		"{Rreload of x refused: 1 problem; the running version is unchanged{x\n");
}

static void test_reboot_admins_only(void **state)
{
	struct fixture *x = *state;

	/* A builder is not an admin. */
	world_command(x->w, x->builder, "reboot hot");
	assert_int_equal(x->reboots, 0);
	assert_string_equal(fake_ops_text(&x->f, 1), "Huh? Type 'help' for a list of commands.\n");
	x->builder->pc->roles |= PLAYER_ROLE_ADMIN;
	fake_ops_clear(&x->f);
	world_command(x->w, x->builder, "reboot");
	world_command(x->w, x->builder, "reboot cold");
	assert_int_equal(x->reboots, 0);
	assert_non_null(strstr(fake_ops_text(&x->f, 1), "Usage: reboot hot"));
	fake_ops_clear(&x->f);
	world_command(x->w, x->builder, "reboot hot");
	assert_int_equal(x->reboots, 1);
	assert_non_null(strstr(fake_ops_text(&x->f, 1), "The reboot begins"));
	fake_ops_clear(&x->f);
	x->refuse = 1;
	world_command(x->w, x->builder, "reboot hot");
	assert_int_equal(x->reboots, 2);
	assert_string_equal(fake_ops_text(&x->f, 1), "{RNo reboot: the binary is gone{x\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_builders_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_comes_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reboot_admins_only, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
