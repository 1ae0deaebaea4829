-- The Archive's items. First the three pages of the Ledger of Waters that
-- the hermit wants: read together (look page), they say why Vael sank.
-- Then the things that get a reader in and out (the token, the clerk's
-- key and the strongbox it opens), what the Archive can be robbed of (Vael
-- iron, warden cogs, drowned books), and the named loot.

-- ---- the drowned ledger --------------------------------------------------------

item "ledger_page_1" {
	keywords = "page ledger ninth drowned first",
	short = "a drowned ledger page (the ninth)",
	long = "A ledger page lies here, stiff with dried silt.",
	desc = [[A page of heavy rag paper, ruled in red, the ink run blue at the edges but still legible. At the top: LEDGER OF WATERS. YEAR 411 OF THE LAMP. PAGE THE NINTH.

  Drawn from the Deep Cistern for the canals and fountains of the Upper City: 9,400 measures. (Year 410: 8,100. Year 409: 7,300.)
  Of which to the Festival of Lamps, for the fountains alone: 2,200 measures.

Beneath the figures, in a smaller and very tidy hand: "The masons report new cracks in the floors of Low Town, and a cellar on Cord Street fallen in. Entered under Repairs, by the Council's instruction, and not under Waters."]],
	type = "other",
	flags = { "unique" },
	weight = 0, value = 0, level = 1,
}

