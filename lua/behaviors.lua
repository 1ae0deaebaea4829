-- behaviors.lua: reusable mob behaviors, in plain Lua over the scripting API
-- (docs/building.md sections 8 and 9). Copy one to make your own.
--
-- Loaded by src/script/loader.c into every area's sandbox after builder.lua;
-- the table it returns becomes builtins, so an area writes
--
--     mob "wolf" { ..., behaviors = { wander { chance = 25 }, aggressive {} } }
--
-- Each constructor checks its options at once (an error points at the mob's
-- declaration) and returns a behavior: a table with a name, trigger handlers
-- (on_tick, on_greet, before_command, ...) that run after the mob's own, and
-- refs, the ids its options name, which the loader checks like any other
-- reference so that --check catches a misspelled ware.

local DIRS = { "north", "east", "south", "west", "up", "down" }
local ABBREV = { n = "north", e = "east", s = "south", w = "west", u = "up", d = "down" }

-- Raises msg at the area file's line: level 3 from a constructor, 4 from the
-- helpers below that constructors call.
local function fail(what, msg, level)
	error(what .. ": " .. msg, level or 4)
end

local function opt_number(what, opts, key, default, lo, hi)
	local v = opts[key]
	if v == nil then
		return default
	end
	if type(v) ~= "number" or v < lo or v > hi then
		fail(what, "'" .. key .. "' must be a number from " .. lo .. " to " .. hi)
	end
	return v
end

local function opt_string(what, opts, key)
	local v = opts[key]
	if v ~= nil and type(v) ~= "string" then
		fail(what, "'" .. key .. "' must be a string")
	end
	return v
end

local function opt_list(what, opts, key)
	local v = opts[key]
	if v == nil then
		return {}
	end
	if type(v) ~= "table" then
		fail(what, "'" .. key .. "' must be a list of strings")
	end
	for i = 1, #v do
		if type(v[i]) ~= "string" then
			fail(what, "'" .. key .. "' must be a list of strings")
		end
	end
	return v
end

