area { id = "pcallloop", name = "Pcall loop" }
while true do
	pcall(function() while true do end end)
end
