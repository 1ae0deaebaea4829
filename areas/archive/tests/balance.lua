-- Is the Archivist a fight, not a wall? Real combat, no direct damage: a
-- level-10 fighter geared from the wood and the Archive (a warden's baton,
-- Greymuzzle's pelt, a padded jerkin) who uses bash, and a level-10 scholar
-- who mends, each fight her twelve times. Each usually wins nine to eleven.
-- The counts are written to the report; the thresholds are low enough that
-- bad luck does not fail the test (under one run in a thousand), and high
-- enough that a boss made a wall does.

local function mob_in(room, id)
	for _, m in ipairs(room:mobs()) do
		if m.id == id then
			return m
		end
	end
end

local LEVEL_10_EXP = 3200
local count = 0

local function duel(path, gear, skill)
	count = count + 1
	test.reset_area("archive")
	local p = test.player("Duellist" .. string.char(96 + count), { room = "hall_of_record", path = path })
	p:add_exp(LEVEL_10_EXP)
	p:heal(1000)
	for _, id in ipairs(gear) do
		p:give(id)
		local word = proto(id, "item").keywords:match("^(%S+)")
		p:cmd((proto(id, "item").type == "weapon" and "wield " or "wear ") .. word)
	end
	local boss = mob_in(p.room, "archive:archivist")
	for _, m in ipairs(p.room:mobs()) do
		if m ~= boss then
			m:destroy()
		end
	end
	local hall = p.room
	p:cmd("kill archivist")
	local t = 0
	while t < 400 and boss:valid() and p.room == hall do
		test.wait(3)
		t = t + 3
		if t % 15 == 0 then
			p:cmd(skill)
		end
	end
	return not boss:valid()
end

local function series(label, path, gear, skill)
	local wins = 0
	for _ = 1, 12 do
		if duel(path, gear, skill) then
			wins = wins + 1
		end
	end
	test.note(label .. " beat the Archivist " .. wins .. " times in 12")
	return wins
end

local fighter = series("a level-10 fighter", "fighter", { "warden_baton", "thornwood:greymuzzle_pelt", "emberfall:padded_jerkin" }, "bash")
expect(fighter >= 5, "a geared level-10 fighter often beats her (usually 9 to 11 times in 12)")
local scholar = series("a level-10 scholar", "scholar", { "emberfall:oak_staff", "thornwood:greymuzzle_pelt" }, "mend")
expect(scholar >= 5, "a level-10 scholar who mends often beats her (usually 9 to 11 times in 12)")
