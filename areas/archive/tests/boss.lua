-- The Archivist: her speech when a reader comes in, the door she holds
-- shut, and each phase of the fight in turn (driven by direct damage, so
-- the test does not depend on dice), then her death, the thanks, the last
-- page in her corpse and the door that opens once she is gone.

local function mob_in(room, id)
	for _, m in ipairs(room:mobs()) do
		if m.id == id then
			return m
		end
	end
end

local p = test.player("Reader", { room = "cistern_edge", path = "fighter" })
p:add_exp(3200) -- level 10, with the hit points that go with it
p:heal(1000)
p:cmd("south")
expect(p.room.id == "archive:hall_of_record", "the hall is south of the cistern")
local arch = mob_in(p.room, "archive:archivist")
expect(arch ~= nil, "the Archivist waits in the Hall of Record")
test.wait(16)
local out = test.output(p)
expect(out:find("The Archive is closed", 1, true), "she speaks to a reader who comes in")
expect(out:find("you will have to take it", 1, true), "and says the page must be taken")
expect(p:memory().met_archivist, "the meeting is remembered")
expect(not arch.fighting, "she does not start the fight")

p:cmd("open door")
expect(test.output(p):find("Not while she is watching", 1, true), "her door cannot be opened while she lives")
p:cmd("south")
expect(p.room.id == "archive:hall_of_record", "nor walked through")

p:cmd("kill archivist")
test.wait(1)
expect(test.output(p):find("Very well", 1, true), "attacked, she rises")
expect(arch.fighting ~= nil, "and fights")

local function hurt_to(pct)
	local target = math.floor(arch.max_hp * pct / 100)
	if arch.hp > target then
		arch:damage(arch.hp - target, p)
	end
	p:heal(1000)
end

hurt_to(70)
test.wait(4)
expect(test.output(p):find("A reader is damaging the collection", 1, true), "below 75% she calls the wardens")
local warden = mob_in(p.room, "archive:warden")
expect(warden ~= nil, "a warden comes out of the shelves")
if warden then
	warden:destroy()
end

hurt_to(45)
test.wait(8)
out = test.output(p)
expect(out:find("I heard it first in the reading room", 1, true), "below 50% she remembers the night")
expect(out:find("one street at a time", 1, true), "with waits between the lines")

p:heal(1000)
hurt_to(20)
test.wait(6)
out = test.output(p)
expect(out:find("That was my order", 1, true), "below 25% she remembers her order")
expect(out:find("turns the key there", 1, true), "and winds herself up")

p:heal(1000)
arch:damage(arch.hp + 50, p)
test.wait(10)
out = test.output(p)
expect(not arch:valid(), "she dies")
expect(out:find("I may stop now", 1, true), "and thanks her killer")
expect(p:memory().archivist, "the killing is remembered")

p:cmd("get all from corpse")
expect(p:has("ledger_page_3"), "the last page is in her corpse")
expect(p:has("remain_ring"), "and the ring called Remain")

p:cmd("open door")
p:cmd("south")
expect(p.room.id == "archive:archivist_cell", "with her gone, her cell opens")
