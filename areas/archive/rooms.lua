-- The Sunken Archive's rooms, top to bottom: the broken dome and the
-- porter's lodge (z -1), the stacks, the scriptorium and the registry
-- (z -2), the flooded reading hall and the reading room (z -3), and the
-- undercroft, where the pumps and the cistern are and the Archivist waits
-- (z -4). Rooms the wardens do not patrol are nomob.

-- ---- z -1: under the dome ----------------------------------------------------

room "broken_roof" {
	name = "The Broken Roof",
	desc = [[The rope ladder ends on a gallery that runs around the inside of a great dome, half of which is now sky. Under the gallery rail a drop goes down into darkness full of the sound of water. Carved along the rail, one word repeats all the way round: the same five curving letters as on the Vael coins. The gallery runs on east, a doorway south leads to a stair, and the ladder climbs back up to the forest.]],
	environment = "ruin",
	coords = { 2, 13, -1 },
	exits = {
		up = "thornwood:sinkhole_rim",
		east = "dome_gallery",
		south = "stair_head",
	},
	extra = {
		["rail word letters"] = [[REMAIN, the scholar at the inn would tell you. The letters have been touched by so many passing hands that the middle ones are almost gone.]],
		["drop darkness water"] = [[Far down, something pale floats on black water, turning slowly. Paper, you decide, and decide not to look any closer.]],
	},
	on_enter = function(room, ch)
		first_visit(room, ch, "broken_roof", "{WYou climb down out of the forest's light into the Sunken Archive. The air is still, and cold, and smells of old paper and deep water.{x")
	end,
}

room "dome_gallery" {
	name = "The Dome Gallery",
	desc = [[The gallery ends where the dome has fallen, at a ragged lip of stone and a long view down. Far below, a reading hall lies under black water, its long tables showing through like the ribs of a wreck. Scavengers camped here once: their fire-ring is cold and their blankets have been eaten by something with small teeth. The way back is west.]],
	environment = "ruin",
	coords = { 3, 13, -1 },
	exits = {
		west = "broken_roof",
	},
	extra = {
		["fire ring blankets camp"] = [[Five places round the fire, going by the flattened patches. Scratched into the wall above them: five names, four of them crossed out, and the last one, ANNO, circled.]],
		["hall tables below"] = [[The tables are laid out in rows like pews. On one of them, just above the water, a lamp still burns green.]],
	},
}

room "stair_head" {
	name = "The Porter's Lodge",
	desc = [[A marble counter stands across the head of a great stair, polished where three centuries of elbows have leaned on it. Behind it a board of hooks holds brass tokens on numbered chains, all but three hooks empty. Beyond a swinging bar of brass the stair goes down. The gallery is north, and a hall of little drawers opens to the west.]],
	environment = "ruin",
	coords = { 2, 12, -1 },
	flags = { "indoors" },
	exits = {
		north = "broken_roof",
		west = "catalogue_hall",
		down = "great_stair",
	},
	extra = {
		["counter marble elbows"] = [[A brass plate is set into the marble: READERS WILL SHOW THEIR TOKEN. READERS WILL NOT RUN. READERS WILL NOT SPEAK IN THE SCRIPTORIUM. READERS WILL RETURN WHAT THEY BORROW. The last line has been polished more than the others.]],
		["board hooks tokens chains"] = [[Numbered hooks, hundreds of them. The three tokens still hanging are numbered 1, 2 and 3, and have never been used: their chains are still bright.]],
		["bar brass"] = [[A bar like a toll-gate's, balanced so that it swings at a touch. It is connected by a rod to the Porter's arm.]],
	},
	before_leave = porter_bar,
}

