-- The people (and animals) of Emberfall. Every one of them wants something,
-- and says so in their description: that is where quests will hang later.
-- The villagers are nokill; only the crow outside the gate will fight, and
-- only over bread.

mob "innkeeper" {
	keywords = "odile innkeeper",
	short = "Odile the innkeeper",
	long = "Odile the innkeeper polishes a tankard that was clean an hour ago.",
	desc = [[A broad woman with flour to the elbows and a ledger of debts she can recite from memory. She takes payment in advance from anyone carrying a shovel. What she wants is for every guest who goes up her stairs at night to come down them in the morning, and until they do she keeps their tools hanging from her beams.]],
	level = 5, hp = 70, mana = 0, move = 60,
	damage = { 1, 6 }, armor = 2, gold = 40,
	flags = { "sentinel", "nokill" },
}

mob "smith" {
	keywords = "hask smith",
	short = "Hask the smith",
	long = "Hask the smith turns a bar of grey metal in the coals, frowning at it.",
	desc = [[Lean and burn-scarred to the elbows, with a habit of talking to iron as though it were being difficult on purpose. Scavengers bring her metal from the Ruin, and none of it behaves: it will not take a temper, and it will not rust. She wants to know why, badly enough to pay for any piece of Vael iron you bring her.]],
	level = 6, hp = 90, mana = 0, move = 60,
	damage = { 2, 6 }, armor = 3, gold = 25,
	flags = { "sentinel", "nokill" },
}

mob "shrine_keeper" {
	keywords = "ama mother keeper",
	short = "Mother Ama",
	long = "Mother Ama, the shrine-keeper, trims the candles one by one.",
	desc = [[Small and white-haired, in a shawl full of burn-holes from a lifetime of candles. She has met most of the village's adventurers at least once, just after they died, and greeted each of them with a blanket and no questions. Just now she wants her crypt key back. She has been peering down the well all morning, and glaring at every child she passes.]],
	level = 7, hp = 80, mana = 100, move = 40,
	damage = { 1, 4 }, armor = 2, gold = 5,
	flags = { "sentinel", "nokill" },
}

mob "shopkeeper" {
	keywords = "tamsin reed shopkeeper",
	short = "Tamsin Reed",
	long = "Tamsin Reed leans on the counter, weighing a handful of nails by eye.",
	desc = [[A sharp-eyed woman in a canvas apron with a pencil behind each ear, in case one gets lost. She sells whatever a body needs for the woods and buys whatever comes up out of the Ruin, provided it has stopped moving. She wants a proper cart road to the coast, and says so to anyone who stands still.]],
	level = 5, hp = 70, mana = 0, move = 50,
	damage = { 1, 6 }, armor = 2, gold = 200,
	flags = { "shopkeeper", "sentinel", "nokill" },
}

mob "guard" {
	keywords = "brannoc watcher guard watchman",
	short = "Watcher Brannoc",
	long = "Watcher Brannoc leans on his spear by the gate, counting under his breath.",
	desc = [[A grey-bearded watchman in a cloak patched at both elbows. He can tell you how many people went out through the north gate today and how many have come back, and he wants those two numbers to match. They rarely do. He writes the difference on the slate in the watch-house and circles it, as if that might help.]],
	level = 8, hp = 120, mana = 0, move = 80,
	damage = { 2, 6 }, armor = 5, gold = 15,
	flags = { "sentinel" },
}

mob "child" {
	keywords = "wren child girl",
	short = "Wren",
	long = "Wren, a barefoot child, darts past with something held behind her back.",
	desc = [[Eight or nine years old, all elbows, with pockets full of things other people have lost. More than anything she wants to see one of the clockwork wardens the scavengers talk about, and she has been as far as the red cloth on the forest path. Twice. She did not take the shrine-keeper's key, she will tell you, long before you think to ask.]],
	level = 1, hp = 12, mana = 0, move = 120,
	damage = { 1, 2 }, armor = 0, gold = 1,
	flags = { "nokill" },
}

mob "cat" {
	keywords = "cat tabby tom",
	short = "a one-eared tabby",
	long = "A one-eared tabby cat has claimed the warmest spot in sight.",
	desc = [[A heavy orange-and-grey tom with one ear and the bearing of a retired magistrate. He belongs to the inn, the smithy and the shrine at once, and is fed by all three, each of whom believes they are the only one. What he wants is the warm spot, wherever it happens to be at the moment.]],
	level = 1, hp = 8, mana = 0, move = 100,
	damage = { 1, 2 }, armor = 1, gold = 0,
	flags = { "nokill" },
}

mob "scholar" {
	keywords = "aurel vance scholar",
	short = "Aurel Vance",
	long = "Aurel Vance, a travelling scholar, sits by the fire copying from a notebook.",
	desc = [[He came from the coast with a trunk of books, a bad cough and a letter of introduction nobody here can read. For a month he has sketched the marks on the old wall and paid good coin for scraps brought up from the Archive. He wants very much to go down himself. He has not yet gone, and he is beginning to notice.]],
	level = 3, hp = 30, mana = 80, move = 40,
	damage = { 1, 3 }, armor = 0, gold = 60,
	flags = { "sentinel", "nokill" },
}

mob "drunk" {
	keywords = "tobin old drunk",
	short = "Old Tobin",
	long = "Old Tobin sits in the corner, explaining something to an empty bottle.",
	desc = [[Tobin went down into the Ruin once, forty years ago, before it was opened, and he has been telling people about it ever since. Between sighs he offers what he knows: the forest paths only move when nobody is watching them, the clockwork things below still ask to see your papers, and at the very bottom of the Archive something remembers the night the city fell. He wants a drink, and for somebody to believe him; buy him the first and he will manage without the second.]],
	level = 2, hp = 20, mana = 0, move = 20,
	damage = { 1, 3 }, armor = 0, gold = 0,
	flags = { "sentinel", "nokill" },
}

mob "lamplighter" {
	keywords = "ness lamplighter",
	short = "Ness the lamplighter",
	long = "Ness the lamplighter passes by, a long hooked pole over her shoulder.",
	desc = [[A tall, quiet young woman with soot ground into her fingertips. She keeps every lantern in the square burning, day and night, and knows the name painted on each post and who painted it. She wants the village to stop needing new posts.]],
	level = 3, hp = 35, mana = 0, move = 120,
	damage = { 1, 4 }, armor = 1, gold = 4,
	flags = { "nokill" },
}

mob "crow" {
	keywords = "crow fat bird",
	short = "a fat crow",
	long = "A fat crow watches you from a stump, eyeing your pack.",
	desc = [[Glossy, heavy and entirely unafraid. It has learned that people coming out of Emberfall carry bread, and it holds strong views on sharing. It wants your lunch, and it is prepared to discuss the matter with its beak.]],
	level = 1, hp = 10, mana = 0, move = 60,
	damage = { 1, 2 }, armor = 0, gold = 0,
	flags = { "sentinel" },
}
