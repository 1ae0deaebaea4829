area { id = "typo", name = "Typo" }

rom "start" { name = "x", desc = "y" }
