/*
 * test_sandbox.c: the area sandbox (vm.c, sandbox.c, tablib.c) against
 * hostile scripts. Each attack must end in an error with the right message
 * and a state that still runs the next entry.
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

struct fixture {
	struct vm *vm;
	struct buf out; /* result of the last run, as a string */
	struct buf err; /* error of the last run */
};

static const struct vm_limits test_limits = {
	.mem_limit = (size_t)4 << 20,
	.instr_budget = 200000,
	.time_limit_ms = 2000,
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	f->vm = vm_new("test", &test_limits, NULL);
	assert_non_null(f->vm);
	buf_init(&f->out, 0);
	buf_init(&f->err, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vm_free(f->vm);
	buf_fini(&f->out);
	buf_fini(&f->err);
	test_free(f);
	return 0;
}

/* Runs code as chunk "@test.lua"; the first result goes to f->out via tostring. */
static int run(struct fixture *f, const char *code)
{
	lua_State *L = vm_state(f->vm);

	buf_clear(&f->out);
	buf_clear(&f->err);
	if (luaL_loadbufferx(L, code, strlen(code), "@test.lua", "t") != LUA_OK) {
		buf_puts(&f->err, lua_tostring(L, -1));
		lua_pop(L, 1);
		return VM_ERR_RUN;
	}
	int rc = vm_pcall(f->vm, 0, 1, 0, 0, &f->err);
	if (rc == 0) {
		if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER)
			buf_puts(&f->out, lua_tostring(L, -1));
		else
			buf_puts(&f->out, luaL_typename(L, -1));
		lua_pop(L, 1);
	}
	assert_int_equal(lua_gettop(L), 0);
	return rc;
}

/* Like run() under an entry budget of budget instructions; no result kept. */
static int run_budget(struct fixture *f, const char *code, long budget)
{
	lua_State *L = vm_state(f->vm);

	buf_clear(&f->err);
	assert_int_equal(luaL_loadbufferx(L, code, strlen(code), "@test.lua", "t"), LUA_OK);
	int rc = vm_pcall(f->vm, 0, 0, budget, 0, &f->err);
	assert_int_equal(lua_gettop(L), 0);
	return rc;
}

/* Runs code in a fresh state with a huge budget and a 100 ms time limit: rc, error in err. */
static int run_timed(const char *code, struct buf *err)
{
	struct vm_limits lim = {
		.mem_limit = (size_t)16 << 20, .instr_budget = 1000000000L, .time_limit_ms = 100};
	struct vm *vm = vm_new("slow", &lim, NULL);
	lua_State *L = vm_state(vm);

	assert_int_equal(luaL_loadbufferx(L, code, strlen(code), "@slow.lua", "t"), LUA_OK);
	int rc = vm_pcall(vm, 0, 0, 0, 0, err);
	vm_free(vm);
	return rc;
}

/* The state still works after whatever happened before. */
static void assert_usable(struct fixture *f)
{
	assert_int_equal(run(f, "local t = {} for i = 1, 100 do t[i] = i end return #t"), 0);
	assert_string_equal(buf_cstr(&f->out), "100");
}

static void assert_err_has(struct fixture *f, const char *needle)
{
	if (!strstr(buf_cstr(&f->err), needle))
		fail_msg("error \"%s\" lacks \"%s\"", buf_cstr(&f->err), needle);
}

/* code must be stopped, quickly, with needle (if any) in the error. */
static void assert_stopped_with(struct fixture *f, const char *code, const char *needle)
{
	int64_t t0 = clock_mono_ms();
	int rc = run(f, code);
	if (rc != VM_ERR_STOPPED)
		fail_msg("rc %d for %s: %s", rc, code, buf_cstr(&f->err));
	assert_true(clock_mono_ms() - t0 < 5000);
	if (needle)
		assert_err_has(f, needle);
	assert_usable(f);
}

static void assert_stopped(struct fixture *f, const char *code)
{
	assert_stopped_with(f, code, "instruction budget exceeded");
}

/* ---- the libraries ---------------------------------------------------------- */

