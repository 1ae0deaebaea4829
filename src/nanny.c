/*
 * nanny.c: the login conversation (named after the classic Diku "nanny").
 *
 * A state machine over struct session's state, one input line at a time:
 *
 *   NAME --existing--> PASSWORD --ok--> PLAYING
 *        --new-------> CONFIRM_NAME -> NEW_PASSWORD -> CONFIRM_PASSWORD
 *                      -> PRONOUNS -> PATH -> PLAYING
 *
 * Start at nanny_line(). Passwords are typed with echo off (raw IAC WILL
 * ECHO, see net/tn.h), never logged, and wiped from every buffer of ours
 * once used. Failed logins are throttled per address and per name.
 * Logging in as a character that is already in the world takes it over,
 * whether it was link-dead or still connected somewhere else.
 */
#include "server.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "game/world.h"
#include "net/conn.h"
#include "store/store.h"
#include "base/banned.h"

#define NANNY_NAME_MIN	     3
#define NANNY_NAME_MAX	     16
#define NANNY_PASSWORD_MIN   6
#define NANNY_PASSWORD_MAX   128
#define NANNY_PASSWORD_TRIES 3

/* Names nobody may take: words the game uses, and titles that mislead. */
static const char *const nanny_reserved[] = {
	"admin",   "administrator", "all",	 "anyone",	"builder", "everyone",	"god",
	"gods",	   "immortal",	    "imp",	 "implementor", "me",	   "moderator", "mod",
	"new",	   "nobody",	    "none",	 "north",	"south",   "east",	"west",
	"up",	   "down",	    "player",	 "quit",	"root",	   "self",	"server",
	"someone", "something",	    "staff",	 "sysop",	"system",  "the",	"wizard",
	"you",	   "ruin",	    "forgotten", "archivist",	NULL,
};

static const char nanny_banner[] =
	"\n"
	"{K            .     *        .           .{x\n"
	"{y      F O R G O T T E N     R U I N{x\n"
	"{K   .       the city that sank in a night        *{x\n"
	"\n"
	"Three hundred years ago the city of Vael went down into the earth, and\n"
	"the forest closed over it. Now the ground has begun to open again.\n"
	"\n";

static void nanny_ask_name(struct session *s)
{
	session_prompt(s, "By what name are you known? ");
}

void nanny_greet(struct session *s)
{
	session_send(s, nanny_banner, sizeof(nanny_banner) - 1);
	nanny_ask_name(s);
}

/* ---- throttling ------------------------------------------------------------ */

static struct throttle *nanny_throttle_get(struct map *m, const char *key)
{
	struct throttle *t = map_get(m, key);

	if (!t) {
		t = xcalloc(1, sizeof(*t));
		map_put(m, key, t);
	}
	return t;
}

/* True if key has used up its failures in the current window. */
static bool nanny_throttled(struct server *srv, struct map *m, const char *key)
{
	struct throttle *t = map_get(m, key);
	int64_t now = clock_mono_ms();

	if (!t)
		return false;
	if (now - t->window_start_ms > (int64_t)srv->cfg.login_window_s * 1000) {
		free(map_del(m, key));
		return false;
	}
	return t->failures >= srv->cfg.login_failures;
}

static void nanny_fail(struct server *srv, struct map *m, const char *key)
{
	struct throttle *t = nanny_throttle_get(m, key);
	int64_t now = clock_mono_ms();

	if (t->failures == 0 ||
	    now - t->window_start_ms > (int64_t)srv->cfg.login_window_s * 1000) {
		t->failures = 0;
		t->window_start_ms = now;
	}
	t->failures++;
}

static size_t nanny_sweep_map(struct map *m, int64_t now, int64_t window_ms)
{
	size_t pos = 0, n = 0;
	const char *key;
	void *v;

	while (map_next(m, &pos, &key, &v)) {
		const struct throttle *t = v;

		if (now - t->window_start_ms > window_ms) {
			free(map_del(m, key));
			n++;
		}
	}
	return n;
}

