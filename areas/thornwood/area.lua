-- The Thornwood: the forest between Emberfall and the Sunken Archive.
-- Levels 2-6. Wolves and worse, a charcoal burners' camp that will sell
-- you a torch, a stream over a drowned road, an old Vael watchtower, and
-- a hermit who knows more than he says and wants three pages of a ledger.
--
-- Start reading here. This file declares the area and includes the rest:
--   wood.lua    what changes at night, and the scripts the rooms share
--   rooms.lua   25 rooms, from the deer path north of Emberfall to the
--               rim of the sink where the Archive's dome shows through
--   items.lua   burners' wares, pelts and tusks, named loot (Greymuzzle's
--               pelt, Thornbiter, the Watcher's Horn), the Lark key
--   mobs.lua    beasts, burners, the scavenger at the ladder
--   hermit.lua  the hermit and his quest, the drowned ledger
--   resets.lua  spawn rules
--
-- Map (x east, y north, z up; emberfall:thorn_path is 0,6,0). Doors: #.
--
--                                  tower_stair -up- tower_top
--                                       #  oak door, locked (tower_key)
--      hermit_hut                   tower_foot
--          |                            |
--  hermit_clearing-----hermit_path--far_bank--sinking_wood--sinkhole_rim
--                                       |                  (down: archive)
--                                     ford
--                                       |
--  moon_glade--ghostlight_path-#-willow_pool--stream_bank--otter_bend
--  (down: archive)         the willows, open only at night
--                                       |
--                                   milestone
--                                       |
--   clamp_ring                       old_road     wolf_run--wolf_den
--       |                               |            |
--  burners_camp--burners_track------split_oak--bramble_hollow
--                                       |
--                                   deer_path
--                                       |
--                              emberfall:thorn_path
--
-- Time of day matters here: the willow path opens at nightfall and closes at
-- dawn, the old road leads people astray at night, the thorn-walker in
-- Bramble Hollow gets up after dark, and the hermit goes indoors.

area {
	id = "thornwood",
	name = "The Thornwood",
	author = "Forgotten Ruin",
	levels = { 2, 6 },
	reset = { minutes = 12, message = "Somewhere off in the Thornwood, a tree comes down with a long, tearing sigh." },
}

include "wood.lua"
include "rooms.lua"
include "items.lua"
include "mobs.lua"
include "hermit.lua"
include "resets.lua"
