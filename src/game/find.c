/*
 * find.c: what a player's words name. "sword" is the first visible thing
 * whose keywords it matches, "2.sword" the second, "all" everything,
 * "all.coin" every coin; "me" and "self" are the player. Keywords match by
 * prefix, every word of the name against some keyword ("bra lan" finds
 * "lantern brass").
 *
 * Start reading at find_target_init(), then find_item_lists(), which every
 * item lookup goes through so that numbers count across several lists.
 */
#include "game/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/list.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "game/internal.h"
#include "base/banned.h"

/* Longest name we look for; longer ones match nothing. */
#define FIND_NAME_MAX 256

void find_target_init(struct find_target *t, const char *arg)
{
	const char *dot;

	t->number = 1;
	t->all = false;
	buf_init(&t->name, FIND_NAME_MAX);
	arg = str_skip_space(arg ? arg : "");
	dot = strchr(arg, '.');
	if (str_eq_nocase(arg, "all")) {
		t->all = true;
		return;
	}
	if (dot && (size_t)(dot - arg) == 3 && str_prefix("all", arg)) {
		t->all = true;
		arg = dot + 1;
	} else if (dot && dot > arg) {
		long n = 0;
		size_t i;

		for (i = 0; arg + i < dot && isdigit((unsigned char)arg[i]) && n < INT_MAX / 10;
		     i++)
			n = n * 10 + (arg[i] - '0');
		if (arg + i == dot) {
			/* "0.sword" names nothing: number stays 0 and matches never count down to
			 * it. */
			t->number = (int)n;
			arg = dot + 1;
		}
	}
	buf_puts(&t->name, arg);
	if (t->name.err)
		buf_clear(&t->name);
	if (t->name.data)
		str_lower(t->name.data);
}

void find_target_fini(struct find_target *t)
{
	buf_fini(&t->name);
}

/* True if word (n bytes) is a prefix of some space-separated word of keywords. */
static bool find_word_in(const char *word, size_t n, const char *keywords)
{
	const char *k = keywords;

	while (*k) {
		const char *end;

		k = str_skip_space(k);
		end = k;
		while (*end && !isspace((unsigned char)*end))
			end++;
		if ((size_t)(end - k) >= n && n > 0 && strncasecmp(word, k, n) == 0)
			return true;
		k = end;
	}
	return false;
}

bool find_name_matches(const char *name, const char *keywords)
{
	const char *p = str_skip_space(name ? name : "");
	bool any = false;

	if (!keywords)
		return false;
	while (*p) {
		const char *end = p;

		while (*end && !isspace((unsigned char)*end))
			end++;
		if (!find_word_in(p, (size_t)(end - p), keywords))
			return false;
		any = true;
		p = str_skip_space(end);
	}
	return any;
}

bool find_target_matches(const struct find_target *t, const char *keywords)
{
	if (t->all && t->name.len == 0)
		return true;
	return find_name_matches(buf_cstr(&t->name), keywords);
}

static const char *find_item_keywords(const struct item *it)
{
	return it->proto && it->proto->keywords ? it->proto->keywords : "";
}

/*
 * Looks for the item t names through lists in order; *left counts down
 * the matches still to skip ("2.sword" starts at 2).
 */
static struct item *find_in_list(const struct character *viewer, const struct dlist *list,
				 const struct find_target *t, int *left)
{
	DLIST_FOREACH(list, l)
	{
		struct item *it = dlist_entry(l, struct item, link);

		if (it->extracted || !act_sees_item(viewer, it))
			continue;
		if (!find_target_matches(t, find_item_keywords(it)))
			continue;
		if (--*left == 0)
			return it;
	}
	return NULL;
}

static struct item *find_in_worn(const struct character *viewer, const struct find_target *t,
				 int *left)
{
	for (int s = 0; s < WEAR_COUNT; s++) {
		struct item *it = viewer->equip[s];

		if (!it || it->extracted || !find_target_matches(t, find_item_keywords(it)))
			continue;
		if (--*left == 0)
			return it;
	}
	return NULL;
}

/* Which places a lookup searches, in order. */
#define FIND_INV  (1u << 0)
#define FIND_WORN (1u << 1)
#define FIND_ROOM (1u << 2)

