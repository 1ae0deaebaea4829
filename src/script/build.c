/*
 * build.c: the machinery that turns an area's declarations into the world,
 * and the cross-reference check that runs once every area is built.
 *
 * Start reading at build_area(). It runs build_all() as a protected entry
 * over the list loader.c collected: the area declaration first, then every
 * room, item, mob and spawn in the order written, each by its builder in
 * kinds.c. build_fields() checks a declaration against its kind's table of
 * fields (unknown fields with a "did you mean", missing required fields,
 * types, ranges, lengths, UTF-8) and applies what is right, so one run
 * reports every mistake of a file, each with its file and line.
 *
 * References to other objects ("inn", "thornwood:path") are checked for
 * their form here and recorded; xref.c looks them up once all areas are
 * built, so exits may cross areas and spawns may name later rooms.
 *
 * Strings read from Lua stay in Lua (the declaration list lives through the
 * whole entry); what the world keeps, world.h copies. What this file
 * allocates in C belongs to struct build or struct load_ctx and is freed
 * outside the protected entry, so a Lua error midway leaks nothing.
 */
#include "script/internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/map.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "base/banned.h"

/* At most this many unknown fields, or extra descriptions, per table. */
#define BUILD_MAX_UNKNOWN 16
#define BUILD_MAX_EXTRA	  64

/* ---- the load context ------------------------------------------------------ */

void load_ctx_init(struct load_ctx *lc, struct world *w, struct log *lg, struct buf *errors,
		   const char *lua_dir)
{
	memset(lc, 0, sizeof(*lc));
	lc->w = w;
	lc->log = lg;
	lc->errors = errors;
	lc->lua_dir = lua_dir;
	for (int k = 0; k < 3; k++)
		map_init(&lc->decl[k], false);
	map_init(&lc->failed_areas, false);
	map_init(&lc->reported, false);
}

void load_ctx_fini(struct load_ctx *lc)
{
	for (int k = 0; k < 3; k++) {
		size_t pos = 0;
		const char *key;
		void *val;
		while (map_next(&lc->decl[k], &pos, &key, &val))
			free(val);
		map_fini(&lc->decl[k]);
	}
	map_fini(&lc->failed_areas);
	map_fini(&lc->reported);
	for (size_t i = 0; i < lc->xref_n; i++) {
		free(lc->xrefs[i].id);
		free(lc->xrefs[i].file);
		free(lc->xrefs[i].what);
	}
	free(lc->xrefs);
}

void load_problem(struct load_ctx *lc, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (file && line > 0)
		buf_printf(lc->errors, "%s:%d: ", file, line);
	else if (file)
		buf_printf(lc->errors, "%s: ", file);
	va_start(ap, fmt);
	buf_vprintf(lc->errors, fmt, ap);
	va_end(ap);
	buf_putc(lc->errors, '\n');
	lc->problems++;
}

/* ---- messages --------------------------------------------------------------- */

void build_problem(struct build *b, const char *fmt, ...)
{
	va_list ap;

	buf_clear(&b->msg);
	va_start(ap, fmt);
	buf_vprintf(&b->msg, fmt, ap);
	va_end(ap);
	if (b->what.len)
		load_problem(b->lc, b->file, b->line, "%s: %s", buf_cstr(&b->what),
			     buf_cstr(&b->msg));
	else
		load_problem(b->lc, b->file, b->line, "%s", buf_cstr(&b->msg));
}

size_t build_what_push(struct build *b, const char *fmt, ...)
{
	size_t len = b->what.len;
	va_list ap;

	if (len)
		buf_puts(&b->what, ": ");
	va_start(ap, fmt);
	buf_vprintf(&b->what, fmt, ap);
	va_end(ap);
	return len;
}

void build_what_pop(struct build *b, size_t len)
{
	buf_truncate(&b->what, len);
}

/* ---- ids and references ------------------------------------------------------ */

