-- Emberfall: the village at the Thornwood's edge, where newcomers start,
-- where recall leads and where the dead come back.
--
-- Start reading here. This file declares the area and includes the rest:
--   village.lua helpers the villagers' triggers share
--   rooms.lua   21 rooms: the village inside the old wall, the wall itself,
--               and three rooms of the Thornwood edge beyond the north gate
--   items.lua   starting gear for the three paths, food, drink, containers,
--               the crypt key, treasure and the village's fixtures
--   mobs.lua    the villagers, each with something they want
--   resets.lua  spawn rules placing the mobs and items
--
-- Map (x east, y north, z up; the square is 0,0,0). Descriptions are single
-- unwrapped paragraphs: the server wraps them to the client's width.
--
--             thornwood:deer_path
--                      |
--                  thorn_path
--                      |
--      thorn_stumps-thorn_edge
--                      |
--                 outside_gate
--                      #  the north gate (a door)
--  [wall_walk-gate_top]  up from the watch-house, z=1
--      watch_house-gate_yard
--                      |
--                 north_lane-smithy
--                      |
--                    board
--                      |
--  [inn_room-upstairs] inn-square-market_lane-store
--                      |
--                    well
--                      |
--           shrine-south_lane
--              #  an iron trapdoor, locked: down to the crypt

area {
	id = "emberfall",
	name = "Emberfall",
	author = "Forgotten Ruin",
	levels = { 1, 2 },
	reset = { minutes = 15, message = "The watch bell rings the hour over Emberfall." },
}

include "village.lua"
include "rooms.lua"
include "items.lua"
include "mobs.lua"
include "resets.lua"
