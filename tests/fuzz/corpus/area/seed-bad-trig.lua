-- Trigger mistakes, one of each kind at known lines (test_loader.c checks them all).
area { id = "trig", name = "Triggers", on_relaod = function() end }

room "hall" {
	name = "Hall", desc = "A hall.",
	on_entr = function() end,
	on_give = function() end,
	before_enter = function() end,
	on_command = function() end,
	on_look = "not a function",
	onleave = function() end,
	on_say = { ["ledger|"] = function() end, [3] = function() end, hello = 5 },
}

mob "keeper" {
	keywords = "keeper", short = "the keeper", long = "The keeper waits.",
	on_hp_below = { [150] = function() end },
	on_greet = function() end,
	behaviors = { { on_tick = function() end, hello = 1, name = "odd" }, 5 },
}

item "box" {
	keywords = "box", short = "a box", long = "A box.",
	on_greet = function() end,
	before_get = function() end,
}
