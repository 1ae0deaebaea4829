-- The Thornwood's rooms, south to north: the deer path out of Emberfall,
-- the split oak where the ways divide, the burners west and the wolves
-- east, the old Vael road north to the Stillwater, and beyond the stream
-- the hermit, the watchtower and the sink that opens onto the Archive.
-- Their triggers name functions in wood.lua, where the night is explained.

-- ---- the way in --------------------------------------------------------------

room "deer_path" {
	name = "The Deer Path",
	desc = [[Past the last strip of red cloth the thorns draw back a little, as though they had made their point. The path runs on between hazel and black oak, trodden bare by deer and by people who did not want to be seen leaving. In the mud a hoof-print has a boot-print inside it, going the other way. North, a great oak stands split in two; south lies the way back to Emberfall.]],
	environment = "forest",
	coords = { 0, 7, 0 },
	exits = {
		north = "split_oak",
		south = "emberfall:thorn_path",
	},
	extra = {
		["print prints hoof boot mud"] = [[The boot was heading for the village, in a hurry, and it trod the deer's print flat at the toe. Whoever it was ran the last part.]],
	},
}

room "split_oak" {
	name = "The Split Oak",
	desc = [[An oak as wide as a cottage stands here, split to the roots by some old lightning, and both halves have gone on living out of spite. Paths leave the clearing on every side: a sooty track west toward a smudge of smoke, a green tunnel east into the brambles, the old road north, and the deer path south. Somebody has nailed a horseshoe to each half of the tree, to be fair.]],
	environment = "forest",
	coords = { 0, 8, 0 },
	exits = {
		north = "old_road",
		east = "bramble_hollow",
		south = "deer_path",
		west = "burners_track",
	},
	extra = {
		["oak halves tree lightning"] = [[The two halves lean away from each other like an old couple who have stopped speaking. Each has put out its own crown, and their leaves turn at different times in autumn.]],
		["horseshoe horseshoes"] = [[Both are nailed points up, to hold the luck in. One has rusted through at the heel, and the luck has presumably drained out of it.]],
	},
}

-- ---- west: the charcoal burners --------------------------------------------

room "burners_track" {
	name = "The Burners' Track",
	desc = [[The track is black underfoot, ground charcoal packed hard by barrow wheels. Every trunk on either side has been coppiced, cut back to knuckled stumps that bristle with straight young poles, and the air tastes of smoke. The camp is west, and the split oak east.]],
	environment = "forest",
	coords = { -1, 8, 0 },
	exits = {
		east = "split_oak",
		west = "burners_camp",
	},
	extra = {
		["stumps poles coppice"] = [[Cut every seven years, the burners say, and every seven years they come back thicker. The oldest stools are wider than a cartwheel and have been cut more times than anyone has counted.]],
	},
}

room "burners_camp" {
	name = "The Burners' Camp",
	desc = [[A ring of turf huts crouches around a cooking fire, each with a kettle at its door and a pair of boots drying on a stick beside it. Cut poles wait in neat cords, measured with a knotted rope. North, past the huts, the earth clamps smoulder day and night; the track back to the split oak is east. Nobody here raises a hand in anger, because Gammer Sloe would hear about it.]],
	environment = "forest",
	coords = { -2, 8, 0 },
	flags = { "safe", "nomob" },
	exits = {
		north = "clamp_ring",
		east = "burners_track",
	},
	extra = {
		["huts turf hut"] = [[Low domes of turf over frames of bent hazel. You would have to crawl into one, and the burners would not thank you for it.]],
		["rope knotted cords poles"] = [[A cord is a stack four feet high, four feet deep and eight feet long. The rope has a knot at every foot, and a larger knot at four, and one knot that nobody can explain.]],
		["fire kettle kettles"] = [[Something with barley in it has been simmering since before you were born, topped up as it goes down.]],
	},
}

room "clamp_ring" {
	name = "The Clamps",
	desc = [[Six low mounds of turf and earth steam in a ring, like sleeping animals on a frosty morning. Inside each one a stack of wood is burning without flame, slowly, for days, becoming charcoal. A burner walks the ring at all hours stamping out any thread of smoke that gets too thick, because where one gets away the whole clamp can go up. The camp is south.]],
	environment = "forest",
	coords = { -2, 9, 0 },
	flags = { "nomob" },
	exits = {
		south = "burners_camp",
	},
	extra = {
		["mound mounds clamp clamps turf"] = [[Put a hand flat on the turf and it is warm as a loaf. The burners can tell by the colour of the smoke how each clamp is doing: blue is good, white is wet, yellow is trouble.]],
	},
}

-- ---- east: the wolves --------------------------------------------------------

room "bramble_hollow" {
	name = "Bramble Hollow",
	desc = [[The ground drops into a bowl where the brambles have closed over the top, so that you walk in a green cave roofed with thorns. Tufts of grey fur hang from the lowest barbs at about the height of a wolf's back. Something has been dragged through here more than once. The path climbs out north toward the wolf-run, and back west to the split oak.]],
	environment = "forest",
	coords = { 1, 8, 0 },
	exits = {
		north = "wolf_run",
		west = "split_oak",
	},
	extra = {
		["fur tufts barbs"] = [[Wolf, mostly. One tuft is the wrong grey, coarse and dry as old straw, as if the brambles had caught something that was partly made of them.]],
	},
}

room "wolf_run" {
	name = "The Wolf-Run",
	desc = [[A narrow trail, beaten flat and hard, runs between boulders furred with moss. The wolves use it the way people use a road, and they have left cracked bones along the verge like litter. The trail leads east to a hollow under a fallen tree, and south down into the brambles.]],
	environment = "forest",
	coords = { 1, 9, 0 },
	exits = {
		east = "wolf_den",
		south = "bramble_hollow",
	},
	extra = {
		["bones verge"] = [[Deer, mostly, split for the marrow. A few are a great deal older than the rest, grey and light as pumice, and carved along their length with tiny careful letters that are not a wolf's.]],
	},
}

room "wolf_den" {
	name = "Under the Fallen Ash",
	desc = [[A giant ash came down here long ago, and the wolves have dug out the hollow under its roots into a den that reeks of musk and old meat. The roots hang down around it like a curtain. Among the bones on the floor lies a leather collar with a little brass bell, which tells its own short story. The wolf-run is west.]],
	environment = "forest",
	coords = { 2, 9, 0 },
	exits = {
		west = "wolf_run",
	},
	extra = {
		["collar bell leather"] = [[The bell's clapper has been bitten off. A name is burned into the leather: BUTTON. The wolves seem to have kept it, which is either sentiment or a trophy.]],
		["roots curtain"] = [[Pale roots as thick as your wrist, hung with old fur and bits of string. The wolves have been using the string. You would rather not know for what.]],
	},
}

-- ---- north: the old road and the Stillwater --------------------------------

room "old_road" {
	name = "The Old Road",
	desc = [[Under the moss the path turns to paving: great slabs of grey stone laid so well that after three hundred years the roots have had to go round them. This was a road of Vael, and it still runs dead straight, as if the city were only a little way ahead. At night, the burners say, it does not always run to the same place. The road goes north toward the sound of water, and the split oak is south.]],
	environment = "road",
	coords = { 0, 9, 0 },
	exits = {
		north = "milestone",
		south = "split_oak",
	},
	extra = {
		["slabs paving stone moss"] = [[The joints are fine enough to stop a knife, like the old wall at Emberfall. Here and there a slab has been cut with a long groove for cart wheels that have not come this way in a very long time.]],
	},
	before_leave = wood_astray,
}

room "milestone" {
	name = "The Milestone",
	desc = [[A milestone of the same grey stone stands at the roadside, taller than a man, carved with a lamp, a tower inside a circle and a number worn past reading. North of it the road tilts down toward the stream, every slab a little lower than the last, as though the road had knelt. The old road runs south.]],
	environment = "road",
	coords = { 0, 10, 0 },
	exits = {
		north = "stream_bank",
		south = "old_road",
	},
	extra = {
		["milestone lamp tower circle number"] = [[Under the moss at its foot somebody has scratched VAEL 2, and under that, in another hand, "down, not on".]],
	},
	before_leave = wood_astray,
}

room "stream_bank" {
	name = "The Stillwater",
	desc = [[The road runs into a stream and does not come out, its last slabs vanishing under brown water. The Stillwater is wide, slow and so clear that you can watch the road go on along the bottom. Stepping stones cross to the north. Upstream to the west willows lean over a pool; downstream the water bends east out of sight. The milestone is south.]],
	environment = "forest",
	coords = { 0, 11, 0 },
	exits = {
		north = "ford",
		east = "otter_bend",
		south = "milestone",
		west = "willow_pool",
	},
	extra = {
		["road water bottom stream"] = [[The paving goes on under the water as far as you can see, and a little further than that. Weed streams from the joints like hair.]],
	},
}

room "willow_pool" {
	name = "The Willow Pool",
	desc = [[Willows lean so far over the pool that their hair trails in the water. The pool is deep and very still, and the reflection in it is not quite right: the trees are there, but between them stand towers. A trodden path runs back east along the bank. West, the willows grow as thick as a wall.]],
	environment = "forest",
	coords = { -1, 11, 0 },
	exits = {
		east = "stream_bank",
		west = {
			to = "ghostlight_path",
			door = "curtain willows",
			closed = true,
			locked = true,
			pickproof = true,
			desc = "A curtain of willow, hanging to the ground. By day it is only trees. After dark, the burners say, it parts.",
		},
	},
	extra = {
		["reflection towers pool"] = [[Slender towers with lamps in their windows stand in the water between the reflected trunks. When you look up from the pool, there are only trees. When you look back down, one of the lamps has gone out.]],
	},
	on_tick = willow_tick,
}

room "ghostlight_path" {
	name = "The Ghostlight Path",
	desc = [[Small pale lights hang in the air at knee height, one every few paces, like lanterns carried by people too short to see. They lead west between trees that were not here this afternoon. Under the leaf-litter your feet find paving, though none shows. Behind you, east, the willows; ahead, a glade.]],
	environment = "city",
	coords = { -2, 11, 0 },
	exits = {
		east = {
			to = "willow_pool",
			door = "curtain willows",
			closed = true,
			locked = true,
			pickproof = true,
			desc = "The back of the willow curtain, and the glimmer of the pool through it.",
		},
		west = "moon_glade",
	},
	extra = {
		["lights light lantern lanterns"] = [[Each one is a flame the size of a thumbnail with nothing under it. If you stoop close it leans away from you, politely, the way a person steps aside in a corridor.]],
	},
	on_tick = lights_tick,
}

room "moon_glade" {
	name = "The Glade of Lamps",
	desc = [[A perfect circle of short grass in which nothing grows taller than your ankle. At its centre a ring of grey stones surrounds a shaft going straight down into the dark, and from far below comes the slow note of a bell rung under water. Moths as broad as your hand circle over the shaft. A rusted ladder goes down, and the ghostlight path leads east.]],
	environment = "city",
	coords = { -3, 11, 0 },
	exits = {
		east = "ghostlight_path",
		down = "archive:bell_shaft",
	},
	extra = {
		["stones ring shaft"] = [[The stones are the capstones of a round tower whose top is level with the grass. The rest of it goes down. Somebody built a belfry here once, and the forest has grown up to its roof.]],
		["ladder rusted"] = [[Iron rungs set into the shaft wall, orange with rust and sound enough, probably. Newer rope has been knotted between the rungs by someone who thought so too, probably.]],
	},
	on_tick = lights_tick,
}

room "otter_bend" {
	name = "Otter Bend",
	desc = [[The stream curves around a bank of shingle, and an otter has left the remains of a fish on the flattest stone, with the air of someone leaving a tip. The far side of the bend is undercut and full of roots. Under the water a grey slab of road catches the light. The bank runs back west.]],
	environment = "forest",
	coords = { 1, 11, 0 },
	exits = {
		west = "stream_bank",
	},
	extra = {
		["fish stone shingle"] = [[A trout, eaten neatly from the head down, with the tail left as if it were the polite thing to do.]],
	},
}

room "ford" {
	name = "The Stepping Stones",
	desc = [[Flat stones cross the Stillwater, set a long stride apart by someone with longer legs than yours. The current is slow but cold enough to ache, and the stones are slick with green. Mid-stream, you are standing directly above the drowned road. The south bank is behind you and the north bank ahead.]],
	environment = "water",
	coords = { 0, 12, 0 },
	exits = {
		north = "far_bank",
		south = "stream_bank",
	},
	extra = {
		["stones stepping"] = [[Every stone was a block of the old road, pried up and set on end. Someone needed to cross more than they needed the road.]],
	},
}

-- ---- beyond the stream -------------------------------------------------------

room "far_bank" {
	name = "The Far Bank",
	desc = [[North of the stream the forest is older and the thorns thinner, with room between the trunks for fog to sit. A ruined tower stands up out of the trees to the north. A path winds west toward a thread of woodsmoke, and to the east the ground falls away into a part of the wood where the birds have stopped singing. The stepping stones lead back south.]],
	environment = "forest",
	coords = { 0, 13, 0 },
	exits = {
		north = "tower_foot",
		east = "sinking_wood",
		south = "ford",
		west = "hermit_path",
	},
	extra = {
		["fog"] = [[It lies in the hollows and does not move, even when the wind does.]],
	},
}

room "hermit_path" {
	name = "The Beehive Path",
	desc = [[A narrow path runs between hollow logs set up on trestles, each one humming. Someone has tied a strip of cloth to each log with a name on it: Ada, Good Ada, Worse Ada. The bees take no notice of you, which is the most you can hope for from bees. The clearing lies west, and the far bank east.]],
	environment = "forest",
	coords = { -1, 13, 0 },
	exits = {
		east = "far_bank",
		west = "hermit_clearing",
	},
	extra = {
		["logs hives beehive trestles cloth ada"] = [[Worse Ada's log hums a semitone lower than the others, and her bees come out to look at you before they go back in.]],
	},
}

room "hermit_clearing" {
	name = "The Hermit's Clearing",
	desc = [[A clearing has been cut into the thorns with a patience that shows in every stump. A vegetable patch, a rain barrel and a chopping block make a household of sorts, and a hut of wattle and old grey stone stands at the north edge. Against the hut leans a grey slab carved with the same tower-and-circle as the Vael coins, scrubbed clean. The beehive path is east.]],
	environment = "forest",
	coords = { -2, 13, 0 },
	flags = { "safe", "nomob" },
	exits = {
		north = "hermit_hut",
		east = "hermit_path",
	},
	extra = {
		["slab tower circle"] = [[It has been scrubbed so often that the carving has gone soft at the edges. Below the tower, smaller, is a line of the Vael script, and below that a patch of stone that has been chiselled flat, very long ago, and scrubbed just as carefully as the rest.]],
		["patch vegetable barrel block"] = [[Beans, onions, a row of something that has been allowed to go to seed because the bees like the flowers. The rain barrel has a lid to keep the leaves out, and a cup on a string.]],
	},
}

room "hermit_hut" {
	name = "The Hermit's Hut",
	desc = [[One room, one bed, one chair, and a great many books stacked to serve as further chairs. Every wall is covered with charcoal copies of carved Vael letters, some crossed out, some circled, one framed. A hook by the door holds nothing at all, with the particular care of a hook that once held something important. The clearing is south.]],
	environment = "inside",
	coords = { -2, 14, 0 },
	flags = { "safe", "indoors", "nomob" },
	exits = {
		south = "hermit_clearing",
	},
	extra = {
		["hook"] = [[The wall around the hook is worn smooth by years of a hand checking that something is still there. It is not there. It is, you would guess, somewhere on the hermit.]],
		["letters walls charcoal copies"] = [[Rubbings from the old wall, from milestones, from coins. The same five-letter word turns up on half of them, circled every time.]],
		["frame framed"] = [[A single word in the Vael script, with a translation pencilled under it: REMAIN. Under that, smaller, "or: STAY", and under that, smaller still, "or: WHAT IS LEFT".]],
		["books chairs"] = [[Almanacs, herbals, a grammar of the Vael script with most of its pages loose, and a great many account books. The account books have been read more than the rest.]],
	},
}

room "tower_foot" {
	name = "The Watchtower's Foot",
	desc = [[A round tower of grey stone rises out of the trees, its top broken off like a snapped tooth. Vael built it to watch its roads; now it watches the forest, which has come right up to the door. The door is oak, newer than the tower by three centuries, and someone has fitted it with a good lock. The far bank is south.]],
	environment = "forest",
	coords = { 0, 14, 0 },
	exits = {
		north = {
			to = "tower_stair",
			door = "door oak",
			key = "tower_key",
			closed = true,
			locked = true,
			desc = "Oak planks, iron studs and a lock that was not cheap. Carved into the lintel: SLOE, and under it, KEY 20.",
		},
		south = "far_bank",
	},
}

room "tower_stair" {
	name = "Inside the Watchtower",
	desc = [[The tower is hollow, a chimney of stone with a stair spiralling up the inside wall. Light comes down from the broken top, along with leaves, rain and feathers. The lowest steps are worn into troughs; the top ones have hardly been trodden at all. The door is south.]],
	environment = "inside",
	coords = { 0, 15, 0 },
	flags = { "indoors" },
	exits = {
		south = {
			to = "tower_foot",
			door = "door oak",
			key = "tower_key",
			closed = true,
			locked = true,
			desc = "The back of the oak door, with a lock on this side too.",
		},
		up = "tower_top",
	},
	extra = {
		["steps stair troughs"] = [[Three hundred years of boots wore the bottom steps. The top steps were worn by nobody, because nobody came back down to wear them again; or so the burners say, who sell the key.]],
	},
}

room "tower_top" {
	name = "The Broken Top",
	desc = [[The stair ends in a ring of broken battlement open to the sky. From here the Thornwood is a dark fleece running to every horizon, with the smoke of the burners' camp to the southwest and the lanterns of Emberfall a warm smudge to the south. Due east, where the trees have sunk into the ground, a hole in the forest breathes out mist. Ravens have nested in the old signal brazier.]],
	environment = "forest",
	coords = { 0, 15, 1 },
	exits = {
		down = "tower_stair",
	},
	extra = {
		["brazier signal nest"] = [[An iron bowl as wide as a cart, rusted through, full of sticks, wool, a spoon and a good many shiny things the ravens think highly of.]],
		["hole mist east sink"] = [[A round wound in the forest. Through the mist you can make out a curve of grey stone, like the top of a skull, and tiny figures on a ladder.]],
	},
	on_look = tower_look,
}

room "sinking_wood" {
	name = "The Sinking Wood",
	desc = [[The ground tilts east, gently, then less gently. The trees lean downhill at drunken angles, and some have their roots in the air where the earth has dropped away from beneath them. Cracks in the soil are wide enough to lose a foot in, and cold air breathes out of them. The path goes on east to the edge; the far bank is west.]],
	environment = "forest",
	coords = { 1, 13, 0 },
	exits = {
		east = "sinkhole_rim",
		west = "far_bank",
	},
	extra = {
		["cracks crack soil air"] = [[Put your hand over one and the air coming out of it is cold, damp and faintly sweet, like a cellar where apples were kept.]],
	},
}

room "sinkhole_rim" {
	name = "The Rim of the Sink",
	desc = [[The forest ends at a hole a hundred paces across, and a broken dome of grey stone shows through the rubble on its far side like the skull of something buried. A rope ladder, pegged down and much repaired, hangs over the edge into the mist. Scavengers have left a litter of bones, barrels and bad jokes carved into the nearest tree. The sinking wood is west.]],
	environment = "forest",
	coords = { 2, 13, 0 },
	exits = {
		west = "sinking_wood",
		down = "archive:broken_roof",
	},
	extra = {
		["tree jokes carved"] = [[WHAT GOES DOWN MUST COME UP (MOSTLY). And: THE BRASS MEN WANT PAPERS. And, carved deeper than the rest: ANNO WENT DOWN AFTER HIS TOKEN. DON'T.]],
		["ladder rope pegs"] = [[Three ropes knotted into one, pegged into the rim with iron stakes that have been driven in, pulled out and driven in again by people who did not trust the last person's stakes.]],
	},
	before_leave = rim_leave,
}
