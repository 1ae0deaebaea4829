-- Rooms of the test village.
local function lane(n)
	return "A lane, number " .. n .. "."
end

room "square" {
	name = "Lantern Square",
	desc = [[Lanterns everywhere. {ylight{x]],
	environment = "village",
	coords = { 0, 0, 0 },
	flags = { "safe", "recall", "start" },
	exits = {
		north = "forest:edge",
		east = "smithy",
		south = { to = "gate", door = "gate iron", key = "gate_key", closed = true,
			  locked = true, desc = "An iron gate." },
		up = { to = "tower", hidden = true },
	},
	extra = {
		["board notice"] = "The board says hello.",
		["lantern lanterns"] = "Brass.",
	},
}

room "smithy" {
	name = "The Smithy",
	desc = lane(2),
	environment = "inside",
	flags = { "indoors" },
	exits = { west = "square" },
}

room "gate" {
	name = "The Gate",
	desc = lane(3),
	exits = { north = { to = "square", door = "gate iron", key = "gate_key" } },
}

room "tower" {
	name = "The Tower",
	desc = lane(4),
	coords = { 0, 0, 1 },
	flags = { "dark" },
	exits = { down = "square" },
}
