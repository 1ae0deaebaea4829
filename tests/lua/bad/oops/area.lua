-- One mistake of each kind, at known lines (test_loader.c checks them all).
area { id = "oops", name = "Oops", levels = { 5, 1 }, reset = { minuts = 5 } }

room "square" {
	name = "Square",
	dsec = "Misspelled field.",
	flags = { "saf" },
	exits = { nrth = "hall", east = "halll", west = { to = "hall", locked = true } },
	on_entre = function() end,
}

room "hall" {
	name = 42,
	desc = "A hall.\nTwo lines are fine in a desc.",
	coords = { 1, 2 },
	exits = { south = "square", n = "square" },
}

room "hall" { name = "Again", desc = "Duplicate." }

room "Big Room" { name = "x", desc = "y" }

item "sword" {
	keywords = "sword", short = "a sword", long = "A sword.",
	type = "weapn", wear = { "hed" },
}

item "axe" {
	keywords = "axe", short = "an axe", long = "An axe.",
	type = "weapon", hours = 5, weight = -1,
}

item "rock" {
	keywords = "rock", short = "a rock", long = "A rock.", weight = 2.5,
}

mob "troll" {
	keywords = "troll", long = "A troll.", damage = { 9, 2 }, flags = { "agressive" },
}

spawn { mob = "trol", room = "square" }
spawn { item = "rock", room = "square", container = "axe" }
spawn { mob = "troll", room = "square", wear = { "rock" } }
spawn { mob = "troll", item = "rock", room = "square" }
spawn { room = "square" }
room { name = "no id" }
room "nodef"
room "nul\0id" { name = "x", desc = "y" }
