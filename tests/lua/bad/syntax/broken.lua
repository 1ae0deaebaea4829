room "a" {
	name = "A",
	desc = "B"
	exits = {},
}
