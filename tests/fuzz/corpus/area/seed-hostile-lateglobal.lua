area { id = "lateglobal", name = "Late global" }
local function f()
	oops = 1
end
f()
