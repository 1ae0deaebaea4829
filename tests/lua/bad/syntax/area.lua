area { id = "syntax", name = "Syntax" }
include "broken.lua"