void nanny_sweep(struct server *srv)
{
	int64_t now = clock_mono_ms(), window_ms = (int64_t)srv->cfg.login_window_s * 1000;
	size_t n;

	if (!srv->throttle_addr.count && !srv->throttle_name.count)
		return;
	n = nanny_sweep_map(&srv->throttle_addr, now, window_ms) +
	    nanny_sweep_map(&srv->throttle_name, now, window_ms);
	if (n)
		log_debug(srv->log, "logins: forgot %zu failed-login record(s) past their window",
			  n);
}

static void nanny_lower(const char *name, char *out, size_t size)
{
	str_copy(out, size, name);
	str_lower(out);
}

/* ---- names ----------------------------------------------------------------- */

/*
 * Checks a proposed name and writes it capitalized ("ayla" -> "Ayla") into
 * out. Returns NULL if fine, else why not.
 */
static const char *nanny_check_name(const char *name, char *out, size_t size)
{
	size_t n = strlen(name);

	if (n < NANNY_NAME_MIN || n > NANNY_NAME_MAX)
		return "A name has 3 to 16 letters.";
	for (size_t i = 0; i < n; i++)
		if (!isalpha((unsigned char)name[i]) || (unsigned char)name[i] >= 0x80)
			return "A name has letters only, A to Z.";
	for (size_t i = 0; nanny_reserved[i]; i++)
		if (str_eq_nocase(name, nanny_reserved[i]))
			return "That name is not available.";
	str_copy(out, size, name);
	str_lower(out);
	out[0] = (char)toupper((unsigned char)out[0]);
	return NULL;
}

/* ---- entering the game ------------------------------------------------------ */

/*
 * Takes over a character already in the world: a link-dead one, or one
 * still connected elsewhere (that connection is told why and closed).
 */
static void nanny_take_over(struct session *s, struct character *ch)
{
	struct session *old = session_find(s->srv, ch->pc->session);

	if (old && old != s) {
		old->ch = NULL;
		session_close(old,
			      "\n{YThis character has been taken over from another connection.{x\n",
			      "taken over");
		log_info(s->srv->log, "%s taken over by session %u (%s) from session %u", ch->name,
			 s->id, conn_addr(s->conn), old->id);
	} else {
		log_info(s->srv->log, "%s reconnected on session %u (%s)", ch->name, s->id,
			 conn_addr(s->conn));
	}
	s->ch = ch;
	s->state = SESSION_PLAYING;
	session_sendf(s, "\n{WWelcome back, %s.{x You take up where you left off.\n\n", ch->name);
	world_player_reconnect(s->srv->world, ch, s->id);
}

static void nanny_enter(struct session *s, struct character *ch, bool is_new)
{
	s->ch = ch;
	s->state = SESSION_PLAYING;
	log_info(s->srv->log, "%s %s on session %u (%s, %s)", ch->name,
		 is_new ? "created and entered the game" : "entered the game", s->id,
		 conn_addr(s->conn), session_kind(s));
	if (is_new)
		session_sendf(s,
			      "\n{WWelcome to Forgotten Ruin, %s.{x Type {Whelp{x to begin; "
			      "{Wlook{x to see where you stand.\n\n",
			      ch->name);
	else
		session_sendf(s, "\n{WWelcome back, %s.{x\n\n", ch->name);
	world_player_enter(s->srv->world, ch, s->id);
}

/*
 * While the server is wizlocked (from the admin console) only admins get
 * in: anyone else is told so and the connection closes. ch is the
 * character logging in, or NULL for a new one. True if refused.
 */
static bool nanny_wizlocked(struct session *s, const struct character *ch)
{
	if (!s->srv->wizlock || (ch && ch->pc && (ch->pc->roles & PLAYER_ROLE_ADMIN)))
		return false;
	log_info(s->srv->log, "login of %s on session %u refused: wizlock", s->name, s->id);
	session_close(s,
		      "\n{YThe world is closed for maintenance: only admins may enter right now. "
		      "Please come back later.{x\n",
		      "wizlock");
	return true;
}

/*
 * Loads a saved character (not yet in the world), with its database id.
 * NULL on failure, logged, with *damaged telling a bad record from a
 * database that could not be read.
 */
