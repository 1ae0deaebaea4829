/*
 * save.c: saving characters to the store. A save copies everything out of
 * the world at once (the character's JSON, its columns, its Lua memory), so
 * it may be written later: saves requested during a pulse (autosave,
 * link-dead timeouts) are batched and written in one transaction after it,
 * as are the saves of server_save_all() (shutdown, hot reboot). Start at
 * server_save_request().
 */
#include "server.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "game/world.h"
#include "script/script.h"
#include "store/store.h"
#include "base/banned.h"

/* One character's save, with everything copied out of the world. */
struct server_save {
	int64_t id;
	char *name;
	int level;
	char *room;
	int64_t played_s;
	char *data;
	struct store_memory_row *mem; /* its ch:memory() texts that changed, per area */
	size_t nmem;
};

int server_save_add_memory(struct server_save *save, const char *area, const char *json)
{
	save->mem = xreallocarray(save->mem, save->nmem + 1, sizeof(*save->mem));
	save->mem[save->nmem].area = xstrdup(area);
	save->mem[save->nmem].value = json ? xstrdup(json) : NULL;
	save->nmem++;
	return 0;
}

static void server_save_fill(struct server *srv, struct character *ch, struct server_save *out)
{
	json_t *json = world_player_to_json(srv->world, ch);
	int64_t played = ch->pc->played_s;

	/*
	 * Its ch:memory() tables, per area: copied into out (server_memory_save
	 * sees srv->filling) and written in the character's transaction, so a
	 * quest flag and its reward commit or fail together.
	 */
	memset(out, 0, sizeof(*out));
	srv->filling = out;
	scripts_save_player(srv->scripts, ch);
	srv->filling = NULL;

	if (ch->pc->login_ms)
		played += (world_now_ms(srv->world) - ch->pc->login_ms) / 1000;
	out->id = ch->pc->db_id;
	out->name = xstrdup(ch->name);
	out->level = ch->level;
	out->room = ch->room		? xstrdup(ch->room->id)
		    : ch->pc->load_room ? xstrdup(ch->pc->load_room)
					: NULL;
	out->played_s = played;
	out->data = json_dumps(json, JSON_COMPACT);
	json_decref(json);
}

static void server_save_free(struct server_save *s)
{
	free(s->name);
	free(s->room);
	free(s->data);
	for (size_t i = 0; i < s->nmem; i++) {
		free((char *)s->mem[i].area);
		free((char *)s->mem[i].value);
	}
	free(s->mem);
}

static int server_store_saves(struct server *srv, struct server_save *saves, size_t n)
{
	struct store_char_save *rows;
	size_t failed = n;
	int rc;

	if (!n)
		return 0;
	if (!srv->store) {
		/* A hot reboot failed and could not open the database again. */
		log_error(srv->log, "saving %zu character(s) failed: no database", n);
		return -EIO;
	}
	rows = xcalloc(n, sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		rows[i].id = saves[i].id;
		rows[i].name = saves[i].name;
		rows[i].level = saves[i].level;
		rows[i].room = saves[i].room;
		rows[i].played_s = saves[i].played_s;
		rows[i].data = saves[i].data;
		rows[i].memory = saves[i].mem;
		rows[i].nmemory = saves[i].nmem;
	}
	rc = n == 1 ? store_char_save(srv->store, &rows[0])
		    : store_char_save_many(srv->store, rows, n, &failed);
	if (rc < 0) {
		log_error(srv->log, "saving %zu character(s) failed: %s%s%s", n, strerror(-rc),
			  failed < n ? "; first bad row: " : "",
			  failed < n ? rows[failed].name : "");
		/* Their memory was not written either: the next save must write it again. */
		for (size_t i = 0; i < n; i++) {
			struct character *ch = world_find_player(srv->world, saves[i].name);

			if (ch && saves[i].nmem)
				scripts_memory_unsaved(srv->scripts, ch);
		}
	}
	free(rows);
	return rc;
}

int server_save_player(struct server *srv, struct character *ch)
{
	struct server_save s;
	int rc;

	if (!ch->pc)
		return -EINVAL;
	server_save_fill(srv, ch, &s);
	rc = server_store_saves(srv, &s, 1);
	server_save_free(&s);
	return rc;
}

/* Pending saves made during a pulse: written in one transaction after it. */
struct server_batch {
	struct server_save *v;
	size_t n, cap;
};

/* Writes a batch in one transaction; on failure the characters stay marked unsaved. */
static int server_flush_batch(struct server *srv, struct server_batch *b)
{
	int rc = server_store_saves(srv, b->v, b->n);

	if (rc < 0) {
		/* Mark them unsaved so the next autosave tries again. */
		for (size_t i = 0; i < b->n; i++) {
			struct character *ch = world_find_player(srv->world, b->v[i].name);

			if (ch)
				ch->pc->dirty = true;
		}
		for (struct character *ch = world_next_char(srv->world, NULL); ch;
		     ch = world_next_char(srv->world, ch))
			if (ch->pc && (ch->pc->roles & PLAYER_ROLE_ADMIN))
				world_send(srv->world, ch,
					   "{R[admin] Autosave failed; see the server log.{x\n");
	}
	for (size_t i = 0; i < b->n; i++)
		server_save_free(&b->v[i]);
	b->n = 0;
	return rc;
}

void server_batch_begin(struct server *srv)
{
	assert(!srv->batch);
	srv->batch = xcalloc(1, sizeof(*srv->batch));
}

int server_batch_end(struct server *srv)
{
	struct server_batch *b = srv->batch;
	int rc = 0;

	srv->batch = NULL;
	if (b->n)
		rc = server_flush_batch(srv, b);
	free(b->v);
	free(b);
	return rc;
}

int server_save_request(struct server *srv, struct character *ch)
{
	struct server_batch *b = srv->batch;

	if (!ch->pc)
		return -EINVAL;
	if (!b)
		return server_save_player(srv, ch);
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->v = xreallocarray(b->v, b->cap, sizeof(*b->v));
	}
	server_save_fill(srv, ch, &b->v[b->n++]);
	return 0;
}

int server_save_now(struct server *srv, struct character *ch)
{
	struct server_batch *b = srv->batch;

	if (!ch->pc)
		return -EINVAL;
	/* An older copy queued earlier in this pulse must not be written over it. */
	for (size_t i = 0; b && i < b->n;) {
		if (b->v[i].id == ch->pc->db_id) {
			server_save_free(&b->v[i]);
			b->v[i] = b->v[--b->n];
		} else {
			i++;
		}
	}
	return server_save_player(srv, ch);
}

int server_save_all(struct server *srv)
{
	int rc;

	server_batch_begin(srv);
	for (struct character *ch = world_next_char(srv->world, NULL); ch;
	     ch = world_next_char(srv->world, ch))
		if (ch->pc && !ch->extracted)
			server_save_request(srv, ch);
	log_info(srv->log, "saving %zu character(s)", srv->batch->n);
	rc = server_batch_end(srv);
	scripts_save_all(srv->scripts);
	return rc;
}
