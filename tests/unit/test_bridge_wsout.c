/*
 * test_bridge_wsout.c: the JSON ruin-bridge sends browsers (bridge/wsout.h).
 *
 * Every message is parsed back with jansson: it must be one JSON object with
 * "type" and a "timestamp", strings must survive exactly (quotes,
 * backslashes, ESC, all control characters) and invalid UTF-8 must come out
 * as U+FFFD. GMCP is reshaped: Room.Info, Char.Vitals and
 * Comm.Channel.Text to updates and broadcasts, the rest passed through;
 * the memo gives the same bytes as translating each time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "../../bridge/wsout.h"
#include "base/banned.h"

#define TS 1700000000123LL

/* Parses out as one object with the type and timestamp; caller decrefs. */
static json_t *parse(const struct buf *out, const char *type)
{
	json_error_t err;
	json_t *j = json_loadb(out->data, out->len, 0, &err);

	if (!j)
		fail_msg("not JSON (%s): %.*s", err.text, (int)out->len, out->data);
	assert_true(json_is_object(j));
	assert_string_equal(json_string_value(json_object_get(j, "type")), type);
	assert_true(json_is_integer(json_object_get(j, "timestamp")));
	assert_int_equal(json_integer_value(json_object_get(j, "timestamp")), TS);
	return j;
}

static void test_string_escaping_round_trips(void **state)
{
	struct buf out;
	char all[128];
	json_t *j;

	(void)state;
	/* Every byte from 1 to 127, including ESC and DEL. */
	for (int i = 0; i < 127; i++)
		all[i] = (char)(i + 1);
	all[127] = '\0';
	buf_init(&out, 0);
	wsout_text(&out, all, 127, TS);
	j = parse(&out, "text");
	assert_int_equal(json_string_length(json_object_get(j, "data")), 127);
	assert_memory_equal(json_string_value(json_object_get(j, "data")), all, 127);
	json_decref(j);
	/* ESC is written as \u001b, never raw. */
	assert_non_null(strstr(buf_cstr(&out), "\\u001b"));
	assert_null(memchr(out.data, 0x1B, out.len));
	buf_fini(&out);
}

static void test_invalid_utf8_becomes_replacement(void **state)
{
	struct buf out;
	json_t *j;

	(void)state;
	buf_init(&out, 0);
	wsout_prompt(&out,
		     "a\xFF"
		     "b\xC3"
		     "c\xE2\x82\xAC",
		     8, TS);
	j = parse(&out, "prompt");
	assert_string_equal(json_string_value(json_object_get(j, "data")), "a\xEF\xBF\xBD"
									   "b\xEF\xBF\xBD"
									   "c\xE2\x82\xAC");
	json_decref(j);
	buf_fini(&out);
}

static void test_echo_session_error(void **state)
{
	struct buf out;
	json_t *j;

	(void)state;
	buf_init(&out, 0);
	wsout_echo(&out, false, TS);
	j = parse(&out, "echo");
	assert_true(json_is_false(json_object_get(j, "enabled")));
	json_decref(j);

	buf_clear(&out);
	wsout_session(&out, "connected", "br1.abc", 60, NULL, TS);
	j = parse(&out, "session");
	assert_string_equal(json_string_value(json_object_get(j, "state")), "connected");
	assert_string_equal(json_string_value(json_object_get(j, "resume_token")), "br1.abc");
	assert_int_equal(json_integer_value(json_object_get(j, "resume_window_s")), 60);
	assert_null(json_object_get(j, "reason"));
	json_decref(j);

	buf_clear(&out);
	wsout_session(&out, "lost", NULL, 0, "the game said \"bye\"", TS);
	j = parse(&out, "session");
	assert_null(json_object_get(j, "resume_token"));
	assert_string_equal(json_string_value(json_object_get(j, "reason")),
			    "the game said \"bye\"");
	json_decref(j);

	buf_clear(&out);
	wsout_error(&out, "bad_json", "not valid JSON: '\\' at 3", TS);
	j = parse(&out, "error");
	assert_string_equal(json_string_value(json_object_get(j, "code")), "bad_json");
	assert_string_equal(json_string_value(json_object_get(j, "message")),
			    "not valid JSON: '\\' at 3");
	json_decref(j);
	buf_fini(&out);
}

#define GMCP(out, pkg, lit) wsout_gmcp((out), (pkg), (lit), sizeof(lit) - 1, TS)