static struct character *nanny_load(struct server *srv, const char *name, bool *damaged)
{
	struct character *ch = NULL;
	struct store_char rec;
	struct buf err;
	json_t *json;
	json_error_t jerr;
	int rc;

	*damaged = false;
	rc = store_char_load(srv->store, name, &rec);
	if (rc < 0) {
		log_error(srv->log, "cannot load character %s: %s", name, strerror(-rc));
		return NULL;
	}
	json = json_loads(rec.data ? rec.data : "{}", 0, &jerr);
	buf_init(&err, 1024);
	ch = json ? world_player_from_json(srv->world, rec.name, json, &err) : NULL;
	if (!ch) {
		log_error(srv->log, "character %s is damaged: %s", rec.name,
			  json ? buf_cstr(&err) : jerr.text);
		*damaged = true;
	} else {
		ch->pc->db_id = rec.id;
	}
	json_decref(json);
	buf_fini(&err);
	store_char_fini(&rec);
	return ch;
}

/* Loads a saved character and puts it in the world. */
static void nanny_login(struct session *s)
{
	struct server *srv = s->srv;
	struct character *ch = world_find_player(srv->world, s->name);
	bool damaged;

	if (ch) {
		if (!nanny_wizlocked(s, ch))
			nanny_take_over(s, ch);
		return;
	}
	ch = nanny_load(srv, s->name, &damaged);
	if (!ch)
		session_close(s,
			      damaged ? "{RYour character's record is damaged; an admin has been "
					"told.{x\n"
				      : "{RYour character could not be loaded; please try again "
					"later.{x\n",
			      damaged ? "damaged record" : "load failed");
	else if (nanny_wizlocked(s, ch))
		world_player_leave(srv->world, ch);
	else
		nanny_enter(s, ch, false);
}

int nanny_resume(struct session *s, const char *name)
{
	bool damaged;
	struct character *ch = nanny_load(s->srv, name, &damaged);

	if (!ch)
		return -1;
	free(s->name);
	s->name = xstrdup(ch->name);
	s->ch = ch;
	s->state = SESSION_PLAYING;
	session_puts(s, "\n{Y[reboot] ...and breathes out. The world is back; you stand where "
			"you stood.{x\n\n");
	world_player_enter(s->srv->world, ch, s->id);
	return 0;
}

/* Creates the new character in the database and the world. */
static void nanny_create(struct session *s, const char *path)
{
	struct server *srv = s->srv;
	struct character *ch;
	json_t *json;
	char *text;
	int64_t char_id = 0;
	int rc;

	/* Wizlock may have come on while this player chose a name and a path. */
	if (nanny_wizlocked(s, NULL))
		return;
	ch = world_player_new(srv->world, s->name, path, (enum pronouns)s->pronouns);
	if (!ch) {
		session_puts(s, "That is not a path here.\n");
		return;
	}
	json = world_player_to_json(srv->world, ch);
	text = json_dumps(json, JSON_COMPACT);
	json_decref(json);
	rc = store_player_create(srv->store, s->name, s->password, conn_addr(s->conn), text, NULL,
				 &char_id);
	free(text);
	session_wipe_password(s);
	if (rc == -EEXIST) {
		/* Someone took the name while we were choosing. */
		world_extract_char(srv->world, ch);
		session_puts(s, "{RThat name was taken a moment ago. Please choose another.{x\n");
		s->state = SESSION_NAME;
		nanny_ask_name(s);
		return;
	}
	if (rc < 0) {
		world_extract_char(srv->world, ch);
		log_error(srv->log, "cannot create character %s: %s", s->name, strerror(-rc));
		session_close(s,
			      "{RThe world could not record your character; please try later.{x\n",
			      "create failed");
		return;
	}
	ch->pc->db_id = char_id;
	nanny_enter(s, ch, true);
}

/* ---- the conversation -------------------------------------------------------- */