bool build_valid_id(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return false;
	return n > 0 && n <= BUILD_ID_MAX;
}

bool build_check_decl_id(struct build *b, const char *kind, const char *id)
{
	if (build_valid_id(id))
		return true;
	if (strchr(id, ':')) {
		build_problem(b, "'%s': ids are declared without their area: %s \"%s\"", id, kind,
			      strrchr(id, ':') + 1);
		return false;
	}
	/* "Old Well" -> "old_well" */
	struct buf fix;
	buf_init(&fix, 256);
	for (const char *s = id; *s; s++) {
		if (*s >= 'A' && *s <= 'Z')
			buf_putc(&fix, (char)(*s - 'A' + 'a'));
		else
			buf_putc(&fix, (*s == ' ' || *s == '-') ? '_' : *s);
	}
	if (build_valid_id(buf_cstr(&fix)))
		build_problem(b,
			      "'%s' is not a valid id: use lowercase letters, digits and '_' (did "
			      "you mean '%s'?)",
			      id, buf_cstr(&fix));
	else
		build_problem(b,
			      "'%s' is not a valid id: use lowercase letters, digits and '_', at "
			      "most %d of them",
			      id, BUILD_ID_MAX);
	buf_fini(&fix);
	return false;
}

bool build_declare(struct build *b, enum xref_kind kind, const char *full)
{
	struct map *m = &b->lc->decl[kind];
	const char *first = map_get(m, full);

	if (first) {
		build_problem(b, "declared twice (first at %s)", first);
		return false;
	}
	struct buf at;
	buf_init(&at, 0);
	buf_printf(&at, "%s:%d", b->file, b->line);
	map_put(m, full, buf_steal(&at));
	buf_fini(&at);
	return true;
}

static void build_xref_add(struct build *b, enum xref_kind kind, const char *id, const char *ctx)
{
	struct load_ctx *lc = b->lc;

	if (lc->xref_n == lc->xref_cap) {
		lc->xref_cap = lc->xref_cap ? lc->xref_cap * 2 : 64;
		lc->xrefs = xreallocarray(lc->xrefs, lc->xref_cap, sizeof(*lc->xrefs));
	}
	struct xref *x = &lc->xrefs[lc->xref_n++];
	struct buf what;
	buf_init(&what, 0);
	buf_puts(&what, buf_cstr(&b->what));
	if (ctx)
		buf_printf(&what, "%s%s", what.len ? ": " : "", ctx);
	x->kind = kind;
	x->id = xstrdup(id);
	x->file = xstrdup(b->file);
	x->line = b->line;
	x->what = buf_steal(&what);
	buf_fini(&what);
}

const char *build_ref(struct build *b, const char *ref, enum xref_kind kind, const char *ctx)
{
	const char *colon = strchr(ref, ':');
	bool ok;

	buf_clear(&b->full);
	if (colon) {
		buf_append(&b->full, ref, (size_t)(colon - ref));
		ok = build_valid_id(buf_cstr(&b->full)) && build_valid_id(colon + 1);
		buf_clear(&b->full);
		buf_puts(&b->full, ref);
	} else {
		ok = build_valid_id(ref);
		buf_printf(&b->full, "%s:%s", b->sa->id, ref);
	}
	if (!ok) {
		build_problem(b,
			      "%s%s'%s' is not a valid id (lowercase letters, digits and '_', or "
			      "'area:id' for another area's)",
			      ctx ? ctx : "", ctx ? ": " : "", ref);
		return NULL;
	}
	build_xref_add(b, kind, buf_cstr(&b->full), ctx);
	return buf_cstr(&b->full);
}

/* ---- values ------------------------------------------------------------------- */

