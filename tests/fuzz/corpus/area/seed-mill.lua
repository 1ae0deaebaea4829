-- The Old Mill: a tiny area east of Emberfall.
area {
	id = "mill",
	name = "The Old Mill",
	author = "Your Name",
	levels = { 1, 3 },
	reset = { minutes = 15, message = "The millwheel creaks round once, slowly." },
}

room "yard" {
	name = "The Mill Yard",
	desc = [[Cart ruts lead up to a tall timber mill whose wheel turns in a
slow, complaining circle. A millstone, cracked in two, has been propped
against the fence as a bench. The road back to {yEmberfall{x runs west.]],
	environment = "road",
	coords = { 10, 0, 0 },
	exits = {
		west = "emberfall:market_lane",
		east = "floor",
	},
	extra = { ["millstone bench"] = "The crack runs clean through. Someone sat on it anyway." },
}

room "floor" {
	name = "The Milling Floor",
	desc = [[Flour hangs in the air and settles on everything that stands
still long enough. The great stones grind in the middle of the floor. A
ladder climbs to the loft, and a low door leads down to the wheel pit.]],
	environment = "inside",
	coords = { 11, 0, 0 },
	flags = { "indoors", "safe" },
	exits = {
		west = "yard",
		up = "loft",
		down = { to = "pit", door = "door low", key = "mill_key",
			 closed = true, locked = true,
			 desc = "A low door, swollen with damp." },
	},
}

room "loft" {
	name = "The Loft",
	desc = [[Sacks, cobwebs and a cot. Whoever sleeps here has been
scratching a calendar into the beam.]],
	environment = "inside",
	coords = { 11, 0, 1 },
	flags = { "indoors" },
	exits = { down = "floor" },
}

room "pit" {
	name = "The Wheel Pit",
	desc = [[Black water churns past the paddles a hand's breadth from
your boots. Something is wedged in the axle.]],
	environment = "water",
	coords = { 11, 0, -1 },
	flags = { "dark", "nomob" },
	exits = { up = { to = "floor", door = "door low", key = "mill_key" } },
}

item "sack" {
	keywords = "sack flour",
	short = "a sack of flour",
	long = "A sack of flour slumps against the wall.",
	desc = "Someone has stencilled MILL on it, in case of doubt.",
	type = "container", capacity = 10, weight = 3, value = 2,
}

item "biscuit" {
	keywords = "biscuit",
	short = "a hard biscuit",
	long = "A hard biscuit has been left here.",
	type = "food", nutrition = 4, weight = 1, value = 1,
}

item "mill_key" {
	keywords = "key iron",
	short = "a small iron key",
	long = "A small iron key lies in the dust.",
	type = "key", weight = 1,
}

item "cudgel" {
	keywords = "cudgel club",
	short = "an oak cudgel",
	long = "An oak cudgel leans in the corner.",
	type = "weapon", wear = { "wield" }, dice = { 1, 6 }, noun = "crush",
	weight = 4, value = 8,
}

mob "miller" {
	keywords = "miller agna",
	short = "Agna the miller",
	long = "Agna the miller is counting sacks, and getting a different answer each time.",
	desc = [[Flour in her eyebrows, a pencil behind one ear. She wants the
wheel fixed before the autumn grain, and she suspects the loft.]],
	level = 3, hp = 40, damage = { 1, 4 }, gold = 8,
	flags = { "sentinel", "nokill" },
}

spawn { mob = "miller", room = "floor", max = 1, carry = { "biscuit" } }
spawn { item = "sack", room = "floor", max = 1 }
spawn { item = "biscuit", room = "floor", container = "sack", max = 2 }
spawn { item = "mill_key", room = "loft", max = 1 }
spawn { item = "cudgel", room = "yard", max = 1 }
