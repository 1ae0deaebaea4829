-- The Thornwood's items: what the burners sell, what the beasts leave
-- behind, three named pieces of loot, and the Lark key, which the hermit
-- gives to whoever brings him the drowned ledger and which opens the
-- Archive's reading room (archive:reading_hall, north).

-- ---- the burners' wares --------------------------------------------------------

item "charcoal_torch" {
	keywords = "torch charcoal pitch",
	short = "a pitch torch",
	long = "A stubby pitch torch lies here, its head black and sticky.",
	desc = [[A hazel pole with a head of rag, pitch and powdered charcoal, made by the burners for people who will insist on going into holes. It burns smoky and orange, and not for long.]],
	type = "light",
	wear = { "light" },
	weight = 2, value = 3, level = 1,
	hours = 6,
}

item "smoked_eel" {
	keywords = "eel smoked",
	short = "a smoked eel",
	long = "A smoked eel lies here, curled like a question mark.",
	desc = [[Caught in the Stillwater, gutted, and hung in the clamp smoke for a week until it went the colour of old leather. It tastes of smoke first, then of eel, then of smoke again for the rest of the day.]],
	type = "food",
	weight = 1, value = 4, level = 1,
	nutrition = 14,
}

item "tower_key" {
	keywords = "key iron tower tag",
	short = "an iron key on a wooden tag",
	long = "An iron key on a wooden tag lies here.",
	desc = [[A heavy iron key tied to a tag of split hazel. Burned into the tag: TOWER. RETURN TO SLOE. On the back, in smaller burns: SHE MEANS IT.]],
	type = "key",
	weight = 1, value = 20, level = 1,
}

item "honeycomb" {
	keywords = "honeycomb comb honey",
	short = "a piece of honeycomb",
	long = "A piece of honeycomb oozes gently on a leaf.",
	desc = [[A slab of comb wrapped in a dock leaf, heavy with dark honey that tastes of heather and of something older, like smoke in a church. Worse Ada's, by the colour.]],
	type = "food",
	weight = 1, value = 5, level = 1,
	nutrition = 8,
}

-- ---- what the beasts leave -----------------------------------------------------

item "wolf_pelt" {
	keywords = "pelt wolf grey",
	short = "a grey wolf pelt",
	long = "A grey wolf pelt lies here, inside out.",
	desc = [[Coarse grey fur over a soft undercoat, full of burrs. The burners pay for pelts, and Tamsin in Emberfall pays a little more, because she knows a man on the coast who pays a little more than that.]],
	type = "treasure",
	weight = 3, value = 12, level = 1,
}

item "boar_tusk" {
	keywords = "tusk boar yellow",
	short = "a yellowed boar tusk",
	long = "A curved yellow tusk lies here.",
	desc = [[A curve of yellow ivory as long as your hand, worn sharp along the inside edge from years of digging. Village children wear them on strings to look brave, and village mothers take them off them.]],
	type = "treasure",
	weight = 1, value = 8, level = 1,
}

item "flint_striker" {
	keywords = "flint steel striker tin pim",
	short = "a flint and steel in a tin",
	long = "A little tin box lies here, dented, with a flint rattling inside.",
	desc = [[A tin the size of a palm, holding a flint, a C-shaped steel and a twist of char-cloth. PIM is scratched on the lid, and under it, in an older hand, HIS FATHER'S, DON'T LOSE IT.]],
	type = "other",
	weight = 1, value = 2, level = 1,
}

-- ---- named things --------------------------------------------------------------

item "greymuzzle_pelt" {
	keywords = "pelt greymuzzle cloak mantle",
	short = "Greymuzzle's pelt",
	long = "A great pelt, white about the muzzle, lies here like a sleeping wolf.",
	desc = [[The hide of the old dam of the Thornwood pack, heavy as a blanket and worn across the shoulders like a mantle, with the white-muzzled head hanging at your back. It smells of wolf for a month. Wolves that catch the scent stop to think about it, briefly.]],
	type = "armor",
	wear = { "neck" },
	weight = 6, value = 60, level = 4,
	armor = 4,
}

item "thornbiter" {
	keywords = "thornbiter dagger thorn black",
	short = "Thornbiter",
	long = "A dagger that looks grown rather than forged lies here: Thornbiter.",
	desc = [[A long black thorn as hard as iron, hafted in a knot of bramble root that grips the hand back. It came out of the thing in Bramble Hollow. Cuts it makes close slowly and itch for a week.]],
	type = "weapon",
	wear = { "wield" },
	weight = 1, value = 70, level = 5,
	dice = { 2, 4 }, bonus = 2, noun = "pierce",
}

item "watchers_horn" {
	keywords = "horn watcher's watchers bronze",
	short = "the Watcher's Horn",
	long = "A bronze-bound horn lies here among the sticks, green with age.",
	desc = [[An aurochs horn bound in bronze, with a mouthpiece worn by lips that have been dust for three centuries. The watchtower sounded it when something came down the road. Engraved around the bell: WHAT I SEE, I SAY. You could use it, if you wanted the whole forest to know where you were.]],
	type = "other",
	wear = { "hold" },
	weight = 2, value = 45, level = 3,
	max_world = 1,
	on_use = horn_use,
}

item "silver_spoon" {
	keywords = "spoon silver",
	short = "a tarnished silver spoon",
	long = "A tarnished silver spoon lies here, bowl up.",
	desc = [[A silver teaspoon, black with tarnish, with a tiny lamp engraved on the handle. The raven on the watchtower has had it for years and has decided, on balance, that you deserve it more. Or it wanted what you gave it more. It is hard to tell with ravens.]],
	type = "treasure",
	weight = 0, value = 9, level = 1,
}

-- ---- the quest's reward ----------------------------------------------------------

item "reading_key" {
	keywords = "key bronze lark long",
	short = "the Lark key",
	long = "A long bronze key lies here, warm as a hand.",
	desc = [[A bronze key as long as your forearm, its bow cast as a lamp and its bit cut in steps like a stair. It has been polished by many hands, and it is warm. Along the shank, in the Vael script, a name: LARK. It opens the reading room of the Sunken Archive, for the first time in three hundred years.]],
	type = "key",
	flags = { "unique" },
	weight = 1, value = 0, level = 1,
}
