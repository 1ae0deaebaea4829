-- Spawn rules: who and what the Thornwood puts back at each reset. The
-- wolves start in the brambles and on the run and wander from there; the
-- named loot rides on the creatures that guard it (Greymuzzle wears her
-- pelt, the thorn-walker carries Thornbiter), except the Watcher's Horn,
-- which the ravens keep in their nest.

-- ---- beasts ------------------------------------------------------------------

spawn { mob = "grey_wolf", room = "bramble_hollow", max = 1, carry = { "wolf_pelt" } }
spawn { mob = "grey_wolf", room = "wolf_run", max = 2, carry = { "wolf_pelt" } }
spawn { mob = "greymuzzle", room = "wolf_den", max = 1, wear = { "greymuzzle_pelt" } }
spawn { mob = "boar", room = "old_road", max = 1, carry = { "boar_tusk" } }
spawn { mob = "boar", room = "sinking_wood", max = 1, carry = { "boar_tusk" } }
spawn { mob = "thorn_walker", room = "bramble_hollow", max = 1, carry = { "thornbiter" } }
spawn { mob = "lantern_moth", room = "moon_glade", max = 3 }
spawn { mob = "raven", room = "tower_top", max = 1 }
spawn { mob = "otter", room = "otter_bend", max = 1 }

-- ---- people --------------------------------------------------------------------

spawn {
	mob = "gammer_sloe", room = "burners_camp", max = 1,
	carry = { "charcoal_torch", "smoked_eel", "tower_key" },
}
spawn { mob = "pim", room = "burners_camp", max = 1 }
spawn { mob = "burner", room = "clamp_ring", max = 1 }
spawn { mob = "scavenger", room = "sinkhole_rim", max = 1, carry = { "charcoal_torch" } }
spawn { mob = "hermit", room = "hermit_clearing", max = 1, carry = { "honeycomb" } }

-- ---- things to find ----------------------------------------------------------

spawn { item = "flint_striker", room = "wolf_den", max = 1 }
spawn { item = "watchers_horn", room = "tower_top", max = 1 }
spawn { item = "honeycomb", room = "hermit_path", max = 1 }