static void test_basic_and_libraries(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "return 1 + 1"), 0);
	assert_string_equal(buf_cstr(&f->out), "2");
	assert_int_equal(run(f, "return string.format('%d-%s', 3, 'x') .. ('ab'):upper()"), 0);
	assert_string_equal(buf_cstr(&f->out), "3-xAB");
	assert_int_equal(run(f, "return table.concat({1, 2, 3}, ',') .. math.floor(2.5) .. "
				"utf8.char(72) .. type(os.time()) .. type(os.clock()) .. "
				"type(os.date('%Y'))"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "1,2,32Hnumbernumberstring");
	assert_int_equal(run(f, "local co = coroutine.wrap(function(a) local b = "
				"coroutine.yield(a + 1) return b * 2 end) return co(1) + co(10)"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "22");
	assert_int_equal(run(f, "local t = {5, 3, 9, 1, 7, 3} table.sort(t) "
				"table.insert(t, 1, 0) table.insert(t, 10) "
				"local r = table.remove(t, 2) "
				"table.move(t, 1, 3, 2) return table.concat(t, ' ') .. ' r' .. r"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "0 0 3 3 7 9 10 r1");
	assert_int_equal(run(f, "local t = {'b', 'c', 'a'} table.sort(t, function(a, b) return "
				"a > b end) return table.concat(t)"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "cba");
	assert_int_equal(run(f, "return type(collectgarbage('count'))"), 0);
	assert_string_equal(buf_cstr(&f->out), "number");
}

static void test_forbidden_things(void **state)
{
	struct fixture *f = *state;
	static const char *const absent[] = {"io",     "debug",	   "package", "require",
					     "dofile", "loadfile", "print",   "warn"};

	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		char code[64];
		snprintf(code, sizeof(code), "return %s", absent[i]);
		assert_int_equal(run(f, code), VM_ERR_RUN);
		assert_err_has(f, "undefined global");
		assert_err_has(f, absent[i]);
	}
	assert_int_equal(run(f, "return tostring(string.dump) .. tostring(os.execute) .. "
				"tostring(os.getenv) .. tostring(os.exit) .. tostring(os.remove)"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "nilnilnilnilnil");
	assert_int_equal(run(f, "collectgarbage('collect')"), VM_ERR_RUN);
	assert_err_has(f, "only \"count\"");
	assert_int_equal(run(f, "collectgarbage('stop')"), VM_ERR_RUN);
	/* The strings' metatable is hidden. */
	assert_int_equal(run(f, "return tostring(getmetatable(''))"), 0);
	assert_string_equal(buf_cstr(&f->out), "false");
	assert_usable(f);
}

static void test_binary_chunks_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "local fn, msg = load('\\27LuaT\\0\\25\\147\\r\\n\\26\\n') "
				"return tostring(fn) .. ' ' .. msg"),
			 0);
	assert_non_null(strstr(buf_cstr(&f->out), "nil"));
	assert_non_null(strstr(buf_cstr(&f->out), "binary chunk"));
	/* Asking for mode "b" still gets text only, and text still loads. */
	assert_int_equal(run(f, "return load('return 40 + 2', 'x', 'b')()"), 0);
	assert_string_equal(buf_cstr(&f->out), "42");
	assert_int_equal(run(f, "local fn, msg = load('\\27Lua', 'x', 'b') return msg"), 0);
	assert_non_null(strstr(buf_cstr(&f->out), "binary chunk"));
	/* A loaded chunk gets the strict globals too, or the env it is given. */
	assert_int_equal(run(f, "return load('return nosuchthing')()"), VM_ERR_RUN);
	assert_err_has(f, "undefined global 'nosuchthing'");
	assert_int_equal(run(f, "return load('return x', 'c', 't', {x = 7})()"), 0);
	assert_string_equal(buf_cstr(&f->out), "7");
}

static void test_strict_globals(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "return strng.format('x')"), VM_ERR_RUN);
	assert_err_has(f, "test.lua:1: undefined global 'strng' (did you mean 'string'?)");
	assert_int_equal(run(f, "counter = 5\nreturn counter + 1"), 0);
	assert_string_equal(buf_cstr(&f->out), "6");
	/* Declared at the top level of an earlier chunk: still there. */
	assert_int_equal(run(f, "return countr"), VM_ERR_RUN);
	assert_err_has(f, "did you mean 'counter'?");
	assert_int_equal(run(f, "local function f()\n  fresh = 1\nend\nf()"), VM_ERR_RUN);
	assert_err_has(f, "test.lua:2: assignment to undeclared global 'fresh'");
	/* An existing global may be assigned from anywhere. */
	assert_int_equal(run(f, "local function f() counter = counter + 1 end f() return counter"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "6");
	assert_int_equal(run(f, "string = nil"), VM_ERR_RUN);
	assert_err_has(f, "'string' is built in");
	assert_int_equal(run(f, "return tostring(getmetatable(_G))"), 0);
	assert_string_equal(buf_cstr(&f->out), "false");
	assert_int_equal(run(f, "setmetatable(_G, nil)"), VM_ERR_RUN);
	assert_err_has(f, "protected metatable");
}

