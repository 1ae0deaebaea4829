room "more" { name = "More", desc = "From a subfolder." }
