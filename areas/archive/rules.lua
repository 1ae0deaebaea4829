-- The old rules, as the wardens keep them. They are written on the brass
-- plate at the porter's lodge (stair_head):
--
--   READERS WILL SHOW THEIR TOKEN.  The Porter lets nobody down the great
--     stair without a reader's token (archive:reader_token, in the drift
--     of cards in the catalogue hall), and the wardens on their rounds set
--     on anyone without one (warden_check).
--   READERS WILL NOT RUN.  Fleeing in front of a warden annoys it
--     (nothing more: it is the thought that counts).
--   READERS WILL NOT SPEAK IN THE SCRIPTORIUM.  The Proctor reminds you
--     once (proctor_say).
--   READERS WILL RETURN WHAT THEY BORROW.  The Registrar lends the
--     twelfth page of the ledger to a reader who asks, and writes it down
--     (mobs.lua).
--
-- Included first, so the declarations can name these functions.

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

function has_token(ch)
	return ch:has("reader_token") ~= nil
end

-- The first mob of that prototype in the room, or nil.
function mob_here(room, id)
	for _, m in ipairs(room:mobs()) do
		if m.id == id then
			return m
		end
	end
	return nil
end

-- A warden meets a player: a reader gets a nod, anyone else gets removed.
function warden_check(mob, ch)
	if not ch.is_player or mob.fighting then
		return
	end
	if has_token(ch) then
		if chance(50) then
			mob:emote("dips the flame in its glass face to " .. ch.name .. ": a reader. It walks on.")
		end
		return
	end
	mob:say("NO TOKEN. YOU ARE NOT A READER. YOU WILL BE REMOVED.")
	mob:attack(ch)
end

-- on_say of the scriptorium's Proctor: one reminder, and then no more.
function proctor_say(mob, ch, text)
	if not ch.is_player or mob.fighting then
		return
	end
	local warned = mob.vars.warned or {}
	mob.vars.warned = warned
	if not warned[ch.name] then
		warned[ch.name] = true
		mob:emote("turns its head toward " .. ch.name .. " and raises its brass finger a little higher.")
		mob:say("SSSH.")
	else
		mob:emote("does not remind " .. ch.name .. " twice.")
		mob:attack(ch)
	end
end

-- The Porter's bar across the stair (before_leave of stair_head).
function porter_bar(room, ch, dir)
	if dir ~= "down" or not ch.is_player or has_token(ch) then
		return
	end
	local porter = mob_here(room, "archive:porter")
	if not porter or porter.fighting then
		return
	end
	return "The Porter's brass arm comes down across the stair like a toll-bar. \"READER'S TOKEN, PLEASE.\""
end

-- Something to say to anyone who enters a room for the first time.
function first_visit(room, ch, key, text)
	if not ch.is_player then
		return
	end
	local m = ch:memory()
	m.seen = m.seen or {}
	if not m.seen[key] then
		m.seen[key] = true
		ch:send(text)
		return true
	end
	return false
end
