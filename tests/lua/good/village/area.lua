-- A small, correct area for the loader tests: two rooms here, the rest
-- included, an exit into the forest area and a locked door with its key.
area {
	id = "village",
	name = "Test Village",
	author = "tests",
	levels = { 1, 3 },
	reset = { minutes = 10, message = "A bell rings." },
}

include "rooms.lua"
include "things/items.lua"

mob "smith" {
	keywords = "smith bren",
	short = "Bren the smith",
	long = "Bren the smith hammers at a blade.",
	desc = [[Broad and patient.]],
	level = 4, hp = 60, mana = 0, move = 80,
	damage = { 2, 6 }, armor = 3, gold = 12,
	flags = { "sentinel", "nokill" },
}

spawn { mob = "smith", room = "smithy", max = 1, wear = { "apron" }, carry = { "hammer" } }
spawn { item = "lantern", room = "square", max = 2 }
spawn { item = "chest", room = "square" }
spawn { item = "coin", room = "square", container = "chest" }