item "ledger_page_2" {
	keywords = "page ledger twelfth drowned second letter",
	short = "a drowned ledger page (the twelfth)",
	long = "A ledger page lies here, folded twice along old creases.",
	desc = [[A ledger page with a letter copied onto it in a clerk's careful hand. At the top: PAGE THE TWELFTH. COPIED INTO THE LEDGER AT THE WARDEN OF WELLS' INSISTENCE.

  "To the Council of Vael. The Deep Cistern is not a cistern. It is the hollow we have made under our own streets, measure by measure, for four hundred years, and its roof is the floor of the city. Every measure we draw for the fountains is a measure of stone we take from under our own feet. Stop the pumps. I will sign this in front of anyone you like. Maud Lark, Warden of Wells."

Under the letter, stamped in red with the Council's seal: RECEIVED. NOTED. NOT TO BE READ ALOUD.]],
	type = "other",
	flags = { "unique" },
	weight = 0, value = 0, level = 1,
}

item "ledger_page_3" {
	keywords = "page ledger last drowned third entry",
	short = "the last page of the drowned ledger",
	long = "A ledger page lies here, its writing running off the bottom edge.",
	desc = [[The last page of the Ledger of Waters. The entry begins in a small exact hand and does not finish in one.

  "Night of the Festival. The Council orders the Warden of Wells' letter struck from the Ledger, and her name from the rolls, so that it will be said she never warned us, and said after that she opened the sluices herself. I will not strike it. I have copied it into the Ledger twice. The fountains are running. The reading room floor hums like a struck bell. I have told the wardens to let no one in and no one out, so that the records at least will remain.

  Whoever reads this: we were told. We were told, and we chose the fountains.

  Ysolde Vey, Archivist."]],
	type = "other",
	flags = { "unique" },
	weight = 0, value = 0, level = 1,
}

-- ---- getting in and getting it out ------------------------------------------------

item "reader_token" {
	keywords = "token reader's readers brass chain",
	short = "a brass reader's token",
	long = "A brass token on a short chain lies here, stamped with a number.",
	desc = [[A brass disc the size of a coin, on a chain meant to hang from a button. One side is stamped with a lamp and a book; the other with the number 4 and the word READER. The wardens, who cannot read a face, can read this.]],
	type = "other",
	weight = 0, value = 5, level = 1,
	on_get = function(item, ch)
		local moths = mob_here(ch.room, "archive:paper_moths")
		if moths and not moths.fighting then
			moths:emote("rises out of the drift in a whispering cloud, straight at " .. ch.name .. "'s face.")
			moths:attack(ch)
		end
	end,
}

item "card_drift" {
	keywords = "drift cards index heap",
	short = "a drift of index cards",
	long = "Index cards lie in a soft grey drift against the cabinets, deep enough to lose a hand in.",
	desc = [[Thousands of cards, spilled from the drawers and trodden into a bank like old snow. Anything small dropped here would be lost for good, unless somebody went through the drift with their hands.]],
	type = "container",
	flags = { "notake" },
	weight = 50, value = 0, level = 1,
	capacity = 20, closed = false,
}

item "strongbox" {
	keywords = "strongbox box iron chained",
	short = "a chained strongbox",
	long = "An iron strongbox sits on a drowned desk, chained to its leg.",
	desc = [[A squat iron box with a brass lock, chained to the carrel desk by a chain a child could lift and nobody could break. A brass plate on the lid reads OFFICE OF WATERS. The lock is small, clean and has been oiled, recently, by somebody.]],
	type = "container",
	flags = { "notake" },
	weight = 80, value = 0, level = 1,
	capacity = 10, closed = true, locked = true, key = "clerk_key",
}

item "clerk_key" {
	keywords = "key brass small ribbon clerk's",
	short = "a small brass key on a green ribbon",
	long = "A small brass key on a rotten green ribbon lies here.",
	desc = [[A neat little key on a ribbon that was green once and is now mostly the memory of green. A paper tag on the ribbon says WATERS, in a clerk's hand.]],
	type = "key",
	weight = 0, value = 0, level = 1,
}

-- ---- things worth carrying out -----------------------------------------------------

item "vael_iron" {
	keywords = "bar iron vael grey ingot",
	short = "a bar of grey Vael iron",
	long = "A bar of dull grey metal lies here, untouched by rust.",
	desc = [[A bar of grey metal as long as your forearm, cold and a little heavier than iron ought to be. Three hundred years underwater have not given it a speck of rust. Hask the smith in Emberfall would give a good deal to know why.]],
	type = "treasure",
	weight = 4, value = 30, level = 1,
}

item "warden_cog" {
	keywords = "cog brass wheel warden's",
	short = "a brass warden's cog",
	long = "A brass cog the size of a palm lies here, still turning slowly.",
	desc = [[A toothed brass wheel from the inside of a warden, stamped with the same tower and circle as the Vael coins. It goes on turning in your hand for a long time after it comes out, slowing, as if it had not been told.]],
	type = "treasure",
	weight = 1, value = 15, level = 1,
}

item "drowned_book" {
	keywords = "book drowned waterlogged swollen",
	short = "a waterlogged book",
	long = "A waterlogged book lies here, swollen to twice its size.",
	desc = [[A book swollen into a brick, its boards warped into a smile. A few pages near the middle have kept their ink: a diagram of a pump, and a list of fountains with their flows. Aurel Vance at the inn in Emberfall pays for anything with writing on it.]],
	type = "treasure",
	weight = 3, value = 10, level = 1,
}

item "scav_journal" {
	keywords = "journal notebook scavenger's anno",
	short = "a scavenger's journal",
	long = "A scavenger's journal lies here, weighted with a stone.",
	desc = [[An oilskin notebook, the last pages dated. "Brass man at the stair wants a token. Won't take coin. Won't take no. Wouldn't take Harl. Tokens in the catalogue hall, under the cards, someone said: going through the drift tomorrow." Then: "Got one. Number 4. Going down." Then nothing. Written inside the cover: ANNO, IF FOUND RETURN TO ROOK AT THE LADDER.]],
	type = "other",
	weight = 1, value = 0, level = 1,
}

-- ---- named things ----------------------------------------------------------------

item "warden_baton" {
	keywords = "baton warden's brass rod",
	short = "a warden's baton",
	long = "A short brass baton lies here, weighted at one end.",
	desc = [[A rod of brass as long as your arm, weighted at the striking end and worn smooth at the other, made to be held by a hand that does not tire. It is inscribed along its length: QUIETLY, PLEASE.]],
	type = "weapon",
	wear = { "wield" },
	weight = 5, value = 55, level = 6,
	dice = { 2, 5 }, bonus = 1, noun = "crush",
}

item "lamp_of_vael" {
	keywords = "lamp vael green glass",
	short = "the Lamp of Vael",
	long = "A small lamp of green glass burns here, without oil and without smoke.",
	desc = [[A reading lamp of green glass on a foot of grey stone, no bigger than your two hands together. It burns on a glass wick with a steady green flame that needs no oil and gives no heat, and it leans, very slightly, toward whoever carries it. The Archivist kept it by the lectern for whoever would come to read the truth. It seems to have decided that is you.]],
	type = "light",
	wear = { "light" },
	flags = { "glow", "unique" },
	weight = 1, value = 120, level = 5,
	max_world = 1,
}

item "archivist_rod" {
	keywords = "rod archivist's ledger-rod steel black",
	short = "the Archivist's ledger-rod",
	long = "A long black rod lies here, ruled with brass marks like a measure.",
	desc = [[A rod of black Vael steel as long as a walking stick, ruled along its whole length with brass marks for measuring the lines of a ledger. It was made to keep straight columns. It has since been used to keep other things in order.]],
	type = "weapon",
	wear = { "wield" },
	weight = 4, value = 150, level = 9,
	dice = { 2, 6 }, bonus = 3, noun = "crush",
}

item "remain_ring" {
	keywords = "ring remain grey stone",
	short = "the ring called Remain",
	long = "A ring of grey stone lies here, warm as if someone had just taken it off.",
	desc = [[A plain band cut from the grey stone of Vael, warm to the touch like the old wall at Emberfall. Inside it, in the curving script of the drowned city, one word: REMAIN. It fits whoever puts it on, and it is difficult, though not impossible, to take off.]],
	type = "armor",
	wear = { "finger" },
	flags = { "unique" },
	weight = 0, value = 200, level = 9,
	armor = 5,
	max_world = 1,
}

item "archivist_spectacles" {
	keywords = "spectacles glasses archivist's",
	short = "the Archivist's spectacles",
	long = "A pair of steel-rimmed spectacles lies folded on the desk.",
	desc = [[Small round lenses in thin steel rims, folded as neatly as a letter. Through them the world looks much the same, except that writing stands out from everything else, very sharp, as if it mattered more.]],
	type = "armor",
	wear = { "head" },
	weight = 0, value = 80, level = 7,
	armor = 3,
}