static void test_room_info(void **state)
{
	struct buf out;
	json_t *j, *d, *exits;

	(void)state;
	buf_init(&out, 0);
	assert_int_equal(GMCP(&out, "Room.Info",
			      "{\"num\":3001,\"name\":\"Lantern Square\",\"area\":\"Emberfall\","
			      "\"environment\":\"village\",\"coords\":\"0,0,0\","
			      "\"exits\":{\"w\":3004,\"n\":3002,\"portal\":9,\"e\":3005},"
			      "\"desc\":\"Iron posts ring the square.\",\"players\":[\"Mira\"],"
			      "\"items\":[\"a windfall apple\"],\"player_id\":7}"),
			 WSOUT_ROOM);
	j = parse(&out, "update");
	assert_string_equal(json_string_value(json_object_get(j, "event")), "room_description");
	d = json_object_get(j, "data");
	assert_int_equal(json_integer_value(json_object_get(d, "room_id")), 3001);
	assert_string_equal(json_string_value(json_object_get(d, "name")), "Lantern Square");
	assert_string_equal(json_string_value(json_object_get(d, "description")),
			    "Iron posts ring the square.");
	assert_string_equal(json_string_value(json_object_get(d, "area")), "Emberfall");
	assert_string_equal(json_string_value(json_object_get(d, "coords")), "0,0,0");
	/* Compass order first, then anything else, as full names. */
	exits = json_object_get(d, "exits");
	assert_int_equal(json_array_size(exits), 4);
	assert_string_equal(json_string_value(json_array_get(exits, 0)), "north");
	assert_string_equal(json_string_value(json_array_get(exits, 1)), "east");
	assert_string_equal(json_string_value(json_array_get(exits, 2)), "west");
	assert_string_equal(json_string_value(json_array_get(exits, 3)), "portal");
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(d, "exit_rooms"), "north")),
		3002);
	assert_string_equal(json_string_value(json_array_get(json_object_get(d, "players"), 0)),
			    "Mira");
	assert_int_equal(json_array_size(json_object_get(d, "items")), 1);
	/* Unknown fields are not copied. */
	assert_null(json_object_get(d, "player_id"));
	json_decref(j);

	/* A dark room: most fields missing; the shape stays the same. */
	buf_clear(&out);
	assert_int_equal(GMCP(&out, "room.info", "{\"num\":5}"), WSOUT_ROOM);
	j = parse(&out, "update");
	d = json_object_get(j, "data");
	assert_string_equal(json_string_value(json_object_get(d, "name")), "");
	assert_string_equal(json_string_value(json_object_get(d, "description")), "");
	assert_int_equal(json_array_size(json_object_get(d, "exits")), 0);
	assert_true(json_is_array(json_object_get(d, "players")));
	assert_true(json_is_array(json_object_get(d, "items")));
	assert_null(json_object_get(d, "coords"));
	json_decref(j);
	buf_fini(&out);
}

static void test_vitals_and_broadcast(void **state)
{
	struct buf out;
	json_t *j, *d;

	(void)state;
	buf_init(&out, 0);
	assert_int_equal(GMCP(&out, "Char.Vitals", "{\"hp\":42,\"maxhp\":50}"), WSOUT_VITALS);
	j = parse(&out, "update");
	assert_string_equal(json_string_value(json_object_get(j, "event")), "vitals");
	d = json_object_get(j, "data");
	assert_int_equal(json_integer_value(json_object_get(d, "hp")), 42);
	assert_int_equal(json_integer_value(json_object_get(d, "maxhp")), 50);
	json_decref(j);

	buf_clear(&out);
	assert_int_equal(GMCP(&out, "Comm.Channel.Text",
			      "{\"channel\":\"say\",\"talker\":\"Mira\",\"text\":\"Mira says, "
			      "'Hi'\",\"message\":\"Hi\"}"),
			 WSOUT_BROADCAST);
	j = parse(&out, "broadcast");
	assert_string_equal(json_string_value(json_object_get(j, "event")), "player_action");
	d = json_object_get(j, "data");
	assert_string_equal(json_string_value(json_object_get(d, "player_name")), "Mira");
	assert_string_equal(json_string_value(json_object_get(d, "action")), "says");
	assert_string_equal(json_string_value(json_object_get(d, "message")), "Hi");
	assert_string_equal(json_string_value(json_object_get(d, "channel")), "say");
	assert_string_equal(json_string_value(json_object_get(d, "text")), "Mira says, 'Hi'");
	json_decref(j);

	/* A channel without a verb of its own is named as itself. */
	buf_clear(&out);
	GMCP(&out, "Comm.Channel.Text",
	     "{\"channel\":\"newbie\",\"talker\":\"A\",\"message\":\"?\"}");
	j = parse(&out, "broadcast");
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(j, "data"), "action")), "newbie");
	json_decref(j);
	buf_fini(&out);
}

