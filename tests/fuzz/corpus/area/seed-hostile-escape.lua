-- Tries every way out of the sandbox; declares room "ok" only if all fail.
area { id = "escape", name = "Escape" }

local function refused(code, needle)
	local fn, err = load(code)
	local ok
	if fn then
		ok, err = pcall(fn)
		assert(not ok, code .. " worked")
	end
	assert(string.find(tostring(err), needle, 1, true), code .. ": " .. tostring(err))
end

refused("return io.open('/etc/passwd')", "undefined global 'io'")
refused("return os.execute('true')", "attempt to call a nil value")
refused("return os.getenv('HOME')", "attempt to call a nil value")
refused("return require('os')", "undefined global 'require'")
refused("return debug.getinfo(1)", "undefined global 'debug'")
refused("return package.loadlib('x', 'y')", "undefined global 'package'")
refused("return dofile('/etc/passwd')", "undefined global 'dofile'")
refused("return loadfile('/etc/passwd')", "undefined global 'loadfile'")
refused("return string.dump(print)", "undefined global 'print'")
refused("return string.dump(function() end)", "attempt to call a nil value")
refused("return collectgarbage('collect')", "only \"count\"")
refused("setmetatable({}, { __gc = true })", "__gc metamethods are not allowed")
refused("\27Lua", "binary chunk")
assert(select(2, load("\27LuaT\0\25")):find("binary chunk", 1, true))
assert(getmetatable("") == false)

room "ok" { name = "Ok", desc = "Every escape was refused." }
