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
}
spawn { mob = "wolf", room = "deep", max = 2, carry = { "village:bread" } }
