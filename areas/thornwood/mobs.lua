-- The Thornwood's creatures and people. Beasts first (the wolves hunt in
-- the open and wander; the thorn-walker wakes at night), then the burners'
-- camp and the scavenger who keeps the ladder. The hermit and his quest
-- are in hermit.lua.

-- ---- beasts ------------------------------------------------------------------

mob "grey_wolf" {
	keywords = "wolf grey",
	short = "a grey wolf",
	long = "A grey wolf lopes along with its nose low, and stops when it smells you.",
	desc = [[Long in the leg and thin in the flank, with a coat the colour of wet slate. It watches you with the tired patience of an animal that has learned people go down the ladder and do not always come back up it. It wants to eat, and it has no strong views on what.]],
	level = 2, hp = 24, mana = 0, move = 120,
	damage = { 1, 4 }, armor = 0, gold = 0,
	behaviors = {
		wander { chance = 20 },
		aggressive { below_level = 6, message = "bares its teeth, and comes in low and fast." },
	},

	on_hp_below = {
		[20] = function(mob)
			mob:emote("yelps and breaks away, looking for a way out.")
			mob:command("flee")
		end,
	},
}

mob "greymuzzle" {
	keywords = "greymuzzle wolf dam old white",
	short = "Greymuzzle",
	long = "Greymuzzle, the old dam of the pack, lies across the den's mouth watching you.",
	desc = [[A she-wolf the size of a pony, grey gone to white about the jaws and eyes. She has led the Thornwood pack longer than the burners have been keeping count, and she has a notch out of each ear from the two times someone nearly ended that. She wants her den left alone, and she is prepared to be very clear about it.]],
	level = 6, hp = 80, mana = 0, move = 100,
	damage = { 2, 6 }, armor = 3, gold = 0,
	flags = { "sentinel" },

	on_greet = function(mob, ch)
		if not ch.is_player or mob.fighting then
			return
		end
		mob:emote("gets to her feet. Her hackles rise in a slow wave from neck to tail.")
		wait(3)
		if ch.room == mob.room and not mob.fighting then
			mob:emote("lowers her head and comes for you without a sound.")
			mob:attack(ch)
		end
	end,
	on_hp_below = {
		[50] = function(mob, enemy)
			mob:emote("throws back her head and howls, and something out in the wood answers.")
			wood_echo("A wolf howls near the fallen ash, and is answered.", mob.room)
			wait(2)
			local pup = spawn_mob("grey_wolf", mob.room)
			if not pup then
				return
			end
			if enemy and enemy:valid() and enemy.room == mob.room then
				pup:emote("comes crashing in under the roots.")
				pup:attack(enemy)
			end
			-- A wolf she calls belongs to no spawn rule, so no reset counts
			-- it: once its fight is over it goes back to the pack.
			after(pup, 30, function(p)
				while p.fighting do
					wait(5)
				end
				p:emote("lifts its head at some sound you cannot hear, and slips away into the thorns.")
				p:destroy()
			end)
		end,
	},
	on_death = function(mob)
		wood_echo("Across the Thornwood the wolves howl, one after another, and then are quiet for a long time.")
	end,
}

mob "boar" {
	keywords = "boar thornback pig",
	short = "a thornback boar",
	long = "A thornback boar roots among the leaves, bristling.",
	desc = [[A black boar with a ridge of bristles down its spine so stiff and long they look like thorns, and a temper to match. It is not interested in you. It is very interested in the ground, and it would like you to stop standing on it.]],
	level = 4, hp = 45, mana = 0, move = 80,
	damage = { 2, 5 }, armor = 2, gold = 0,
	behaviors = {
		wander { chance = 20, every = 20 },
	},

	on_attacked = function(mob, ch)
		if mob.vars.charged then
			return
		end
		mob.vars.charged = true
		mob:emote("squeals, drops its head and charges.")
		ch:damage(random(3, 7), mob)
	end,
}

