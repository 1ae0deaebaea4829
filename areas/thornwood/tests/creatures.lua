-- The wood's people and beasts: Rook's toll at the ladder (and the free
-- pass for bringing him news of Anno), Pim's lost flint, the raven that
-- repeats what it hears, the Watcher's Horn, and Greymuzzle calling her
-- pack when she is hurt.

local function mob_in(room, id)
	for _, m in ipairs(room:mobs()) do
		if m.id == id then
			return m
		end
	end
end

-- Rook.
local p = test.player("Climber", { room = "sinkhole_rim", level = 8 })
p:add_gold(20)
test.wait(3)
expect(test.output(p):find("Five coins", 1, true), "Rook names his toll")
p:cmd("down")
expect(p.room.id == "thornwood:sinkhole_rim", "no toll, no ladder")
local gold = p.gold
p:cmd("say fine, I will pay")
expect(p.gold == gold - 5, "paying costs five coins")
p:cmd("down")
expect(p.room.id == "archive:broken_roof", "a paid climber goes down")
p:cmd("up")
p:cmd("down")
expect(p.room.id == "archive:broken_roof", "and stays on the list")

local q = test.player("Cousin", { room = "sinkhole_rim", level = 8 })
q:give("archive:scav_journal")
q:cmd("give journal rook")
test.wait(6)
expect(test.output(q):find("Number four", 1, true), "Rook reads his cousin's journal")
q:cmd("down")
expect(q.room.id == "archive:broken_roof", "and lets its bearer down free")

-- Pim.
local k = test.player("Finder", { room = "burners_camp", level = 8 })
local pim = mob_in(k.room, "thornwood:pim") or mob_in(find_room("clamp_ring"), "thornwood:pim")
expect(pim ~= nil, "Pim is about the camp")
k:teleport(pim.room)
local exp0 = k.exp
k:give("flint_striker")
k:cmd("give tin pim")
test.wait(6)
expect(k.exp > exp0, "returning Pim's flint is worth something")
expect(test.output(k):find("willows", 1, true), "and Pim tells about the willows")
expect(k:has("smoked_eel"), "and gives an eel")

-- The raven.
local r = test.player("Talker", { room = "tower_top", level = 8 })
local raven = mob_in(r.room, "thornwood:raven")
expect(raven ~= nil, "a raven nests on the tower")
r:cmd("say nevermore, obviously")
local heard = false
for _ = 1, 30 do
	test.wait(10)
	if test.output(r):find("nevermore, obviously", 1, true) then
		heard = true
		break
	end
end
expect(heard, "the raven repeats what it heard")

-- The horn.
local horn = r:give("watchers_horn")
local listener = test.player("Listener", { room = "emberfall:gate_yard" })
test.output(listener)
r:cmd("use horn")
test.wait(1)
expect(test.output(listener):find("a horn sounds", 1, true), "the Watcher's Horn is heard at Emberfall's gate")
r:cmd("use horn")
expect(test.output(r):find("needs a moment", 1, true), "and needs a moment between blasts")

-- Greymuzzle.
local w = test.player("Hunter", { room = "wolf_run", path = "fighter" })
w:add_exp(3200) -- a real level 10, hit points and all
w:heal(1000)
for _, m in ipairs(w.room:mobs()) do
	m:destroy()
end
w:cmd("east")
local dam = mob_in(w.room, "thornwood:greymuzzle")
expect(dam ~= nil, "Greymuzzle holds the den")
test.wait(4)
expect(dam.fighting ~= nil, "she goes for an intruder who stays")
local before = {}
for _, m in ipairs(w.room:mobs()) do
	before[m] = true -- a wolf of the pack may have wandered in
end
dam:damage(math.floor(dam.max_hp * 0.6), w)
w:heal(1000)
test.wait(4)
local pup
for _, m in ipairs(w.room:mobs()) do
	if m.id == "thornwood:grey_wolf" and not before[m] then
		pup = m
	end
end
expect(pup ~= nil, "hurt, she howls up a wolf")
-- The wolf she called is no spawn rule's: once its fight is over, it goes.
w:teleport("emberfall:square")
test.wait(40)
expect(pup and not pup:valid(), "the wolf she called goes back to the pack after the fight")

-- Resets keep the numbers steady: wolves that wandered off are not
-- replaced while they live, and the hermit gone indoors is not doubled.
local WOOD_ROOM_IDS = {
	"deer_path", "split_oak", "burners_track", "burners_camp", "clamp_ring",
	"bramble_hollow", "wolf_run", "wolf_den", "old_road", "milestone",
	"stream_bank", "willow_pool", "ghostlight_path", "moon_glade", "otter_bend",
	"ford", "far_bank", "hermit_path", "hermit_clearing", "hermit_hut",
	"tower_foot", "tower_stair", "tower_top", "sinking_wood", "sinkhole_rim",
}
local function count(id)
	local n = 0
	for _, room in ipairs(WOOD_ROOM_IDS) do
		for _, m in ipairs(find_room(room):mobs()) do
			if m.id == id then
				n = n + 1
			end
		end
	end
	return n
end

test.reset_area("thornwood")
local wolves = count("thornwood:grey_wolf")
for _, room in ipairs({ "wolf_run", "bramble_hollow" }) do
	for _, m in ipairs(find_room(room):mobs()) do
		if m.id == "thornwood:grey_wolf" then
			m:teleport("otter_bend")
		end
	end
end
local hermit = mob_in(find_room("hermit_clearing"), "thornwood:hermit")
hermit:teleport("hermit_hut")
for _ = 1, 3 do
	test.reset_area("thornwood")
end
expect(count("thornwood:grey_wolf") == wolves, "wolves that wandered off are not replaced while they live")
expect(count("thornwood:hermit") == 1, "there is one hermit, wherever he is")
expect(hermit:valid(), "and it is the one who was there before")
for _, m in ipairs(find_room("otter_bend"):mobs()) do
	if m.id == "thornwood:grey_wolf" then
		m:destroy()
	end
end
test.reset_area("thornwood")
expect(count("thornwood:grey_wolf") == 3, "dead wolves are replaced, up to three")
