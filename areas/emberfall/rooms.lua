-- Emberfall's rooms, from the square outward: the village (safe), the old
-- wall above it, then the road and the Thornwood edge beyond the north gate
-- (not safe, closed to wandering mobs so villagers stay in and beasts out).

-- ---- the heart of the village ----------------------------------------------

room "square" {
	name = "Lantern Square",
	desc = [[Iron posts ring the square, and on every post hangs a lantern that is never allowed to go out. By village law their {ylantern-light{x must be visible from the forest's edge, so that whoever is still out there can find the way home. The cobbles are worn into a shallow dish in front of the notice board to the north, where people stand to read. The inn's door is west, a lane of shops runs east, and the well lies south.]],
	environment = "village",
	coords = { 0, 0, 0 },
	flags = { "safe", "recall", "start" },
	exits = {
		north = "board",
		east = "market_lane",
		south = "well",
		west = "inn",
	},
	extra = {
		["lantern lanterns post posts"] = [[Each post has a name painted on it in neat white letters: Hollin, Marta, the Gray Twins, Little Oswy, and a great many more. The lamplighter will tell you they are the names of people who did not come back, and then she will change the subject.]],
		["cobbles dish"] = [[Grey cobbles, polished by three generations of boots shuffling from foot to foot while their owners decided whether to go.]],
		["board notice"] = [[The notice board stands at the north end of the square, under its own little roof. You would have to walk over to it to read anything.]],
	},
}

room "board" {
	name = "The Notice Board",
	desc = [[A broad board of weathered oak stands here under a little shingled roof of its own, bristling with pins. Most of the notices are years old and half rain; the new ones are nailed over them without ceremony. Someone has cut a tally into the post beside it and stopped at forty-one. Lantern Square lies south, and Gate Lane runs north toward the wall.]],
	environment = "village",
	coords = { 0, 1, 0 },
	flags = { "safe" },
	exits = {
		north = "north_lane",
		south = "square",
	},
	extra = {
		["board notice notices pins"] = [[Three notices are fresh enough to read.

  WANTED: pages of a drowned ledger, any condition, brought up from the
  Sunken Archive. Ask for the hermit of the Thornwood, if he lets himself
  be asked.

  THE THORNWOOD PATHS DO NOT STAY WHERE YOU LEFT THEM AFTER DARK. Go by
  day, or go with a lantern and someone who can count. -- the Watch

  Fair coin paid for anything with writing on it from below, more for
  anything still dry. -- A. Vance, at the Lamp and Spade]],
		["tally post"] = [[Forty-one strokes cut with a knife, in neat groups of five. Nobody will say what they counted, or why they stopped.]],
	},
}

room "north_lane" {
	name = "Gate Lane",
	desc = [[A cart-rutted lane runs north between stacks of split firewood piled higher than a tall man. Sparks drift over the stacks from the smithy door to the east, and the stacks are wetted down every evening on account of it. Ahead, the lane ends at the north gate; behind, the notice board stands at the edge of the square.]],
	environment = "village",
	coords = { 0, 2, 0 },
	flags = { "safe" },
	exits = {
		north = "gate_yard",
		east = "smithy",
		south = "board",
	},
	extra = {
		["firewood wood stacks"] = [[Thornwood oak, split and stacked to season. Here and there a log has put out a green shoot since it was cut.]],
	},
}

room "smithy" {
	name = "The Smithy",
	desc = [[The forge takes up half the room and most of the air, its {rcoals{x banked under a hood of blackened brick. Tongs, hammers and half-made hinges hang from every beam. A rack by the door holds blunted practice swords, each with the chalked name of the apprentice who last broke it. Gate Lane is back out to the west.]],
	environment = "inside",
	coords = { 1, 2, 0 },
	flags = { "safe", "indoors" },
	exits = {
		west = "north_lane",
	},
	extra = {
		["rack swords names chalk"] = [[The names on the grips have been rubbed out and rewritten so many times the wood has gone grey. The newest, in a child's hand, says WREN.]],
		["forge coals hood"] = [[The coals are banked but never let out. Leaning over them is like leaning over a sleeping dog that might not like it.]],
	},
}

room "gate_yard" {
	name = "Inside the North Gate",
	desc = [[Gate Lane ends at a pair of gates of black oak, banded with iron and taller than they need to be. A bell hangs in a frame beside them, its rope tied up out of children's reach. The watch-house door stands open to the west, and the lane leads back south into the village.]],
	environment = "village",
	coords = { 0, 3, 0 },
	flags = { "safe" },
	exits = {
		north = {
			to = "outside_gate",
			door = "gate north",
			closed = true,
			desc = "Two leaves of black oak banded with iron. Beyond them the road runs north into the Thornwood.",
		},
		south = "north_lane",
		west = "watch_house",
	},
	extra = {
		["bell frame rope"] = [[A squat bronze bell with a crack that gives it a sour note. It is rung at the turn of each hour, and otherwise only when someone comes back who was not expected to.]],
	},
}

room "watch_house" {
	name = "The Watch-House",
	desc = [[A single room of thick stone built into the wall, with a brazier, a bench and a cot nobody is supposed to sleep on. On the wall a slate records in two chalk columns who went out through the gate today and who came back. A stair in the corner climbs to the top of the wall, and the door to the gate yard is east.]],
	environment = "inside",
	coords = { -1, 3, 0 },
	flags = { "safe", "indoors" },
	exits = {
		east = "gate_yard",
		up = "wall_walk",
	},
	extra = {
		["slate columns chalk"] = [[OUT: a column of names, and one entry that just says "dog?". IN: a shorter column. The difference has been worked out at the bottom and circled, twice.]],
		["cot"] = [[The blanket is folded with the kind of precision that means somebody was asleep on it a minute ago.]],
	},
}

-- ---- the old wall ------------------------------------------------------------

room "wall_walk" {
	name = "The Old Wall",
	desc = [[The wall is older than the village, built of dressed grey stone that nobody in Emberfall knows how to cut; the first settlers simply leaned their houses against it and stopped asking. From up here the roofs crowd south toward the glow of the square, and to the north the Thornwood stands close and dark. The walk runs east above the gate, and a stair leads down into the watch-house.]],
	environment = "village",
	coords = { -1, 3, 1 },
	flags = { "safe" },
	exits = {
		east = "gate_top",
		down = "watch_house",
	},
	extra = {
		["stone stones joints mark"] = [[The joints are so fine you cannot work a knife blade between them. A few blocks carry a worn mark: a tower inside a circle, the same mark the scavengers find on coins from the Ruin.]],
	},
}

room "gate_top" {
	name = "Above the North Gate",
	desc = [[A platform of planks spans the gate between two stubs of the old wall. Below, the road runs straight north for a bowshot before the trees swallow it whole. A lantern on an iron arm hangs out over the road, facing the forest rather than the village. East of here the wall has fallen, and the gap is stopped with a hedge of cut thorn; the walk returns west.]],
	environment = "village",
	coords = { 0, 3, 1 },
	flags = { "safe" },
	exits = {
		west = "wall_walk",
	},
	extra = {
		["hedge thorn gap"] = [[Cut thorn branches, woven and staked. They were cut last spring, and some of them have taken root.]],
	},
}

-- ---- east: the shops -------------------------------------------------------

room "market_lane" {
	name = "Market Lane",
	desc = [[A short lane of shopfronts runs east from the square, most of them shuttered since the last good year. A cooper's sign still hangs over one locked door, promising barrels to nobody. The general store at the far end is the only shop with its lamp lit. The square is back to the west.]],
	environment = "village",
	coords = { 1, 0, 0 },
	flags = { "safe" },
	exits = {
		east = "store",
		west = "square",
	},
	extra = {
		["sign cooper"] = [[A painted barrel, and under it: HOB CRANE, COOPER. Someone has added, much later and in smaller letters, GONE DOWN.]],
	},
}

room "store" {
	name = "Tamsin's General Store",
	desc = [[Shelves climb to the rafters, stocked with rope, candles, lamp oil, hard bread and every kind of small sack. A counter of scarred pine runs the width of the room, with a brass scale at one end and a bell at the other. Behind it a hand-lettered sign reads: WE BUY RUIN-GOODS. WE DO NOT BUY CURSES. ASK. The door to Market Lane is west.]],
	environment = "inside",
	coords = { 2, 0, 0 },
	flags = { "safe", "indoors" },
	exits = {
		west = "market_lane",
	},
	extra = {
		["scale brass pan"] = [[One pan is slightly bent. Tamsin says it averages out.]],
		["sign"] = [[Under the lettering, in pencil: "Curses include: anything that hums, anything that is warm when it shouldn't be, and dolls."]],
	},
}

-- ---- south: the well and the shrine ----------------------------------------

room "well" {
	name = "The Village Well",
	desc = [[The well stands in a little yard south of the square, ringed by a knee-high wall of the same grey stone as the village wall. A crank and a new rope hang above it. Drop a pebble in and you wait a long time for the splash, far longer than any well needs. Lantern Square is north and Shrine Lane runs south.]],
	environment = "village",
	coords = { 0, -1, 0 },
	flags = { "safe" },
	exits = {
		north = "square",
		south = "south_lane",
	},
	extra = {
		["well shaft water"] = [[The shaft is lined with the grey stone for as far down as the light goes. Far below, something catches the light that might be water.]],
		["crank rope"] = [[The rope is new because the old one was not long enough. Neither was the one before that.]],
	},
}

room "south_lane" {
	name = "Shrine Lane",
	desc = [[A quiet lane of low houses with herbs drying under the eaves. Small stones are stacked on the doorsteps, one for each time somebody in the house went down into the Ruin and came back. Some of the stacks are tall. The shrine's open door is west, and the well lies north.]],
	environment = "village",
	coords = { 0, -2, 0 },
	flags = { "safe" },
	exits = {
		north = "well",
		west = "shrine",
	},
	extra = {
		["stones stacks stack doorsteps"] = [[River stones, each one chosen with care. One doorstep has a single stone on it, and someone has set a sprig of rosemary beside it.]],
	},
}

room "shrine" {
	name = "The Shrine of the Returning",
	desc = [[A low round room of whitewashed stone, warm from a hundred {ycandles{x on tiered shelves. This is where the dead of Emberfall come back, gasping, on the worn mat in the middle of the floor, so the keeper keeps blankets folded and a kettle on. An iron trapdoor is set into the floor beside the mat. The lane is out to the east.]],
	environment = "inside",
	coords = { -1, -2, 0 },
	flags = { "safe", "indoors" },
	exits = {
		east = "south_lane",
		down = {
			to = "crypt",
			door = "trapdoor iron",
			key = "crypt_key",
			closed = true,
			locked = true,
			desc = "An iron trapdoor set flush with the floor, with a keyhole shaped like a little tower.",
		},
	},
	extra = {
		["mat"] = [[A braided rag mat, worn thin in the middle. It is, the keeper says, the third one this year.]],
		["candles shelves"] = [[Each candle stands for someone who is down in the Ruin right now. When they come back, by the door or by the mat, they blow out their own.]],
	},
	on_enter = function(room, ch, from)
		if not ch.is_player or from ~= nil then
			return
		end
		for _, m in ipairs(room:mobs()) do
			if m.id == "emberfall:shrine_keeper" then
				wait(1)
				m:emote("wraps a blanket round " .. ch.name .. "'s shoulders and puts a cup of something hot into " .. their(ch) .. " hands.")
				m:say("There now. You're back. They all come back here, the first few times.")
				return
			end
		end
	end,
}

room "crypt" {
	name = "The Founders' Crypt",
	desc = [[A cold vault beneath the shrine, older than the shrine above it. Niches in the walls hold the bones of Emberfall's first settlers, each skull with a stub of candle before it, long gone out. The far wall is not masonry at all but a single block of the old wall's grey stone, and it is faintly warm to the touch. A ladder climbs back up to the trapdoor.]],
	environment = "inside",
	coords = { -1, -2, -1 },
	flags = { "safe", "dark", "indoors", "nomob" },
	exits = {
		up = {
			to = "shrine",
			door = "trapdoor iron",
			key = "crypt_key",
			closed = true,
			locked = true,
			desc = "The underside of the iron trapdoor, and a ladder up to it.",
		},
	},
	extra = {
		["wall block stone warm"] = [[Grey, seamless and warm as a sleeping animal. Put your ear to it and you hear nothing at all, which is somehow worse than hearing something.]],
		["niches bones skulls"] = [[Each niche has a name scratched above it. The settlers were buried with their shovels.]],
	},
}

-- ---- west: the inn ---------------------------------------------------------

room "inn" {
	name = "The Lamp and Spade",
	desc = [[A long low common room with a fire at one end, a bar at the other and benches scarred by a generation of knives. Shovels, picks and rusted lanterns hang from the beams, left by guests who meant to come back for them. It smells of woodsmoke, wet wool and onions. The door to the square is east, and a narrow stair climbs to the rooms above.]],
	environment = "inside",
	coords = { -1, 0, 0 },
	flags = { "safe", "indoors" },
	exits = {
		east = "square",
		up = "inn_upstairs",
	},
	extra = {
		["shovels picks tools lanterns beams"] = [[Each has a paper tag tied to it with a name and a date. The oldest tags have faded blank. The innkeeper dusts them on the first of every month.]],
		["fire hearth"] = [[A deep hearth with a bench built into each side. The warmest spot is, at all times, occupied by the cat.]],
	},
}

room "inn_upstairs" {
	name = "Upstairs at the Lamp and Spade",
	desc = [[A creaking landing under the eaves, lit by one small window over the square's lanterns. A chalkboard by the stair lists the rooms and who has paid; against nearly every name it says "in advance". A door to the west stands ajar on a rented room, and the stair goes down to the common room.]],
	environment = "inside",
	coords = { -1, 0, 1 },
	flags = { "safe", "indoors" },
	exits = {
		west = "inn_room",
		down = "inn",
	},
	extra = {
		["chalkboard board names"] = [[One name has no "in advance" against it: VANCE, with a note, "pays in books (?)".]],
	},
}

room "inn_room" {
	name = "A Rented Room",
	desc = [[A narrow room with a sloped ceiling, a straw bed and a washstand with a cracked jug. The last guest left in a hurry, or on purpose, and papers are still pinned to the wall over the bed. The window looks north over the old wall to the black line of the forest. The landing is east.]],
	environment = "inside",
	coords = { -2, 0, 1 },
	flags = { "safe", "indoors", "nomob" },
	exits = {
		east = "inn_upstairs",
	},
	extra = {
		["papers wall rubbings"] = [[Charcoal rubbings of carved letters in a script nobody uses any more, and a sketch of a long hall whose ceiling comes down at a slant, as if the artist drew it lying on the floor. In the corner one word is written and underlined: ARCHIVE.]],
		["window forest"] = [[At night you can see the lantern over the north gate, and beyond it nothing at all.]],
	},
}

-- ---- beyond the north gate: the Thornwood edge ------------------------------

room "outside_gate" {
	name = "Before the North Gate",
	desc = [[The road leaves the village gate and runs straight at the trees as if it had somewhere to be. Stumps line both sides where the forest has been cut back, and cut back again. A bell-pull hangs through a hole beside the gate for anyone who wants to be let in. North, the Thornwood begins.]],
	environment = "road",
	coords = { 0, 4, 0 },
	flags = { "nomob" },
	exits = {
		north = "thorn_edge",
		south = {
			to = "gate_yard",
			door = "gate north",
			closed = true,
			desc = "The village gate, black oak and iron. Somebody has carved EMBERFALL into it, and somebody else has added: PULL THE BELL.",
		},
	},
	before_command = function(room, ch, line)
		local verb, rest = line:lower():match("^%s*(%a+)%s*(.*)$")
		if not (verb == "pull" or verb == "ring") or not rest:find("bell", 1, true) then
			return
		end
		room:echo("The bell-rope jerks, and inside the wall a cracked bell clangs, sour and loud.")
		local yard = find_room("gate_yard")
		yard:echo("The bell in its frame by the gate clangs, sour and loud: someone is outside.")
		if room:door("south") == "open" then
			return false
		end
		for _, m in ipairs(yard:mobs()) do
			if m.id == "emberfall:guard" then
				room:open("south")
				room:echo("After a while the bar scrapes, and one leaf of the north gate swings open. Brannoc looks out at you, counting.")
				return false
			end
		end
		room:echo("Nobody comes. The lanterns on the wall burn on.")
		return false
	end,
}

room "thorn_edge" {
	name = "The Thornwood Edge",
	desc = [[The first trees close overhead and the light goes green and dim. Brambles thick as rope hang from the lower branches, armed with thorns the length of a finger. The road narrows to a track here. A clearing opens to the west, the track goes on north, and the road back to the gate lies south.]],
	environment = "forest",
	coords = { 0, 5, 0 },
	flags = { "nomob" },
	exits = {
		north = "thorn_path",
		south = "outside_gate",
		west = "thorn_stumps",
	},
	extra = {
		["brambles thorns"] = [[The thorns are dark at the tip, as if they had been dipped in ink. They hold onto cloth with real conviction.]],
	},
}

room "thorn_stumps" {
	name = "The Stump Field",
	desc = [[A clearing where the village once cut its firewood, until the stumps began to sprout faster than anyone could burn the wood. Some of the new shoots are already taller than you. Someone left an axe buried in the largest stump, and the stump has begun to grow around it. The track is back to the east.]],
	environment = "forest",
	coords = { -1, 5, 0 },
	flags = { "nomob" },
	exits = {
		east = "thorn_edge",
	},
	extra = {
		["axe stump"] = [[The bark has closed over the axe-head and half the haft. Whoever owned it is not coming back for it, and the stump seems to know.]],
	},
}

room "thorn_path" {
	name = "Where the Path Goes On",
	desc = [[The track dwindles to a deer path between walls of thorn. Ahead it bends out of sight and keeps on north, deeper into the Thornwood, though it never seems to bend the same way twice. A strip of red cloth tied to a branch marks the farthest the village children are allowed to go. The way back to Emberfall is south.]],
	environment = "forest",
	coords = { 0, 6, 0 },
	flags = { "nomob" },
	exits = {
		north = "thornwood:deer_path",
		south = "thorn_edge",
	},
	extra = {
		["cloth strip red branch"] = [[Faded almost to pink. A few paces on, someone has tied a second strip, and a few paces beyond that a third, just where the path bends away.]],
		["path north"] = [[The path goes on under the thorns. From here it looks like it goes somewhere. From here, it always does.]],
	},
}
