-- The wardens' old rules: the Porter wants a token, the moths guard the
-- drift the token is in, a warden on its rounds removes readers without
-- one, the Proctor reminds you once, the Registrar lends the twelfth page
-- to a reader who asks, and the drowned clerk trades its key for writing.

local function mob_in(room, id)
	for _, m in ipairs(room:mobs()) do
		if m.id == id then
			return m
		end
	end
end

local p = test.player("Reader", { room = "stair_head", path = "fighter" })
p:add_exp(3200) -- a real level 10, hit points and all
p:heal(1000)
test.output(p)

-- The Porter.
p:cmd("down")
expect(p.room.id == "archive:stair_head", "no token, no stair")
expect(test.output(p):find("READER'S TOKEN, PLEASE", 1, true), "the Porter asks for a token")

-- The token, and the moths.
p:cmd("west")
expect(p.room.id == "archive:catalogue_hall", "the catalogue hall is west of the lodge")
p:cmd("get token from drift")
expect(p:has("reader_token"), "the token is in the drift of cards")
local moths = mob_in(p.room, "archive:paper_moths")
expect(moths and moths.fighting ~= nil, "digging it out brings the moths down on you")
moths:destroy()
p:heal(1000)

p:cmd("east")
p:cmd("down")
expect(p.room.id == "archive:great_stair", "with a token the Porter lets you down")

-- A warden on its rounds: a reader is let be, anyone else is not.
local w = mob_in(p.room, "archive:warden")
expect(w ~= nil, "a warden walks the great stair")
test.wait(11)
expect(w:valid() and not w.fighting, "a warden leaves a reader with a token alone")
local intruder = test.player("Intruder", { room = "stair_head", level = 10 })
intruder:teleport("great_stair")
test.wait(11)
expect(w:valid() and w.fighting ~= nil, "and sets on anyone without one")
w:destroy()

-- The Proctor.
p:cmd("west")
expect(p.room.id == "archive:scriptorium", "the scriptorium is west of the stair")
test.output(p)
p:cmd("say hello")
test.wait(1)
local proctor = mob_in(p.room, "archive:proctor")
expect(test.output(p):find("SSSH", 1, true), "the Proctor reminds you once")
expect(not proctor.fighting, "and only reminds you")
p:cmd("say hello again")
test.wait(1)
expect(proctor.fighting ~= nil, "it does not remind you twice")
proctor:destroy()

-- The Registrar.
p:cmd("north")
expect(p.room.id == "archive:registry", "the registry is north of the scriptorium")
test.wait(3)
p:cmd("say I would like to borrow the ledger page")
test.wait(4)
expect(p:has("ledger_page_2"), "the Registrar lends the twelfth page to a reader")
expect(test.output(p):find("LENT TO READER READER", 1, true), "and writes the loan down")
p:cmd("give twelfth registrar")
test.wait(1)
expect(test.output(p):find("RETURNED", 1, true), "a page given back is returned")
p:cmd("say may I borrow it again")
test.wait(4)
expect(p:has("ledger_page_2"), "and can be borrowed again")

-- The drowned clerk, in the dark of the ink pool: bring a light.
p:give("emberfall:lantern")
p:cmd("wear lantern")
p:teleport("ink_pool")
local clerk = mob_in(p.room, "archive:drowned_clerk")
expect(clerk ~= nil, "the drowned clerk stands in the ink pool")
p:give("drowned_book")
p:cmd("give book clerk")
test.wait(3)
expect(p:has("clerk_key"), "the clerk trades its key for something written")
p:teleport("drowned_carrels")
for _, m in ipairs(p.room:mobs()) do
	m:destroy()
end
p:cmd("unlock strongbox")
p:cmd("open strongbox")
p:cmd("get page from strongbox")
expect(p:has("ledger_page_1"), "the ninth page is in the strongbox")