room "catalogue_hall" {
	name = "The Catalogue Hall",
	desc = [[Cabinets of tiny drawers fill the hall from floor to ceiling, each drawer labelled in the Vael script and fitted with a brass handle the size of a fingernail. Many hang open, and the floor is a drift of index cards, soft as snow and just as quiet. Grey moths rise from the drift wherever you step. The porter's lodge is east.]],
	environment = "ruin",
	coords = { 1, 12, -1 },
	flags = { "indoors" },
	exits = {
		east = "stair_head",
	},
	extra = {
		["cabinets drawers handles labels"] = [[Each label is a name and a number. Some drawers have been pulled out and emptied onto the floor by scavengers looking for anything worth selling, which a card catalogue is not.]],
		["cards index card"] = [[Each card names a book, its shelf and who last borrowed it. The handwriting on the last cards is the same on all of them, small and exact, and the last date on every one is the same night.]],
	},
}

-- ---- z -2: the stacks ----------------------------------------------------------

room "great_stair" {
	name = "The Great Stair",
	desc = [[The stair comes down in a sweep wide enough for a procession and stops at a landing where the rest of it has fallen into the dark. Scavengers have made a newer way on from here with planks, rope and a ladder. Passages lead north into the stacks, west toward a green light, and south to a door standing open. The old stair climbs back up to the porter's lodge.]],
	environment = "ruin",
	coords = { 2, 12, -2 },
	flags = { "indoors" },
	exits = {
		up = "stair_head",
		north = "stacks_leaning",
		south = "map_room",
		west = "scriptorium",
		down = "flooded_stair",
	},
	extra = {
		["ladder planks rope"] = [[Lashed together by people who were in a hurry and then, judging by the extra knots, came back to think about it.]],
	},
}

room "stacks_leaning" {
	name = "The Leaning Stacks",
	desc = [[Shelves three storeys high have fallen against one another like a row of drunk men holding each other up, and the aisle between them has become a tunnel. Books have poured out in slopes of pulp and leather. Every so often one shifts and slides down with a sound like a sigh. The tunnel goes on east, lower, under the fallen shelves; the stair is south.]],
	environment = "ruin",
	coords = { 2, 13, -2 },
	flags = { "indoors" },
	exits = {
		east = "stacks_crawl",
		south = "great_stair",
	},
	extra = {
		["books slopes pulp leather"] = [[Most are past saving, swollen into bricks. You can still read a title here and there: A Treatise on the Raising of Water, The Fountains of the Upper City, Foundations (vol. IV of IX).]],
	},
	on_tick = function(room)
		if #room:players() > 0 and chance(25) then
			room:echo("Somewhere in the tunnel of shelves a slope of books shifts and slides, with a long sigh of paper.")
		end
	end,
}

room "stacks_crawl" {
	name = "Under the Fallen Stacks",
	desc = [[You go on hands and knees beneath a ceiling of shelves, through what was once an aisle and is now a crawl. Book-spines press down from above, close enough to read if there were light to read them by. Something has been living in here and eating the glue. The crawl opens to the north, and the leaning stacks are back to the west.]],
	environment = "ruin",
	coords = { 3, 13, -2 },
	flags = { "indoors", "dark" },
	exits = {
		north = "stacks_deep",
		west = "stacks_leaning",
	},
	extra = {
		["spines books glue"] = [[The spines have been nibbled bare in neat bands, all at the same height: the height of a mouth that is not a mouse's.]],
	},
}

room "stacks_deep" {
	name = "The Unreturned",
	desc = [[A round room where books that were never given back were shelved in disgrace: each spine carries a small brass plate with a borrower's name and a date. The dates all stop on the same night. Somebody still keeps this room swept, and the brooms lean in a rack by the crawl, worn down to the binding. The only way out is the crawl, south.]],
	environment = "ruin",
	coords = { 3, 14, -2 },
	flags = { "indoors", "dark" },
	exits = {
		south = "stacks_crawl",
	},
	extra = {
		["plates plate names brass borrower"] = [[Hundreds of names. One plate is larger than the others, on a thin grey book bound in oilcloth: M. LARK, WARDEN OF WELLS. The book has been taken, and the plate left, and the shelf is dusted around the gap.]],
		["brooms rack"] = [[Brass brooms for brass hands, their bristles worn down to stubs. Nobody has wound whoever uses them in a while; the newest stub is thick with dust.]],
	},
}

room "scriptorium" {
	name = "The Scriptorium",
	desc = [[Long desks stand in rows beneath lamps that still burn, somehow, with a small green flame. At each desk a copy lies half-finished, the pen laid beside it where its copyist set it down to go and see what the noise was. A sign over the door says SILENCE, in the Vael script and then in three other languages. The stair is east, and the registry north.]],
	environment = "ruin",
	coords = { 1, 12, -2 },
	flags = { "indoors" },
	exits = {
		east = "great_stair",
		north = "registry",
	},
	extra = {
		["desks copies copy pen"] = [[The nearest copy is of a list of figures, carefully ruled, the same figures going up and up a column. The copyist has got as far as the year 411 and stopped, mid-numeral.]],
		["lamps green flame"] = [[They burn without oil, on a wick of something like glass, with no smoke and no heat. Every one of them leans very slightly toward the stair, as if listening.]],
		["sign silence"] = [[SILENCE. Under it a smaller plate: THE PROCTOR WILL REMIND YOU ONCE.]],
	},
}

room "registry" {
	name = "The Registry",
	desc = [[A high desk like a pulpit stands in a room lined with ledgers, every one chained to its shelf. This is where the Archive wrote down who had borrowed what, and when, and whether they had brought it back. The last ledger lies open on the desk with a pen on a chain beside it. The scriptorium is south.]],
	environment = "ruin",
	coords = { 1, 13, -2 },
	flags = { "indoors" },
	exits = {
		south = "scriptorium",
	},
	extra = {
		["ledger ledgers desk open pen"] = [[The open ledger's last lines: a book of maps, returned; a grammar, returned; and, in a different ink, "Ledger of Waters, page the twelfth, held at the Registry by the Archivist's order, to be lent to readers only." Below that, in a shaking hand, the day's date, and nothing else.]],
		["chains shelves"] = [[Each ledger is chained to its shelf, and each chain is long enough to reach the desk and not an inch longer.]],
	},
}

room "map_room" {
	name = "The Map Floor",
	desc = [[The whole floor of this room is a map of Vael in coloured stone: the canals in blue glass, the towers in white marble, the Archive in gold at the centre. A crack runs through the map from one side to the other, and the southern quarter has sunk a hand's breadth lower than the rest. Someone has set a candle stub on the gold square. The stair is north.]],
	environment = "ruin",
	coords = { 2, 11, -2 },
	flags = { "indoors" },
	exits = {
		north = "great_stair",
	},
	extra = {
		["map canals towers vael"] = [[Forty towers, sixty bridges, and at every crossing of two canals a tiny fountain set in silver. Someone with a nail has scratched a mark beside every fountain. There are forty of them.]],
		["crack quarter southern"] = [[The crack follows no street. It runs straight across canals, towers and squares, and where it crosses the little silver fountains it has split each one in half.]],
		["candle stub gold"] = [[A village candle, the kind the shrine-keeper in Emberfall gives out. It burned down to nothing here, and nobody came back for the stub.]],
	},
}

-- ---- z -3: the flooded halls -------------------------------------------------

room "flooded_stair" {
	name = "The Stair into the Water",
	desc = [[The scavengers' ladder comes down onto the last dry steps of the great stair, and then the stair goes on into black water without you. The water is cold, still and faintly sweet, like a cellar. Wade north into the reading hall, or climb back up.]],
	environment = "ruin",
	coords = { 2, 12, -3 },
	flags = { "indoors" },
	exits = {
		up = "great_stair",
		north = "reading_hall",
	},
	extra = {
		["water"] = [[You can see the steps going down under the surface, clean and white, as far as the light goes. They do not look drowned. They look as if they are waiting for the water to leave.]],
	},
}

room "reading_hall" {
	name = "The Great Reading Hall",
	desc = [[You wade waist-deep through the hall where Vael came to read. Long tables stand under the water with their lamps still on them, and the light that falls through the broken dome far above turns the surface to pewter. Paper drifts past in slow rafts. To the north, bronze doors stand at the top of a short flight of steps above the waterline; the hall goes on east and west, and the stair is south.]],
	environment = "water",
	coords = { 2, 13, -3 },
	flags = { "indoors" },
	exits = {
		north = {
			to = "reading_room",
			door = "door doors bronze",
			key = "thornwood:reading_key",
			closed = true,
			locked = true,
			pickproof = true,
			desc = "Two leaves of bronze, green with age, dry above the waterline. Cast into them: a lamp, a book, and a keyhole shaped like a little stair.",
		},
		east = "drowned_carrels",
		south = "flooded_stair",
		west = "ink_pool",
	},
	extra = {
		["tables lamps"] = [[Under the water the lamps still glow, a dull green, as though someone might come back to finish reading.]],
		["paper rafts"] = [[Leaves of a hundred books, stuck together in mats. Every one you turn over is blank: the water took the ink years ago, everywhere except in the ink pool to the west, where there is nothing but ink.]],
	},
	on_enter = function(room, ch)
		if ch.is_player and chance(25) then
			ch:send("Something long and smooth brushes past your legs under the water, and is gone.")
		end
	end,
}

room "drowned_carrels" {
	name = "The Drowned Carrels",
	desc = [[Small wooden booths line the walls, each with a desk and a stool for one reader, and each now a little flooded room of its own. In one of them a strongbox has been chained to the leg of the desk, as if whoever sat there did not trust the Archive with it. Something long moves under the water between the booths. The hall is west.]],
	environment = "water",
	coords = { 3, 13, -3 },
	flags = { "indoors" },
	exits = {
		west = "reading_hall",
	},
	extra = {
		["booths booth carrels desk stool"] = [[A name is carved into the desk with the strongbox: the carrel was reserved, in perpetuity, for the Office of Waters. The chain is short and very well made.]],
	},
}

room "ink_pool" {
	name = "The Ink Pool",
	desc = [[The water at this end of the hall is black: the Archive's great ink-store burst when the city sank, and three hundred years have not been enough to clear it. It leaves a tide-mark on your skin. Steps lead down into darker water still, a round doorway opens to the west, and the hall is east.]],
	environment = "water",
	coords = { 1, 13, -3 },
	flags = { "indoors", "dark" },
	exits = {
		east = "reading_hall",
		west = "bell_shaft",
		down = "sluice_gallery",
	},
	extra = {
		["ink water black"] = [[It smells of oak galls and iron. Pages float in it, and on these pages, uniquely, the writing survives, because the whole pool is writing.]],
		["steps down"] = [[A narrow service stair, for the people who worked the pumps. A brass sign at its head, furred with verdigris: WATERS. AUTHORISED PERSONS.]],
	},
}

room "bell_shaft" {
	name = "The Bell Shaft",
	desc = [[A round shaft of grey stone rises from here to a small circle of sky, very far above. A bronze bell hangs in it from a rotted beam, its lip just touching the water, and every ripple makes it speak, softly, like someone humming in another room. Iron rungs climb the shaft wall toward the forest. The ink pool is east.]],
	environment = "ruin",
	coords = { 0, 13, -3 },
	flags = { "nomob" },
	exits = {
		east = "ink_pool",
		up = "thornwood:moon_glade",
	},
	extra = {
		["bell bronze beam"] = [[Cast around its waist: I RANG FOR THE FESTIVAL. The clapper is gone. The bell rings anyway.]],
	},
	on_enter = function(room, ch)
		if ch.is_player then
			ch:send("The ripples of your coming reach the bell, and it hums, very softly, a note you feel in your back teeth.")
		end
	end,
}

room "reading_room" {
	name = "The Reading Room",
	desc = [[Behind the bronze doors the reading room is dry, and it has been waiting. Leather chairs stand around a single lectern, and on the lectern is an empty cradle for a book the size of a gravestone. Everything is in order except the floor, which is cracked from wall to wall in a fine web, as if a bell had been struck beneath it. The doors are south.]],
	environment = "inside",
	coords = { 2, 14, -3 },
	flags = { "indoors", "nomob" },
	exits = {
		south = {
			to = "reading_hall",
			door = "door doors bronze",
			key = "thornwood:reading_key",
			closed = true,
			locked = true,
			pickproof = true,
			desc = "The inside of the bronze doors, with the same little stair-shaped keyhole.",
		},
	},
	extra = {
		["lectern cradle"] = [[The cradle is shaped for the Ledger of Waters, and it is empty. Tucked into it is a card in a small exact hand: "Pages the ninth, twelfth and last removed for safekeeping, one to the Office of Waters, one to the Registry, one kept by me. Should the Ledger be struck, these will remain. Y.V."]],
		["chairs leather"] = [[Six chairs. Five have been sat in until the leather cracked. The sixth, at the head of the lectern, has a blanket folded on it, as if for someone who felt the cold.]],
		["floor crack web"] = [[The cracks are fine and even, and they hum very faintly if you put your ear to them. You can feel it in your teeth.]],
	},
	on_enter = function(room, ch)
		if first_visit(room, ch, "reading_room", "{WYou are the first reader to stand in this room in three hundred years. It is very quiet, the way a room is quiet when it has been holding its breath.{x") then
			ch:add_exp(150)
		end
	end,
}

-- ---- z -4: the undercroft ------------------------------------------------------

room "sluice_gallery" {
	name = "The Sluice Gallery",
	desc = [[Below the Archive the stone gives way to iron: a gallery of great pipes, each as wide as a doorway, runs off into the dark, with valve-wheels taller than a man. The pipes are dry and cold. A brass plate on each names a district of the city, and the largest says only FOUNTAINS. Steps climb to the ink pool, the gallery goes on east, and a passage leads south toward a smell of deep water.]],
	environment = "ruin",
	coords = { 1, 13, -4 },
	flags = { "indoors", "dark" },
	exits = {
		up = "ink_pool",
		east = "winding_room",
		south = "cistern_edge",
	},
	extra = {
		["pipes pipe plates plate fountains"] = [[LOW TOWN. CORD STREET. THE CANALS. THE FOUNTAINS. The fountains pipe is twice the width of the others, and its valve-wheel has been chained open, and the chain sealed with the Council's seal.]],
		["wheels valve wheel"] = [[Each wheel has a brass pointer and a dial, and each dial is marked in measures drawn. Every pointer stands at the far end of its dial.]],
	},
}

room "winding_room" {
	name = "The Winding Room",
	desc = [[A spring as big as a cartwheel lies coiled in a pit in the floor, joined by rods and chains to every wall. The wardens come here one at a time to stand in a niche and be wound, by a great key turning on its own with a sound like a clock in an empty house. The empty niches outnumber the full ones. The sluice gallery is west.]],
	environment = "ruin",
	coords = { 2, 13, -4 },
	flags = { "indoors", "dark" },
	exits = {
		west = "sluice_gallery",
	},
	extra = {
		["spring pit key"] = [[The spring is still wound, still slowly unwinding, and has been for three hundred years. The great key turns once an hour. Nobody winds the spring.]],
		["niches niche"] = [[Forty niches. Nine hold wardens, standing with their heads bowed. Over each empty niche a name has been chalked, very neatly, and then crossed out, very neatly.]],
	},
}

room "cistern_edge" {
	name = "The Edge of the Cistern",
	desc = [[The passage opens onto nothing. A ledge runs along the lip of a black lake so wide that no light finds its far side, with pillars going up into the dark like the legs of something standing in it. The pillars are cracked. The water is perfectly still, and some way below where, by the marks on the stone, it used to be. The sluice gallery is north, and a bronze door leads south.]],
	environment = "water",
	coords = { 1, 12, -4 },
	flags = { "indoors", "dark" },
	exits = {
		north = "sluice_gallery",
		south = "hall_of_record",
	},
	extra = {
		["pillars pillar cracked"] = [[Each pillar is as thick as a tower and cracked from the water to the dark in a long spiral, like a wrung cloth. One has no top. Its top is somewhere up there, in the Low Town, on its side.]],
		["marks stone lake water"] = [[Tide-lines, one above another, each carved with a year. 400. 405. 409. 411. Every year lower. Someone has carved a last line below all the others, much later, with a knife: NOW.]],
	},
}

room "hall_of_record" {
	name = "The Hall of Record",
	desc = [[The lowest hall of the Archive is round, its walls are shelves, and its shelves are full: this is where Vael kept the books it meant to keep forever. The lamps burn brighter here than anywhere above. At the centre, on a dais of grey stone, stands a desk with a chair behind it. A bronze door leads north to the cistern, and a smaller door behind the dais, south.]],
	environment = "ruin",
	coords = { 1, 11, -4 },
	flags = { "indoors", "nomob" },
	exits = {
		north = "cistern_edge",
		south = {
			to = "archivist_cell",
			door = "door small",
			closed = true,
			desc = "A small plain door behind the dais, the kind that leads to somebody's own room.",
		},
	},
	extra = {
		["shelves books walls"] = [[The books are dry, whole and in order, every spine labelled in the same small exact hand. It would take a lifetime to read them. Somebody has taken several.]],
		["desk dais chair"] = [[A desk of grey stone, bare except for an inkwell and a brass bell. The chair behind it has been worn to the shape of one person.]],
	},
	before_leave = hall_leave,
	before_command = hall_command,
}

room "archivist_cell" {
	name = "The Archivist's Cell",
	desc = [[A narrow room with a narrow bed that has not been slept in for a very long time, and a desk that has been used every day. On the desk stands a stack of paper three feet high, all in one hand: a copy of the Ledger of Waters, made over and over, each copy a little shakier than the last. A window of thick glass looks out into the black water of the cistern. The hall is north.]],
	environment = "inside",
	coords = { 1, 10, -4 },
	flags = { "indoors", "nomob" },
	exits = {
		north = {
			to = "hall_of_record",
			door = "door small",
			closed = true,
			desc = "The back of the small door.",
		},
	},
	extra = {
		["stack paper copies copy"] = [[The top copy breaks off halfway down a page. Under it the next is whole, and the next, and the next, each one ending with the same last line: "we were told, and we chose the fountains."]],
		["window glass cistern"] = [[Black water pressed flat against the glass. Once, while you watch, something pale and very large goes slowly past, and does not come back.]],
		["bed"] = [[Made, with hospital corners, three hundred years ago.]],
	},
}