static void test_other_gmcp_passed_through(void **state)
{
	struct buf out;
	json_t *j;

	(void)state;
	buf_init(&out, 0);
	assert_int_equal(GMCP(&out, "Comm.Channel.List", "[{\"name\":\"chat\"}]"), WSOUT_GMCP);
	j = parse(&out, "gmcp");
	assert_string_equal(json_string_value(json_object_get(j, "package")), "Comm.Channel.List");
	assert_true(json_is_array(json_object_get(j, "data")));
	json_decref(j);

	buf_clear(&out);
	assert_int_equal(wsout_gmcp(&out, "Core.Ping", "", 0, TS), WSOUT_GMCP);
	j = parse(&out, "gmcp");
	assert_true(json_is_null(json_object_get(j, "data")));
	json_decref(j);

	/* Room.Info that is not an object is passed through, not reshaped. */
	buf_clear(&out);
	assert_int_equal(GMCP(&out, "Room.Info", "42"), WSOUT_GMCP);
	j = parse(&out, "gmcp");
	assert_int_equal(json_integer_value(json_object_get(j, "data")), 42);
	json_decref(j);
	buf_fini(&out);
}

/* Room.Info lists everyone there; the browser's players are the others. */
static void test_room_players_leave_self_out(void **state)
{
	static const char info[] = "{\"num\":1,\"players\":[\"Ayla\",\"Bo\",\"Ayla\"]}";
	struct buf out;
	json_t *j, *p;

	(void)state;
	buf_init(&out, 0);
	assert_int_equal(wsout_gmcp_for(&out, "Room.Info", info, sizeof(info) - 1, "Ayla", TS),
			 WSOUT_ROOM);
	j = parse(&out, "update");
	p = json_object_get(json_object_get(j, "data"), "players");
	assert_int_equal(json_array_size(p), 2);
	assert_string_equal(json_string_value(json_array_get(p, 0)), "Bo");
	assert_string_equal(json_string_value(json_array_get(p, 1)), "Ayla");
	json_decref(j);
	/* Before Char.Name came: everyone. */
	buf_clear(&out);
	assert_int_equal(wsout_gmcp_for(&out, "Room.Info", info, sizeof(info) - 1, NULL, TS),
			 WSOUT_ROOM);
	j = parse(&out, "update");
	assert_int_equal(json_array_size(json_object_get(json_object_get(j, "data"), "players")),
			 3);
	assert_null(json_object_get(json_object_get(j, "data"), "players_more"));
	json_decref(j);
	buf_fini(&out);
}

/* A crowd: the others not named are counted, the player never among them. */
static void test_room_players_more(void **state)
{
	static const char named[] = "{\"players\":[\"Ayla\",\"Bo\"],\"players_more\":5}";
	static const char unnamed[] = "{\"players\":[\"Bo\",\"Cy\"],\"players_more\":5}";
	static const char last[] = "{\"players\":[\"Bo\",\"Cy\"],\"players_more\":1}";
	struct buf out;
	json_t *j, *d;

	(void)state;
	buf_init(&out, 0);
	wsout_gmcp_for(&out, "Room.Info", named, sizeof(named) - 1, "Ayla", TS);
	j = parse(&out, "update");
	d = json_object_get(j, "data");
	assert_int_equal(json_array_size(json_object_get(d, "players")), 1);
	assert_int_equal(json_integer_value(json_object_get(d, "players_more")), 5);
	json_decref(j);

	buf_clear(&out);
	wsout_gmcp_for(&out, "Room.Info", unnamed, sizeof(unnamed) - 1, "Ayla", TS);
	j = parse(&out, "update");
	d = json_object_get(j, "data");
	assert_int_equal(json_array_size(json_object_get(d, "players")), 2);
	assert_int_equal(json_integer_value(json_object_get(d, "players_more")), 4);
	json_decref(j);

	buf_clear(&out);
	wsout_gmcp_for(&out, "Room.Info", last, sizeof(last) - 1, "Ayla", TS);
	j = parse(&out, "update");
	assert_null(json_object_get(json_object_get(j, "data"), "players_more"));
	json_decref(j);
	buf_fini(&out);
}

