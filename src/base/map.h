/*
 * map.h: a string-keyed hash map (open addressing, linear probing).
 *
 * Keys are copied in and owned by the map; values are the caller's. Lookups
 * may be case-sensitive or case-insensitive (ASCII), chosen at map_init().
 * Iteration order is unspecified; never insert while iterating.
 */
#ifndef RUIN_BASE_MAP_H
#define RUIN_BASE_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct map_slot {
	char *key; /* NULL: empty; MAP_TOMBSTONE: deleted */
	uint32_t hash;
	void *value;
};

struct map {
	struct map_slot *slots;
	size_t cap;   /* power of two, or 0 */
	size_t count; /* live keys */
	size_t used;  /* live keys + tombstones */
	bool nocase;
};

void map_init(struct map *m, bool nocase);
/* Frees the keys and the table; values are left to the caller. */
void map_fini(struct map *m);
/* Looks up key; NULL if absent. */
void *map_get(const struct map *m, const char *key);
bool map_has(const struct map *m, const char *key);
/* Inserts or replaces; returns the old value or NULL. */
void *map_put(struct map *m, const char *key, void *value);
/* Removes key; returns its value or NULL. */
void *map_del(struct map *m, const char *key);
/*
 * Iterates: start with *pos = 0; returns false when done. Keys and values
 * may be NULL-checked by the caller; removal of the current key is allowed.
 */
bool map_next(const struct map *m, size_t *pos, const char **key, void **value);
/* The FNV-1a hash used by the map, exposed for stable ids. */
uint32_t map_hash(const char *key, bool nocase);

#endif
