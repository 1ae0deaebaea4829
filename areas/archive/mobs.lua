-- The Archive's inhabitants. The wardens are clockwork and keep the rules
-- on the porter's plate (show your token, do not speak in the
-- scriptorium, return what you borrow); what the Archive's water has made
-- of the rest is less orderly. The Archivist, at the bottom, is in
-- archivist.lua; the rules the wardens keep are in rules.lua.

-- Anything with writing on it, which the drowned clerk will take in trade.
WRITTEN = {
	["archive:drowned_book"] = true,
	["archive:scav_journal"] = true,
	["emberfall:notebook"] = true,
	["emberfall:copied_map"] = true,
}

-- ---- the wardens ---------------------------------------------------------------

mob "porter" {
	keywords = "porter warden brass clockwork",
	short = "the Porter",
	long = "The Porter stands behind the counter, one brass arm resting on the bar.",
	desc = [[A warden of brass and black enamel, taller than a man, with a face like a closed lantern and a slot in its chest where a ticket might go. Its right arm is joined by a rod to the brass bar across the stair. It has let nobody down without a token in three hundred years, and it sees no reason to start with you.]],
	level = 7, hp = 110, mana = 0, move = 0,
	damage = { 2, 7 }, armor = 6, gold = 0,
	flags = { "sentinel" },
	on_greet = function(mob, ch)
		if not ch.is_player or mob.fighting then
			return
		end
		if has_token(ch) then
			mob:emote("lifts the brass bar with a click. \"READER. PROCEED.\"")
		else
			mob:emote("turns its lantern face toward you. The slot in its chest clicks, hopefully.")
			mob:say("TOKEN, PLEASE.")
		end
	end,
	on_say = players_only {
		["token|tokens"] = function(mob, ch)
			mob:say("TOKENS ARE ISSUED AT THE CATALOGUE.")
			mob:emote("points one brass finger west, toward the hall of drawers, and keeps pointing for some time.")
		end,
		["please|let|pass|down"] = function(mob, ch)
			if not has_token(ch) then
				mob:say("READERS ONLY. READERS HAVE TOKENS.")
			end
		end,
	},
}

mob "warden" {
	keywords = "warden clockwork brass",
	short = "a clockwork warden",
	long = "A clockwork warden walks its round, ticking, its lantern-face turning.",
	desc = [[A figure of brass plates over a frame of rods, with a glass face in which a small green flame burns where the eyes should be. It walks the Archive on the round it was given three hundred years ago, looking for readers without tokens. It finds a great many these days, and it deals with them as the rules say.]],
	level = 6, hp = 70, mana = 0, move = 200,
	damage = { 2, 6 }, armor = 5, gold = 0,
	behaviors = {
		wander { chance = 20 },
	},
	on_greet = function(mob, ch)
		warden_check(mob, ch)
	end,
	on_tick = function(mob)
		if mob.fighting then
			return
		end
		for _, p in ipairs(mob.room:players()) do
			if not has_token(p) then
				warden_check(mob, p)
				return
			end
		end
	end,
	before_command = function(mob, ch, line)
		if ch.is_player and line:lower():match("^%s*flee") then
			mob:say("READERS WILL NOT RUN.")
		end
	end,
}

mob "proctor" {
	keywords = "proctor warden brass clockwork",
	short = "the Proctor",
	long = "The Proctor stands at the end of the desks, a finger raised to its grille.",
	desc = [[A slender warden with one long brass finger permanently raised to the grille of its mouth. It keeps the silence of the scriptorium, and it will remind you of it once. The copyists, the story goes, liked it; it never once told anyone off twice.]],
	level = 7, hp = 95, mana = 0, move = 40,
	damage = { 2, 7 }, armor = 5, gold = 0,
	flags = { "sentinel" },
	on_say = proctor_say,
}

