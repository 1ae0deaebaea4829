/*
 * test_pattern.c: pattern.c against Lua 5.4's own string library.
 *
 * The same probe (find, plain find, match, gmatch, gsub with a string, a
 * function, a table and a limit) runs in a sandboxed state and in a plain
 * Lua state with the stock library, over hand-picked cases and a few
 * thousand random patterns and subjects; every result and every error
 * message must be identical. Then the step budget: pathological patterns
 * that would run for hours in stock Lua end with the budget error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "base/buf.h"
#include "base/clock.h"
#include "script/internal.h"
#include "base/banned.h"

static const char probe_code[] =
	"local function ser(ok, ...)\n"
	"  local t = {tostring(ok)}\n"
	"  for i = 1, select('#', ...) do\n"
	"    local v = select(i, ...)\n"
	"    t[#t + 1] = type(v) .. ':' .. tostring(v)\n"
	"  end\n"
	"  return table.concat(t, ' ')\n"
	"end\n"
	"local function each(s, p, init)\n"
	"  local r, n = {}, 0\n"
	"  for a, b in string.gmatch(s, p, init) do\n"
	"    n = n + 1\n"
	"    r[#r + 1] = tostring(a) .. '|' .. tostring(b)\n"
	"    if n > 50 then break end\n"
	"  end\n"
	"  return table.concat(r, ',')\n"
	"end\n"
	"local function wrap(a, b) return '<' .. tostring(a) .. tostring(b) .. '>' end\n"
	"local map = {a = 'A', ab = false, b = 7}\n"
	"probe = function(s, p, init, repl)\n"
	"  return table.concat({\n"
	"    ser(pcall(string.find, s, p, init)),\n"
	"    ser(pcall(string.find, s, p, init, true)),\n"
	"    ser(pcall(string.match, s, p, init)),\n"
	"    ser(pcall(each, s, p, init)),\n"
	"    ser(pcall(string.gsub, s, p, repl)),\n"
	"    ser(pcall(string.gsub, s, p, wrap)),\n"
	"    ser(pcall(string.gsub, s, p, map)),\n"
	"    ser(pcall(string.gsub, s, p, repl, 2)),\n"
	"    ser(pcall(function() return (s):find(p) end)),\n"
	"  }, '\\n')\n"
	"end\n";

struct fixture {
	struct vm *vm;
	lua_State *ref; /* stock Lua */
	struct buf a, b, err;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));
	struct vm_limits lim = {
		.mem_limit = (size_t)8 << 20, .instr_budget = 1000000, .time_limit_ms = 5000};

	f->vm = vm_new("pattern", &lim, NULL);
	assert_non_null(f->vm);
	f->ref = luaL_newstate();
	luaL_openlibs(f->ref);
	buf_init(&f->a, 0);
	buf_init(&f->b, 0);
	buf_init(&f->err, 0);
	lua_State *L = vm_state(f->vm);
	assert_int_equal(luaL_loadbufferx(L, probe_code, strlen(probe_code), "=probe", "t"),
			 LUA_OK);
	assert_int_equal(vm_pcall(f->vm, 0, 0, 0, 0, &f->err), 0);
	assert_int_equal(luaL_loadbufferx(f->ref, probe_code, strlen(probe_code), "=probe", "t"),
			 LUA_OK);
	assert_int_equal(lua_pcall(f->ref, 0, 0, 0), LUA_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vm_free(f->vm);
	lua_close(f->ref);
	buf_fini(&f->a);
	buf_fini(&f->b);
	buf_fini(&f->err);
	test_free(f);
	return 0;
}

static void push_args(lua_State *L, const char *s, size_t ls, const char *p, size_t lp, long init,
		      const char *repl)
{
	lua_getglobal(L, "probe");
	lua_pushlstring(L, s, ls);
	lua_pushlstring(L, p, lp);
	lua_pushinteger(L, init);
	lua_pushstring(L, repl);
}

