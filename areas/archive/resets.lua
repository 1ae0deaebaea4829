-- Spawn rules: who and what the Archive puts back at each reset. Each page
-- of the ledger has one keeper: the strongbox (page the ninth, behind the
-- drowned clerk's key), the Registrar (page the twelfth) and the Archivist
-- (the last page). The reader's token waits in the drift of cards.

-- ---- the wardens ---------------------------------------------------------------

spawn { mob = "porter", room = "stair_head", max = 1, wear = { "warden_baton" } }
spawn { mob = "warden", room = "great_stair", max = 1, carry = { "warden_cog" } }
spawn { mob = "warden", room = "stacks_deep", max = 1, carry = { "warden_cog" } }
spawn { mob = "warden", room = "winding_room", max = 1, carry = { "warden_cog", "vael_iron" } }
spawn { mob = "proctor", room = "scriptorium", max = 1, carry = { "warden_cog" } }
spawn { mob = "registrar", room = "registry", max = 1, carry = { "ledger_page_2" } }

-- ---- the rest ------------------------------------------------------------------

spawn { mob = "paper_moths", room = "catalogue_hall", max = 1 }
spawn { mob = "drowned_clerk", room = "ink_pool", max = 1, carry = { "clerk_key" } }
spawn { mob = "ink_eel", room = "drowned_carrels", max = 1 }
spawn { mob = "ink_eel", room = "reading_hall", max = 1 }
spawn {
	mob = "archivist", room = "hall_of_record", max = 1,
	wear = { "archivist_rod", "remain_ring" }, carry = { "ledger_page_3" },
}

-- ---- things to find ----------------------------------------------------------

spawn { item = "card_drift", room = "catalogue_hall", max = 1 }
spawn { item = "reader_token", room = "catalogue_hall", container = "card_drift", max = 1 }
spawn { item = "strongbox", room = "drowned_carrels", max = 1 }
spawn { item = "ledger_page_1", room = "drowned_carrels", container = "strongbox", max = 1 }
spawn { item = "scav_journal", room = "dome_gallery", max = 1 }
spawn { item = "drowned_book", room = "reading_hall", max = 2 }
spawn { item = "vael_iron", room = "sluice_gallery", max = 1 }
spawn { item = "vael_iron", room = "stacks_deep", max = 1 }
spawn { item = "emberfall:vael_coin", room = "map_room", max = 1 }
spawn { item = "lamp_of_vael", room = "reading_room", max = 1 }
spawn { item = "archivist_spectacles", room = "archivist_cell", max = 1 }