bool build_int(struct build *b, int idx, const char *name, long min, long max, int *out)
{
	int isint = 0;

	if (lua_type(b->L, idx) != LUA_TNUMBER) {
		build_problem(b, "'%s' must be a number, not a %s", name, luaL_typename(b->L, idx));
		return false;
	}
	lua_Integer v = lua_tointegerx(b->L, idx, &isint);
	if (!isint) {
		build_problem(b, "'%s' must be a whole number", name);
		return false;
	}
	if (v < min || v > max) {
		build_problem(b, "'%s' must be between %ld and %ld (it is %lld)", name, min, max,
			      (long long)v);
		return false;
	}
	*out = (int)v;
	return true;
}

bool build_ints(struct build *b, int idx, const char *name, int *out, int n, long min, long max)
{
	lua_State *L = b->L;
	int count = 0;

	idx = lua_absindex(L, idx);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		count++;
	}
	if (count != n || lua_rawlen(L, idx) != (size_t)n) {
		build_problem(b, "'%s' must be a list of %d numbers", name, n);
		return false;
	}
	bool ok = true;
	for (int i = 0; i < n; i++) {
		lua_rawgeti(L, idx, i + 1);
		ok = build_int(b, -1, name, min, max, &out[i]) && ok;
		lua_pop(L, 1);
	}
	return ok;
}

lua_Integer build_string_list(struct build *b, int idx, const char *name)
{
	lua_State *L = b->L;
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
	bool ok = true;

	idx = lua_absindex(L, idx);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		size_t len;
		count++;
		if (lua_type(L, -1) != LUA_TSTRING || !lua_isinteger(L, -2) ||
		    strlen(lua_tolstring(L, -1, &len)) != len)
			ok = false;
		lua_pop(L, 1);
	}
	if (!ok || count != n) {
		build_problem(b, "'%s' must be a list of strings, like { \"a\", \"b\" }", name);
		return -1;
	}
	return n;
}

unsigned build_flags(struct build *b, int idx, const char *name, const struct build_flag *flags,
		     const char *noun)
{
	lua_Integer n = build_string_list(b, idx, name);
	unsigned bits = 0;

	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(b->L, idx, i);
		const char *word = lua_tostring(b->L, -1);
		const struct build_flag *f = flags;
		while (f->name && strcmp(f->name, word) != 0)
			f++;
		if (f->name) {
			bits |= f->bit;
		} else {
			struct suggest sg;
			suggest_init(&sg, word);
			for (f = flags; f->name; f++)
				suggest_add(&sg, f->name);
			if (suggest_best(&sg)) {
				build_problem(b, "unknown %s '%s' (did you mean '%s'?)", noun, word,
					      suggest_best(&sg));
			} else {
				struct buf all;
				buf_init(&all, 0);
				for (f = flags; f->name; f++)
					buf_printf(&all, "%s%s", f == flags ? "" : ", ", f->name);
				build_problem(b, "unknown %s '%s' (known: %s)", noun, word,
					      buf_cstr(&all));
				buf_fini(&all);
			}
		}
		lua_pop(b->L, 1);
	}
	return bits;
}

bool build_string(struct build *b, int idx, const char *name, bool line, bool required)
{
	size_t n;
	const char *s = lua_tolstring(b->L, idx, &n);
	size_t max = line ? BUILD_LINE_MAX : BUILD_TEXT_MAX;

	if (n > max) {
		build_problem(b, "'%s' is too long (%zu bytes; at most %zu)", name, n, max);
		return false;
	}
	if (memchr(s, '\0', n) || !utf8_valid(s, n)) {
		build_problem(b, "'%s' is not valid UTF-8 text", name);
		return false;
	}
	if (line && (memchr(s, '\n', n) || memchr(s, '\r', n))) {
		build_problem(b, "'%s' must be a single line", name);
		return false;
	}
	if (required && n == 0) {
		build_problem(b, "'%s' must not be empty", name);
		return false;
	}
	return true;
}