/* Runs the probe in both states; fails with both outputs if they differ. */
static void compare(struct fixture *f, const char *s, size_t ls, const char *p, size_t lp,
		    long init, const char *repl)
{
	lua_State *L = vm_state(f->vm);

	buf_clear(&f->a);
	buf_clear(&f->b);
	buf_clear(&f->err);
	push_args(L, s, ls, p, lp, init, repl);
	if (vm_pcall(f->vm, 4, 1, 0, 0, &f->err) != 0)
		fail_msg("probe failed in the sandbox: %s", buf_cstr(&f->err));
	buf_puts(&f->a, lua_tostring(L, -1));
	lua_pop(L, 1);
	push_args(f->ref, s, ls, p, lp, init, repl);
	assert_int_equal(lua_pcall(f->ref, 4, 1, 0), LUA_OK);
	buf_puts(&f->b, lua_tostring(f->ref, -1));
	lua_pop(f->ref, 1);
	if (strcmp(buf_cstr(&f->a), buf_cstr(&f->b)) != 0)
		fail_msg("s=\"%.*s\" p=\"%.*s\" init=%ld repl=\"%s\"\nours:\n%s\nlua:\n%s", (int)ls,
			 s, (int)lp, p, init, repl, buf_cstr(&f->a), buf_cstr(&f->b));
}

static void compare_str(struct fixture *f, const char *s, const char *p, long init,
			const char *repl)
{
	compare(f, s, strlen(s), p, strlen(p), init, repl);
}

static void test_known_cases(void **state)
{
	struct fixture *f = *state;
	static const char *const subjects[] = {
		"",
		"hello world",
		"  key = value  ",
		"THE (quick) fox [jumps] over",
		"aaa",
		"abcabcabc",
		"f(a(b)c)d",
		"THE (quick) fox",
		"x = 1, y = 22, z = 333",
		"the the cat cat",
		"a.b-c+d*e?f",
		"\t\n line\r\n",
		"caf\xc3\xa9 na\xc3\xafve",
		"%%%",
	};
	static const char *const patterns[] = {
		"",
		"o",
		"o w",
		"l+",
		"l*",
		"l-",
		"l?",
		"^h",
		"d$",
		"^$",
		"%a+",
		"%A+",
		"%d+",
		"%s*(%w+)%s*=%s*(%w+)",
		"(%w+)=(%w+)",
		"()ll()",
		"%b()",
		"%b[]",
		"%f[%w]%w+",
		"%f[%W]",
		"(a)(b)(c)",
		"(.)%1",
		"(%w+) %1",
		"[%a_][%w_]*",
		"[^%s]+",
		"[a-c]+",
		"[]]",
		"[^]]",
		"[a-]",
		"%.",
		"[%.%-]",
		".-b",
		"a.-c",
		"(h)(e)(l)",
		"^(%s*)(.-)(%s*)$",
		"[",
		"[a",
		"%",
		"(",
		")",
		"%1",
		"(()",
		"%b",
		"%bx",
		"%f",
		"%fx",
		"%g+",
		"%p+",
		"%c",
		"%x+",
		"%u%l",
		"$^",
		"a$b",
		"%z",
		"[%z]",
		"[\xc3-\xc3][\x80-\xbf]",
		"(a*(.)%w(%s*))",
	};
	static const char *const repls[] = {"X", "%1", "%0%0", "%%", "<%2>", "%", "%a", ""};
	static const long inits[] = {1, 0, -3, 4, 30, -100};

	for (size_t i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++)
		for (size_t j = 0; j < sizeof(patterns) / sizeof(patterns[0]); j++)
			for (size_t k = 0; k < sizeof(repls) / sizeof(repls[0]); k++)
				compare_str(f, subjects[i], patterns[j],
					    inits[(i + j + k) % (sizeof(inits) / sizeof(inits[0]))],
					    repls[k]);
	/* Embedded zeros in subjects and patterns. */
	compare(f, "a\0b\0c", 5, "\0", 1, 1, "Z");
	compare(f, "a\0b\0c", 5, "%z", 2, 1, "Z");
	compare(f, "a\0b\0c", 5, "[\0b]+", 5, 1, "%0");
	compare(f, "a\0b\0c", 5, "b\0", 2, 1, "Z");
}

