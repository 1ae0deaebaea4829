#!/usr/bin/env python3
"""gen_areas.py: a large generated world, to measure the Lua engine.

    tests/bench/gen_areas.py OUT [--areas 10] [--rooms 1000] [--mobs 1000]
                                 [--players 200] [--seconds 60]

writes OUT/genNN/area.lua for each area: rooms on a grid with descriptions,
exits and a few doors, exits joining each area to the next, items, and mobs
that each have a tick trigger of their own plus the wander behavior, with
spawn rules placing them. OUT/gen00/tests/pulse.lua is an area test that
puts PLAYERS players in the world, runs SECONDS of world time and notes the
CPU time of each pulse (p50, p99, max).

Then, from the repository root:

    time build/ruin-server --check OUT          # boot: load and check every room
    build/ruin-server --test-areas OUT          # pulse times, as "note:" lines

Python 3 standard library only; the output is deterministic for given
arguments.
"""

import argparse
import os
import random

WORDS = ("moss stone lantern root ash birch river fog ember reed iron cedar bramble "
         "hollow ridge cinder willow slate thorn marsh").split()


def sentence(rng):
    w = rng.sample(WORDS, 6)
    return ("The %s and the %s lean over a path of %s, and somewhere beyond the %s "
            "a %s creaks against the %s." % tuple(w))


def area_lua(idx, n_areas, n_rooms, mobs_here, rng):
    aid = "gen%02d" % idx
    side = 1
    while side * side < n_rooms:
        side += 1
    out = []
    out.append('area { id = "%s", name = "Generated %d", author = "gen_areas.py", '
               'levels = { 1, 10 }, reset = { minutes = 15, message = "The wind turns." } }\n'
               % (aid, idx))
    out.append("""
local lines = { "hums to itself.", "scratches at the ground.", "looks about, uneasy." }
""")
    for r in range(n_rooms):
        x, y = r % side, r // side
        exits = []
        if x + 1 < side and r + 1 < n_rooms:
            exits.append('east = "r%d"' % (r + 1))
        if x > 0:
            exits.append('west = "r%d"' % (r - 1))
        if r + side < n_rooms:
            if r % 97 == 5:
                exits.append('north = { to = "r%d", door = "door oak", closed = true }' % (r + side))
            else:
                exits.append('north = "r%d"' % (r + side))
        if r - side >= 0:
            if (r - side) % 97 == 5:
                exits.append('south = { to = "r%d", door = "door oak", closed = true }' % (r - side))
            else:
                exits.append('south = "r%d"' % (r - side))
        if r == n_rooms - 1 and idx + 1 < n_areas:
            exits.append('up = "gen%02d:r0"' % (idx + 1))
        if r == 0 and idx > 0:
            exits.append('down = "gen%02d:r%d"' % (idx - 1, n_rooms - 1))
        flags = ''
        if idx == 0 and r == 0:
            flags = ' flags = { "start", "safe", "recall" },'
        out.append('room "r%d" { name = "A Generated Place %d", desc = [[%s %s %s]],'
                   ' environment = "forest", coords = { %d, %d, %d },%s exits = { %s },'
                   ' extra = { ["%s"] = "Nothing special." } }\n'
                   % (r, r, sentence(rng), sentence(rng), sentence(rng), x, y, idx, flags,
                      ", ".join(exits), rng.choice(WORDS)))
    out.append('item "stone" { keywords = "stone grey", short = "a grey stone", '
               'long = "A grey stone lies here.", type = "treasure", value = 2, weight = 1 }\n')
    out.append('item "torch" { keywords = "torch", short = "a torch", long = "A torch lies here.", '
               'type = "light", wear = { "light" }, hours = 10, value = 3 }\n')
    out.append("""mob "walker" {
	keywords = "walker", short = "a walker", long = "A walker passes through.",
	level = 2, hp = 20, damage = { 1, 3 },
	behaviors = { wander { chance = 30 } },
	on_tick = function(mob)
		local room = mob.room
		if room and #room:players() > 0 and chance(20) then
			mob:emote(pick(lines))
		end
		mob.vars.ticks = (mob.vars.ticks or 0) + 1
	end,
	on_greet = function(mob, ch)
		if chance(10) then mob:say("Evening, " .. ch.name .. ".") end
	end,
}
""")
    for k in range(mobs_here):
        out.append('spawn { mob = "walker", room = "r%d", max = 1 }\n' % ((k * 37) % n_rooms))
    for k in range(0, n_rooms, 50):
        out.append('spawn { item = "stone", room = "r%d" }\n' % k)
    return "".join(out)


PULSE_TEST = """-- Pulse times with %(players)d players and the generated mobs ticking:
-- CPU time per pulse over %(seconds)d seconds of world time.
for i = 1, %(players)d do
	local area = string.format("gen%%02d", (i - 1) %% %(areas)d)
	test.player("Bench" .. i, { room = area .. ":r" .. ((i * 13) %% %(rooms)d) })
end
test.wait(1)
local times = {}
for _ = 1, %(seconds)d * 10 do
	local t0 = os.clock()
	test.wait(0.1)
	times[#times + 1] = (os.clock() - t0) * 1000
end
table.sort(times)
local function pct(p)
	return times[math.max(1, math.ceil(#times * p / 100))]
end
test.note(string.format("%%d pulses, %(players)d players, %(mobs)d mobs: p50 %%.3f ms, p99 %%.3f ms, max %%.3f ms",
	#times, pct(50), pct(99), times[#times]))
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--areas", type=int, default=10)
    ap.add_argument("--rooms", type=int, default=1000, help="rooms per area")
    ap.add_argument("--mobs", type=int, default=1000, help="mobs in all")
    ap.add_argument("--players", type=int, default=200)
    ap.add_argument("--seconds", type=int, default=60)
    a = ap.parse_args()
    rng = random.Random(1)
    for i in range(a.areas):
        d = os.path.join(a.out, "gen%02d" % i)
        os.makedirs(d, exist_ok=True)
        here = a.mobs // a.areas + (1 if i < a.mobs % a.areas else 0)
        with open(os.path.join(d, "area.lua"), "w") as f:
            f.write(area_lua(i, a.areas, a.rooms, here, rng))
    tests = os.path.join(a.out, "gen00", "tests")
    os.makedirs(tests, exist_ok=True)
    with open(os.path.join(tests, "pulse.lua"), "w") as f:
        f.write(PULSE_TEST % {"players": a.players, "seconds": a.seconds, "areas": a.areas,
                              "rooms": a.rooms, "mobs": a.mobs})
    print("wrote %d areas of %d rooms (%d mobs) to %s" % (a.areas, a.rooms, a.mobs, a.out))


if __name__ == "__main__":
    main()
