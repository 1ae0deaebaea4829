-- The Thornwood's shared scripts: what changes after dark, and helpers the
-- rooms, items and creatures use. Included first, so the declarations in
-- the other files can name these functions.
--
-- Night in the wood (time_of_day() == "night"):
--   - the willows west of the Willow Pool part (the door opens and
--     unlocks) and the Ghostlight Path leads to the Glade of Lamps; at
--     daybreak they close again, and anyone on the path or in the glade
--     finds themselves back at the pool (willow_tick, lights_tick);
--   - the old road leads travellers astray (wood_astray): walking north
--     from the old road or south from the milestone may set you down
--     somewhere else in the wood. A light makes it less likely, and
--     company (another player in the room: "someone who can count", as the
--     Watch's notice says) stops it;
--   - the thorn-walker gets up and hunts (mobs.lua).

-- Every room of the wood, for messages the whole wood hears.
WOOD_ROOMS = {
	"deer_path", "split_oak", "burners_track", "burners_camp", "clamp_ring",
	"bramble_hollow", "wolf_run", "wolf_den", "old_road", "milestone",
	"stream_bank", "willow_pool", "ghostlight_path", "moon_glade", "otter_bend",
	"ford", "far_bank", "hermit_path", "hermit_clearing", "hermit_hut",
	"tower_foot", "tower_stair", "tower_top", "sinking_wood", "sinkhole_rim",
}

-- What counts as carrying a light, for the old road.
WOOD_LIGHTS = { "emberfall:lantern", "emberfall:candle", "charcoal_torch", "archive:lamp_of_vael" }

-- Where the old road takes you at night instead, by the room you leave.
WOOD_ASTRAY = {
	["thornwood:old_road"] = { "wolf_run", "otter_bend", "willow_pool", "bramble_hollow" },
	["thornwood:milestone"] = { "bramble_hollow", "burners_track", "wolf_run", "deer_path" },
}

-- Wraps an on_say phrase table so that it answers players only: mobs hear
-- each other too, and two mobs that answer each other's words would talk
-- forever.
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

function is_night()
	return time_of_day() == "night"
end

-- A room id without its area: "thornwood:ford" -> "ford".
function short_id(id)
	return id:match(":(.*)$") or id
end

-- Tells every occupied room of the wood, except the room `skip`.
function wood_echo(text, skip)
	for _, id in ipairs(WOOD_ROOMS) do
		local r = find_room(id)
		if r ~= skip and #r:players() > 0 then
			r:echo(text)
		end
	end
end

function wood_has_light(ch)
	for _, id in ipairs(WOOD_LIGHTS) do
		if ch:has(id) then
			return true
		end
	end
	return false
end

-- before_leave of the old road and the milestone.
function wood_astray(room, ch, dir)
	if not ch.is_player or not is_night() then
		return
	end
	if not ((room.id == "thornwood:old_road" and dir == "north") or (room.id == "thornwood:milestone" and dir == "south")) then
		return
	end
	if #room:players() > 1 then
		return
	end
	if not chance(wood_has_light(ch) and 25 or 60) then
		return
	end
	local dest = pick(WOOD_ASTRAY[room.id])
	after(room, 0.5, function()
		if ch:valid() and ch.room == room then
			ch:send("You come out of the trees somewhere you did not expect.")
			ch:teleport(dest)
		end
	end)
	return "You follow the road " .. dir .. ". It runs straight, and straight, and then, somewhere in the dark, it doesn't."
end

-- on_tick of the Willow Pool: the willows part at night and close at dawn.
function willow_tick(room)
	local state = room:door("west")
	local path = find_room("ghostlight_path")
	if is_night() and state ~= "open" then
		room:unlock("west")
		room:open("west")
		room:echo("The willows stir, though there is no wind, and draw apart to the west. Beyond them small pale lights hang in the air, one every few paces.")
		path:echo("The willows to the east draw apart, and you can see the pool.")
	elseif not is_night() and state == "open" then
		room:close("west")
		room:lock("west")
		room:echo("The willows sway together in the grey light and close like a curtain.")
		path:echo("Behind you the willows close like a curtain.")
	end
end

-- on_tick of the Ghostlight Path and the glade: by day nobody stays there.
function lights_tick(room)
	if is_night() then
		return
	end
	for _, ch in ipairs(room:players()) do
		ch:send("The lights go out one by one, and when the last of them is gone you are standing by the willow pool in the plain grey morning, with wet feet.")
		ch:teleport("willow_pool")
	end
end

-- on_use of the Watcher's Horn: the whole wood hears it, and so does the
-- village gate; at night the wolves answer.
function horn_use(item, ch)
	local last = item.vars.last or -1000
	if now() - last < 30 then
		ch:send("You blow, and nothing comes out but a wet sort of wheeze. The horn needs a moment. So do you.")
		return
	end
	item.vars.last = now()
	ch.room:echo("The Watcher's Horn sounds, long and low, and every bird in earshot goes up at once.")
	wood_echo("A horn sounds from the direction of the old watchtower, long and low, and the whole wood goes quiet to listen.", ch.room)
	for _, id in ipairs({ "emberfall:gate_yard", "emberfall:gate_top", "emberfall:outside_gate" }) do
		find_room(id):echo("Far off in the Thornwood, a horn sounds. Old Watch-horn calls, if you know them: something on the road.")
	end
	if is_night() then
		wait(3)
		wood_echo("Away in the dark, first one wolf and then the whole pack answers the horn.")
	end
	for _, m in ipairs(ch.room:mobs()) do
		if m.id == "thornwood:raven" and m:valid() then
			wait(2)
			m:emote("opens its beak and makes, quite perfectly, the sound of the horn. Then it looks pleased with itself.")
		end
	end
end

-- What the tower shows at night (on_look of the broken top).
function tower_look(room, ch)
	if is_night() then
		ch:send("Tonight there are lights in the wood. Pale ones drift over the sink to the east; and to the west, beyond the stream, a line of small lights runs from the willow pool into trees that are not there by day.")
	end
end

-- ---- Rook's ladder ----------------------------------------------------------

function rook_here(room)
	for _, m in ipairs(room:mobs()) do
		if m.id == "thornwood:scavenger" then
			return m
		end
	end
	return nil
end

-- before_leave of the rim: Rook wants five coins, once, from anyone going
-- down his ladder while he is there to see it.
function rim_leave(room, ch, dir)
	if dir ~= "down" or not ch.is_player then
		return
	end
	local rook = rook_here(room)
	if not rook or rook.fighting then
		return
	end
	local m = ch:memory()
	if m.rook_paid or m.rook_friend then
		return
	end
	return "Rook puts his crowbar across the top of the ladder. \"Five coins for the ladder, friend. Say you'll pay, and you're on the list for life.\""
end

-- ---- the thorn-walker -------------------------------------------------------

-- Rooms it will not walk into: the safe places and the tower.
WALKER_AVOIDS = {
	burners_camp = true, clamp_ring = true, hermit_clearing = true, hermit_hut = true,
	ghostlight_path = true, moon_glade = true, tower_stair = true, tower_top = true,
}

-- One step through a random open exit that stays in the wood.
function walker_step(mob)
	local here, ways = mob.room, {}
	for _, dir in ipairs({ "north", "east", "south", "west" }) do
		local there = here:exit(dir)
		local door = here:door(dir)
		if there and there.area == "thornwood" and not WALKER_AVOIDS[short_id(there.id)] and (door == nil or door == "open") then
			ways[#ways + 1] = dir
		end
	end
	local dir = pick(ways)
	if dir then
		mob:move(dir)
	end
end

function walker_hunt(mob, ch)
	mob:emote("turns its rook's skull toward " .. ch.name .. ", and comes on with a sound like a sack being dragged.")
	mob:attack(ch)
end
