-- The engine's own walk through Emberfall: behaviors configured by the area
-- (Odile's and Hask's shops, the wandering cat), an area reset putting a
-- villager back, and a live reload that leaves players where they stand and
-- the shops open. Run with `ruin-server --test-areas areas/`.

local function mob_in(room, id)
	for _, m in ipairs(room:mobs()) do
		if m.id == id then
			return m
		end
	end
end

local function where(id)
	for _, r in ipairs({ "square", "board", "north_lane", "market_lane", "well", "south_lane",
		"inn", "smithy", "store", "shrine", "gate_yard", "watch_house", "inn_upstairs",
		"inn_room", "wall_walk", "gate_top", "crypt", "outside_gate" }) do
		local room = find_room(r)
		if room and mob_in(room, id) then
			return room
		end
	end
end

-- Odile sells: list, buy, and a refusal to buy.
local p = test.player("Shopper", { room = "inn", gold = 20 })
p:cmd("list")
local out = test.output(p)
expect(out:find("Odile the innkeeper has for sale", 1, true), "list names the seller")
expect(out:find("a mug of small beer", 1, true), "and her wares")
p:cmd("buy bread")
out = test.output(p)
expect(out:find("You buy a heel of black bread for 3 gold.", 1, true), "buying tells the price")
expect(p:has("bread") ~= nil, "the bread is carried")
expect(p.gold == 17, "and paid for")
p:cmd("buy anvil")
expect(test.output(p):find("does not sell that", 1, true), "she sells only her wares")
p:cmd("sell bread")
expect(test.output(p):find("does not buy things like", 1, true), "and buys nothing")
expect(p:has("bread") ~= nil, "so the bread stays")

-- Hask buys weapons, at half their value.
p:teleport("smithy")
p:give("hunting_knife")
test.output(p)
p:cmd("value knife")
expect(test.output(p):find("would give you 4 gold", 1, true), "value quotes half the value")
p:cmd("sell knife")
expect(test.output(p):find("You sell a hunting knife for 4 gold.", 1, true), "selling pays")
expect(p:has("hunting_knife") == nil and p.gold == 21, "the knife is gone and the gold came")

-- The cat wanders, but never out of Emberfall.
local start = where("emberfall:cat")
expect(start ~= nil, "the cat is in the village")
local moved = false
for _ = 1, 40 do
	test.wait(30)
	local now = where("emberfall:cat")
	expect(now ~= nil, "the cat stays in Emberfall")
	if now ~= start then
		moved = true
	end
end
expect(moved, "the cat wanders in twenty minutes")

-- A reset puts a lost villager back.
local ness = mob_in(find_room("square"), "emberfall:lamplighter") or (where("emberfall:lamplighter") and mob_in(where("emberfall:lamplighter"), "emberfall:lamplighter"))
expect(ness ~= nil, "Ness is about")
ness:destroy()
expect(where("emberfall:lamplighter") == nil, "Ness is gone")
test.reset_area("emberfall")
expect(where("emberfall:lamplighter") ~= nil, "the reset brings her back")

-- A live reload: players stay, the shops still trade.
p:teleport("inn")
local ok, report = test.reload("emberfall")
expect(ok, "Emberfall reloads cleanly: " .. report)
expect(p.room.id == "emberfall:inn", "the player stays where they stood")
test.output(p)
p:cmd("list")
expect(test.output(p):find("a mug of small beer", 1, true), "Odile still sells after the reload")

-- Resets after a reload still know which villagers are about: the new
-- spawn rules take over the old rules' mobs, so a cat that has wandered
-- off is not joined by a second one.
local function count(id)
	local n = 0
	for _, r in ipairs({ "square", "board", "north_lane", "market_lane", "well", "south_lane",
		"inn", "smithy", "store", "shrine", "gate_yard", "watch_house", "inn_upstairs",
		"inn_room", "wall_walk", "gate_top", "crypt", "outside_gate" }) do
		for _, m in ipairs(find_room(r):mobs()) do
			if m.id == id then
				n = n + 1
			end
		end
	end
	return n
end
local cat = mob_in(where("emberfall:cat"), "emberfall:cat")
cat:teleport("gate_top")
local ok2, report2 = test.reload("emberfall")
expect(ok2, "Emberfall reloads again: " .. tostring(report2))
test.reset_area("emberfall")
test.reset_area("emberfall")
expect(count("emberfall:cat") == 1, "one cat after a reload and two resets, though it wandered off")
expect(cat:valid(), "and it is the cat that was there before")
cat:destroy()
test.reset_area("emberfall")
expect(count("emberfall:cat") == 1 and mob_in(find_room("inn"), "emberfall:cat"), "a dead cat is replaced, at the inn")

-- test.player's level is a level earned: the same character as one who
-- gained the experience.
local given = test.player("Given", { level = 10, path = "scout" })
local earned = test.player("Earned", { path = "scout" })
earned:add_exp(3200)
expect(given.level == 10 and earned.level == 10, "both are level 10")
expect(given.max_hp == earned.max_hp and given.max_mana == earned.max_mana
	and given.max_move == earned.max_move, "with the same hit points, mana and moves")
expect(given.hp == given.max_hp and given.exp == 3200, "full, and with the experience of the level")
