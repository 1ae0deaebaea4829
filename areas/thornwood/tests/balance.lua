-- The first beasts out of the village are fair: a level-2 fighter in
-- starting gear beats a grey wolf, and a level-6 fighter beats Greymuzzle
-- more often than not (she calls her pack). Real combat, twelve fights each;
-- the counts are written to the report; the thresholds leave room for bad
-- luck (a false failure is rarer than one run in a thousand).

local function mob_in(room, id)
	for _, m in ipairs(room:mobs()) do
		if m.id == id then
			return m
		end
	end
end

local EXP = { 0, 100, 250, 450, 700, 1000 }
local count = 0

local function duel(room, id, level, weapon)
	count = count + 1
	test.reset_area("thornwood")
	local p = test.player("Hunter" .. string.char(96 + count), { room = room, path = "fighter" })
	p:add_exp(EXP[level])
	p:heal(1000)
	p:give(weapon)
	p:cmd("wield " .. proto(weapon, "item").keywords:match("^(%S+)"))
	-- A wolf that fled an earlier fight may still be about, and count.
	local beast = mob_in(p.room, id) or spawn_mob(id, p.room)
	for _, m in ipairs(p.room:mobs()) do
		if m ~= beast then
			m:destroy()
		end
	end
	local here = p.room
	p:cmd("kill " .. beast.keywords:match("^(%S+)"))
	local t = 0
	while t < 300 and beast:valid() and beast.room == here and p.room == here do
		test.wait(3)
		t = t + 3
	end
	-- A wolf that runs for it has lost too.
	return not beast:valid() or beast.room ~= here
end

local function series(label, ...)
	local wins = 0
	for _ = 1, 12 do
		if duel(...) then
			wins = wins + 1
		end
	end
	test.note(label .. ": " .. wins .. " of 12")
	return wins
end

expect(series("a level-2 fighter against a grey wolf", "wolf_run", "thornwood:grey_wolf", 2, "emberfall:practice_sword") >= 8,
	"a level-2 fighter nearly always beats a wolf (usually 11 or 12 times in 12)")
expect(series("a level-6 fighter against Greymuzzle", "wolf_den", "thornwood:greymuzzle", 6, "emberfall:watch_spear") >= 4,
	"a level-6 fighter usually beats Greymuzzle (8 to 11 times in 12)")
