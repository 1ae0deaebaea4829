-- The Sunken Archive: the first opened quarter of Vael, the city that sank
-- in a single night three hundred years ago. Levels 5-10. Collapsed stacks,
-- flooded halls, clockwork wardens that still keep the old rules, a locked
-- reading room, and at the bottom the Archivist, who remembers the night.
--
-- Start reading here. This file declares the area and includes the rest:
--   rooms.lua   22 rooms on four levels under the Thornwood's sink
--   items.lua   the three pages of the drowned Ledger of Waters (their
--               text is why the city sank), the reader's token, keys,
--               Vael iron and cogs to sell, and named loot
--   rules.lua   the old rules the wardens keep, and shared helpers
--   archivist.lua  the boss: speech, phases, death
--   mobs.lua    wardens, the drowned clerk, eels, moths
--   resets.lua  spawn rules
--
-- The way down (x east, y north, z up; thornwood:sinkhole_rim is 2,13,0):
--
--  z=-1  catalogue_hall--stair_head--(n) broken_roof--dome_gallery
--                            |  the Porter wants a reader's token   (up: thornwood)
--  z=-2  scriptorium--great_stair--(n) stacks_leaning--stacks_crawl
--          |   registry    |  (s) map_room                  |
--          |  (n of scriptorium)                       stacks_deep (n)
--  z=-3   bell_shaft--ink_pool--reading_hall--drowned_carrels
--   (up: thornwood:     |       |  # bronze doors, locked (Lark key)
--    moon_glade)        |     reading_room (n)  flooded_stair (s, up to great_stair)
--  z=-4         sluice_gallery--winding_room
--                      |
--                cistern_edge
--                      |
--               hall_of_record   the Archivist
--                      # a small door she will not let you through
--               archivist_cell
--
-- The quest: the hermit in the Thornwood wants three pages of the Ledger
-- of Waters. Page one is in a strongbox in the drowned carrels (the
-- drowned clerk in the ink pool has its key); page two is in the
-- Registrar's keeping (he lends it to a reader with a token who asks); page
-- three the Archivist carries. The hermit's reward, the Lark key, opens
-- the reading room.

area {
	id = "archive",
	name = "The Sunken Archive",
	author = "Forgotten Ruin",
	levels = { 5, 10 },
	reset = { minutes = 20, message = "Far below, something vast settles with a groan of stone, and every lamp in the Archive gutters at once." },
}

include "rules.lua"
include "archivist.lua"
include "rooms.lua"
include "items.lua"
include "mobs.lua"
include "resets.lua"
