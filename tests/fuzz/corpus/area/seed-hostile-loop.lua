area { id = "loop", name = "Loop" }
room "r" { name = "R", desc = "D" }
while true do end