static struct item *find_item_places(const struct character *viewer, const char *arg,
				     unsigned places)
{
	struct find_target t;
	struct item *found = NULL;
	int left;

	if (!viewer)
		return NULL;
	find_target_init(&t, arg);
	left = t.number;
	if (t.all || t.name.len == 0 || left <= 0)
		goto out;
	if ((places & FIND_INV) && (found = find_in_list(viewer, &viewer->inventory, &t, &left)))
		goto out;
	if ((places & FIND_WORN) && (found = find_in_worn(viewer, &t, &left)))
		goto out;
	if ((places & FIND_ROOM) && viewer->room)
		found = find_in_list(viewer, &viewer->room->items, &t, &left);
out:
	find_target_fini(&t);
	return found;
}

struct item *find_item_list(const struct character *viewer, const struct dlist *list,
			    const char *arg)
{
	struct find_target t;
	struct item *found = NULL;
	int left;

	find_target_init(&t, arg);
	left = t.number;
	if (!t.all && t.name.len > 0 && left > 0 && list)
		found = find_in_list(viewer, list, &t, &left);
	find_target_fini(&t);
	return found;
}

struct item *find_item_inv(const struct character *viewer, const char *arg)
{
	return find_item_places(viewer, arg, FIND_INV);
}

struct item *find_item_worn(const struct character *viewer, const char *arg)
{
	return find_item_places(viewer, arg, FIND_WORN);
}

struct item *find_item_room(const struct character *viewer, const char *arg)
{
	return find_item_places(viewer, arg, FIND_ROOM);
}

struct item *find_item_here(const struct character *viewer, const char *arg)
{
	return find_item_places(viewer, arg, FIND_INV | FIND_WORN | FIND_ROOM);
}

static const char *find_char_keywords(const struct character *ch)
{
	if (ch->keywords)
		return ch->keywords;
	return ch->name ? ch->name : "";
}

struct character *find_char_room(const struct character *viewer, const char *arg)
{
	struct find_target t;
	struct character *found = NULL;
	int left;

	if (!viewer || !arg)
		return NULL;
	arg = str_skip_space(arg);
	if (str_eq_nocase(arg, "me") || str_eq_nocase(arg, "self"))
		return (struct character *)viewer;
	if (!viewer->room)
		return NULL;
	find_target_init(&t, arg);
	left = t.number;
	if (t.all || t.name.len == 0 || left <= 0)
		goto out;
	DLIST_FOREACH(&viewer->room->people, l)
	{
		struct character *ch = dlist_entry(l, struct character, room_link);

		if (ch->extracted || !act_sees_char(viewer, ch))
			continue;
		if (!find_target_matches(&t, find_char_keywords(ch)))
			continue;
		if (--left == 0) {
			found = ch;
			break;
		}
	}
out:
	find_target_fini(&t);
	return found;
}

struct character *find_player(const struct world *w, const char *arg)
{
	struct character *exact, *found = NULL;

	arg = str_skip_space(arg ? arg : "");
	if (!*arg)
		return NULL;
	exact = world_find_player(w, arg);
	if (exact)
		return exact;
	DLIST_FOREACH(&w->chars, l)
	{
		struct character *ch = dlist_entry(l, struct character, world_link);

		if (!ch->pc || ch->extracted || !ch->name || !str_prefix(arg, ch->name))
			continue;
		if (found)
			return NULL; /* two players begin that way: the caller says "be more exact"
				      */
		found = ch;
	}
	return found;
}

void find_vec_fini(struct item_vec *v)
{
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

size_t find_items(const struct character *viewer, const struct dlist *list,
		  const struct find_target *t, struct item_vec *out)
{
	size_t found = 0;

	DLIST_FOREACH(list, l)
	{
		struct item *it = dlist_entry(l, struct item, link);

		if (it->extracted || !act_sees_item(viewer, it))
			continue;
		if (!find_target_matches(t, find_item_keywords(it)))
			continue;
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 8;
			out->v = xreallocarray(out->v, out->cap, sizeof(*out->v));
		}
		out->v[out->n++] = it;
		found++;
	}
	return found;
}