static uint32_t rng_next(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

static void random_string(uint32_t *seed, const char *alphabet, size_t max, struct buf *out)
{
	size_t n = rng_next(seed) % (max + 1), na = strlen(alphabet);

	buf_clear(out);
	for (size_t i = 0; i < n; i++)
		buf_putc(out, alphabet[rng_next(seed) % na]);
}

static void test_random_patterns(void **state)
{
	struct fixture *f = *state;
	uint32_t seed = 20261126;
	struct buf s, p, r;
	static const long inits[] = {1, 1, 1, 2, -2, 0, 9};

	buf_init(&s, 0);
	buf_init(&p, 0);
	buf_init(&r, 0);
	for (int i = 0; i < 8000; i++) {
		random_string(&seed, "aab(). -x[]^$%", 12, &s);
		random_string(&seed, "aab().%-*+?[]^$1bfsx", 8, &p);
		random_string(&seed, "a%1%0%%2x", 4, &r);
		compare(f, s.data ? s.data : "", s.len, p.data ? p.data : "", p.len,
			inits[rng_next(&seed) % 7], buf_cstr(&r));
	}
	buf_fini(&s);
	buf_fini(&p);
	buf_fini(&r);
}

/* Runs code in the sandbox; returns the vm_pcall result and the error in f->err. */
static int run(struct fixture *f, const char *code)
{
	lua_State *L = vm_state(f->vm);

	buf_clear(&f->err);
	assert_int_equal(luaL_loadbufferx(L, code, strlen(code), "@pat.lua", "t"), LUA_OK);
	return vm_pcall(f->vm, 0, 0, 0, 0, &f->err);
}

static void assert_budget_stop(struct fixture *f, const char *code)
{
	int64_t t0 = clock_mono_ms();
	int rc = run(f, code);

	if (rc != VM_ERR_STOPPED)
		fail_msg("rc %d for %s: %s", rc, code, buf_cstr(&f->err));
	if (!strstr(buf_cstr(&f->err), "pat.lua:1: instruction budget exceeded"))
		fail_msg("unexpected error: %s", buf_cstr(&f->err));
	assert_true(clock_mono_ms() - t0 < 5000);
}

static void test_pathological_patterns(void **state)
{
	struct fixture *f = *state;

	/* Exponential backtracking: hours in stock Lua. */
	assert_budget_stop(f, "string.find(string.rep('a', 40), string.rep('a?', 40) .. "
			      "string.rep('a', 40))");
	assert_budget_stop(f, "string.match(string.rep('a', 5000), '.-.-.-.-.-.-.-b')");
	assert_budget_stop(f, "string.gsub(string.rep('a', 5000), '.-.-.-.-.-b', 'x')");
	assert_budget_stop(f, "for w in string.gmatch(string.rep('a', 5000), '.*.*.*.*b') do end");
	/* Quadratic per call, looped: charged per step, not per call. */
	assert_budget_stop(f, "local s = string.rep('(', 20000) while true do s:find('%b()') end");
	/* Plain find of a near-miss needle: charged per comparison. */
	assert_budget_stop(f,
			   "local s = string.rep('a', 100000) local n = string.rep('a', 5000) .. "
			   "'b' while true do s:find(n, 1, true) end");
	/* A replacement function that loops is an ordinary loop. */
	assert_budget_stop(f, "string.gsub('abc', '%w', function() while true do end end)");
	/* Still usable, and an ordinary match works. */
	assert_int_equal(run(f, "assert(('key = value'):match('(%w+)%s*=%s*(%w+)') == 'key')"), 0);
	/* Deep recursion in the matcher is an error, not a crash. */
	assert_int_equal(run(f, "string.match(string.rep('a', 300), string.rep('a?', 250))"),
			 VM_ERR_RUN);
	if (!strstr(buf_cstr(&f->err), "pattern too complex"))
		fail_msg("unexpected error: %s", buf_cstr(&f->err));
	assert_int_equal(run(f, "string.match('a', string.rep('()', 33))"), VM_ERR_RUN);
	if (!strstr(buf_cstr(&f->err), "too many captures"))
		fail_msg("unexpected error: %s", buf_cstr(&f->err));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_known_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_patterns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pathological_patterns, setup, teardown),
	};
	alarm(300);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