/* ---- runaway code ----------------------------------------------------------- */

static void test_infinite_loops(void **state)
{
	struct fixture *f = *state;

	assert_stopped_with(f, "while true do end",
			    "test.lua:1: instruction budget exceeded (200000 instructions)");
	assert_stopped(f, "local function f() return f() end return f()");
	assert_stopped_with(f, "local i = 0\nrepeat i = i + 1 until false", "test.lua:2:");
	/* The traceback is there. */
	assert_stopped_with(f, "local function spin()\n while true do end\nend\nspin()",
			    "stack traceback:");
	assert_stopped_with(f, "local function spin()\n while true do end\nend\nspin()",
			    "in local 'spin'");
}

static void test_loops_in_pcall(void **state)
{
	struct fixture *f = *state;

	assert_stopped(f, "while true do pcall(function() while true do end end) end");
	assert_stopped(f, "local function spin() while true do end end\n"
			  "for i = 1, 1e9 do pcall(spin) pcall(spin) end");
	assert_stopped(f, "pcall(pcall, pcall, function() while true do end end) while true do "
			  "end");
	/* Catching the stop error and looping on does not help. */
	assert_stopped(f, "while true do local ok, e = pcall(function() while true do end end) "
			  "local x = 0 for i = 1, 1000 do x = x + i end end");
}

