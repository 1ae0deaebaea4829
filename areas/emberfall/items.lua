-- Emberfall's items. The first six are the starting gear the game gives new
-- characters by path, so their ids are fixed: practice_sword and
-- padded_jerkin (fighter), hunting_knife and soft_boots (scout), oak_staff
-- and lantern (scholar). Then provisions, containers, the crypt key and its
-- treasure, the villagers' own things, and fixtures that cannot be taken.

-- ---- starting gear ---------------------------------------------------------

item "practice_sword" {
	keywords = "sword practice blunted",
	short = "a blunted practice sword",
	long = "A blunted practice sword lies here, notched along both edges.",
	desc = [[A plain iron blade whose edge has been filed round so that apprentices keep their fingers. It is heavier than it looks and duller than it ought to be. Someone has chalked DON'T on the grip.]],
	type = "weapon",
	wear = { "wield" },
	weight = 6, value = 10, level = 1,
	dice = { 1, 6 }, bonus = 0, noun = "whack",
}

item "padded_jerkin" {
	keywords = "jerkin padded quilted",
	short = "a padded jerkin",
	long = "A quilted jerkin lies here in a heap, like a tired dog.",
	desc = [[Layers of quilted linen stitched into a coat that stops most of a blow and all of a draught. It has been mended at the left ribs more than once, by more than one hand.]],
	type = "armor",
	wear = { "body" },
	weight = 5, value = 12, level = 1,
	armor = 2,
}

item "hunting_knife" {
	keywords = "knife hunting",
	short = "a hunting knife",
	long = "A hunting knife has been left here, point down in the ground.",
	desc = [[A single-edged knife with a stag-horn handle, sharpened so often that the blade has gone as narrow as a willow leaf. It is better at skinning than at fighting, but it is very good at skinning.]],
	type = "weapon",
	wear = { "wield" },
	weight = 1, value = 8, level = 1,
	dice = { 1, 4 }, bonus = 1, noun = "stab",
}

item "soft_boots" {
	keywords = "boots soft leather",
	short = "a pair of soft boots",
	long = "A pair of soft leather boots stands here, toes together.",
	desc = [[Supple calfskin with no heel and no nails, made for walking on dry leaves without anyone hearing. They are already shaped to somebody else's feet, which is a problem for about a day.]],
	type = "armor",
	wear = { "feet" },
	weight = 2, value = 10, level = 1,
	armor = 1,
}

item "oak_staff" {
	keywords = "staff oak",
	short = "an oak staff",
	long = "An oak staff lies here, shod with iron at both ends.",
	desc = [[A straight length of oak capped with iron, worn smooth where the hands go. Scholars use it for walking, for testing floors before trusting them, and when pressed for arguing.]],
	type = "weapon",
	wear = { "wield" },
	weight = 4, value = 8, level = 1,
	dice = { 1, 5 }, bonus = 0, noun = "thump",
}

item "lantern" {
	keywords = "lantern hooded tin",
	short = "a hooded lantern",
	long = "A hooded tin lantern sits here, its shutter half closed.",
	desc = [[A tin lantern with a sliding shutter, so that you can choose between seeing and being seen. The glass is new; the tin is not. A scratch inside marks how high the oil should come.]],
	type = "light",
	wear = { "light" },
	weight = 2, value = 15, level = 1,
	hours = 48,
	extra = {
		["shutter"] = [[It slides with a squeal that rather defeats the purpose.]],
	},
}

-- ---- provisions ------------------------------------------------------------

item "bread" {
	keywords = "bread heel black rye",
	short = "a heel of black bread",
	long = "A heel of black bread has been left here.",
	desc = [[Dense rye bread, baked to keep a week in a pack and to survive being sat on. It has survived being sat on.]],
	type = "food",
	weight = 1, value = 2, level = 1,
	nutrition = 10,
}

item "apple" {
	keywords = "apple windfall",
	short = "a windfall apple",
	long = "A bruised windfall apple lies here.",
	desc = [[Small, hard and sour, from the old trees behind the inn. The bruise is the best part, according to the child who sells them.]],
	type = "food",
	weight = 1, value = 1, level = 1,
	nutrition = 4,
}

item "waterskin" {
	keywords = "waterskin skin water",
	short = "a leather waterskin",
	long = "A leather waterskin lies here, sloshing faintly.",
	desc = [[Goat leather tarred on the inside, with a wooden stopper on a string. The water tastes of the village well, which tastes faintly of stone.]],
	type = "drink",
	weight = 3, value = 4, level = 1,
	nutrition = 6,
}

item "small_beer" {
	keywords = "beer mug small",
	short = "a mug of small beer",
	long = "A mug of small beer stands here, going flat.",
	desc = [[Weak, brown and honest. Odile brews it in the yard behind the inn and will not hear a word against it.]],
	type = "drink",
	weight = 1, value = 1, level = 1,
	nutrition = 3,
}

-- ---- containers ------------------------------------------------------------

item "satchel" {
	keywords = "satchel canvas bag",
	short = "a canvas satchel",
	long = "A canvas satchel lies here, its flap open.",
	desc = [[Heavy canvas with a leather strap and a buckled flap. The lining is stained with the ink of some earlier owner's maps.]],
	type = "container",
	weight = 2, value = 6, level = 1,
	capacity = 20, closed = false,
}

item "chest" {
	keywords = "chest iron founders",
	short = "an iron-bound chest",
	long = "An iron-bound chest squats against the wall, its lid rimed with cold.",
	desc = [[Black oak banded with iron, the wood gone as hard as stone with age. The lid is carved with the names of Emberfall's founding families, and one of the names has been chiselled out.]],
	type = "container",
	flags = { "notake" },
	weight = 200, value = 0, level = 1,
	capacity = 30, closed = true, locked = false,
	extra = {
		["names lid"] = [[Crane, Farrow, Hale, Marrow, Reed, and a rough hollow where a sixth name was.]],
	},
}

-- ---- the crypt key and what it opens onto ------------------------------------

item "crypt_key" {
	keywords = "key iron crypt",
	short = "an iron crypt key",
	long = "A heavy iron key lies here, dark with damp.",
	desc = [[A long key with a ring big enough to hang from a belt, and a bit shaped like a little tower. It is cold, and smells of well water.]],
	type = "key",
	weight = 1, value = 0, level = 1,
}

item "vael_coin" {
	keywords = "coin vael bronze green",
	short = "a green-crusted Vael coin",
	long = "A small coin crusted green with age lies here.",
	desc = [[A bronze coin the size of a thumbnail and heavier than it should be. One face shows a woman holding up a lamp; the other, a tower inside a circle and a word nobody in Emberfall can read.]],
	type = "treasure",
	weight = 1, value = 25, level = 1,
	extra = {
		["word"] = [[Five letters of an alphabet with too many curves. Aurel Vance, at the inn, thinks it says REMAIN.]],
	},
}

-- ---- things to find in the village -------------------------------------------

item "candle" {
	keywords = "candle stub votive",
	short = "a stub of votive candle",
	long = "A stub of votive candle lies here, still soft.",
	desc = [[A thumb's length of tallow with a blackened wick. The shrine-keeper gives one to anyone going down, and asks that they bring back the stub.]],
	type = "light",
	wear = { "light" },
	weight = 1, value = 1, level = 1,
	hours = 4,
}

item "copied_map" {
	keywords = "map copied vellum vael",
	short = "a copied map of Vael",
	long = "A folded map lies here, its corners soft with handling.",
	desc = [[A careful copy of a much older map, inked on cheap vellum. It shows a city of canals and towers where the Thornwood now stands, with the Archive marked near its heart. Beside it someone has pencilled "first quarter open?" and later, in a different hand, "yes".]],
	type = "treasure",
	weight = 1, value = 15, level = 1,
	extra = {
		["archive"] = [[A long building drawn in elevation, with a great many stairs going down and very few coming up.]],
	},
}

item "whetstone" {
	keywords = "whetstone stone grey",
	short = "a grey whetstone",
	long = "A grey whetstone lies here, worn into the shape of a saddle.",
	desc = [[Fine-grained and cool, hollowed in the middle by years of blades. The smith has three more and will not miss this one, she says, in a tone that suggests she will.]],
	type = "other",
	weight = 1, value = 3, level = 1,
}

-- ---- the villagers' things -------------------------------------------------

item "leather_apron" {
	keywords = "apron leather scorched",
	short = "a scorched leather apron",
	long = "A scorched leather apron lies here.",
	desc = [[Thick cowhide that reaches from the chest to the shins, burned through in little constellations.]],
	type = "armor",
	wear = { "body" },
	weight = 4, value = 6, level = 1,
	armor = 1,
}

item "smith_hammer" {
	keywords = "hammer peen",
	short = "a cross-peen hammer",
	long = "A cross-peen hammer lies here, its handle dark with sweat.",
	desc = [[A short-handled smith's hammer with a wedge-shaped peen. The head has been replaced twice and the handle five times; the smith insists it is the same hammer.]],
	type = "weapon",
	wear = { "wield" },
	weight = 3, value = 12, level = 1,
	dice = { 1, 6 }, bonus = 0, noun = "pound",
}

item "watch_spear" {
	keywords = "spear watch",
	short = "a watchman's spear",
	long = "A watchman's spear lies here, its shaft wrapped in leather.",
	desc = [[An ash shaft with a leaf-shaped iron head and a crossbar below it, to stop whatever it stops from coming up the shaft. The leather wrapping is dark where the watch lean on it, which is most of the time.]],
	type = "weapon",
	wear = { "wield" },
	weight = 7, value = 20, level = 2,
	dice = { 1, 8 }, bonus = 0, noun = "pierce",
}

item "notebook" {
	keywords = "notebook field battered",
	short = "a battered field notebook",
	long = "A battered field notebook lies here, fat with loose pages.",
	desc = [[Water-stained boards held shut with string. Inside are copies of the marks on the old wall, a list of words in the Vael script with question marks beside most of them, and a great many drafts of a letter home that never gets past "Dear Mother, I am quite safe".]],
	type = "other",
	weight = 1, value = 5, level = 1,
}

item "bottle" {
	keywords = "bottle empty green",
	short = "an empty green bottle",
	long = "An empty green bottle lies on its side here.",
	desc = [[It smelled of plums once. Tobin keeps it in case it refills itself, which he says has happened.]],
	type = "other",
	weight = 1, value = 0, level = 1,
}

item "hagstone" {
	keywords = "hagstone stone hole grey wren's",
	short = "Wren's hagstone",
	long = "A grey stone with a hole worn through it lies here.",
	desc = [[A smooth grey river stone with a hole worn clean through it by the water, on a loop of string. Wren says you can see the Ruin through it. If you hold it up and look through the hole at the forest, at night, you can see lights that are not there when you lower it. Probably a trick of the eye.]],
	type = "armor",
	wear = { "neck" },
	weight = 0, value = 3, level = 1,
	armor = 1,
}

-- ---- fixtures ----------------------------------------------------------------

item "bucket" {
	keywords = "bucket wooden well",
	short = "a wooden well bucket",
	long = "A dripping wooden bucket rests on the rim of the well.",
	desc = [[Oak staves and iron hoops, tied to the crank rope with a knot nobody has managed to untie in years. A little water always pools in the bottom, and sometimes something else.]],
	type = "container",
	flags = { "notake" },
	weight = 10, value = 0, level = 1,
	capacity = 10, closed = false,
}

item "anvil" {
	keywords = "anvil",
	short = "the anvil",
	long = "A scarred anvil squats on a stump by the forge.",
	desc = [[A black anvil on a section of oak trunk, its face polished bright by blows. The horn is chipped, and the smith will tell you who did it if you stand still long enough.]],
	type = "other",
	flags = { "notake" },
	weight = 300, value = 0, level = 1,
}

item "offering_bowl" {
	keywords = "bowl offering copper",
	short = "a copper offering bowl",
	long = "A shallow copper bowl sits by the mat, holding a few buttons.",
	desc = [[Hammered copper, green at the rim. People leave a coin when someone they love comes back to the mat, and a button when they cannot spare a coin.]],
	type = "container",
	flags = { "notake" },
	weight = 20, value = 0, level = 1,
	capacity = 10, closed = false,
}

item "button" {
	keywords = "button horn",
	short = "a horn button",
	long = "A horn button lies here.",
	desc = [[A plain horn button, left in thanks by someone who could not spare a coin. It is worth nothing, and it is not yours.]],
	type = "other",
	weight = 0, value = 0, level = 1,
}
