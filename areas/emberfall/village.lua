-- Helpers the villagers' triggers share. Included first, so the
-- declarations in the other files can name them.

-- Wraps an on_say phrase table so that it answers players only: mobs hear
-- each other too, and two villagers who answer each other's words would
-- talk the evening away.
function players_only(phrases)
	local wrapped = {}
	for key, fn in pairs(phrases) do
		wrapped[key] = function(mob, ch, text)
			if ch.is_player then
				return fn(mob, ch, text)
			end
		end
	end
	return wrapped
end

-- "his", "her" or "their", for a character's pronouns.
function their(ch)
	local p = ch.pronouns
	return p == "he" and "his" or p == "she" and "her" or "their"
end

-- ---- keeping the numbers steady -------------------------------------------

-- A reset tops each spawn rule up in its own room, and counts only what is
-- there: a wolf that has wandered off is replaced while it still lives, so
-- without this the area would fill up a little more at every reset. After
-- each reset (on_reset of one room) census() removes the newest of each
-- capped mob beyond its cap, leaving alone any that are fighting. born()
-- (on_spawn) stamps each one's age.
function born(mob)
	mob.vars.born = now()
end

function census(room_ids, caps)
	local found = {}
	for _, id in ipairs(room_ids) do
		for _, m in ipairs(find_room(id):mobs()) do
			if caps[m.id] then
				found[m.id] = found[m.id] or {}
				table.insert(found[m.id], m)
			end
		end
	end
	for id, list in pairs(found) do
		table.sort(list, function(a, b)
			return (a.vars.born or 0) < (b.vars.born or 0)
		end)
		for i = caps[id] + 1, #list do
			if not list[i].fighting then
				list[i]:destroy()
			end
		end
	end
end

VILLAGE_ROOMS = {
	"square", "board", "north_lane", "smithy", "gate_yard", "watch_house",
	"wall_walk", "gate_top", "market_lane", "store", "well", "south_lane",
	"shrine", "crypt", "inn", "inn_upstairs", "inn_room", "outside_gate",
	"thorn_edge", "thorn_stumps", "thorn_path",
}

VILLAGE_CAPS = {
	["emberfall:child"] = 1,
	["emberfall:cat"] = 1,
	["emberfall:lamplighter"] = 1,
}
