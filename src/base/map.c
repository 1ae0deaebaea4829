/*
 * map.c: string-keyed open-addressing hash map. See map.h.
 */
#include "base/map.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"
#include "base/banned.h"

static char map_tombstone_key;
#define MAP_TOMBSTONE (&map_tombstone_key)

uint32_t map_hash(const char *key, bool nocase)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		h ^= nocase ? (uint32_t)tolower(*p) : (uint32_t)*p;
		h *= 16777619u;
	}
	return h;
}

void map_init(struct map *m, bool nocase)
{
	memset(m, 0, sizeof(*m));
	m->nocase = nocase;
}

void map_fini(struct map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key && m->slots[i].key != MAP_TOMBSTONE)
			free(m->slots[i].key);
	free(m->slots);
	m->slots = NULL;
	m->cap = m->count = m->used = 0;
}

static bool map_keyeq(const struct map *m, const char *a, const char *b)
{
	return m->nocase ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

/* Index of key's slot, or of the first free slot where it would go. */
static size_t map_find(const struct map *m, const char *key, uint32_t h, bool *found)
{
	size_t mask = m->cap - 1, i = h & mask, tomb = (size_t)-1;

	for (;;) {
		struct map_slot *s = &m->slots[i];

		if (!s->key) {
			*found = false;
			return tomb != (size_t)-1 ? tomb : i;
		}
		if (s->key == MAP_TOMBSTONE) {
			if (tomb == (size_t)-1)
				tomb = i;
		} else if (s->hash == h && map_keyeq(m, s->key, key)) {
			*found = true;
			return i;
		}
		i = (i + 1) & mask;
	}
}

static void map_resize(struct map *m, size_t cap)
{
	struct map_slot *old = m->slots;
	size_t oldcap = m->cap;

	m->slots = xcalloc(cap, sizeof(*m->slots));
	m->cap = cap;
	m->used = m->count;
	for (size_t i = 0; i < oldcap; i++) {
		bool found;
		size_t j;

		if (!old[i].key || old[i].key == MAP_TOMBSTONE)
			continue;
		j = map_find(m, old[i].key, old[i].hash, &found);
		m->slots[j] = old[i];
	}
	free(old);
}

void *map_get(const struct map *m, const char *key)
{
	bool found;
	size_t i;

	if (!m->cap)
		return NULL;
	i = map_find(m, key, map_hash(key, m->nocase), &found);
	return found ? m->slots[i].value : NULL;
}

bool map_has(const struct map *m, const char *key)
{
	bool found = false;

	if (m->cap)
		map_find(m, key, map_hash(key, m->nocase), &found);
	return found;
}

void *map_put(struct map *m, const char *key, void *value)
{
	uint32_t h = map_hash(key, m->nocase);
	bool found;
	size_t i;
	void *old;

	if ((m->used + 1) * 4 >= m->cap * 3)
		map_resize(m, m->cap ? (m->count * 2 >= m->cap ? m->cap * 2 : m->cap) : 16);
	i = map_find(m, key, h, &found);
	if (found) {
		old = m->slots[i].value;
		m->slots[i].value = value;
		return old;
	}
	if (m->slots[i].key != MAP_TOMBSTONE)
		m->used++;
	m->slots[i].key = xstrdup(key);
	m->slots[i].hash = h;
	m->slots[i].value = value;
	m->count++;
	return NULL;
}

void *map_del(struct map *m, const char *key)
{
	bool found;
	size_t i;
	void *old;

	if (!m->cap)
		return NULL;
	i = map_find(m, key, map_hash(key, m->nocase), &found);
	if (!found)
		return NULL;
	old = m->slots[i].value;
	free(m->slots[i].key);
	m->slots[i].key = MAP_TOMBSTONE;
	m->slots[i].value = NULL;
	m->count--;
	return old;
}

bool map_next(const struct map *m, size_t *pos, const char **key, void **value)
{
	while (*pos < m->cap) {
		struct map_slot *s = &m->slots[(*pos)++];

		if (s->key && s->key != MAP_TOMBSTONE) {
			if (key)
				*key = s->key;
			if (value)
				*value = s->value;
			return true;
		}
	}
	return false;
}
