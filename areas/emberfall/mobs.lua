-- The people (and animals) of Emberfall. Every one of them wants something,
-- and says so in their description: that is where quests will hang later.
-- The villagers are nokill; only the crow outside the gate will fight, and
-- only over bread.

mob "innkeeper" {
	keywords = "odile innkeeper",
	short = "Odile the innkeeper",
	long = "Odile the innkeeper polishes a tankard that was clean an hour ago.",
	desc = [[A broad woman with flour to the elbows and a ledger of debts she can recite from memory. She takes payment in advance from anyone carrying a shovel. What she wants is for every guest who goes up her stairs at night to come down them in the morning, and until they do she keeps their tools hanging from her beams.]],
	level = 5, hp = 70, mana = 0, move = 60,
	damage = { 1, 6 }, armor = 2, gold = 40,
	flags = { "sentinel", "nokill" },
	behaviors = {
		shopkeeper { sells = { "small_beer", "bread", "apple" } },
	},
	on_say = players_only {
		["room|bed|sleep|stay"] = function(mob, ch)
			mob:say("Rooms are upstairs, and paid in advance. The last guest left in a hurry; don't touch his papers, he may want them.")
		end,
		["tools|shovels|beams"] = function(mob, ch)
			mob:emote("looks up at the tools on the beams, and counts them without meaning to.")
			mob:say("They'll come back for them. That's what the tags are for.")
		end,
		["beer|drink|food|bread|eat"] = function(mob, ch)
			mob:say("Small beer and black bread. Ask for the list, and don't let Tobin tell you he's paid.")
		end,
	},
	on_time = function(mob, period, hour)
		if period == "night" and hour == 20 then
			mob:emote("lights a candle in the window facing the forest, and sets it straight.")
		end
	end,
}

mob "smith" {
	keywords = "hask smith",
	short = "Hask the smith",
	long = "Hask the smith turns a bar of grey metal in the coals, frowning at it.",
	desc = [[Lean and burn-scarred to the elbows, with a habit of talking to iron as though it were being difficult on purpose. Scavengers bring her metal from the Ruin, and none of it behaves: it will not take a temper, and it will not rust. She wants to know why, badly enough to pay for any piece of Vael iron you bring her.]],
	level = 6, hp = 90, mana = 0, move = 60,
	damage = { 2, 6 }, armor = 3, gold = 25,
	flags = { "sentinel", "nokill" },
	behaviors = {
		shopkeeper {
			sells = { "practice_sword", "hunting_knife", "oak_staff", "watch_spear", "padded_jerkin", "soft_boots", "leather_apron" },
			buys = { "weapon", "armor" },
		},
	},
	on_give = function(mob, ch, item)
		if item.id ~= "archive:vael_iron" then
			mob:say("If it isn't Vael iron, I've got a pile of my own. Tamsin buys odds and ends.")
			item:move_to(ch)
			return
		end
		item:destroy()
		mob:emote("turns the bar in her hands, scratches it with a file, and frowns at the scratch, which is already gone.")
		wait(2)
		mob:say("Three hundred years under water and not a speck of rust. It won't take a temper, it won't take a mark, and it won't tell me why.")
		wait(2)
		mob:emote("counts out coins onto the anvil.")
		mob:say("Forty. Bring me more. One day it'll tell me.")
		ch:add_gold(40)
	end,
	on_say = players_only {
		["iron|vael|metal|grey"] = function(mob, ch)
			mob:say("Bring me any iron from the Ruin and I'll pay forty a bar, more than Tamsin. It's grey, it's heavy, and it's smug.")
		end,
		["weapon|weapons|sword|buy|list"] = function(mob, ch)
			mob:say("I sell what's on the rack. Ask for the list.")
		end,
	},
}