static void nanny_ask_pronouns(struct session *s)
{
	s->state = SESSION_PRONOUNS;
	session_puts(s, "\nHow should others speak of you?\n"
			"  {Wthey{x  (they went north)\n"
			"  {Whe{x    (he went north)\n"
			"  {Wshe{x   (she went north)\n");
	session_prompt(s, "Choose they, he or she: ");
}

static void nanny_ask_path(struct session *s)
{
	struct buf b;

	s->state = SESSION_PATH;
	buf_init(&b, 4096);
	buf_puts(&b,
		 "\nEveryone who goes down into the Ruin goes as something. Choose your path:\n");
	for (size_t i = 0; world_paths[i]; i++)
		buf_printf(&b, "  {W%-8s{x %s\n", world_paths[i], world_path_blurb(world_paths[i]));
	session_send(s, buf_cstr(&b), b.len);
	buf_fini(&b);
	session_prompt(s, "Your path: ");
}

static void nanny_state_name(struct session *s, const char *line)
{
	struct server *srv = s->srv;
	char name[NANNY_NAME_MAX + 1], lower[NANNY_NAME_MAX + 1];
	const char *why;

	if (!*line) {
		nanny_ask_name(s);
		return;
	}
	if (strcmp(line, "MSSP-REQUEST") == 0) {
		const char *names[32], *values[32];
		struct buf storage, out;
		size_t n;

		buf_init(&storage, 8192);
		buf_init(&out, 8192);
		n = server_mssp(srv, names, values, 32, &storage);
		buf_puts(&out, "\r\nMSSP-REPLY-START\r\n");
		for (size_t i = 0; i < n; i++)
			buf_printf(&out, "%s\t%s\r\n", names[i], values[i]);
		buf_puts(&out, "MSSP-REPLY-END\r\n");
		session_send_plain(s, buf_cstr(&out));
		buf_fini(&out);
		buf_fini(&storage);
		session_close(s, NULL, "mssp request");
		return;
	}
	why = nanny_check_name(line, name, sizeof(name));
	if (why) {
		session_sendf(s, "%s\n", why);
		nanny_ask_name(s);
		return;
	}
	nanny_lower(name, lower, sizeof(lower));
	free(s->name);
	s->name = xstrdup(name);
	if (store_name_exists(srv->store, name) || world_find_player(srv->world, name)) {
		if (nanny_throttled(srv, &srv->throttle_name, lower)) {
			session_puts(s, "{RThat character has had too many failed logins. "
					"Try again in a few minutes.{x\n");
			nanny_ask_name(s);
			return;
		}
		s->state = SESSION_PASSWORD;
		session_echo(s, false);
		session_prompt(s, "Password: ");
		return;
	}
	if (nanny_wizlocked(s, NULL))
		return;
	s->state = SESSION_CONFIRM_NAME;
	session_sendf(s, "No one here goes by %s yet.\n", name);
	session_prompt(s, "Is that the name you want (yes/no)? ");
}

static void nanny_state_confirm_name(struct session *s, const char *line)
{
	if (str_prefix(line, "yes")) {
		s->state = SESSION_NEW_PASSWORD;
		session_sendf(s, "\nChoose a password for %s (at least %d characters).\n", s->name,
			      NANNY_PASSWORD_MIN);
		session_echo(s, false);
		session_prompt(s, "Password: ");
	} else if (str_prefix(line, "no")) {
		s->state = SESSION_NAME;
		nanny_ask_name(s);
	} else {
		session_prompt(s, "Please answer yes or no: ");
	}
}

static void nanny_state_new_password(struct session *s, char *line)
{
	size_t n = strlen(line);

	session_echo(s, true);
	session_send_plain(s, "\n");
	if (n < NANNY_PASSWORD_MIN || n > NANNY_PASSWORD_MAX) {
		session_sendf(s, "A password has %d to %d characters.\n", NANNY_PASSWORD_MIN,
			      NANNY_PASSWORD_MAX);
		session_echo(s, false);
		session_prompt(s, "Password: ");
		return;
	}
	if (s->name && str_eq_nocase(line, s->name)) {
		session_puts(s, "Your password cannot be your name.\n");
		session_echo(s, false);
		session_prompt(s, "Password: ");
		return;
	}
	session_wipe_password(s);
	s->password = xstrdup(line);
	s->state = SESSION_CONFIRM_PASSWORD;
	session_echo(s, false);
	session_prompt(s, "Type it again: ");
}

