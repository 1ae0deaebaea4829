area { id = "incl", name = "Includes" }
include "room.lua"
