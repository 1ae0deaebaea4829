-- The wolves' aggression (lua/behaviors.lua `aggressive`): a wolf that
-- finds a young player where fighting is not allowed neither attacks nor
-- snarls, on a tick or on a greeting; where it may fight, it snarls as it
-- attacks.

local SNARL = "bares its teeth"

local p = test.player("Cub", { room = "burners_camp", level = 2 })
local camp = p.room
expect(camp.flags.safe, "the burners' camp is a safe room")
local wolf = spawn_mob("grey_wolf", camp)
expect(wolf ~= nil, "a wolf can be put in the camp")

-- Ticks: three of them, the wolf kept in the camp (it would wander off).
for _ = 1, 3 do
	if wolf.room ~= camp then
		wolf:teleport(camp)
	end
	test.wait(10)
end
-- A greeting: the player walks out and back in.
wolf:teleport(camp)
p:cmd("east")
p:cmd("west")
test.wait(1)
local out = test.output(p)
expect(p.room == camp, "the player is back in the camp")
expect(not out:find(SNARL, 1, true), "no snarl where the wolf may not attack: " .. out)
expect(not wolf.fighting, "and no fight")

-- Out on the track it may fight: the snarl comes with the attack.
wolf:teleport("burners_track")
for _, m in ipairs(wolf.room:mobs()) do
	if m ~= wolf then
		m:destroy()
	end
end
test.output(p)
p:cmd("east")
out = test.output(p)
expect(out:find(SNARL, 1, true), "the wolf snarls as it attacks")
expect(wolf.fighting == p, "and fights")