static void test_loops_in_xpcall_handlers(void **state)
{
	struct fixture *f = *state;

	assert_stopped(f, "xpcall(function() while true do end end, function() while true do end "
			  "end)");
	assert_stopped(f, "xpcall(function() error('x') end, function() while true do end end)");
	assert_stopped(f, "while true do xpcall(function() while true do end end, function(m) "
			  "while true do end end) end");
	/* A handler that works is still called for ordinary errors. */
	assert_int_equal(run(f, "local ok, m = xpcall(function() error('boom', 0) end, "
				"function(m) return 'handled ' .. m end) return m"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "handled boom");
	assert_int_equal(run(f, "return select('#', xpcall(function(a, b) return a, b, 3 end, "
				"error, 1, 2))"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "4");
}

static void test_loops_in_coroutines(void **state)
{
	struct fixture *f = *state;

	assert_stopped(f, "coroutine.wrap(function() while true do end end)()");
	assert_stopped(f, "local co = coroutine.create(function() while true do pcall(function() "
			  "while true do end end) end end) coroutine.resume(co) while true do end");
	assert_stopped(f, "while true do coroutine.resume(coroutine.create(function() while true "
			  "do end end)) end");
	assert_stopped(f, "local function nest(n) if n == 0 then while true do end end "
			  "return coroutine.wrap(nest)(n - 1) end nest(50)");
	/* A coroutine left over from a stopped entry runs normally in the next one. */
	assert_stopped(f, "gen = coroutine.create(function() for i = 1, 3 do coroutine.yield(i) "
			  "end end) coroutine.resume(gen) coroutine.resume(coroutine.create("
			  "function() while true do end end)) while true do end");
	assert_int_equal(run(f, "local ok, v = coroutine.resume(gen) return v"), 0);
	assert_string_equal(buf_cstr(&f->out), "2");
	/* Yielding across the sandbox's xpcall works. */
	assert_int_equal(run(f,
			     "local co = coroutine.wrap(function() local ok, v = "
			     "xpcall(function() return coroutine.yield(1) + 1 end, error) return v "
			     "end) co() return co(41)"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "42");
}

/*
 * A thread's instructions reach the hook only in counts of 128, so a
 * coroutine that runs fewer was never seen: a tree of them ran for ever.
 * Every switch into a coroutine is charged instead.
 */
static void test_short_coroutines_charged(void **state)
{
	struct fixture *f = *state;

	/* 111,110 coroutines of ~60 instructions: millions, none counted before. */
	assert_stopped(f, "local function t(d) if d == 0 then return end for i = 1, 10 do "
			  "coroutine.wrap(t)(d - 1) end end t(5)");
	assert_stopped(f, "local function t(d) if d == 0 then return end for i = 1, 10 do "
			  "coroutine.resume(coroutine.create(t), d - 1) end end t(5)");
	/* Caught errors do not help: the entry stays stopped. */
	assert_stopped(f, "local function t(d) if d == 0 then return end for i = 1, 10 do "
			  "pcall(coroutine.wrap(t), d - 1) end end t(6)");
	/* The budget of the running entry pays: 128 per switch (and close). */
	assert_int_equal(run_budget(f,
				    "local co = coroutine.wrap(function() while true do "
				    "coroutine.yield() end end) for i = 1, 5 do co() end",
				    1000),
			 0);
	assert_int_equal(run_budget(f,
				    "local co = coroutine.wrap(function() while true do "
				    "coroutine.yield() end end) for i = 1, 20 do co() end",
				    1000),
			 VM_ERR_STOPPED);
	assert_err_has(f, "test.lua:1: instruction budget exceeded (1000 instructions)");
	assert_int_equal(run_budget(f,
				    "local co = coroutine.create(function() end) "
				    "coroutine.resume(co) for i = 1, 20 do coroutine.close(co) end",
				    1000),
			 VM_ERR_STOPPED);
	assert_err_has(f, "instruction budget exceeded (1000 instructions)");
	assert_usable(f);

	/* Ordinary coroutines behave as before. */
	assert_int_equal(run(f, "local gen = coroutine.wrap(function() for i = 1, 500 do "
				"coroutine.yield(i) end end) local s = 0 for i = 1, 500 do "
				"s = s + gen() end return s"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "125250");
	assert_int_equal(
		run(f, "local co = coroutine.create(function(a, b) local c = "
		       "coroutine.yield(a + b) return c * 2 end) local _, x = "
		       "coroutine.resume(co, 1, 2) local _, y = coroutine.resume(co, 10) "
		       "local ok, e = coroutine.resume(co) return x .. y .. tostring(ok) .. e .. "
		       "coroutine.status(co)"),
		0);
	assert_string_equal(buf_cstr(&f->out), "320falsecannot resume dead coroutinedead");
	assert_int_equal(run(f, "local ok, e = pcall(coroutine.wrap(function() error('boom') "
				"end)) return e"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "test.lua:1: boom");
	assert_int_equal(
		run(f, "local log = '' local co = coroutine.create(function() local x "
		       "<close> = setmetatable({}, {__close = function() log = log .. 'c' end}) "
		       "coroutine.yield() end) coroutine.resume(co) local ok = "
		       "coroutine.close(co) return log .. tostring(ok) .. coroutine.status(co)"),
		0);
	assert_string_equal(buf_cstr(&f->out), "ctruedead");
	assert_int_equal(run(f, "local ok, e = coroutine.resume(coroutine.running()) return "
				"tostring(ok) .. e"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "falsecannot resume non-suspended coroutine");
	assert_int_equal(run(f, "coroutine.resume(42)"), VM_ERR_RUN);
	assert_err_has(f, "bad argument #1 to 'resume' (coroutine expected");
	assert_int_equal(run(f, "coroutine.close(coroutine.running())"), VM_ERR_RUN);
	assert_err_has(f, "cannot close a running coroutine");
}

/* The time limit is checked at every switch too. */
static void test_short_coroutines_timed(void **state)
{
	struct buf err;

	(void)state;
	buf_init(&err, 0);
	int64_t t0 = clock_mono_ms();
	int rc = run_timed("local function t(d) if d == 0 then return end for i = 1, 10 do "
			   "coroutine.wrap(t)(d - 1) end end t(7)",
			   &err);
	if (rc != VM_ERR_STOPPED)
		fail_msg("rc %d after %lld ms: %s", rc, (long long)(clock_mono_ms() - t0),
			 buf_cstr(&err));
	assert_non_null(strstr(buf_cstr(&err), "time limit exceeded (100 ms)"));
	buf_fini(&err);
}

static void test_gc_metamethods_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "setmetatable({}, {__gc = function() while true do end end})"),
			 VM_ERR_RUN);
	assert_err_has(f, "__gc metamethods are not allowed");
	assert_int_equal(run(f, "setmetatable({}, {__gc = false})"), VM_ERR_RUN);
	/* A __gc added after setmetatable is never called: the object was not marked. */
	assert_int_equal(run(f,
			     "local mt = {} keep = setmetatable({}, mt) "
			     "mt.__gc = function() while true do end end keep = nil "
			     "local junk = {} for i = 1, 20000 do junk[i] = {i} end return 'ok'"),
			 0);
	assert_usable(f);
}

static void test_close_metamethods(void **state)
{
	struct fixture *f = *state;

	assert_stopped(f, "do local x <close> = setmetatable({}, {__close = function() while true "
			  "do end end}) end");
	assert_stopped(f, "local x <close> = setmetatable({}, {__close = function() while true do "
			  "end end}) error('boom')");
	assert_stopped(f, "local x <close> = setmetatable({}, {__close = function() while true do "
			  "end end}) while true do end");
	assert_stopped(f, "while true do pcall(function() local x <close> = setmetatable({}, "
			  "{__close = function() while true do end end}) end) end");
}

static void test_metamethods_called_from_c(void **state)
{
	struct fixture *f = *state;
	const char *spin = "setmetatable({}, {__tostring = function() while true do end end})";
	char code[256];

	snprintf(code, sizeof(code), "return tostring(%s)", spin);
	assert_stopped(f, code);
	snprintf(code, sizeof(code), "return string.format('%%s', %s)", spin);
	assert_stopped(f, code);
	/* An error object whose __tostring loops: the message handler survives it. */
	snprintf(code, sizeof(code), "error(%s)", spin);
	assert_stopped(f, code);
	assert_stopped(f, "local t = setmetatable({}, {__index = function(t, k) while true do end "
			  "end}) return t.x");
	assert_stopped(f, "local a = setmetatable({}, {__lt = function() while true do end end}) "
			  "local t = {a, a, a} table.sort(t)");
}

static void test_table_functions_metered(void **state)
{
	struct fixture *f = *state;

	assert_stopped(f, "local t = {3, 2, 1} table.sort(t, function(a, b) while true do end "
			  "end)");
	assert_stopped(f, "table.move({}, 1, 1e15, 2)");
	assert_stopped(f, "table.move({}, -1e15, 1e15, 1, {})");
	assert_stopped(f, "table.insert(setmetatable({}, {__len = function() return 1e15 end}), 1, "
			  "0)");
	assert_stopped(f,
		       "table.remove(setmetatable({}, {__len = function() return 1e15 end}), 1)");
	/* A comparator that is not an order still terminates. */
	assert_int_equal(run(f, "local t = {} for i = 1, 200 do t[i] = i % 7 end "
				"table.sort(t, function() return true end) return #t"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "200");
	/* Sorting many numbers is charged: a loop of big sorts stops. */
	assert_stopped(f, "local t = {} for i = 1, 20000 do t[i] = (i * 7919) % 20011 end "
			  "while true do table.sort(t) end");
	assert_int_equal(run(f, "table.insert({}, 5, 1)"), VM_ERR_RUN);
	assert_err_has(f, "position out of bounds");
}

/*
 * table.concat and table.unpack loop over a range in one instruction, and
 * each element read may follow an __index chain 2000 tables long without
 * allocating: they are charged per element.
 */
static void test_concat_and_unpack_metered(void **state)
{
	struct fixture *f = *state;

	/* 300,000 elements read in ~1,500 instructions and no allocation. */
	assert_stopped(f, "local F = {} for i = 1, 1000 do F[i] = '' end "
			  "for i = 1, 300 do table.concat(F) end");
	assert_stopped(f, "local F = {} for i = 1, 1000 do F[i] = '' end "
			  "for i = 1, 300 do table.unpack(F) end");
	assert_stopped(f, "table.unpack(setmetatable({}, {__index = {}}), 1, 250000)");
	assert_stopped(f, "table.concat(setmetatable({}, {__index = function() while true do "
			  "end end}), '', 1, 2)");

	/* Lua 5.4's behaviour otherwise. */
	assert_int_equal(run(f,
			     "return table.concat({1, 'b', 2.5}, ', ') .. '|' .. "
			     "table.concat({'a', 'b', 'c', 'd'}, '-', 2, 3) .. '|' .. "
			     "table.concat({'a'}, '-', 3, 2) .. '|' .. table.concat({}) .. '|' .. "
			     "table.concat({'x', 'y'}, '', 2)"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "1, b, 2.5|b-c|||y");
	assert_int_equal(run(f,
			     "local p = setmetatable({}, {__index = {'a', 'b', 'c'}, "
			     "__len = function() return 3 end}) return table.concat(p, ',') .. "
			     "select('#', table.unpack(p)) .. table.concat({table.unpack(p, 2)})"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "a,b,c3bc");
	assert_int_equal(run(f, "table.concat({1, {}, 3})"), VM_ERR_RUN);
	assert_err_has(f, "invalid value (at index 2) in table for 'concat'");
	assert_int_equal(run(f, "table.concat(42)"), VM_ERR_RUN);
	assert_err_has(f, "bad argument #1 to 'concat' (table expected, got number)");
	assert_int_equal(run(f, "local a, b, c = table.unpack({1, 2, 3}) "
				"local n = select('#', table.unpack({1, 2, 3}, -1, 1)) "
				"return a .. b .. c .. n .. select('#', table.unpack({}, 5, 4))"),
			 0);
	assert_string_equal(buf_cstr(&f->out), "12330");
	assert_int_equal(run(f, "table.unpack({}, 1, 1e8)"), VM_ERR_RUN);
	assert_err_has(f, "too many results to unpack");
	assert_int_equal(run(f, "table.unpack({}, math.mininteger, math.maxinteger)"), VM_ERR_RUN);
	assert_err_has(f, "too many results to unpack");
	assert_usable(f);
}

/* One element read through a long __index chain: the clock is checked as they go. */
static void test_concat_through_index_chains_timed(void **state)
{
	struct buf err;

	(void)state;
	buf_init(&err, 0);
	int64_t t0 = clock_mono_ms();
	int rc = run_timed("local F = {} for i = 1, 100000 do F[i] = '' end local P = F "
			   "for i = 1, 1990 do P = setmetatable({}, {__index = P}) end "
			   "table.concat(P, '', 1, 100000)",
			   &err);
	if (rc != VM_ERR_STOPPED)
		fail_msg("rc %d after %lld ms: %s", rc, (long long)(clock_mono_ms() - t0),
			 buf_cstr(&err));
	assert_non_null(strstr(buf_cstr(&err), "time limit exceeded (100 ms)"));
	buf_fini(&err);
}

static void test_memory_bombs(void **state)
{
	struct fixture *f = *state;
	static const char *const bombs[] = {
		"local s = 'x' while true do s = s .. s end",
		"return string.rep('x', 1e9)",
		"return string.rep('abc', 1e7, ',')",
		"local t = {} for i = 1, 1e8 do t[i] = i end",
		"local t = {} while true do t = {t, t} end",
		"local t = {} for i = 1, 1e7 do t[#t + 1] = tostring(i) .. 'padding' end",
		"return table.concat(setmetatable({}, {__index = function() return ('y'):rep(1e5) "
		"end}), '', 1, 1e6)",
		"local parts = {} for i = 1, 1e6 do parts[i] = string.rep('z', 100) end return "
		"table.concat(parts)",
	};

	for (size_t i = 0; i < sizeof(bombs) / sizeof(bombs[0]); i++) {
		int rc = run(f, bombs[i]);
		if (rc != VM_ERR_MEM && rc != VM_ERR_STOPPED)
			fail_msg("bomb %zu: rc %d: %s", i, rc, buf_cstr(&f->err));
		if (rc == VM_ERR_MEM)
			assert_err_has(f, "not enough memory");
		struct vm_stats st;
		vm_get_stats(f->vm, &st);
		assert_true(st.mem_peak <= test_limits.mem_limit);
		assert_usable(f);
	}
	/* Memory held by a stopped script is returned once it is garbage. */
	assert_int_equal(run(f, "return tostring(collectgarbage('count') < 1024)"), 0);
	assert_string_equal(buf_cstr(&f->out), "true");
}

static void test_stack_overflows(void **state)
{
	struct fixture *f = *state;

	/* Lua-to-Lua recursion: the stack limit or the memory cap, whichever comes first. */
	int rc = run(f, "local function f() return 1 + f() end return f()");
	assert_true(rc == VM_ERR_RUN || rc == VM_ERR_MEM);
	assert_err_has(f, rc == VM_ERR_RUN ? "stack overflow" : "not enough memory");
	assert_usable(f);
	rc = run(f, "local t = setmetatable({}, {}) getmetatable(t).__index = "
		    "function(t, k) return t[k] end return t.x");
	if (rc != VM_ERR_RUN)
		fail_msg("rc %d: %s", rc, buf_cstr(&f->err));
	assert_err_has(f, "stack overflow");
	assert_usable(f);
	assert_int_equal(run(f, "local s = string.rep('(', 1e5) return load('return ' .. s)"), 0);
	assert_usable(f);
}

static void test_time_limit_backstop(void **state)
{
	struct fixture *f = *state;
	struct vm_limits lim = {
		.mem_limit = (size_t)16 << 20, .instr_budget = 1000000000L, .time_limit_ms = 100};
	struct vm *vm = vm_new("slow", &lim, NULL);
	lua_State *L = vm_state(vm);
	/* Each comparison of two distinct 2 MB strings is one instruction. */
	const char *code = "local a = string.rep('a', 2e6) local b = string.rep('a', 2e6 - 1) .. "
			   "'a' local n = 0 while a == b do n = n + 1 end";

	(void)f;
	assert_int_equal(luaL_loadbufferx(L, code, strlen(code), "@slow.lua", "t"), LUA_OK);
	struct buf err;
	buf_init(&err, 0);
	int64_t t0 = clock_mono_ms();
	assert_int_equal(vm_pcall(vm, 0, 0, 0, 0, &err), VM_ERR_STOPPED);
	assert_true(clock_mono_ms() - t0 < 3000);
	assert_non_null(strstr(buf_cstr(&err), "time limit exceeded (100 ms)"));
	buf_fini(&err);
	struct vm_stats st;
	vm_get_stats(vm, &st);
	assert_int_equal(st.entries, 1);
	assert_int_equal(st.stopped, 1);
	vm_free(vm);
}

static void test_allocation_is_charged(void **state)
{
	struct fixture *f = *state;

	/* Few instructions, lots of copying: the allocations pay for it. */
	assert_stopped(f, "while true do local s = string.rep('q', 1e6) end");
}

/* Expressions whose results must match Lua's own string library. */
static const char *const same_as_lua[] = {
	"string.rep('ab', 3, ',')",
	"string.rep('ab', 1, ',')",
	"string.rep('x', 0)",
	"string.rep('x', -5, '-')",
	"string.rep('', 5)",
	"string.rep('', 3, '-')",
	"string.rep('abc', 5)",
	"string.rep('a', 4, '<>')",
	"#string.rep('xy', 1000, 'z')",
	"string.rep('ab', 7):sub(-5)",
	"('AbC!'):lower()",
	"('AbC\\0d'):upper()",
	"('abc'):reverse()",
	"(''):reverse()",
	"('\\200\\1x'):reverse()",
	"table.concat({('ABC'):byte(1, -1)}, ',')",
	"('abc'):byte()",
	"select('#', ('abc'):byte(10))",
	"('abc'):byte(-1)",
	"select('#', ('abc'):byte(0))",
	"table.concat({('abc'):byte(-10, 2)}, ',')",
	"('abc'):byte(2, 99)",
	"select('#', ('abc'):byte(3, 2))",
	"table.concat({('hello'):byte(-3, -2)}, ',')",
};

/* The sandbox's rep/upper/lower/reverse/byte answer what Lua's do, and pay by length. */
static void test_string_functions(void **state)
{
	struct fixture *f = *state;
	lua_State *ref = luaL_newstate();
	char code[256];

	luaL_openlibs(ref);
	for (size_t i = 0; i < sizeof(same_as_lua) / sizeof(same_as_lua[0]); i++) {
		snprintf(code, sizeof(code), "return tostring(%s)", same_as_lua[i]);
		if (luaL_dostring(ref, code) != LUA_OK)
			fail_msg("%s: %s", same_as_lua[i], lua_tostring(ref, -1));
		const char *want = lua_tostring(ref, -1);
		if (run(f, code) != 0)
			fail_msg("%s: %s", same_as_lua[i], buf_cstr(&f->err));
		if (strcmp(buf_cstr(&f->out), want) != 0)
			fail_msg("%s: \"%s\", Lua says \"%s\"", same_as_lua[i], buf_cstr(&f->out),
				 want);
		lua_pop(ref, 1);
	}
	lua_close(ref);
	assert_int_equal(run(f, "string.rep('x', 2, 3, 4) return string.rep(1, 2)"), 0);
	assert_string_equal(buf_cstr(&f->out), "11");
	assert_int_equal(run(f, "return string.rep('x', 1e300)"), VM_ERR_RUN);
	assert_int_equal(run(f, "return string.rep('xx', math.maxinteger)"), VM_ERR_RUN);
	assert_err_has(f, "resulting string too large");

	/*
	 * A result the budget (200,000) cannot pay for is refused before it is
	 * made: Lua's rep would have run out of memory (the cap is 4 MiB) instead.
	 */
	assert_stopped(f, "return string.rep('x', 2e7)");
	struct vm_stats st;
	vm_get_stats(f->vm, &st);
	assert_true(st.mem_peak < (size_t)2 << 20);
	/* A byte loop costs one instruction per 8 bytes: two passes over 1 MB is 250,000. */
	assert_int_equal(run(f, "local s = ('x'):rep(1e6) return #s:upper()"), 0);
	assert_stopped(f, "local s = ('x'):rep(1e6) local a = s:upper() local b = s:lower()");
	assert_stopped(f, "local s = ('x'):rep(1e6) local a = s:reverse() local b = s:reverse()");
	/* string.byte pays one instruction a value: 40,000 once, not five times. */
	assert_int_equal(run(f, "local s = ('x'):rep(40000) return select('#', s:byte(1, -1))"), 0);
	assert_string_equal(buf_cstr(&f->out), "40000");
	assert_stopped(f, "local s = ('x'):rep(40000) for i = 1, 5 do "
			  "local n = select('#', s:byte(1, -1)) end");
}

static void test_stats_and_budget_per_entry(void **state)
{
	struct fixture *f = *state;
	struct vm_stats st;

	vm_get_stats(f->vm, &st);
	uint64_t e0 = st.entries, err0 = st.errors;
	/* Each entry gets a whole budget: 150k instructions twice is fine. */
	assert_int_equal(run(f, "local x = 0 for i = 1, 30000 do x = x + i end return x"), 0);
	assert_int_equal(run(f, "local x = 0 for i = 1, 30000 do x = x + i end return x"), 0);
	assert_int_equal(run(f, "error('plain', 0)"), VM_ERR_RUN);
	assert_true(strncmp(buf_cstr(&f->err), "plain\nstack traceback:", 22) == 0);
	vm_get_stats(f->vm, &st);
	assert_int_equal(st.entries, e0 + 3);
	assert_int_equal(st.errors, err0 + 1);
	assert_true(st.mem_used > 0 && st.mem_used <= st.mem_limit);
}

static void test_tiny_memory_limit(void **state)
{
	struct vm_limits lim = {.mem_limit = 1024, .instr_budget = 1000, .time_limit_ms = 100};

	(void)state;
	assert_null(vm_new("tiny", &lim, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_basic_and_libraries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forbidden_things, setup, teardown),
		cmocka_unit_test_setup_teardown(test_binary_chunks_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strict_globals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_infinite_loops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loops_in_pcall, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loops_in_xpcall_handlers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loops_in_coroutines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_coroutines_charged, setup, teardown),
		cmocka_unit_test(test_short_coroutines_timed),
		cmocka_unit_test_setup_teardown(test_gc_metamethods_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_metamethods, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metamethods_called_from_c, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_functions_metered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concat_and_unpack_metered, setup, teardown),
		cmocka_unit_test(test_concat_through_index_chains_timed),
		cmocka_unit_test_setup_teardown(test_memory_bombs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stack_overflows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_limit_backstop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allocation_is_charged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_string_functions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_and_budget_per_entry, setup, teardown),
		cmocka_unit_test(test_tiny_memory_limit),
	};
	/* A regression here shows up as a hang: let it fail instead. */
	alarm(300);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
