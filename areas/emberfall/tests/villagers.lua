-- The villagers' wants: Tobin trades a rumour for a beer, Wren a hagstone
-- for a warden's cog, Mother Ama opens the crypt for her key, Hask pays
-- for Vael iron, Aurel sends ledger pages on to the hermit, and Brannoc
-- shuts the gate at dusk and opens it to the bell.

local function mob_in(room, id)
	for _, m in ipairs(room:mobs()) do
		if m.id == id then
			return m
		end
	end
end

local p = test.player("Villager", { room = "inn", level = 3 })

-- Tobin.
p:cmd("say tell me about the ruin")
expect(test.output(p):find("very good pair of legs", 1, true), "Tobin answers what he hears about")
p:give("small_beer")
p:cmd("give beer tobin")
test.wait(3)
expect(test.output(p):find("Lark", 1, true), "a beer buys his first secret")
expect(not p:has("small_beer"), "and he drinks it")
p:give("small_beer")
p:cmd("give beer tobin")
test.wait(3)
expect(test.output(p):find("under the cards", 1, true), "the next beer buys the next")

-- Aurel.
p:give("archive:ledger_page_1")
p:cmd("give ninth aurel")
test.wait(5)
expect(test.output(p):find("hermit's question", 1, true), "Aurel sends a ledger page on to the hermit")
expect(p:has("archive:ledger_page_1"), "and gives it back")
local gold = p.gold
p:give("archive:drowned_book")
p:cmd("give book aurel")
expect(p.gold == gold + 15, "he buys a drowned book")

-- Wren, wherever she has wandered.
local wren
for _, id in ipairs({ "square", "board", "north_lane", "market_lane", "well", "south_lane", "inn", "smithy", "store", "shrine", "gate_yard", "watch_house", "inn_upstairs", "inn_room", "wall_walk", "gate_top" }) do
	wren = wren or mob_in(find_room(id), "emberfall:child")
end
expect(wren ~= nil, "Wren is somewhere in the village")
p:teleport(wren.room)
p:give("archive:warden_cog")
p:cmd("give cog wren")
test.wait(5)
expect(p:has("hagstone"), "Wren gives her hagstone for a warden's cog")

-- Mother Ama.
p:teleport("shrine")
local shrine = find_room("shrine")
expect(shrine:door("down") == "locked", "the crypt is locked")
p:give("crypt_key")
p:cmd("give key ama")
test.wait(5)
expect(shrine:door("down") == "open", "Mother Ama opens the crypt when her key comes back")
p:cmd("down")
expect(p.room.id == "emberfall:crypt", "and the crypt can be visited")

-- Hask.
p:teleport("smithy")
gold = p.gold
p:give("archive:vael_iron")
p:cmd("give bar hask")
test.wait(5)
expect(p.gold == gold + 40, "Hask pays forty for a bar of Vael iron")

-- Brannoc and the gate.
local yard = find_room("gate_yard")
local outside = find_room("outside_gate")
for _ = 1, 30 do
	if time_of_day() == "night" then
		break
	end
	test.wait(30)
end
expect(time_of_day() == "night", "night comes")
expect(yard:door("north") == "closed", "Brannoc has shut the gate for the night")
p:teleport(outside)
p:cmd("pull bell")
expect(yard:door("north") == "open", "pulling the bell brings him to open it")
p:cmd("south")
expect(p.room == yard, "and the traveller comes in")

-- However far Wren wanders, resets do not make a second one.
wren:teleport("gate_top")
for _ = 1, 3 do
	test.reset_area("emberfall")
end
local wrens = 0
for _, id in ipairs({ "square", "board", "north_lane", "market_lane", "well", "south_lane", "inn", "smithy", "store", "shrine", "gate_yard", "watch_house", "inn_upstairs", "inn_room", "wall_walk", "gate_top" }) do
	for _, m in ipairs(find_room(id):mobs()) do
		if m.id == "emberfall:child" then
			wrens = wrens + 1
		end
	end
end
expect(wrens == 1 and wren:valid(), "there is one Wren, the same one")
