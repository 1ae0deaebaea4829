-- builder.lua: the declarations an area file makes: area, room, item, mob
-- and spawn (docs/building.md describes them for builders).
--
-- Loaded by src/script/loader.c into each area's sandbox before the area's
-- own files run, and called with the list to fill and a `where` function
-- (level -> file, line of the code at that stack level). The declarations
-- only record what they are given and where it was written; once the files
-- have run, src/script/build.c checks every field of every entry and builds
-- the world from the list. So each mistake is reported with its file and
-- line, all of a file's mistakes in one run, and a declaration may refer to
-- things declared further down or in another area.
--
-- Each entry of the list: { kind =, id =, def =, file =, line =, problem = }
-- where problem, when set, is a message about the declaration's form.

local defs, where = ...

local type = type

local function record(kind, id, file, line, problem)
	local entry = { kind = kind, id = id, file = file, line = line, problem = problem }
	defs[#defs + 1] = entry
	return entry
end

local function ignore() end

-- room "id" { ... }, item "id" { ... }, mob "id" { ... }
local function named(kind)
	return function(id)
		local file, line = where(2)
		if type(id) ~= "string" then
			record(kind, nil, file, line,
				kind .. " needs an id before its table: " .. kind .. ' "id" { ... }')
			return ignore
		end
		local entry = record(kind, id, file, line)
		return function(def)
			if entry.def ~= nil then
				entry.problem = kind .. " '" .. id .. "' is given two tables"
			elseif type(def) ~= "table" then
				entry.problem = kind .. " '" .. id .. "': expected a table { ... } after the id, got a "
					.. type(def)
			else
				entry.def = def
			end
		end
	end
end

-- area { ... }, spawn { ... }
local function unnamed(kind)
	return function(def)
		local file, line = where(2)
		if type(def) ~= "table" then
			record(kind, nil, file, line, kind .. " expects a table: " .. kind .. " { ... }")
			return ignore
		end
		local entry = record(kind, nil, file, line)
		entry.def = def
	end
end

return {
	area = unnamed("area"),
	room = named("room"),
	item = named("item"),
	mob = named("mob"),
	spawn = unnamed("spawn"),
}
