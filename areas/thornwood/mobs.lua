-- The Thornwood's creatures and people. Beasts first (the wolves hunt in
-- the open and wander; the thorn-walker wakes at night), then the burners'
-- camp, the scavenger who keeps the ladder, and the hermit.

-- ---- beasts ------------------------------------------------------------------

mob "grey_wolf" {
	keywords = "wolf grey",
	short = "a grey wolf",
	long = "A grey wolf lopes along with its nose low, and stops when it smells you.",
	desc = [[Long in the leg and thin in the flank, with a coat the colour of wet slate. It watches you with the tired patience of an animal that has learned people go down the ladder and do not always come back up it. It wants to eat, and it has no strong views on what.]],
	level = 3, hp = 36, mana = 0, move = 120,
	damage = { 1, 5 }, armor = 1, gold = 0,
}

mob "greymuzzle" {
	keywords = "greymuzzle wolf dam old white",
	short = "Greymuzzle",
	long = "Greymuzzle, the old dam of the pack, lies across the den's mouth watching you.",
	desc = [[A she-wolf the size of a pony, grey gone to white about the jaws and eyes. She has led the Thornwood pack longer than the burners have been keeping count, and she has a notch out of each ear from the two times someone nearly ended that. She wants her den left alone, and she is prepared to be very clear about it.]],
	level = 6, hp = 100, mana = 0, move = 100,
	damage = { 2, 7 }, armor = 3, gold = 0,
	flags = { "sentinel" },
}

mob "boar" {
	keywords = "boar thornback pig",
	short = "a thornback boar",
	long = "A thornback boar roots among the leaves, bristling.",
	desc = [[A black boar with a ridge of bristles down its spine so stiff and long they look like thorns, and a temper to match. It is not interested in you. It is very interested in the ground, and it would like you to stop standing on it.]],
	level = 4, hp = 55, mana = 0, move = 80,
	damage = { 2, 5 }, armor = 3, gold = 0,
}

mob "thorn_walker" {
	keywords = "thorn walker briar heap briars",
	short = "the thorn-walker",
	long = "A heap of dead briars lies in the hollow, roughly the length of a man.",
	desc = [[By day it is a heap of briar-canes, grey and dry, that the wind does not move. At night it stands up. Then it is a man's height of woven thorn with a rook's skull where the face should be, and it walks the wood with a sound like someone dragging a sack. Nobody knows what it wants. The burners think it is looking for the path back into the city.]],
	level = 6, hp = 90, mana = 0, move = 60,
	damage = { 2, 8 }, armor = 4, gold = 0,
}

mob "lantern_moth" {
	keywords = "moth lantern pale",
	short = "a lantern moth",
	long = "A lantern moth as broad as your hand drifts past, glowing faintly green.",
	desc = [[Its wings are the grey of old paper, and its body gives off a soft green light like a lamp turned low. It circles anything bright. The burners say each one carries a lamp out of the drowned city, and call it bad luck to swat one; they also say that about most things.]],
	level = 2, hp = 14, mana = 0, move = 100,
	damage = { 1, 2 }, armor = 0, gold = 0,
}

mob "raven" {
	keywords = "raven black bird",
	short = "a raven",
	long = "A raven sits on the broken battlement, turning its head to listen.",
	desc = [[A big glossy raven with a grey-shot beard of feathers and an eye like a drop of tar. It has nested in the signal brazier for years and has picked up a great many words from the people who climb up here, and a great many spoons. It wants something shiny. It will settle for something said.]],
	level = 2, hp = 16, mana = 0, move = 100,
	damage = { 1, 3 }, armor = 0, gold = 0,
	flags = { "sentinel" },
}

mob "otter" {
	keywords = "otter",
	short = "an otter",
	long = "An otter lies on its back in the shallows, cracking something on its chest.",
	desc = [[Sleek, brown and extremely pleased with itself. It has the whole of the Stillwater to fish and nothing else to do, and it would like you to know that it knows this. It wants nothing from you at all, which makes it unique in the Thornwood.]],
	level = 1, hp = 12, mana = 0, move = 100,
	damage = { 1, 2 }, armor = 0, gold = 0,
	flags = { "nokill" },
}

-- ---- the burners ---------------------------------------------------------------

mob "gammer_sloe" {
	keywords = "gammer sloe burner old woman",
	short = "Gammer Sloe",
	long = "Gammer Sloe sits on an upturned barrow by the fire, smoking a clay pipe.",
	desc = [[A tiny, black-handed woman of about a hundred, wrapped in a leather apron gone shiny with charcoal. She has run the camp since before the Ruin opened and means to run it after the Ruin closes again. She sells torches, eels and the key to a tower she says is hers by squatter's right. What she wants is for the clamps to burn blue and for the Watch to stop calling her Gammer, which is not going to happen.]],
	level = 6, hp = 90, mana = 0, move = 40,
	damage = { 1, 6 }, armor = 2, gold = 80,
	flags = { "sentinel", "nokill", "shopkeeper" },
}

mob "pim" {
	keywords = "pim boy burner's",
	short = "Pim",
	long = "Pim, the burners' boy, trails about the camp kicking at the ashes.",
	desc = [[A boy of twelve, black to the eyebrows, in a jerkin cut down from a man's. He has been looking for something all day and has begun to look for it in places he has already looked. He wants to find it before Gammer Sloe notices it is missing, which gives him, at a guess, until supper.]],
	level = 2, hp = 20, mana = 0, move = 80,
	damage = { 1, 3 }, armor = 0, gold = 1,
	flags = { "nokill" },
}

mob "burner" {
	keywords = "burner collier man",
	short = "a charcoal burner",
	long = "A charcoal burner walks the ring of clamps, a turf-beater on his shoulder.",
	desc = [[A big slow man in a hooded smock of sacking, so black with charcoal that his eyes look startled. He has not slept properly in four days because the clamps are burning and the clamps do not care about sleep. He wants the smoke to stay blue.]],
	level = 3, hp = 40, mana = 0, move = 60,
	damage = { 1, 5 }, armor = 1, gold = 3,
	flags = { "nokill" },
}

-- ---- the ladder and the hermit ------------------------------------------------

mob "scavenger" {
	keywords = "scavenger toller anno's cousin rook",
	short = "Rook the scavenger",
	long = "Rook the scavenger sits by the ladder-pegs, tossing a coin and catching it.",
	desc = [[A lean man in an oilskin coat with a crowbar through his belt and the look of someone who has been down the ladder more times than is sensible. He says the ladder is his, since he mends it, and that anyone who goes down it owes him five coins toward the mending. Nobody has ever seen him mend it. What he wants, under the swagger, is news of his cousin Anno, who went down after a brass token and did not come up.]],
	level = 5, hp = 65, mana = 0, move = 90,
	damage = { 2, 6 }, armor = 2, gold = 20,
	flags = { "sentinel" },
}

mob "hermit" {
	keywords = "hermit old man edric lark",
	short = "the hermit",
	long = "An old man in a patched robe tends his bean-rows, pretending not to have seen you.",
	desc = [[Tall, stooped and weather-brown, with a beard he trims with a knife and eyes that have done a great deal of reading by bad light. His hands are clean in a way nobody's are in the Thornwood. He keeps bees, copies old letters, and listens to everything you say as though checking it against something he already knows. He wants something from the Archive, and he has wanted it for a long time before you came.]],
	level = 8, hp = 120, mana = 100, move = 40,
	damage = { 2, 6 }, armor = 4, gold = 10,
	flags = { "sentinel", "nokill" },
}
