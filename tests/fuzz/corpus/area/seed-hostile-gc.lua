area { id = "gc", name = "Finalizer" }
setmetatable({}, { __gc = function() while true do end end })