/* Checks the value at idx against f's type; true if it may be applied. */
static bool build_check(struct build *b, const struct bfield *f, int idx)
{
	static const char *const want[] = {
		[BF_LINE] = "a string",	     [BF_TEXT] = "a string",	     [BF_INT] = "a number",
		[BF_BOOL] = "true or false", [BF_TABLE] = "a table { ... }",
	};
	static const int lua_types[] = {
		[BF_LINE] = LUA_TSTRING,  [BF_TEXT] = LUA_TSTRING, [BF_INT] = LUA_TNUMBER,
		[BF_BOOL] = LUA_TBOOLEAN, [BF_TABLE] = LUA_TTABLE,
	};

	if (lua_type(b->L, idx) != lua_types[f->type]) {
		build_problem(b, "'%s' must be %s, not a %s", f->name, want[f->type],
			      luaL_typename(b->L, idx));
		return false;
	}
	if (f->type == BF_LINE || f->type == BF_TEXT)
		return build_string(b, idx, f->name, f->type == BF_LINE, f->required);
	return true;
}

/* Applies a checked value with no apply function: a string or int member. */
static void build_store(struct build *b, const struct bfield *f, int idx, void *obj)
{
	char *member = (char *)obj + f->off;
	int v;

	if (f->type == BF_LINE || f->type == BF_TEXT)
		world_set_str((char **)(void *)member, lua_tostring(b->L, idx));
	else if (f->type == BF_INT && build_int(b, idx, f->name, f->min, f->max, &v))
		*(int *)(void *)member = v;
}

/* "light", "food and drink", ... : the item types of a field, for messages. */
static void build_type_names(unsigned types, struct buf *out)
{
	int n = 0, count = 0;

	for (int t = 0; t < ITEM_TYPE_COUNT; t++)
		count += (types >> t) & 1;
	for (int t = 0; t < ITEM_TYPE_COUNT; t++) {
		if (!((types >> t) & 1))
			continue;
		if (n++)
			buf_puts(out, n == count ? " and " : ", ");
		buf_puts(out, item_type_name((enum item_type)t));
	}
}

/* The fields that apply, "name, desc, ...", for messages. */
static void build_field_list(const struct bfield *fields, int item_type, struct buf *out)
{
	for (const struct bfield *f = fields; f->name; f++) {
		if (item_type >= 0 && f->item_types && !((f->item_types >> item_type) & 1))
			continue;
		buf_printf(out, "%s%s", out->len ? ", " : "", f->name);
	}
}