static void test_bad_gmcp_json_appends_nothing(void **state)
{
	struct buf out;

	(void)state;
	buf_init(&out, 0);
	buf_puts(&out, "x");
	assert_int_equal(GMCP(&out, "Char.Vitals", "{\"hp\":"), -1);
	assert_int_equal(GMCP(&out, "Room.Info", "{\"name\":\"\xFF\"}"), -1);
	assert_int_equal(GMCP(&out, "Char.Vitals", "{} trailing"), -1);
	assert_string_equal(buf_cstr(&out), "x");
	buf_fini(&out);
}

/* out2 as the memo made it, and as wsout_gmcp_for() makes it, at timestamp ts. */
static void memo_check(struct wsout_memo *m, const char *package, const char *json,
		       const char *self, int64_t ts, int want_kind)
{
	struct buf got, want;

	buf_init(&got, 0);
	buf_init(&want, 0);
	buf_puts(&got, "prefix:");
	buf_puts(&want, "prefix:");
	assert_int_equal(wsout_gmcp_memo(m, &got, package, json, strlen(json), self, ts),
			 want_kind);
	assert_int_equal(wsout_gmcp_for(&want, package, json, strlen(json), self, ts), want_kind);
	assert_string_equal(buf_cstr(&got), buf_cstr(&want));
	buf_fini(&got);
	buf_fini(&want);
}