mob "shrine_keeper" {
	keywords = "ama mother keeper",
	short = "Mother Ama",
	long = "Mother Ama, the shrine-keeper, trims the candles one by one.",
	desc = [[Small and white-haired, in a shawl full of burn-holes from a lifetime of candles. She has met most of the village's adventurers at least once, just after they died, and greeted each of them with a blanket and no questions. Just now she wants her crypt key back. She has been peering down the well all morning, and glaring at every child she passes.]],
	level = 7, hp = 80, mana = 100, move = 40,
	damage = { 1, 4 }, armor = 2, gold = 5,
	flags = { "sentinel", "nokill" },
	behaviors = {
		healer { price = 10 },
	},
	on_give = function(mob, ch, item)
		if item.id ~= "emberfall:crypt_key" then
			mob:say("That's kind, dear, but you keep it. Leave a button in the bowl if you like.")
			item:move_to(ch)
			return
		end
		item:destroy()
		local m = ch:memory()
		mob:emote("takes the key in both hands and holds it a moment against her chest.")
		wait(2)
		mob:say("The bucket. I knew it was the bucket. That child.")
		wait(2)
		local shrine = find_room("shrine")
		if mob.room == shrine and shrine:door("down") ~= "open" then
			shrine:unlock("down")
			shrine:open("down")
			mob:emote("kneels with a grunt, unlocks the trapdoor, and heaves it open.")
			mob:say("Go down and say hello to them, if you like. The founders don't get many visitors. I'll lock up after.")
		end
		if not m.key_returned then
			m.key_returned = true
			ch:add_exp(60)
			ch:heal(ch.max_hp)
			mob:emote("lays a dry hand on your forehead for a moment, and you feel better than you have all day.")
		end
	end,
	on_say = players_only {
		["candle|candles"] = function(mob, ch)
			if ch:has("candle") then
				mob:say("You have one already. Bring me back the stub.")
			else
				mob:emote("takes a stub of candle from the shelf and presses it into your hand.")
				mob:say("For the dark places. Bring me back the stub.")
				ch:give("candle")
			end
		end,
		["key|crypt|trapdoor"] = function(mob, ch)
			mob:say("The crypt key's gone, and I know who had it last, and she knows I know. Wren was drawing water this morning. Look in the well, if you look anywhere.")
		end,
		["lark|sixth|chest|founders"] = function(mob, ch)
			mob:emote("is quiet for a moment.")
			mob:say("There were six families. One name was taken off the chest the first winter. We don't say it. I've never been sure anymore why we don't.")
		end,
		["heal|hurt|help"] = function(mob, ch)
			mob:say("Sit down on the mat, dear, and be patient; you'll mend. If you can't be patient, I'll mend you for ten coins: say 'heal'.")
		end,
	},
}

mob "shopkeeper" {
	keywords = "tamsin reed shopkeeper",
	short = "Tamsin Reed",
	long = "Tamsin Reed leans on the counter, weighing a handful of nails by eye.",
	desc = [[A sharp-eyed woman in a canvas apron with a pencil behind each ear, in case one gets lost. She sells whatever a body needs for the woods and buys whatever comes up out of the Ruin, provided it has stopped moving. She wants a proper cart road to the coast, and says so to anyone who stands still.]],
	level = 5, hp = 70, mana = 0, move = 50,
	damage = { 1, 6 }, armor = 2, gold = 200,
	flags = { "shopkeeper", "sentinel", "nokill" },
	behaviors = {
		shopkeeper {
			sells = { "bread", "apple", "waterskin", "satchel", "lantern", "candle", "thornwood:charcoal_torch" },
			buys = { "treasure", "food" },
		},
	},
	on_greet = function(mob, ch)
		if ch.is_player and not mob.vars[ch.name] then
			mob.vars[ch.name] = true
			wait(1)
			mob:emote("looks up from the nails.")
			mob:say("Buying or selling? Either way, ask for the list. And if you're going north, you'll want a light.")
		end
	end,
	on_say = players_only {
		["road|cart|coast"] = function(mob, ch)
			mob:say("A cart road to the coast, that's what this village wants. Then I could sell Ruin-goods for what they're worth, instead of what a man with a mule will pay.")
		end,
		["curse|curses|cursed"] = function(mob, ch)
			mob:say("Anything that hums. Anything that's warm when it shouldn't be. Dolls. I'm not discussing the dolls.")
		end,
	},
}

mob "guard" {
	keywords = "brannoc watcher guard watchman",
	short = "Watcher Brannoc",
	long = "Watcher Brannoc leans on his spear by the gate, counting under his breath.",
	desc = [[A grey-bearded watchman in a cloak patched at both elbows. He can tell you how many people went out through the north gate today and how many have come back, and he wants those two numbers to match. They rarely do. He writes the difference on the slate in the watch-house and circles it, as if that might help.]],
	level = 8, hp = 120, mana = 0, move = 80,
	damage = { 2, 6 }, armor = 5, gold = 15,
	flags = { "sentinel" },
	behaviors = {
		sentinel {},
	},
	on_greet = function(mob, ch, from)
		if not ch.is_player then
			return
		end
		if from == "north" then
			mob:emote("makes a chalk mark on the gate-post for " .. ch.name .. ". \"In. Good.\"")
		end
	end,
	on_time = function(mob, period)
		local yard = mob.room
		if yard.id ~= "emberfall:gate_yard" then
			return
		end
		if period == "dusk" and yard:door("north") == "open" then
			mob:emote("swings the north gate shut for the night and drops the bar.")
			yard:close("north")
		elseif period == "dawn" and yard:door("north") == "closed" then
			mob:emote("lifts the bar and hauls the north gate open on a grey morning.")
			yard:open("north")
		end
	end,
	on_say = players_only {
		["open|gate|let"] = function(mob, ch)
			local yard = mob.room
			if yard:door("north") == "open" then
				mob:say("It's open. I'd go now, while it's light, if I were going.")
			else
				mob:emote("sighs, and lifts the bar.")
				yard:open("north")
				mob:say("Pull the bell when you come back. If you come back.")
			end
		end,
		["count|numbers|slate|out"] = function(mob, ch)
			mob:say("Out this morning, eleven. In, nine. I'll stand here till it's eleven.")
		end,
	},
}

mob "child" {
	keywords = "wren child girl",
	short = "Wren",
	long = "Wren, a barefoot child, darts past with something held behind her back.",
	desc = [[Eight or nine years old, all elbows, with pockets full of things other people have lost. More than anything she wants to see one of the clockwork wardens the scavengers talk about, and she has been as far as the red cloth on the forest path. Twice. She did not take the shrine-keeper's key, she will tell you, long before you think to ask.]],
	level = 1, hp = 12, mana = 0, move = 120,
	damage = { 1, 2 }, armor = 0, gold = 1,
	flags = { "nokill" },
	behaviors = {
		wander { chance = 20 },
	},
	on_greet = function(mob, ch)
		if ch.is_player and chance(40) then
			wait(1)
			mob:say(pick({
				"Have you been down? Have you seen a warden? Do they tick? Tobin says they tick.",
				"If you bring me a cog out of a warden I'll give you my best stone. It's got a hole in it.",
				"I've been to the red cloth twice. I'm not allowed.",
			}))
		end
	end,
	on_say = players_only {
		["key|crypt|bucket|well"] = function(mob, ch)
			mob:say("I never took it. I only borrowed it, and then Mother Ama came out, so I hid it in the bucket, and then the bucket went down the well.")
			wait(2)
			mob:say("It comes up again. The bucket. Don't tell.")
		end,
		["warden|wardens|cog|clockwork"] = function(mob, ch)
			mob:say("Do they really tick? Bring me a cog out of one. I'll give you my best stone. It's got a hole in it, you can see through it.")
		end,
	},
	on_give = function(mob, ch, item)
		if item.id == "archive:warden_cog" then
			mob:emote("holds the cog up to her ear, and goes completely still.")
			wait(2)
			mob:say("It's still going.")
			wait(2)
			local m = ch:memory()
			if not m.hagstone then
				m.hagstone = true
				mob:emote("digs in a pocket, and then another, and then a third, and gives you a grey stone with a hole worn through it.")
				mob:say("You can see the Ruin through it. Honestly. Try it at night.")
				ch:give("hagstone")
				ch:add_exp(80)
			end
		elseif item.type == "food" then
			item:destroy()
			mob:emote("eats it at once, in case you change your mind.")
		else
			mob:say("What's it do?")
			mob:emote("turns it over, decides it does nothing, and gives it back.")
			item:move_to(ch)
		end
	end,
}

mob "cat" {
	keywords = "cat tabby tom",
	short = "a one-eared tabby",
	long = "A one-eared tabby cat has claimed the warmest spot in sight.",
	desc = [[A heavy orange-and-grey tom with one ear and the bearing of a retired magistrate. He belongs to the inn, the smithy and the shrine at once, and is fed by all three, each of whom believes they are the only one. What he wants is the warm spot, wherever it happens to be at the moment.]],
	level = 1, hp = 8, mana = 0, move = 100,
	damage = { 1, 2 }, armor = 1, gold = 0,
	flags = { "nokill" },
	behaviors = {
		wander { chance = 10, every = 30 },
	},
	on_tick = function(mob)
		if #mob.room:players() > 0 and chance(15) then
			mob:emote(pick({
				"stretches, turns round three times, and settles in exactly the same position.",
				"looks at you as if you owe it money.",
				"washes its one ear with great thoroughness.",
			}))
		end
	end,
}

mob "scholar" {
	keywords = "aurel vance scholar",
	short = "Aurel Vance",
	long = "Aurel Vance, a travelling scholar, sits by the fire copying from a notebook.",
	desc = [[He came from the coast with a trunk of books, a bad cough and a letter of introduction nobody here can read. For a month he has sketched the marks on the old wall and paid good coin for scraps brought up from the Archive. He wants very much to go down himself. He has not yet gone, and he is beginning to notice.]],
	level = 3, hp = 30, mana = 80, move = 40,
	damage = { 1, 3 }, armor = 0, gold = 60,
	flags = { "sentinel", "nokill" },
	on_give = function(mob, ch, item)
		local page = item.id:match("^archive:ledger_page_")
		if page then
			mob:emote("takes the page as though it might break, and reads it with his lips moving. Then he reads it again.")
			wait(3)
			mob:say("This is not mine to buy. This is the hermit's question, isn't it? The notice on the board. Take it to him.")
			wait(1)
			mob:emote("hands the page back, carefully, and writes something in his notebook in a hurry.")
			item:move_to(ch)
			return
		end
		local prices = { ["archive:drowned_book"] = 15, ["archive:scav_journal"] = 8, ["emberfall:copied_map"] = 10 }
		local price = prices[item.id]
		if not price then
			mob:say("Only writing, I'm afraid. Anything with writing on it, from below.")
			item:move_to(ch)
			return
		end
		item:destroy()
		mob:emote("turns the pages with the tips of his fingers, coughing.")
		mob:say("Oh, yes. Yes. " .. price .. " coins, and I'd pay more if I had more.")
		ch:add_gold(price)
	end,
	on_say = players_only {
		["vael|archive|ruin|city"] = function(mob, ch)
			mob:say("Vael had a great archive, the best on this coast. It wrote everything down. If it wrote down why it sank, the answer is down there, under the sink in the Thornwood, waiting for someone who can read.")
		end,
		["remain|coin|word"] = function(mob, ch)
			mob:say("REMAIN. It's on their coins, their walls, their milestones. A motto, I think. Or an order.")
		end,
		["down|go|going|brave"] = function(mob, ch)
			mob:emote("looks at the fire.")
			mob:say("I will. Soon. When I have finished copying the wall.")
		end,
	},
}

mob "drunk" {
	keywords = "tobin old drunk",
	short = "Old Tobin",
	long = "Old Tobin sits in the corner, explaining something to an empty bottle.",
	desc = [[Tobin went down into the Ruin once, forty years ago, before it was opened, and he has been telling people about it ever since. Between sighs he offers what he knows: the forest paths only move when nobody is watching them, the clockwork things below still ask to see your papers, and at the very bottom of the Archive something remembers the night the city fell. He wants a drink, and for somebody to believe him; buy him the first and he will manage without the second.]],
	level = 2, hp = 20, mana = 0, move = 20,
	damage = { 1, 3 }, armor = 0, gold = 0,
	flags = { "sentinel", "nokill" },
	on_say = players_only {
		["ruin|archive|down|below"] = function(mob, ch)
			mob:say("I went down, you know. Forty years back, before it was opened. Fell in, more like. The brass things asked to see my papers. I didn't have any papers. I had a very good pair of legs.")
		end,
		["forest|wood|thornwood|path|paths"] = function(mob, ch)
			mob:say("The paths only move when nobody's watching them. So watch them. Take a friend who can count, that's what the Watch says, and the Watch is right for once.")
		end,
		["warden|wardens|brass|clockwork"] = function(mob, ch)
			mob:say("They keep the rules. Old rules. You show your token, you don't run, and you keep your mouth shut in the writing room. I didn't, the last one. Don't ask me how I know.")
		end,
		["archivist|bottom"] = function(mob, ch)
			mob:emote("stops talking to the bottle, and for a moment looks quite sober.")
			mob:say("At the very bottom there's something that remembers the night the city fell. It talked to me. It was polite. That was the worst of it.")
		end,
		["hermit|notice|ledger"] = function(mob, ch)
			mob:say("The hermit? Beekeeper, past the stepping stones. He's from a family nobody in Emberfall will name. I'll name 'em for a beer.")
		end,
		default = function(mob, ch)
			if chance(30) then
				mob:emote("says something to the bottle that the bottle does not seem to agree with.")
			end
		end,
	},
	on_give = function(mob, ch, item)
		if item.id ~= "emberfall:small_beer" then
			mob:emote("looks at " .. item.name .. " with deep disappointment and hands it back.")
			mob:say("Can't drink that. I've tried.")
			item:move_to(ch)
			return
		end
		item:destroy()
		mob:emote("drinks the beer in one long swallow, sets the mug down, and wipes his mouth with great care.")
		wait(2)
		local m = ch:memory()
		m.tobin = (m.tobin or 0) + 1
		local secrets = {
			"Lark. That's the name. The sixth name on the founders' chest, chiselled off the first winter. They said a Lark drowned the city. The hermit's a Lark. There.",
			"The brass things want a token. There's tokens under the cards, in the drawer room at the top. Dig, they don't mind. The moths mind.",
			"At night the willows by the pool open up. Don't go through. Or do, I'm not your mother. There's a hole with a bell in it that comes out under the water.",
			"The thing in the ink doesn't care about your sword. It cares about paper. Give it paper.",
		}
		mob:say(secrets[(m.tobin - 1) % #secrets + 1])
	end,
}

mob "lamplighter" {
	keywords = "ness lamplighter",
	short = "Ness the lamplighter",
	long = "Ness the lamplighter passes by, a long hooked pole over her shoulder.",
	desc = [[A tall, quiet young woman with soot ground into her fingertips. She keeps every lantern in the square burning, day and night, and knows the name painted on each post and who painted it. She wants the village to stop needing new posts.]],
	level = 3, hp = 35, mana = 0, move = 120,
	damage = { 1, 4 }, armor = 1, gold = 4,
	flags = { "nokill" },
	behaviors = {
		wander { chance = 25 },
	},
	on_time = function(mob, period, hour)
		if period == "dusk" and hour == 18 then
			mob:emote("hooks down a lantern, trims the wick, and hangs it back up burning brighter, facing the forest.")
		elseif period == "dawn" and hour == 5 then
			mob:emote("walks the round of the lanterns, checking each is still lit, and touching each name as she passes.")
		end
	end,
	on_say = players_only {
		["names|name|posts|post|lanterns"] = function(mob, ch)
			mob:say("Everyone who didn't come back. Hollin, Marta, the Gray Twins, Little Oswy. I keep them lit so they can see the way. It's silly. I keep them lit anyway.")
		end,
	},
}

mob "crow" {
	keywords = "crow fat bird",
	short = "a fat crow",
	long = "A fat crow watches you from a stump, eyeing your pack.",
	desc = [[Glossy, heavy and entirely unafraid. It has learned that people coming out of Emberfall carry bread, and it holds strong views on sharing. It wants your lunch, and it is prepared to discuss the matter with its beak.]],
	level = 1, hp = 10, mana = 0, move = 60,
	damage = { 1, 2 }, armor = 0, gold = 0,
	flags = { "sentinel" },
	on_greet = function(mob, ch)
		if not ch.is_player or not ch:has("bread") then
			return
		end
		mob:emote("hops to the near end of the stump and stares at your pack.")
		wait(3)
		if ch.room ~= mob.room or mob.fighting then
			return
		end
		if chance(50) and ch:take("bread") then
			ch:send("The crow darts in, snatches a heel of bread out of your pack, and is back on the stump before you can move.")
			mob:emote("swallows something large with visible effort.")
		else
			mob:emote("launches itself at your pack with a furious caw.")
			mob:attack(ch)
		end
	end,
	on_give = function(mob, ch, item)
		if item.type ~= "food" then
			mob:emote("pecks " .. item.name .. " once, scornfully, and knocks it off the stump.")
			item:move_to(mob.room)
			return
		end
		item:destroy()
		mob:emote("eats it in three gulps, and looks at you with something like respect.")
		if not ch:memory().crow_paid then
			ch:memory().crow_paid = true
			wait(2)
			mob:emote("drops something at your feet, and looks away: a horn button, very shiny.")
			spawn_item("button", mob.room)
		end
	end,
}
