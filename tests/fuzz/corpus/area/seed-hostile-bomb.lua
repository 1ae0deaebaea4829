area { id = "bomb", name = "Bomb" }
local s = "x"
while true do s = s .. s end