static void test_memo(void **state)
{
	static const char say[] = "{\"channel\":\"say\",\"talker\":\"Mira\",\"text\":\"Mira says, "
				  "'Hi'\",\"message\":\"Hi\"}";
	static const char room[] = "{\"num\":1,\"name\":\"Square\",\"exits\":{\"n\":2},"
				   "\"players\":[\"Ayla\",\"Bo\",\"Mira\"]}";
	struct wsout_memo m;
	struct buf out, big;

	(void)state;
	wsout_memo_init(&m);
	buf_init(&out, 0);
	/* A broadcast: translated once, then the same bytes with each one's own timestamp. */
	memo_check(&m, "Comm.Channel.Text", say, "Ayla", TS, WSOUT_BROADCAST);
	assert_int_equal(m.misses, 1);
	memo_check(&m, "Comm.Channel.Text", say, "Bo", TS + 5, WSOUT_BROADCAST);
	memo_check(&m, "Comm.Channel.Text", say, NULL, TS + 9, WSOUT_BROADCAST);
	assert_int_equal(m.hits, 2);
	assert_int_equal(m.misses, 1);
	assert_int_equal(wsout_gmcp_memo(&m, &out, "Comm.Channel.Text", say, strlen(say), "Bo", TS),
			 WSOUT_BROADCAST);
	json_decref(parse(&out, "broadcast"));

	/* Room.Info leaves its reader out: one translation per reader, never another's. */
	memo_check(&m, "Room.Info", room, "Ayla", TS, WSOUT_ROOM);
	memo_check(&m, "Room.Info", room, "Bo", TS, WSOUT_ROOM);
	assert_int_equal(m.hits, 3);
	memo_check(&m, "Room.Info", room, "Bo", TS + 1, WSOUT_ROOM);
	memo_check(&m, "Room.Info", room, "Ayla", TS + 2, WSOUT_ROOM);
	assert_int_equal(m.hits, 5);

	/*
	 * Readers it does not list share one translation (each one fewer in
	 * players_more), apart from the message for nobody in particular; a
	 * name found elsewhere in the text, or not plain letters, gets its own.
	 */
	{
		static const char crowd[] = "{\"num\":1,\"name\":\"Square\",\"players\":[\"Ayla\","
					    "\"Bo\"],\"players_more\":5,\"items\":[\"Zed\"]}";
		struct wsout_memo m2;

		wsout_memo_init(&m2);
		memo_check(&m2, "Room.Info", crowd, "Quinn", TS, WSOUT_ROOM);
		memo_check(&m2, "Room.Info", crowd, "Mira", TS, WSOUT_ROOM);
		memo_check(&m2, "Room.Info", crowd, "Uma7", TS, WSOUT_ROOM);
		assert_int_equal(m2.hits, 2);
		memo_check(&m2, "Room.Info", crowd, NULL, TS, WSOUT_ROOM);
		memo_check(&m2, "Room.Info", crowd, "Ayla", TS, WSOUT_ROOM);
		memo_check(&m2, "Room.Info", crowd, "Zed", TS, WSOUT_ROOM);
		assert_int_equal(m2.hits, 2);
		memo_check(&m2, "Room.Info", crowd, "Mira", TS + 1, WSOUT_ROOM);
		assert_int_equal(m2.hits, 3);
		memo_check(&m2, "Room.Info", crowd, "O'Neil", TS, WSOUT_ROOM);
		assert_int_equal(m2.hits, 3);
		assert_int_equal(m2.misses, 5);
		wsout_memo_fini(&m2);
	}

	/* A byte of difference is another translation; so is another package. */
	memo_check(&m, "Comm.Channel.Text", "{\"channel\":\"say\",\"talker\":\"Mira\"}", "Bo", TS,
		   WSOUT_BROADCAST);
	memo_check(&m, "Char.Vitals", "{\"channel\":\"say\",\"talker\":\"Mira\"}", "Bo", TS,
		   WSOUT_VITALS);
	assert_int_equal(m.hits, 5);

	/* Full (five translations so far; more to fill every slot), the least
	 * recently used goes first: the say was used longest ago. */
	for (int i = 0; i < WSOUT_MEMO_SLOTS - 4; i++) {
		char vitals[32];

		snprintf(vitals, sizeof(vitals), "{\"hp\":%d}", i);
		memo_check(&m, "Char.Vitals", vitals, NULL, TS, WSOUT_VITALS);
	}
	assert_int_equal(m.misses, 5 + WSOUT_MEMO_SLOTS - 4);
	memo_check(&m, "Room.Info", room, "Bo", TS, WSOUT_ROOM); /* still kept */
	assert_int_equal(m.hits, 6);
	memo_check(&m, "Comm.Channel.Text", say, "Bo", TS, WSOUT_BROADCAST);
	assert_int_equal(m.misses, 6 + WSOUT_MEMO_SLOTS - 4);

	/* JSON that does not parse: -1, nothing appended, nothing kept. */
	buf_clear(&out);
	assert_int_equal(wsout_gmcp_memo(&m, &out, "Char.Vitals", "{\"hp\":", 6, NULL, TS), -1);
	assert_int_equal(wsout_gmcp_memo(&m, &out, "Char.Vitals", "{\"hp\":", 6, NULL, TS), -1);
	assert_int_equal(out.len, 0);
	assert_int_equal(m.hits, 6);

	/* Longer than the memo keeps: translated every time, not counted. */
	buf_init(&big, 0);
	buf_puts(&big, "{\"text\":\"");
	while (big.len < WSOUT_MEMO_KEEP)
		buf_puts(&big, "0123456789");
	buf_puts(&big, "\"}");
	memo_check(&m, "Some.Package", buf_cstr(&big), NULL, TS, WSOUT_GMCP);
	memo_check(&m, "Some.Package", buf_cstr(&big), NULL, TS, WSOUT_GMCP);
	assert_int_equal(m.hits, 6);
	assert_int_equal(m.misses, 8 + WSOUT_MEMO_SLOTS - 4);
	buf_fini(&big);
	buf_fini(&out);
	wsout_memo_fini(&m);
}

static void test_directions(void **state)
{
	(void)state;
	assert_string_equal(wsout_direction("n"), "north");
	assert_string_equal(wsout_direction("d"), "down");
	assert_string_equal(wsout_direction("sw"), "southwest");
	assert_string_equal(wsout_direction("north"), "north");
	assert_string_equal(wsout_direction("portal"), "portal");
}

static void test_now_is_wall_clock_ms(void **state)
{
	int64_t t = wsout_now_ms();

	(void)state;
	/* After 2023-11-14 and before 2100, in milliseconds. */
	assert_true(t > 1700000000000LL);
	assert_true(t < 4102444800000LL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_string_escaping_round_trips),
		cmocka_unit_test(test_invalid_utf8_becomes_replacement),
		cmocka_unit_test(test_echo_session_error),
		cmocka_unit_test(test_room_info),
		cmocka_unit_test(test_vitals_and_broadcast),
		cmocka_unit_test(test_other_gmcp_passed_through),
		cmocka_unit_test(test_room_players_leave_self_out),
		cmocka_unit_test(test_room_players_more),
		cmocka_unit_test(test_bad_gmcp_json_appends_nothing),
		cmocka_unit_test(test_memo),
		cmocka_unit_test(test_directions),
		cmocka_unit_test(test_now_is_wall_clock_ms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