static void nanny_state_confirm_password(struct session *s, const char *line)
{
	session_echo(s, true);
	session_send_plain(s, "\n");
	if (!s->password || strcmp(line, s->password) != 0) {
		session_wipe_password(s);
		session_puts(s, "The passwords do not match. Let's try again.\n");
		s->state = SESSION_NEW_PASSWORD;
		session_echo(s, false);
		session_prompt(s, "Password: ");
		return;
	}
	nanny_ask_pronouns(s);
}

static void nanny_state_pronouns(struct session *s, const char *line)
{
	int p = pronouns_parse(line);

	if (p < 0) {
		session_prompt(s, "Choose they, he or she: ");
		return;
	}
	s->pronouns = p;
	nanny_ask_path(s);
}

static void nanny_state_path(struct session *s, const char *line)
{
	for (size_t i = 0; world_paths[i]; i++) {
		if (*line && str_prefix(line, world_paths[i])) {
			nanny_create(s, world_paths[i]);
			return;
		}
	}
	session_puts(s, "That is not one of the paths.\n");
	session_prompt(s, "Your path: ");
}

static void nanny_state_password(struct session *s, char *line)
{
	struct server *srv = s->srv;
	const char *addr = conn_addr(s->conn);
	char lower[NANNY_NAME_MAX + 1];
	int rc;

	session_echo(s, true);
	session_send_plain(s, "\n");
	nanny_lower(s->name, lower, sizeof(lower));
	if (nanny_throttled(srv, &srv->throttle_addr, addr) ||
	    nanny_throttled(srv, &srv->throttle_name, lower)) {
		sodium_memzero(line, strlen(line));
		log_warn(srv->log, "login for %s from %s refused: too many failures", s->name,
			 addr);
		session_close(s, "{RToo many failed logins. Try again in a few minutes.{x\n",
			      "login throttled");
		return;
	}
	rc = store_account_check(srv->store, s->name, line, addr, NULL);
	if (rc == 0) {
		s->password_failures = 0;
		nanny_login(s);
		return;
	}
	if (rc != -EACCES && rc != -ENOENT) {
		log_error(srv->log, "login for %s: database error %s", s->name, strerror(-rc));
		session_close(
			s, "{RThe world's records cannot be read right now. Please try later.{x\n",
			"database error");
		return;
	}
	nanny_fail(srv, &srv->throttle_addr, addr);
	nanny_fail(srv, &srv->throttle_name, lower);
	log_warn(srv->log, "failed login for %s from %s", s->name, addr);
	if (++s->password_failures >= NANNY_PASSWORD_TRIES) {
		session_close(s, "Wrong password. Goodbye.\n", "too many wrong passwords");
		return;
	}
	session_puts(s, "Wrong password.\n");
	session_echo(s, false);
	session_prompt(s, "Password: ");
}

void nanny_line(struct session *s, char *line)
{
	line = s->state == SESSION_NEW_PASSWORD || s->state == SESSION_CONFIRM_PASSWORD ||
			       s->state == SESSION_PASSWORD
		       ? line
		       : str_trim(line);
	switch (s->state) {
	case SESSION_NAME:
		nanny_state_name(s, line);
		break;
	case SESSION_CONFIRM_NAME:
		nanny_state_confirm_name(s, line);
		break;
	case SESSION_NEW_PASSWORD:
		nanny_state_new_password(s, line);
		break;
	case SESSION_CONFIRM_PASSWORD:
		nanny_state_confirm_password(s, line);
		break;
	case SESSION_PRONOUNS:
		nanny_state_pronouns(s, line);
		break;
	case SESSION_PATH:
		nanny_state_path(s, line);
		break;
	case SESSION_PASSWORD:
		nanny_state_password(s, line);
		break;
	case SESSION_PLAYING:
	case SESSION_CLOSING:
		break;
	}
}
