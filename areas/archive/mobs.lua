-- The Archive's inhabitants. The wardens are clockwork and keep the rules
-- on the porter's plate (show your token, do not speak in the
-- scriptorium, return what you borrow); what the Archive's water has made
-- of the rest is less orderly. At the bottom sits the Archivist.

-- ---- the wardens ---------------------------------------------------------------

mob "porter" {
	keywords = "porter warden brass clockwork",
	short = "the Porter",
	long = "The Porter stands behind the counter, one brass arm resting on the bar.",
	desc = [[A warden of brass and black enamel, taller than a man, with a face like a closed lantern and a slot in its chest where a ticket might go. Its right arm is joined by a rod to the brass bar across the stair. It has let nobody down without a token in three hundred years, and it sees no reason to start with you.]],
	level = 7, hp = 140, mana = 0, move = 0,
	damage = { 2, 7 }, armor = 7, gold = 0,
	flags = { "sentinel" },
}

mob "warden" {
	keywords = "warden clockwork brass",
	short = "a clockwork warden",
	long = "A clockwork warden walks its round, ticking, its lantern-face turning.",
	desc = [[A figure of brass plates over a frame of rods, with a glass face in which a small green flame burns where the eyes should be. It walks the Archive on the round it was given three hundred years ago, looking for readers without tokens. It finds a great many these days, and it deals with them as the rules say.]],
	level = 6, hp = 90, mana = 0, move = 200,
	damage = { 2, 6 }, armor = 6, gold = 0,
}

mob "proctor" {
	keywords = "proctor warden brass clockwork",
	short = "the Proctor",
	long = "The Proctor stands at the end of the desks, a finger raised to its grille.",
	desc = [[A slender warden with one long brass finger permanently raised to the grille of its mouth. It keeps the silence of the scriptorium, and it will remind you of it once. The copyists, the story goes, liked it; it never once told anyone off twice.]],
	level = 7, hp = 120, mana = 0, move = 40,
	damage = { 2, 8 }, armor = 6, gold = 0,
	flags = { "sentinel" },
}

mob "registrar" {
	keywords = "registrar warden brass clockwork",
	short = "the Registrar",
	long = "The Registrar stands at the high desk, turning the pages of a ledger that does not change.",
	desc = [[A warden made for writing, with six thin arms and a pen fitted to each. It keeps the Archive's lending ledger, and it will lend anything the Archive has to any reader who shows a token and asks properly, and write down that it did. It has not written anything down in three hundred years. It is very much looking forward to it.]],
	level = 8, hp = 150, mana = 0, move = 0,
	damage = { 3, 7 }, armor = 7, gold = 0,
	flags = { "sentinel" },
}

-- ---- what the water made -----------------------------------------------------

mob "paper_moths" {
	keywords = "moths swarm paper grey",
	short = "a swarm of paper moths",
	long = "A swarm of grey paper moths rises from the cards in a whispering cloud.",
	desc = [[Moths the colour and thickness of old paper, hundreds of them, that have eaten the catalogue down to a drift and are starting on the cabinets. Each one is harmless. Together they make a sound like somebody turning all the pages of a book at once, and they go for the eyes.]],
	level = 5, hp = 45, mana = 0, move = 100,
	damage = { 1, 5 }, armor = 1, gold = 0,
	flags = { "sentinel" },
}

mob "drowned_clerk" {
	keywords = "clerk drowned figure robes",
	short = "the drowned clerk",
	long = "A figure in sodden robes stands chest-deep in the ink, sorting pages from one pile to another.",
	desc = [[A clerk of the Office of Waters, or what the ink has kept of one: grey skin, black nails, robes gone to weed, and a little brass key on a ribbon round the neck. It sorts the floating pages into piles that the water undoes, patiently, over and over. It does not look up unless someone touches the piles. It wants the accounts to balance.]],
	level = 7, hp = 110, mana = 0, move = 40,
	damage = { 2, 7 }, armor = 3, gold = 15,
	flags = { "sentinel" },
}

mob "ink_eel" {
	keywords = "eel ink black",
	short = "an ink eel",
	long = "Something long and black turns under the water, and turns again.",
	desc = [[An eel as long as a man and as thick as your arm, black as the ink pool it was born in, with a mouth full of small backward teeth. The Archive's water has been kind to it. It wants whatever is standing in its water to stop.]],
	level = 6, hp = 70, mana = 0, move = 120,
	damage = { 2, 7 }, armor = 2, gold = 0,
}

-- ---- the Archivist -----------------------------------------------------------------

mob "archivist" {
	keywords = "archivist ysolde vey woman brass",
	short = "the Archivist",
	long = "The Archivist sits behind the stone desk, upright, as she has sat for three hundred years.",
	desc = [[A woman, or most of one. Her hands are her own, ink-stained and very old; the rest of her has been replaced, piece by piece, with brass and glass and the green light of the Archive's lamps, by wardens that were told to keep the records and counted her among them. Her eyes are two small green flames now, and she has put her spectacles away somewhere, since she no longer needs them. She remembers the night the city fell, and she would like very much to be allowed to stop.]],
	level = 10, hp = 340, mana = 200, move = 0,
	damage = { 3, 10 }, armor = 8, gold = 120,
	flags = { "sentinel" },
}
