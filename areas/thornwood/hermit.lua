-- The hermit and his quest: "the drowned ledger".
--
-- The hermit (Edric Lark, though he will not say so until the end) wants
-- the three pages of the Ledger of Waters that the Archivist hid apart
-- (archive/items.lua): the ninth, the twelfth and the last. A player asks
-- him about the notice, the ledger or the pages; gives him the pages in any
-- order, one at a time, and he reads each aloud; when he has all three he
-- tells who he is and gives the Lark key (items.lua: reading_key), which
-- opens the Archive's reading room.
--
-- Progress lives in ch:memory() (this area's): quest = nil | "asked" |
-- "done", pages = { ninth = true, ... }, rewarded = true once the key, the
-- experience and the gold were handed over. Every change of state happens
-- before the first wait(), so a player who walks off or quits in the middle
-- of a speech loses nothing: hermit_settle() pays whatever is owed the next
-- time they meet him.

HERMIT_PAGES = {
	["archive:ledger_page_1"] = "ninth",
	["archive:ledger_page_2"] = "twelfth",
	["archive:ledger_page_3"] = "last",
}

HERMIT_PAGE_ORDER = { "ninth", "twelfth", "last" }

HERMIT_REWARD_EXP = 600
HERMIT_REWARD_GOLD = 60

-- The pages this player has given him, and the ones still missing.
function hermit_pages(m)
	local have, missing = 0, {}
	m.pages = m.pages or {}
	for _, which in ipairs(HERMIT_PAGE_ORDER) do
		if m.pages[which] then
			have = have + 1
		else
			missing[#missing + 1] = "the " .. which
		end
	end
	return have, missing
end

-- "the ninth and the last"
function hermit_list(words)
	if #words <= 1 then
		return words[1] or ""
	end
	return table.concat(words, ", ", 1, #words - 1) .. " and " .. words[#words]
end

-- Hands over what a finished quest owes, once: the key, experience, gold.
function hermit_reward(mob, ch)
	local m = ch:memory()
	if m.quest ~= "done" or m.rewarded then
		return false
	end
	m.rewarded = true
	ch:give("reading_key")
	ch:add_exp(HERMIT_REWARD_EXP)
	ch:add_gold(HERMIT_REWARD_GOLD)
	ch:send("{YYou have brought the drowned ledger home.{x")
	area_state.ledgers_returned = (area_state.ledgers_returned or 0) + 1
	return true
end

-- Pays anything a finished quest still owes (a speech cut short).
function hermit_settle(mob, ch)
	local m = ch:memory()
	if m.quest == "done" and not m.rewarded then
		mob:say("You left before I had finished. I do that to people too.")
		mob:emote("lifts a long bronze key on a cord over his head and puts it in your hand.")
		hermit_reward(mob, ch)
		return true
	end
	return false
end

function hermit_pitch(mob, ch)
	local m = ch:memory()
	m.quest = "asked"
	mob:say("The notice. Yes.")
	wait(2)
	mob:emote("wipes his hands on his robe, slowly, as if deciding something.")
	wait(2)
	mob:say("East of here the ground has opened on a building full of paper. Most of it is ruined, and I don't care about most of it. I want three pages of one book: the Ledger of Waters.")
	wait(3)
	mob:say("The ninth page, the twelfth and the last. The Archive kept them apart, on purpose. One will be locked up with the Office of Waters. One the Registry will have. The last...")
	wait(2)
	mob:say("The last, the Archivist kept. If anything down there still keeps anything.")
	wait(3)
	mob:say("Bring them to me. Read them first, if you like; I'd think less of you if you didn't. Then give them to me.")
end

function hermit_progress(mob, ch)
	local m = ch:memory()
	local have, missing = hermit_pages(m)
	if have == 0 then
		mob:say("Three pages. The ninth, the twelfth and the last. The sink is east of the stream, and Rook will want his toll.")
	else
		mob:say("You've brought me " .. have .. " of three. I still want " .. hermit_list(missing) .. ".")
	end
end

-- What he says as he reads each page.
HERMIT_READS = {
	ninth = function(mob)
		mob:emote("holds the page up to the light and runs a finger down the column of figures.")
		wait(2)
		mob:say("Nine thousand four hundred measures. Eight thousand the year before. Seven the year before that.")
		wait(3)
		mob:say("And the cracks in Low Town written down under Repairs. Of course they were.")
	end,
	twelfth = function(mob)
		mob:emote("reads the page twice. His lips move on the name at the bottom.")
		wait(3)
		mob:say("Maud Lark. Warden of Wells.")
		wait(2)
		mob:say("'I will sign this in front of anyone you like.' She would have, too.")
	end,
	last = function(mob)
		mob:emote("reads the page standing up, then sits down on the chopping block and reads it again.")
		wait(3)
		mob:say("'So that it will be said she never warned us, and said after that she opened the sluices herself.'")
		wait(3)
		mob:say("That is exactly what was said. For three hundred years, that is what was said.")
	end,
}

function hermit_finish(mob, ch)
	wait(3)
	mob:say("They chiselled a name off the founders' chest in Emberfall, the night the survivors made it. The sixth name. Lark.")
	wait(3)
	mob:say("My family has been the family that drowned Vael for three hundred years. We have lived out here with the bees because of it.")
	wait(3)
	mob:emote("reaches into his robe and lifts a long bronze key on a cord over his head. He looks at it for a while.")
	wait(3)
	mob:say("This was hers: the key to the reading room. We kept it and never used it. It felt like something we had not earned.")
	wait(2)
	if hermit_reward(mob, ch) then
		mob:emote("puts the key in " .. ch.name .. "'s hand and closes the fingers over it.")
	end
	mob:say("You have. Go and read. And if you pass through Emberfall, tell them. Tell them Lark.")
end

mob "hermit" {
	keywords = "hermit old man edric lark",
	short = "the hermit",
	long = "An old man in a patched robe potters about, pretending not to have seen you.",
	desc = [[Tall, stooped and weather-brown, with a beard he trims with a knife and eyes that have done a great deal of reading by bad light. His hands are clean in a way nobody's are in the Thornwood. He keeps bees, copies old letters, and listens to everything you say as though checking it against something he already knows. He wants something from the Archive, and he wanted it for a long time before you came.]],
	level = 8, hp = 120, mana = 100, move = 40,
	damage = { 2, 6 }, armor = 4, gold = 10,
	flags = { "sentinel", "nokill" },

	on_greet = function(mob, ch)
		if not ch.is_player then
			return
		end
		local m = ch:memory()
		if hermit_settle(mob, ch) then
			return
		end
		wait(1)
		if m.quest == "done" then
			mob:emote("nods to you, the way you nod to someone who knows.")
		elseif m.quest == "asked" then
			mob:emote("looks up, and at your hands, to see what is in them.")
		else
			mob:emote("does not look up from what he is doing.")
			wait(2)
			mob:say("If you've come about the notice, say so. If you've come about the bees, they're not for sale.")
		end
	end,

	on_say = players_only {
		["notice|ledger|pages|page|archive|quest|work|job"] = function(mob, ch)
			local m = ch:memory()
			if hermit_settle(mob, ch) then
				return
			elseif m.quest == "done" then
				mob:say("It's done. Go and see the reading room. It has waited longer than I have.")
			elseif m.quest == "asked" then
				hermit_progress(mob, ch)
			else
				hermit_pitch(mob, ch)
			end
		end,
		["key|hook"] = function(mob, ch)
			local m = ch:memory()
			if hermit_settle(mob, ch) then
				return
			elseif m.quest ~= "done" then
				mob:emote("touches his robe, over his breastbone, where something hangs on a cord.")
				mob:say("Not yet.")
			elseif ch:has("reading_key") then
				mob:say("You have it. It's the warm one.")
			else
				mob:emote("sighs, and takes a second key out of the rain barrel, on a string.")
				mob:say("I had a copy made, years ago, in case I lost my nerve and threw the first one in the stream. Don't lose this one.")
				ch:give("reading_key")
			end
		end,
		["name|who"] = function(mob, ch)
			if ch:memory().quest == "done" then
				mob:say("Lark. Edric Lark. It's a while since I said it aloud.")
			else
				mob:say("Names are for people who go into the village.")
			end
		end,
		["vael|city|sank|sink|fell|flood"] = function(mob, ch)
			mob:say("They'll tell you in Emberfall that Vael sank in a night. Cities don't sink in a night. They sink for years, and then one night everyone notices.")
		end,
		["bees|honey|ada"] = function(mob, ch)
			local m = ch:memory()
			mob:say("Ada, Good Ada and Worse Ada. Worse Ada makes the best honey. There's a lesson there I've decided not to learn.")
			if not m.honey then
				m.honey = true
				wait(1)
				mob:emote("wraps a piece of honeycomb in a dock leaf and hands it to you.")
				ch:give("honeycomb")
			end
		end,
		["lark|maud|warden"] = function(mob, ch)
			if ch:memory().quest == "done" then
				mob:say("She wrote it down. That was all she could do, and she did it. I've come to think that counts.")
			else
				mob:emote("goes very still, then goes back to what he was doing.")
			end
		end,
	},

	on_give = function(mob, ch, item)
		if not ch.is_player then
			return
		end
		local which = HERMIT_PAGES[item.id]
		if not which then
			mob:emote("turns " .. item.name .. " over, and hands it back.")
			mob:say("Kind. No.")
			item:move_to(ch)
			return
		end
		local m = ch:memory()
		m.pages = m.pages or {}
		if m.quest == "done" or m.pages[which] then
			mob:say("I have read that one. Keep it; it's worth reading twice.")
			item:move_to(ch)
			return
		end
		m.pages[which] = true
		m.quest = "asked"
		item:destroy()
		local have, missing = hermit_pages(m)
		if have == 3 then
			m.quest = "done"
		end
		HERMIT_READS[which](mob)
		if have == 3 then
			hermit_finish(mob, ch)
		else
			wait(2)
			mob:emote("folds the page into his robe.")
			mob:say("That's " .. have .. ". I still want " .. hermit_list(missing) .. ".")
		end
	end,

	on_time = function(mob, period)
		if period == "dusk" and mob.room.id == "thornwood:hermit_clearing" then
			mob:emote("banks the fire, looks at the sky a moment too long, and goes in.")
			mob:move("north")
		elseif period == "dawn" and mob.room.id == "thornwood:hermit_hut" then
			mob:move("south")
			mob:emote("comes out with a cup of something and goes to look at the bees.")
		end
	end,
}
