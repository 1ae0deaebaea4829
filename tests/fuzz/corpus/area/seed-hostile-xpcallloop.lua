area { id = "xpcallloop", name = "Xpcall loop" }
xpcall(function() while true do end end, function() while true do end end)