static const struct bfield *build_field_find(const struct bfield *fields, const char *name)
{
	for (const struct bfield *f = fields; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

struct build_unknown {
	const char *name;
	bool function;
};

static int build_unknown_cmp(const void *a, const void *b)
{
	return strcmp(((const struct build_unknown *)a)->name,
		      ((const struct build_unknown *)b)->name);
}

/* Reports the keys of the table at idx that are not fields. */
static void build_unknown_fields(struct build *b, int idx, const struct bfield *fields,
				 const char *noun, int item_type)
{
	struct build_unknown unknown[BUILD_MAX_UNKNOWN];
	size_t n = 0, more = 0;
	lua_State *L = b->L;

	lua_pushnil(L);
	while (lua_next(L, idx)) {
		bool fn = lua_type(L, -1) == LUA_TFUNCTION;
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING) {
			if (lua_isinteger(L, -1))
				build_problem(b,
					      "a value without a name at position %lld: fields "
					      "are written name = value",
					      (long long)lua_tointeger(L, -1));
			else
				build_problem(b, "a field name must be a string, not a %s",
					      luaL_typename(L, -1));
			continue;
		}
		const char *name = lua_tostring(L, -1); /* stays alive in the table */
		if (build_field_find(fields, name) || (b->evk && events_field(name)))
			continue;
		if (n < BUILD_MAX_UNKNOWN)
			unknown[n++] = (struct build_unknown){name, fn};
		else
			more++;
	}
	qsort(unknown, n, sizeof(unknown[0]), build_unknown_cmp);
	struct buf list;
	buf_init(&list, 0);
	build_field_list(fields, item_type, &list);
	for (size_t i = 0; i < n; i++) {
		struct suggest sg;
		suggest_init(&sg, unknown[i].name);
		for (const struct bfield *f = fields; f->name; f++)
			suggest_add(&sg, f->name);
		if (unknown[i].function && b->evk)
			events_suggest(&sg, (enum evk)b->evk);
		if (suggest_best(&sg))
			build_problem(b, "unknown field '%s' (did you mean '%s'?)", unknown[i].name,
				      suggest_best(&sg));
		else if (unknown[i].function)
			build_problem(b,
				      "'%s' is a function, but not a trigger (triggers are named "
				      "on_<event> or before_<event>; %s has: %s)",
				      unknown[i].name, noun, buf_cstr(&list));
		else
			build_problem(b, "unknown field '%s' (%s has: %s)", unknown[i].name, noun,
				      buf_cstr(&list));
	}
	if (more)
		build_problem(b, "and %zu more unknown fields", more);
	buf_fini(&list);
}

void build_fields(struct build *b, int idx, const struct bfield *fields, const char *noun,
		  void *obj, int item_type)
{
	lua_State *L = b->L;

	idx = lua_absindex(L, idx);
	build_unknown_fields(b, idx, fields, noun, item_type);
	b->evk = 0; /* set by a kind for its own table only, never for nested ones */
	for (const struct bfield *f = fields; f->name; f++) {
		lua_pushstring(L, f->name);
		if (lua_rawget(L, idx) == LUA_TNIL) {
			if (f->required)
				build_problem(b, "missing field '%s'", f->name);
		} else if (item_type >= 0 && f->item_types && !((f->item_types >> item_type) & 1)) {
			struct buf types;
			buf_init(&types, 0);
			build_type_names(f->item_types, &types);
			build_problem(b, "'%s' is for %s items (this one is of type %s)", f->name,
				      buf_cstr(&types), item_type_name((enum item_type)item_type));
			buf_fini(&types);
		} else if (build_check(b, f, -1)) {
			if (f->apply)
				f->apply(b, f, lua_gettop(L), obj);
			else
				build_store(b, f, -1, obj);
		}
		lua_pop(L, 1);
	}
}

struct build_extra_entry {
	const char *keywords, *text;
};

static int build_extra_cmp(const void *a, const void *b)
{
	return strcmp(((const struct build_extra_entry *)a)->keywords,
		      ((const struct build_extra_entry *)b)->keywords);
}

void build_extra(struct build *b, int idx, struct extra_desc **list)
{
	struct build_extra_entry e[BUILD_MAX_EXTRA];
	size_t n = 0;
	lua_State *L = b->L;

	idx = lua_absindex(L, idx);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING) {
			build_problem(b, "'extra' must map keywords to text: extra = { [\"board "
					 "notice\"] = \"...\" }");
		} else if (build_string(b, -2, "extra keywords", true, true) &&
			   build_string(b, -1, "extra text", false, true)) {
			if (n < BUILD_MAX_EXTRA)
				e[n++] = (struct build_extra_entry){lua_tostring(L, -2),
								    lua_tostring(L, -1)};
			else
				build_problem(b, "more than %d extra descriptions",
					      BUILD_MAX_EXTRA);
		}
		lua_pop(L, 1);
	}
	qsort(e, n, sizeof(e[0]), build_extra_cmp);
	for (size_t i = 0; i < n; i++)
		world_extra_add(list, e[i].keywords, e[i].text);
}

/* ---- the declaration list ------------------------------------------------------ */

