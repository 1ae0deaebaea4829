-- The world of test_script.c: triggers, wait, timers, handles, persistence
-- and a set of hostile triggers, each reached by saying a word to the greeter.
area {
	id = "town", name = "Town", reset = { minutes = 1 },
	on_reload = function(old)
		area_state.reloaded_from = old.visits or 0
	end,
}

kept = {} -- handles kept across triggers (used after their object is gone)
area_state.visits = area_state.visits or 0

room "square" {
	name = "Square", desc = "A square.", flags = { "start", "safe" },
	exits = { north = "hall", east = "yard" },
	on_say = { ["hello|hi"] = function(room, ch, text) room:echo("The square echoes.") end },
}

room "hall" {
	name = "Hall", desc = "A hall.", exits = { south = "square", north = "vault" },
	on_enter = function(room, ch, from)
		if ch.is_player then
			ch:send("Welcome to the hall, " .. ch.name .. " (from " .. tostring(from) .. ").")
		end
	end,
	before_leave = function(room, ch, dir)
		if dir == "north" and not ch:has("pass") then
			return "The vault is shut to you."
		end
	end,
}

room "vault" { name = "Vault", desc = "A vault.", exits = { south = "hall" } }

room "yard" {
	name = "Yard", desc = "A yard.", exits = { west = "square", east = "gate" },
	before_command = function(room, ch, line)
		if line == "dance" then
			ch:send("You dance in the yard.")
			return false
		end
		if line == "sing" then
			return "Not here."
		end
		if line == "waitbefore" then
			wait(1)
		end
	end,
}

item "pass" { keywords = "pass", short = "a pass", long = "A pass lies here." }

mob "greeter" {
	keywords = "greeter", short = "the greeter", long = "A greeter stands here.",
	level = 1, hp = 100,
	on_greet = function(mob, ch)
		if not ch.is_player then
			return
		end
		mob:say("Hello, " .. ch.name .. ".")
		wait(2)
		mob:say("Still here, " .. ch.name .. "?")
	end,
	on_say = {
		["pass|permit"] = function(mob, ch)
			ch:give("pass")
			mob:say("Here is a pass.")
		end,
		["loop"] = function() while true do end end,
		["pcall loop"] = function() while true do pcall(function() while true do end end) end end,
		["bomb"] = function()
			local t, s = {}, string.rep("x", 100000)
			for i = 1, 1e9 do t[i] = s .. i end
		end,
		["pattern"] = function()
			string.find(string.rep("a", 40), string.rep("a*", 30) .. "b")
		end,
		["boom"] = function() error("boom") end,
		["close"] = function()
			local guard <close> = setmetatable({}, { __close = function() while true do end end })
			error("and then the close handler loops")
		end,
		["tostring"] = function()
			return tostring(setmetatable({}, { __tostring = function() while true do end end }))
		end,
		["sort"] = function()
			local t = {}
			for i = 1, 100 do t[i] = i end
			table.sort(t, function(a, b) while true do end end)
		end,
		["deep"] = function()
			local t = {}
			for _ = 1, 1e7 do t = { t } end
		end,
		["remember"] = function(mob, ch)
			local m = ch:memory()
			m.count = (m.count or 0) + 1
			mob:say("count " .. m.count)
		end,
		["visit"] = function() area_state.visits = area_state.visits + 1 end,
		["badstate"] = function() area_state.fn = function() end end,
		["cycle"] = function() local c = {} c.self = c area_state.c = c end,
		["binary"] = function() area_state.b = "\255\254" end,
		["types"] = function()
			area_state.types = {
				list = { "a", "b", { x = 1 } },
				["#hash"] = "kept",
				[3] = true,
				[2.5] = "half",
				nested = { deep = { 1, 2.25, { y = false } } },
				empty = {},
				nul = "x\0y",
			}
		end,
		["check types"] = function(mob)
			local t = area_state.types
			local ok = t.list[1] == "a" and t.list[2] == "b" and t.list[3].x == 1
				and t["#hash"] == "kept" and t[3] == true and t[2.5] == "half"
				and t.nested.deep[2] == 2.25 and t.nested.deep[3].y == false
				and next(t.empty) == nil and math.type(t.list[3].x) == "integer"
				and t.nul == "x\0y"
			mob:say(ok and "types ok" or "types wrong")
		end,
		["keep"] = function(mob, ch) kept.mob = mob end,
		["later"] = function(mob, ch)
			kept.timer = every(mob, 1, function(m) m:say("tick") end)
		end,
		["cancel"] = function() kept.timer:cancel() end,
		["storm"] = function(mob)
			for _ = 1, 4000 do
				every(mob, 0.1, function() while true do end end)
			end
		end,
		["chatter"] = function()
			for i = 1, 100 do log("line " .. i) end
		end,
		["coyield"] = function() coroutine.yield() end,
		["cowait"] = function() local co = coroutine.wrap(function() wait(1) end) co() end,
		["hp"] = function(mob, ch) mob:say("hp " .. ch.hp .. "/" .. ch.max_hp) end,
		["misplace"] = function(mob)
			-- a stick is no container: the rock must not be left in limbo
			local stick = spawn_item("stick", mob.room)
			local ok = pcall(spawn_item, "rock", stick)
			stick:destroy()
			local rock = spawn_item("rock", mob.room)
			mob:say((ok and "rock in stick" or "no rock in stick") ..
				(rock and ", rock made" or ", no rock"))
			if rock then rock:destroy() end
		end,
		["hat"] = function(mob, ch)
			local stick = spawn_item("stick", mob.room)
			local hat = ch:has("hat")
			local ok = pcall(function() hat:move_to(stick) end)
			stick:destroy()
			mob:say(ok and "hat moved" or "hat stays")
		end,
		["proto"] = function(mob)
			mob:say("kinds " .. proto("pass").kind .. " " .. proto("greeter").kind)
		end,
		default = function(mob, ch, text) end,
	},
	on_hp_below = {
		[50] = function(mob) mob:say("half") end,
		[20] = function(mob) mob:say("fifth") end,
	},
}

mob "sleeper" {
	keywords = "sleeper", short = "the sleeper", long = "A sleeper dozes here.",
	level = 1, hp = 10,
	on_spawn = function(mob)
		after(mob, 3, function(m) m:say("I wake.") end)
	end,
	on_say = {
		["ghost"] = function(mob)
			-- uses a handle after its mob is gone (set by 'keep' to the greeter)
			kept.mob:say("boo")
		end,
	},
}

spawn { mob = "greeter", room = "square" }
spawn { mob = "sleeper", room = "yard" }

-- At the end, so the line numbers the tests name above stay put.
room "gate" {
	name = "Gate", desc = "A gate.", exits = { west = "yard", north = "square" },
	before_command = function(room, ch, line)
		if line == "breakme" then
			error("a broken before_command")
		end
	end,
}

mob "sentry" {
	keywords = "sentry", short = "the sentry", long = "A sentry watches the gate.",
	level = 1, hp = 100,
	behaviors = { guard { exit = "north", message = "The sentry bars your way." } },
}

spawn { mob = "sentry", room = "gate" }

-- spawn_item and move_to into a place that is not one (test_script.c)
item "stick" { keywords = "stick", short = "a stick", long = "A stick lies here." }
item "rock" { keywords = "rock", short = "a rock", long = "A rock lies here.", max_world = 1 }
item "hat" { keywords = "hat", short = "a hat", long = "A hat lies here.", wear = { "head" } }
