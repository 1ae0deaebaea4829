-- Spawn rules: who and what Emberfall puts back at each reset. The crypt
-- key waits in the well bucket (the shrine-keeper suspects as much), and the
-- crypt it opens keeps a Vael coin in the founders' chest.

-- ---- people ------------------------------------------------------------------

spawn { mob = "innkeeper", room = "inn", max = 1, carry = { "small_beer", "bread" } }
spawn { mob = "scholar", room = "inn", max = 1, carry = { "notebook" } }
spawn { mob = "drunk", room = "inn", max = 1, carry = { "bottle" } }
spawn { mob = "cat", room = "inn", max = 1 }
spawn { mob = "smith", room = "smithy", max = 1, wear = { "leather_apron", "smith_hammer" } }
spawn { mob = "shrine_keeper", room = "shrine", max = 1, carry = { "candle" } }
spawn {
	mob = "shopkeeper", room = "store", max = 1,
	carry = { "bread", "apple", "waterskin", "satchel", "lantern", "candle" },
}
spawn { mob = "guard", room = "gate_yard", max = 1, wear = { "watch_spear" } }
spawn { mob = "child", room = "square", max = 1, carry = { "apple" } }
spawn { mob = "lamplighter", room = "square", max = 1 }
spawn { mob = "crow", room = "thorn_stumps", max = 1 }

-- ---- fixtures ----------------------------------------------------------------

spawn { item = "bucket", room = "well", max = 1 }
spawn { item = "anvil", room = "smithy", max = 1 }
spawn { item = "offering_bowl", room = "shrine", max = 1 }
spawn { item = "chest", room = "crypt", max = 1 }

-- ---- things to find ----------------------------------------------------------

spawn { item = "crypt_key", room = "well", container = "bucket", max = 1 }
spawn { item = "vael_coin", room = "crypt", container = "chest", max = 1 }
spawn { item = "button", room = "shrine", container = "offering_bowl", max = 3 }
spawn { item = "practice_sword", room = "smithy", max = 1 }
spawn { item = "whetstone", room = "smithy", max = 1 }
spawn { item = "candle", room = "shrine", max = 2 }
spawn { item = "copied_map", room = "inn_room", max = 1 }
spawn { item = "apple", room = "market_lane", max = 1 }
