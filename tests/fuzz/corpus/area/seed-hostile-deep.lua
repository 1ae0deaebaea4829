area { id = "deep", name = "Deep" }
local function inner() error("deep trouble") end
local function middle() inner() end
middle()