mob "thorn_walker" {
	keywords = "thorn walker briar heap briars",
	short = "the thorn-walker",
	long = "A man-length tangle of dead briars lies here, or stands here, depending on when you look.",
	desc = [[By day it is a heap of briar-canes, grey and dry, that the wind does not move. At night it stands up. Then it is a man's height of woven thorn with a rook's skull where the face should be, and it walks the wood with a sound like someone dragging a sack. Nobody knows what it wants. The burners think it is looking for the path back into the city.]],
	level = 6, hp = 75, mana = 0, move = 60,
	damage = { 2, 7 }, armor = 3, gold = 0,

	on_look = function(mob, ch)
		if not is_night() then
			ch:send("It does not move. You are almost sure it does not move.")
		end
	end,
	on_time = function(mob, period, hour)
		if period == "night" and hour == 20 then
			mob:emote("creaks, and unfolds, and stands up: a man's height of woven thorn with a rook's skull for a face.")
		elseif period == "dawn" and hour == 5 then
			mob:emote("sags, and settles, and comes apart into a heap of dead briars.")
			if mob.room.id ~= "thornwood:bramble_hollow" and not mob.fighting then
				mob:teleport("bramble_hollow")
			end
		end
	end,
	on_greet = function(mob, ch)
		if ch.is_player and is_night() and not mob.fighting then
			walker_hunt(mob, ch)
		end
	end,
	on_tick = function(mob)
		if not is_night() or mob.fighting then
			return
		end
		local prey = pick(mob.room:players())
		if prey then
			walker_hunt(mob, prey)
		elseif chance(40) then
			walker_step(mob)
		end
	end,
}

mob "lantern_moth" {
	keywords = "moth lantern pale",
	short = "a lantern moth",
	long = "A lantern moth as broad as your hand drifts past, glowing faintly green.",
	desc = [[Its wings are the grey of old paper, and its body gives off a soft green light like a lamp turned low. It circles anything bright. The burners say each one carries a lamp out of the drowned city, and call it bad luck to swat one; they also say that about most things.]],
	level = 2, hp = 14, mana = 0, move = 100,
	damage = { 1, 2 }, armor = 0, gold = 0,
	behaviors = {
		wander { chance = 20, every = 20 },
	},

	on_tick = function(mob)
		if chance(15) then
			mob:emote(pick({
				"drifts in a slow circle, glowing.",
				"settles on a stem, and the stem glows green for a moment after it leaves.",
				"bumps gently against the nearest light, twice, as if knocking.",
			}))
		end
	end,
}

mob "raven" {
	keywords = "raven black bird",
	short = "a raven",
	long = "A raven sits on the broken battlement, turning its head to listen.",
	desc = [[A big glossy raven with a grey-shot beard of feathers and an eye like a drop of tar. It has nested in the signal brazier for years and has picked up a great many words from the people who climb up here, and a great many spoons. It wants something shiny. It will settle for something said.]],
	level = 2, hp = 16, mana = 0, move = 100,
	damage = { 1, 3 }, armor = 0, gold = 0,
	flags = { "sentinel" },

	on_say = function(mob, ch, text)
		if ch.is_player and #text > 0 then
			mob.vars.heard = text:sub(1, 80)
			mob.vars.heard_from = ch.name
		end
	end,
	on_greet = function(mob, ch)
		if ch.is_player and chance(50) then
			mob:emote("cocks its head at you and says, quite distinctly, \"Shiny?\"")
		end
	end,
	on_tick = function(mob)
		if mob.vars.heard and #mob.room:players() > 0 and chance(30) then
			mob:emote("croaks, in a voice very like " .. mob.vars.heard_from .. "'s: \"" .. mob.vars.heard .. "\"")
			mob.vars.heard = nil
		end
	end,
	on_give = function(mob, ch, item)
		if item.type ~= "treasure" and item.type ~= "key" then
			mob:emote("inspects " .. item.name .. ", finds it dull, and drops it.")
			item:move_to(mob.room)
			return
		end
		item:destroy()
		mob:emote("takes it, hops into the brazier, and stows it with great care.")
		local m = ch:memory()
		if not m.raven_spoon then
			m.raven_spoon = true
			wait(2)
			mob:emote("comes back with a tarnished spoon, drops it at your feet, and looks away as if nothing had happened.")
			spawn_item("silver_spoon", mob.room)
		end
	end,
}

mob "otter" {
	keywords = "otter",
	short = "an otter",
	long = "An otter lies on its back in the shallows, cracking something on its chest.",
	desc = [[Sleek, brown and extremely pleased with itself. It has the whole of the Stillwater to fish and nothing else to do, and it would like you to know that it knows this. It wants nothing from you at all, which makes it unique in the Thornwood.]],
	level = 1, hp = 12, mana = 0, move = 100,
	damage = { 1, 2 }, armor = 0, gold = 0,
	flags = { "nokill" },

	on_tick = function(mob)
		if #mob.room:players() > 0 and chance(20) then
			mob:emote(pick({
				"rolls over in the shallows and comes up with a crayfish, which it holds up for you to admire.",
				"slides off the shingle without a splash and is gone, and is back.",
				"cracks a mussel on a slab of the drowned road, which it seems to regard as its own.",
			}))
		end
	end,
	on_give = function(mob, ch, item)
		if item.id == "thornwood:smoked_eel" then
			item:destroy()
			mob:emote("accepts the eel with great dignity, and eats it with none.")
		else
			mob:emote("sniffs " .. item.name .. " and pushes it back to you with its nose.")
			item:move_to(ch)
		end
	end,
}

