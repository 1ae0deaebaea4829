-- The wood at night: the willows open onto the ghostlight path at nightfall
-- and close at dawn, setting anyone still beyond them back by the pool;
-- the old road leads a lone traveller astray, but not one with company;
-- and the thorn-walker gets up.

local function until_period(want)
	for _ = 1, 30 do
		if time_of_day() == want then
			return true
		end
		test.wait(30)
	end
	return false
end

local function mob_in(room, id)
	for _, m in ipairs(room:mobs()) do
		if m.id == id then
			return m
		end
	end
end

-- Nothing in the wood should eat the test's players.
local walker = mob_in(find_room("bramble_hollow"), "thornwood:thorn_walker")
expect(walker ~= nil, "the thorn-walker lies in Bramble Hollow")

local pool = find_room("willow_pool")
local p = test.player("Nightwalker", { room = "willow_pool", path = "scout" })
p:add_exp(3200) -- a real level 10: the wolves leave it alone
p:heal(1000)

expect(until_period("day"), "day comes round")
test.wait(11)
expect(pool:door("west") == "locked", "by day the willows are shut and locked")
p:cmd("west")
expect(p.room == pool, "and nobody goes through them")

expect(until_period("night"), "night comes round")
test.wait(11)
expect(pool:door("west") == "open", "at night the willows part")
expect(test.output(p):find("draw apart to the west", 1, true), "and the pool is told")
p:cmd("west")
expect(p.room.id == "thornwood:ghostlight_path", "the ghostlight path lies beyond them")
p:cmd("west")
expect(p.room.id == "thornwood:moon_glade", "and leads to the glade")

-- The thorn-walker is up: somewhere it stood, it has said so.
expect(walker:valid(), "the thorn-walker is still about")

expect(until_period("dawn") or until_period("day"), "dawn comes round")
test.wait(11)
expect(p.room == pool, "at dawn the glade sets you back at the pool")
expect(pool:door("west") == "locked", "and the willows close")

-- The old road by night, alone and without a light: it strays.
if walker:valid() then
	walker:destroy()
end
expect(until_period("night"), "night again")
local road = find_room("old_road")
local strayed = 0
for _ = 1, 12 do
	p:teleport("old_road")
	p:cmd("north")
	test.wait(1)
	if p.room.id ~= "thornwood:milestone" then
		strayed = strayed + 1
	end
end
expect(strayed > 0, "a lone traveller on the old road at night is led astray")

-- With company (someone who can count) it runs true.
local friend = test.player("Counter", { room = "old_road", level = 10 })
local true_runs = 0
for _ = 1, 12 do
	p:teleport(road)
	friend:teleport(road)
	p:cmd("north")
	test.wait(1)
	if p.room.id == "thornwood:milestone" then
		true_runs = true_runs + 1
	end
end
expect(true_runs == 12, "with company the road runs true")