-- Refuses options a behavior does not have (catches typos such as "chanse").
local function check_keys(what, opts, known)
	if type(opts) ~= "table" then
		fail(what, "options are a table: " .. what .. " { ... }")
	end
	for k in pairs(opts) do
		if not known[k] then
			local list = {}
			for name in pairs(known) do
				list[#list + 1] = name
			end
			table.sort(list)
			fail(what, "unknown option '" .. tostring(k) .. "' (it has: " .. table.concat(list, ", ") .. ")")
		end
	end
end

-- "buy  Lantern " -> "buy", "lantern". Linear in the line's length: a
-- pattern such as "^%s*(%S+)%s*(.-)%s*$" takes quadratic time on runs of
-- spaces, and a 4 KiB line of them used up a trigger's instruction budget.
local function split(line)
	local vs = string.find(line, "%S")
	if not vs then
		return "", ""
	end
	local ve = string.find(line, "%s", vs)
	if not ve then
		return string.lower(string.sub(line, vs)), ""
	end
	local rs = string.find(line, "%S", ve)
	if not rs then
		return string.lower(string.sub(line, vs, ve - 1)), ""
	end
	local re = string.find(line, "%S%s*$", rs)
	return string.lower(string.sub(line, vs, ve - 1)), string.lower(string.sub(line, rs, re))
end

-- Does one of the keywords start with word? ("lan" names "lantern brass")
local function named(keywords, word)
	if word == "" or not keywords then
		return false
	end
	for kw in string.gmatch(string.lower(keywords), "%S+") do
		if string.sub(kw, 1, #word) == word then
			return true
		end
	end
	return false
end

-- ---- wander ---------------------------------------------------------------------

-- wander { chance = 25, every = 10 }: now and then walks through a random open
-- exit, never leaving its own area and never into a nomob room. It acts on
-- area ticks (every 10 seconds), so `every` below 10 acts like 10.
local function wander(opts)
	opts = opts or {}
	check_keys("wander", opts, { chance = true, every = true })
	local pct = opt_number("wander", opts, "chance", 25, 0, 100)
	local every = opt_number("wander", opts, "every", 10, 1, 86400)
	return {
		name = "wander",
		on_tick = function(mob)
			local room = mob.room
			if not room or mob.fighting then
				return
			end
			local v = mob.vars
			local t = now()
			if v.wander_next and t < v.wander_next then
				return
			end
			v.wander_next = t + every - 0.5
			if not chance(pct) then
				return
			end
			local ways = {}
			for _, d in ipairs(DIRS) do
				local to = room:exit(d)
				local door = room:door(d)
				if to and to.area == room.area and not to.flags.nomob
					and door ~= "closed" and door ~= "locked" then
					ways[#ways + 1] = d
				end
			end
			local d = pick(ways)
			if d then
				mob:move(d)
			end
		end,
	}
end

-- ---- aggressive -------------------------------------------------------------------

-- aggressive { below_level = 10, message = "snarls and leaps!" }: attacks a
-- player it sees come in, or finds in its room on a tick, below that level.
-- The message shows only when an attack starts: in a safe room (the only
-- place a mob may not attack a player) it neither snarls nor tries.
local function aggressive(opts)
	opts = opts or {}
	check_keys("aggressive", opts, { below_level = true, message = true })
	local below = opt_number("aggressive", opts, "below_level", nil, 1, 1000)
	local message = opt_string("aggressive", opts, "message")
	local function prey(mob, ch)
		return ch:valid() and ch.is_player and ch.room == mob.room
			and (below == nil or ch.level < below)
	end
	local function strike(mob, ch)
		if mob.room.flags.safe then
			return
		end
		if message then
			mob:emote(message)
		end
		mob:attack(ch)
	end
	return {
		name = "aggressive",
		on_greet = function(mob, ch)
			if not mob.fighting and prey(mob, ch) then
				strike(mob, ch)
			end
		end,
		on_tick = function(mob)
			if mob.fighting or not mob.room then
				return
			end
			for _, ch in ipairs(mob.room:players()) do
				if prey(mob, ch) then
					strike(mob, ch)
					return
				end
			end
		end,
	}
end

-- ---- sentinel -----------------------------------------------------------------------

-- sentinel {}: stays where it was put. That is what a mob does anyway
-- without wander; it is here so a mob's list of behaviors can say so.
local function sentinel(opts)
	check_keys("sentinel", opts or {}, {})
	return { name = "sentinel" }
end

-- ---- shopkeeper ----------------------------------------------------------------------

-- shopkeeper { sells = { "bread", "lantern" }, buys = { "treasure", "food" },
--              markup = 1.25, discount = 0.5 }
-- answers list, buy <item>, sell <item> and value <item> in its room.
-- buys names item types ("food") or item ids ("vael_coin").
local function shopkeeper(opts)
	opts = opts or {}
	check_keys("shopkeeper", opts, { sells = true, buys = true, markup = true, discount = true })
	local sells = opt_list("shopkeeper", opts, "sells")
	local buys = opt_list("shopkeeper", opts, "buys")
	local markup = opt_number("shopkeeper", opts, "markup", 1.25, 0, 100)
	local discount = opt_number("shopkeeper", opts, "discount", 0.5, 0, 100)
	local buys_set = {}
	for _, b in ipairs(buys) do
		buys_set[b] = true
	end

	local function price_of(p)
		return math.max(1, math.ceil(p.value * markup))
	end
	local function offer_for(item)
		if not (buys_set[item.type] or buys_set[item.id]
			or buys_set[string.match(item.id, ":(.*)$") or ""]) then
			return nil
		end
		return math.floor(item.value * discount)
	end
	local function find_ware(word)
		for _, id in ipairs(sells) do
			local p = proto(id, "item")
			if p and named(p.keywords, word) then
				return id, p
			end
		end
	end
	local function find_held(ch, word)
		for _, item in ipairs(ch:inventory()) do
			if named(item.keywords, word) then
				return item
			end
		end
	end

	local verbs = {}
	function verbs.list(mob, ch)
		if #sells == 0 then
			ch:send(mob.name .. " has nothing for sale.")
			return
		end
		ch:send(mob.name .. " has for sale:")
		for _, id in ipairs(sells) do
			local p = proto(id, "item")
			if p then
				ch:send(string.format("  {y%6d{x gold   %s", price_of(p), p.name))
			end
		end
	end
	function verbs.buy(mob, ch, word)
		if word == "" then
			ch:send("Buy what? (list shows the wares)")
			return
		end
		local id, p = find_ware(word)
		if not id then
			ch:send(mob.name .. " does not sell that. (list shows the wares)")
			return
		end
		local price = price_of(p)
		if ch.gold < price then
			ch:send(p.name .. " costs " .. price .. " gold; you have " .. ch.gold .. ".")
			return
		end
		local item = ch:give(id)
		if not item then
			ch:send(mob.name .. " is out of " .. p.name .. ".")
			return
		end
		ch:add_gold(-price)
		ch:send("You buy " .. p.name .. " for " .. price .. " gold.")
	end
	local function appraise(mob, ch, word, selling)
		if word == "" then
			ch:send((selling and "Sell" or "Value") .. " what?")
			return
		end
		local item = find_held(ch, word)
		if not item then
			ch:send("You are not carrying that.")
			return
		end
		local offer = offer_for(item)
		if not offer then
			ch:send(mob.name .. " does not buy things like " .. item.name .. ".")
			return
		end
		if offer < 1 then
			ch:send(mob.name .. " would not give you a coin for " .. item.name .. ".")
			return
		end
		if not selling then
			ch:send(mob.name .. " would give you " .. offer .. " gold for " .. item.name .. ".")
			return
		end
		local name = item.name
		item:destroy()
		ch:add_gold(offer)
		ch:send("You sell " .. name .. " for " .. offer .. " gold.")
	end
	function verbs.sell(mob, ch, word)
		appraise(mob, ch, word, true)
	end
	function verbs.value(mob, ch, word)
		appraise(mob, ch, word, false)
	end

	return {
		name = "shopkeeper",
		refs = { item = sells },
		before_command = function(mob, ch, line)
			if not ch.is_player or mob.fighting then
				return
			end
			local verb, rest = split(line)
			local fn = verbs[verb]
			if not fn then
				return
			end
			fn(mob, ch, rest)
			return false
		end,
	}
end

-- ---- guard -----------------------------------------------------------------------------

-- guard { exit = "north", unless = function(ch) return ch:has("gate_pass") end,
--         message = "The guard bars your way." }
-- stops characters going through that exit of its room, unless `unless` says yes.
local function guard(opts)
	opts = opts or {}
	check_keys("guard", opts, { exit = true, unless = true, message = true })
	local exit = opt_string("guard", opts, "exit")
	exit = exit and (ABBREV[exit] or exit)
	local ok = false
	for _, d in ipairs(DIRS) do
		ok = ok or d == exit
	end
	if not ok then
		fail("guard", "'exit' must be a direction: north, east, south, west, up or down", 3)
	end
	if opts.unless ~= nil and type(opts.unless) ~= "function" then
		fail("guard", "'unless' must be a function(ch) returning true to let ch pass", 3)
	end
	local message = opt_string("guard", opts, "message")
	return {
		name = "guard",
		before_command = function(mob, ch, line)
			local verb, rest = split(line)
			if verb == "go" or verb == "walk" then
				verb = split(rest)
			end
			if (ABBREV[verb] or verb) ~= exit or mob.fighting then
				return
			end
			if opts.unless and opts.unless(ch) then
				return
			end
			return message or (mob.name .. " bars your way.")
		end,
	}
end

-- ---- healer ------------------------------------------------------------------------------

-- healer { price = 10 }: answers `heal`: for the price, restores the player's
-- hit points.
local function healer(opts)
	opts = opts or {}
	check_keys("healer", opts, { price = true })
	local price = opt_number("healer", opts, "price", 10, 0, 1000000000)
	return {
		name = "healer",
		before_command = function(mob, ch, line)
			if split(line) ~= "heal" or not ch.is_player or mob.fighting then
				return
			end
			if ch.hp >= ch.max_hp then
				ch:send(mob.name .. " looks you over and shakes their head: you are not hurt.")
				return false
			end
			if ch.gold < price then
				ch:send(mob.name .. " asks " .. price .. " gold for healing; you have " .. ch.gold .. ".")
				return false
			end
			ch:add_gold(-price)
			ch:heal(ch.max_hp - ch.hp)
			ch:send(mob.name .. " lays a hand on you. Warmth spreads through your wounds. (" .. price .. " gold)")
			return false
		end,
	}
end

return {
	wander = wander,
	aggressive = aggressive,
	sentinel = sentinel,
	shopkeeper = shopkeeper,
	guard = guard,
	healer = healer,
}