mob "registrar" {
	keywords = "registrar warden brass clockwork",
	short = "the Registrar",
	long = "The Registrar stands at the high desk, turning the pages of a ledger that does not change.",
	desc = [[A warden made for writing, with six thin arms and a pen fitted to each. It keeps the Archive's lending ledger, and it will lend anything the Archive has to any reader who shows a token and asks properly, and write down that it did. It has not written anything down in three hundred years. It is very much looking forward to it.]],
	level = 8, hp = 120, mana = 0, move = 0,
	damage = { 3, 7 }, armor = 6, gold = 0,
	flags = { "sentinel" },
	on_say = players_only {
		["borrow|lend|loan|ledger|page|twelfth"] = function(mob, ch)
			if not has_token(ch) then
				mob:say("READER'S TOKEN, PLEASE. NO TOKEN, NO LOAN.")
				return
			end
			if ch:has("ledger_page_2") then
				mob:say("THE READER ALREADY HAS THE ITEM. THE READER SHOULD LOOK IN THE READER'S POCKETS.")
				return
			end
			local m = ch:memory()
			mob:emote("opens the lending ledger. Three of its pens begin to write at once.")
			wait(2)
			local page = mob:has("ledger_page_2")
			if page then
				page:move_to(ch)
			else
				mob:emote("takes a fresh copy from a chained shelf; the Archivist made a great many.")
				ch:give("ledger_page_2")
			end
			if m.borrowed then
				mob:say("LENT AGAIN TO READER " .. ch.name:upper() .. ". THE READER IS CARELESS. THIS IS NOTED.")
			else
				m.borrowed = true
				mob:say("LEDGER OF WATERS, PAGE THE TWELFTH. LENT TO READER " .. ch.name:upper() .. ". RETURN WITHIN FOURTEEN DAYS.")
				wait(2)
				mob:emote("puts down its pens one after another, with every sign of deep contentment.")
			end
		end,
		["return|returned|returning"] = function(mob, ch)
			mob:say("GIVE THE ITEM TO THE REGISTRAR, READER.")
		end,
		default = function(mob, ch)
			if ch.is_player then
				mob:say("STATE YOUR REQUEST, READER. BORROW, OR RETURN.")
			end
		end,
	},
	on_give = function(mob, ch, item)
		if item.id == "archive:ledger_page_2" then
			ch:memory().returned = true
			mob:say("RETURNED. THANK YOU, READER. THE ARCHIVE REMEMBERS THOSE WHO RETURN.")
			mob:emote("makes a very small, very neat tick in the ledger.")
		else
			mob:say("THAT IS NOT ARCHIVE PROPERTY.")
			item:move_to(ch)
		end
	end,
	on_greet = function(mob, ch)
		if ch.is_player and not mob.fighting then
			wait(1)
			mob:emote("looks up from the ledger, all six pens raised.")
			mob:say("THE REGISTRY IS OPEN. BORROW, OR RETURN.")
		end
	end,
}

-- ---- what the water made -----------------------------------------------------

mob "paper_moths" {
	keywords = "moths swarm paper grey",
	short = "a swarm of paper moths",
	long = "A swarm of grey paper moths rises from the cards in a whispering cloud.",
	desc = [[Moths the colour and thickness of old paper, hundreds of them, that have eaten the catalogue down to a drift and are starting on the cabinets. Each one is harmless. Together they make a sound like somebody turning all the pages of a book at once, and they go for the eyes.]],
	level = 5, hp = 35, mana = 0, move = 100,
	damage = { 1, 4 }, armor = 0, gold = 0,
	flags = { "sentinel" },
	on_tick = function(mob)
		if #mob.room:players() > 0 and not mob.fighting and chance(20) then
			mob:emote(pick({
				"settles back into the drift with a sound like a page being turned.",
				"lifts off the cards in a grey sheet and comes down again a little further on.",
			}))
		end
	end,
}

mob "drowned_clerk" {
	keywords = "clerk drowned figure robes",
	short = "the drowned clerk",
	long = "A figure in sodden robes stands chest-deep in the ink, sorting pages from one pile to another.",
	desc = [[A clerk of the Office of Waters, or what the ink has kept of one: grey skin, black nails, robes gone to weed, and a little brass key on a ribbon round the neck. It sorts the floating pages into piles that the water undoes, patiently, over and over. It does not look up unless someone touches the piles. It wants the accounts to balance.]],
	level = 7, hp = 90, mana = 0, move = 40,
	damage = { 2, 6 }, armor = 2, gold = 15,
	flags = { "sentinel" },
	on_look = function(mob, ch)
		ch:send("It does not look up.")
	end,
	on_attacked = function(mob, ch)
		mob:emote("looks up, for the first time. The eyes are all ink.")
	end,
	on_give = function(mob, ch, item)
		if not WRITTEN[item.id] then
			mob:emote("lets " .. item.name .. " float away without looking at it.")
			item:move_to(mob.room)
			return
		end
		mob:emote("takes " .. item.name .. ", turns it to the light, and files it carefully on a pile of floating pages.")
		wait(2)
		local key = mob:has("clerk_key")
		if key then
			mob:emote("lifts the green ribbon over its head and holds out the little key, as a clerk hands over a receipt.")
			key:move_to(ch)
		else
			mob:emote("makes a mark on a page that is no longer there. The account, you gather, is closed.")
		end
	end,
}

mob "ink_eel" {
	keywords = "eel ink black",
	short = "an ink eel",
	long = "Something long and black turns under the water, and turns again.",
	desc = [[An eel as long as a man and as thick as your arm, black as the ink pool it was born in, with a mouth full of small backward teeth. The Archive's water has been kind to it. It wants whatever is standing in its water to stop.]],
	level = 6, hp = 55, mana = 0, move = 120,
	damage = { 2, 6 }, armor = 1, gold = 0,
	on_greet = function(mob, ch)
		if ch.is_player and not mob.fighting then
			mob:emote("comes up out of the black water in a long loop, mouth first.")
			mob:attack(ch)
		end
	end,
	on_tick = function(mob)
		if not mob.fighting then
			local p = pick(mob.room:players())
			if p then
				mob:emote("rises out of the water beside " .. p.name .. ".")
				mob:attack(p)
			end
		end
	end,
}
