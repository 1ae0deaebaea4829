room "never" { name = "Never", desc = "Never loaded." }
