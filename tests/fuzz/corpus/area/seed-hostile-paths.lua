-- include() refuses every path outside the area's folder; room "ok" if so.
area { id = "paths", name = "Paths" }

local function refused(path, needle)
	local ok, err = pcall(include, path)
	assert(not ok, path .. " was included")
	assert(string.find(err, needle, 1, true), path .. ": " .. err)
end

refused("../escape/area.lua", "not a file of this area's folder")
refused("/etc/passwd", "not a file of this area's folder")
refused("sub/../../x.lua", "not a file of this area's folder")
refused(".hidden.lua", "not a file of this area's folder")
refused("rooms", "not a file of this area's folder")
refused("area.lua", "already included")
refused("nosuch.lua", "no such file")
refused("", "not a file of this area's folder")
refused(string.rep("a", 200) .. ".lua", "not a file of this area's folder")

include "sub/more.lua"
room "ok" { name = "Ok", desc = "Every bad path was refused." }