/* Reads the declaration entry at idx into b and returns its kind. */
static const char *build_entry(struct build *b, int idx, const char **id, const char **problem)
{
	lua_State *L = b->L;

	lua_getfield(L, idx, "file");
	b->file = lua_isstring(L, -1) ? lua_tostring(L, -1) : b->sa->file;
	lua_getfield(L, idx, "line");
	b->line = (int)lua_tointeger(L, -1);
	lua_getfield(L, idx, "id");
	size_t len = 0;
	*id = lua_tolstring(L, -1, &len);
	bool nul = *id && strlen(*id) != len;
	lua_getfield(L, idx, "problem");
	*problem = lua_tostring(L, -1);
	if (nul && !*problem)
		*problem = "an id cannot contain a NUL byte";
	lua_getfield(L, idx, "kind");
	const char *kind = lua_tostring(L, -1);
	lua_pop(L, 5); /* the strings stay alive in the entry */
	return kind ? kind : "?";
}

/* Builds the declarations at list, of kind "area" when areas is true, else the others. */
static void build_pass(struct build *b, int list, bool areas)
{
	lua_State *L = b->L;
	lua_Integer n = (lua_Integer)lua_rawlen(L, list);

	for (lua_Integer i = 1; i <= n; i++) {
		int top = lua_gettop(L);
		lua_rawgeti(L, list, i);
		int entry = lua_gettop(L);
		const char *id, *problem;
		const char *kind = build_entry(b, entry, &id, &problem);
		if ((strcmp(kind, "area") == 0) == areas) {
			buf_clear(&b->what);
			if (problem) {
				build_problem(b, "%s", problem);
			} else if (lua_getfield(L, entry, "def") != LUA_TTABLE) {
				build_problem(b, "%s '%s' has no table: write %s \"%s\" { ... }",
					      kind, id ? id : "?", kind, id ? id : "?");
			} else {
				kinds_build_fn fn = kinds_find(kind);
				if (fn)
					fn(b, id, lua_gettop(L));
			}
		}
		lua_settop(L, top);
	}
}

static int build_all(lua_State *L)
{
	struct build *b = lua_touserdata(L, 1);

	b->L = L;
	lua_rawgeti(L, LUA_REGISTRYINDEX, b->sa->defs_ref);
	int list = lua_gettop(L);
	build_pass(b, list, true);
	if (!b->area) {
		b->file = b->sa->file;
		b->line = 0;
		buf_clear(&b->what);
		build_problem(b, "no area { id = \"%s\", name = \"...\" } declaration", b->sa->id);
		kinds_find("area")(b, NULL, 0);
	}
	if (b->area)
		build_pass(b, list, false);
	return 0;
}

/* Drops the declarations and closes the declaring functions. */
static int build_finish(lua_State *L)
{
	struct script_area *sa = lua_touserdata(L, 1);

	luaL_unref(L, LUA_REGISTRYINDEX, sa->defs_ref);
	sa->defs_ref = LUA_NOREF;
	loader_close_declarations(L);
	return 0;
}

int build_area(struct load_ctx *lc, struct script_area *sa)
{
	struct build b = {.lc = lc, .sa = sa, .w = lc->w};
	lua_State *L = vm_state(sa->vm);
	struct buf err;

	buf_init(&b.what, 0);
	buf_init(&b.msg, 0);
	buf_init(&b.full, 0);
	buf_init(&err, 0);
	lua_pushcfunction(L, build_all);
	lua_pushlightuserdata(L, &b);
	int rc = vm_pcall(sa->vm, 1, 0, lc->load_budget, lc->load_time_ms, &err);
	if (rc != 0) {
		const char *e = buf_cstr(&err);
		const char *nl = strchr(e, '\n');
		load_problem(lc, sa->file, 0, "building the area failed: %.*s",
			     (int)(nl ? nl - e : (ptrdiff_t)strlen(e)), e);
	}
	lua_pushcfunction(L, build_finish);
	lua_pushlightuserdata(L, sa);
	vm_pcall(sa->vm, 1, 0, 0, 0, NULL);
	lua_gc(L, LUA_GCCOLLECT);
	buf_fini(&b.what);
	buf_fini(&b.msg);
	buf_fini(&b.full);
	buf_fini(&err);
	return rc;
}
