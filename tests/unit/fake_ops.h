/*
 * fake_ops.h: a struct world_ops for tests that records everything the
 * world sends, saves and disconnects, so tests can assert on it. Header
 * only; every function is static inline so a test uses what it needs.
 *
 *   struct fake_ops f;
 *   struct world_ops ops;
 *   fake_ops_init(&f, &ops);
 *   struct world *w = world_new(NULL, &ops, &cfg);
 *   ...
 *   assert_non_null(strstr(fake_ops_text(&f, 7), "has entered the game"));
 *   assert_int_equal(fake_ops_data_count(&f, 7, "Char.Vitals"), 1);
 *   fake_ops_fini(&f);
 */
#ifndef RUIN_TESTS_FAKE_OPS_H
#define RUIN_TESTS_FAKE_OPS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "game/world.h"

#define FAKE_OPS_MAX_SESSIONS 16

/* One GMCP message as sent through ops->data. */
struct fake_data {
	uint32_t session;
	char *package;
	char *json;
};

struct fake_ops {
	/* Text sent to each session, all of it in order; session ids index directly. */
	struct buf text[FAKE_OPS_MAX_SESSIONS];
	struct fake_data *data;
	size_t data_n, data_cap;
	/* Names of saved characters in order, separated by '\n'. */
	struct buf saved;
	int saves;
	int save_rc; /* what save returns: 0, or negative to simulate a failure */
	uint32_t disconnected[FAKE_OPS_MAX_SESSIONS];
	size_t disconnects;
};

static inline void fake_ops_send(void *ud, uint32_t session, const char *markup, size_t n)
{
	struct fake_ops *f = ud;
	if (session < FAKE_OPS_MAX_SESSIONS)
		buf_append(&f->text[session], markup, n);
}

static inline void fake_ops_data(void *ud, uint32_t session, const char *package, const char *json)
{
	struct fake_ops *f = ud;
	if (f->data_n == f->data_cap) {
		f->data_cap = f->data_cap ? f->data_cap * 2 : 16;
		f->data = xreallocarray(f->data, f->data_cap, sizeof(*f->data));
	}
	f->data[f->data_n].session = session;
	f->data[f->data_n].package = xstrdup(package);
	f->data[f->data_n].json = xstrdup(json);
	f->data_n++;
}

static inline int fake_ops_save(void *ud, struct character *ch)
{
	struct fake_ops *f = ud;
	f->saves++;
	buf_printf(&f->saved, "%s\n", ch->name ? ch->name : "?");
	return f->save_rc;
}

static inline void fake_ops_disconnect(void *ud, uint32_t session)
{
	struct fake_ops *f = ud;
	if (f->disconnects < FAKE_OPS_MAX_SESSIONS)
		f->disconnected[f->disconnects++] = session;
}

static inline void fake_ops_describe(void *ud, uint32_t session, struct buf *out)
{
	(void)ud;
	buf_printf(out, "session %u", (unsigned)session);
}

/* Fills ops to record into f. */
static inline void fake_ops_init(struct fake_ops *f, struct world_ops *ops)
{
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < FAKE_OPS_MAX_SESSIONS; i++)
		buf_init(&f->text[i], 0);
	buf_init(&f->saved, 0);
	memset(ops, 0, sizeof(*ops));
	ops->ud = f;
	ops->send = fake_ops_send;
	ops->data = fake_ops_data;
	ops->save = fake_ops_save;
	ops->disconnect = fake_ops_disconnect;
	ops->describe_session = fake_ops_describe;
}

/* Forgets everything recorded so far (keeps save_rc). */
static inline void fake_ops_clear(struct fake_ops *f)
{
	for (size_t i = 0; i < FAKE_OPS_MAX_SESSIONS; i++)
		buf_clear(&f->text[i]);
	for (size_t i = 0; i < f->data_n; i++) {
		free(f->data[i].package);
		free(f->data[i].json);
	}
	f->data_n = 0;
	buf_clear(&f->saved);
	f->saves = 0;
	f->disconnects = 0;
}

static inline void fake_ops_fini(struct fake_ops *f)
{
	fake_ops_clear(f);
	for (size_t i = 0; i < FAKE_OPS_MAX_SESSIONS; i++)
		buf_fini(&f->text[i]);
	buf_fini(&f->saved);
	free(f->data);
}

/* All text sent to session so far ("" if none). */
static inline const char *fake_ops_text(const struct fake_ops *f, uint32_t session)
{
	return session < FAKE_OPS_MAX_SESSIONS ? buf_cstr(&f->text[session]) : "";
}

/* How many messages of package went to session (package NULL: any). */
static inline size_t fake_ops_data_count(const struct fake_ops *f, uint32_t session,
					 const char *package)
{
	size_t n = 0;
	for (size_t i = 0; i < f->data_n; i++)
		if (f->data[i].session == session &&
		    (!package || strcmp(f->data[i].package, package) == 0))
			n++;
	return n;
}

/* The JSON of the last message of package sent to session, or NULL. */
static inline const char *fake_ops_data_last(const struct fake_ops *f, uint32_t session,
					     const char *package)
{
	for (size_t i = f->data_n; i-- > 0;)
		if (f->data[i].session == session && strcmp(f->data[i].package, package) == 0)
			return f->data[i].json;
	return NULL;
}

/* True if session was disconnected through ops. */
static inline int fake_ops_was_disconnected(const struct fake_ops *f, uint32_t session)
{
	for (size_t i = 0; i < f->disconnects; i++)
		if (f->disconnected[i] == session)
			return 1;
	return 0;
}

#endif
