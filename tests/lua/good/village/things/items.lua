item "lantern" {
	keywords = "lantern brass", short = "a brass lantern",
	long = "A brass lantern lies here.", desc = "Sooty.",
	type = "light", wear = { "light" }, flags = { "glow" },
	weight = 2, value = 12, level = 1, hours = 48, max_world = 5,
	extra = { glass = "Etched with a fox." },
}
item "hammer" {
	keywords = "hammer", short = "a hammer", long = "A hammer lies here.",
	type = "weapon", wear = { "wield" }, dice = { 1, 6 }, bonus = 1, noun = "crush",
}
item "apron" {
	keywords = "apron leather", short = "a leather apron", long = "An apron lies here.",
	type = "armor", wear = { "body" }, armor = 2,
}
item "chest" {
	keywords = "chest", short = "a chest", long = "A chest sits here.",
	type = "container", capacity = 20, closed = true, locked = true, key = "gate_key",
	flags = { "notake" },
}
item "coin" {
	keywords = "coin", short = "a coin", long = "A coin glints.", type = "treasure", value = 5,
}
item "gate_key" {
	keywords = "key iron", short = "an iron key", long = "An iron key lies here.", type = "key",
}
item "bread" {
	keywords = "bread", short = "a loaf", long = "A loaf sits here.", type = "food", nutrition = 10,
}
