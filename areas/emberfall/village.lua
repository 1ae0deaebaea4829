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
