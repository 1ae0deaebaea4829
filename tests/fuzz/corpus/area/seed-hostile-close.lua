area { id = "close", name = "Close" }
local x <close> = setmetatable({}, { __close = function() while true do end end })
error("unwinding")
