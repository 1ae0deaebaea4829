area { id = "forest", name = "The Forest" }

room "edge" {
	name = "Forest Edge",
	desc = "Trees.",
	environment = "forest",
	exits = { south = "village:square", north = "deep" },
}

room "deep" {
	name = "Deep Forest",
	desc = "More trees.",
	exits = { south = "edge" },
}

-- A top-level helper and a global table are fine at the top level.
counter = 0
function bump()
	counter = counter + 1
	return counter
end
bump()

mob "wolf" {
	keywords = "wolf grey", short = "a grey wolf", long = "A grey wolf watches you.",
	level = 2, hp = 20, damage = { 1, 4 }, flags = { "aggressive" },
	on_greet = function(mob, ch) end,
	on_say = { ["moon|howl"] = function(mob, ch, text) end, default = function() end },
	on_hp_below = { [20] = function() end, [50] = function() end },
	behaviors = { { name = "prowl", on_tick = function(mob) end, before_attacked = function() end } },
}
spawn { mob = "wolf", room = "deep", max = 2, carry = { "village:bread" } }