-- ---- the burners ---------------------------------------------------------------

mob "gammer_sloe" {
	keywords = "gammer sloe burner old woman",
	short = "Gammer Sloe",
	long = "Gammer Sloe sits on an upturned barrow by the fire, smoking a clay pipe.",
	desc = [[A tiny, black-handed woman of about a hundred, wrapped in a leather apron gone shiny with charcoal. She has run the camp since before the Ruin opened and means to run it after the Ruin closes again. She sells torches, eels and the key to a tower she says is hers by squatter's right. What she wants is for the clamps to burn blue and for the Watch to stop calling her Gammer, which is not going to happen.]],
	level = 6, hp = 90, mana = 0, move = 40,
	damage = { 1, 6 }, armor = 2, gold = 80,
	flags = { "sentinel", "nokill", "shopkeeper" },
	behaviors = {
		shopkeeper {
			sells = { "charcoal_torch", "smoked_eel", "tower_key" },
			buys = { "wolf_pelt", "boar_tusk", "greymuzzle_pelt" },
			markup = 1,
		},
	},

	on_greet = function(mob, ch)
		if ch.is_player and not mob.vars[ch.name] then
			mob.vars[ch.name] = true
			wait(1)
			mob:emote("takes the pipe out of her mouth, which is how you know she is going to say something.")
			mob:say("Torches, eels and the key to my tower. Ask for the list. Don't touch the clamps.")
		end
	end,
	on_say = players_only {
		["tower|key|watchtower"] = function(mob, ch)
			mob:say("Mine. Squatter's right. The Vael folk built it and left it, my gran's gran found it and put a lock on it, and I sell the key. Twenty. There's a horn up there the ravens won't let you have.")
		end,
		["pim|flint|tin|boy"] = function(mob, ch)
			mob:say("That boy would lose his head if it weren't on a string. He's lost his da's flint, he thinks I don't know. It'll be in the wolves' den. Everything's in the wolves' den eventually.")
		end,
		["wolf|wolves|greymuzzle|den"] = function(mob, ch)
			mob:say("Stay off the wolf-run. Greymuzzle's older than me and meaner, and she's never once been bitten by anything.")
		end,
		["willows|willow|night|lights|glade"] = function(mob, ch)
			mob:emote("puts the pipe back in her mouth, takes it out again.")
			mob:say("Don't.")
		end,
		["hermit|lark|old man"] = function(mob, ch)
			mob:say("Keeps bees past the stream. Buys charcoal, pays in honey, reads the whole time he's counting it out. He's all right. His family wasn't, if you listen to the village. I don't.")
		end,
	},
}

mob "pim" {
	keywords = "pim boy burner's",
	short = "Pim",
	long = "Pim, the burners' boy, trails about the camp kicking at the ashes.",
	desc = [[A boy of twelve, black to the eyebrows, in a jerkin cut down from a man's. He has been looking for something all day and has begun to look for it in places he has already looked. He wants to find it before Gammer Sloe notices it is missing, which gives him, at a guess, until supper.]],
	level = 2, hp = 20, mana = 0, move = 80,
	damage = { 1, 3 }, armor = 0, gold = 1,
	flags = { "nokill" },

	on_greet = function(mob, ch)
		if ch.is_player and not ch:memory().pim_done and chance(60) then
			wait(1)
			mob:say("You haven't seen a little tin, have you? With a flint in? It was my da's. Don't tell Gammer.")
		end
	end,
	on_tick = function(mob)
		if chance(25) then
			if mob.room.id == "thornwood:burners_camp" then
				mob:move("north")
			else
				mob:move("south")
			end
		end
	end,
	on_give = function(mob, ch, item)
		local m = ch:memory()
		if item.id ~= "thornwood:flint_striker" then
			mob:say("What'd I want that for?")
			item:move_to(ch)
			return
		end
		mob:emote("snatches the tin, opens it, checks the flint, closes it, and holds it against his chest.")
		if m.pim_done then
			mob:say("I lost it again. Don't tell Gammer that either.")
			return
		end
		m.pim_done = true
		ch:add_exp(80)
		wait(2)
		mob:say("You went in the den? For this? You're mad.")
		wait(2)
		mob:emote("looks round to see where Gammer is, and drops his voice.")
		mob:say("Here's a thing for you, then. The willows at the pool, up by the stream. At night they open, and there's lights. Gammer says don't. So I did. There's a hole with a bell in it.")
		ch:give("smoked_eel")
	end,
}

mob "burner" {
	keywords = "burner collier man",
	short = "a charcoal burner",
	long = "A charcoal burner walks the ring of clamps, a turf-beater on his shoulder.",
	desc = [[A big slow man in a hooded smock of sacking, so black with charcoal that his eyes look startled. He has not slept properly in four days because the clamps are burning and the clamps do not care about sleep. He wants the smoke to stay blue.]],
	level = 3, hp = 40, mana = 0, move = 60,
	damage = { 1, 5 }, armor = 1, gold = 3,
	flags = { "nokill" },

	on_tick = function(mob)
		if #mob.room:players() > 0 and chance(20) then
			mob:emote(pick({
				"stamps down a thread of white smoke with the flat of his turf-beater.",
				"kneels, puts his ear to a clamp, and listens to it like a doctor.",
				"yawns so widely his jaw clicks, and goes on walking the ring.",
			}))
		end
	end,
	on_say = players_only {
		["smoke|clamp|clamps|blue|charcoal"] = function(mob, ch)
			mob:say("Blue's good. White's wet. Yellow, you run for the bucket, and if you see flame you run for Gammer.")
		end,
		["sleep|tired"] = function(mob, ch)
			mob:say("Sleep when it's charcoal.")
		end,
	},
}

-- ---- the ladder ----------------------------------------------------------------

mob "scavenger" {
	keywords = "scavenger toller anno's cousin rook",
	short = "Rook the scavenger",
	long = "Rook the scavenger sits by the ladder-pegs, tossing a coin and catching it.",
	desc = [[A lean man in an oilskin coat with a crowbar through his belt and the look of someone who has been down the ladder more times than is sensible. He says the ladder is his, since he mends it, and that anyone who goes down it owes him five coins toward the mending. Nobody has ever seen him mend it. What he wants, under the swagger, is news of his cousin Anno, who went down after a brass token and did not come up.]],
	level = 5, hp = 55, mana = 0, move = 90,
	damage = { 2, 6 }, armor = 2, gold = 20,
	flags = { "sentinel" },

	on_greet = function(mob, ch)
		local m = ch:memory()
		if ch.is_player and not m.rook_paid and not m.rook_friend then
			wait(1)
			mob:emote("flips his coin and catches it without looking.")
			mob:say("Going down? Five coins. For the ladder.")
		end
	end,
	on_say = players_only {
		["pay|toll|coins|coin|fine|deal"] = function(mob, ch)
			local m = ch:memory()
			if m.rook_paid or m.rook_friend then
				mob:say("You're on the list already. I never forget a face that's paid.")
			elseif ch.gold < 5 then
				mob:emote("looks at your purse, and then at you, with real pity.")
				mob:say("Come back richer.")
			else
				ch:add_gold(-5)
				mob:add_gold(5)
				m.rook_paid = true
				mob:emote("bites each coin, then scratches your name into the dirt by the pegs with his crowbar.")
				mob:say("On the list. Mind the ninth rung. And the brass men want a token, down there; don't argue with them, I've seen how that goes.")
			end
		end,
		["anno|cousin"] = function(mob, ch)
			mob:say("Anno. My cousin. Went down after a brass token a month gone; said he knew where they were. If you see him, tell him he owes me five coins.")
			mob:emote("flips the coin again, and this time misses it.")
		end,
		["ladder|mend|mending"] = function(mob, ch)
			mob:say("Course I mend it. Look at it. Does that look like a ladder nobody mends?")
		end,
		["token|brass|wardens"] = function(mob, ch)
			mob:say("The brass men on the stair won't let you down without a reader's token. Anno said there were tokens under the cards, in the drawer room by the stair. He'd know.")
		end,
	},
	on_give = function(mob, ch, item)
		local m = ch:memory()
		if item.id ~= "archive:scav_journal" then
			mob:say("Not buying. Tamsin buys. I'm in the ladder trade.")
			item:move_to(ch)
			return
		end
		mob:emote("reads the last page, and then reads it again. For a while he says nothing at all.")
		wait(3)
		mob:say("Number four. He got his token, then. He always did get what he went for.")
		wait(2)
		if not m.rook_friend then
			m.rook_friend = true
			ch:add_exp(120)
			if m.rook_paid then
				mob:emote("presses five coins back into your hand.")
				ch:add_gold(5)
			end
			mob:say("You go down free, from now on. Anyone who brings me this goes down free.")
		end
	end,
}
