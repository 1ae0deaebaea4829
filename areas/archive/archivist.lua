-- The Archivist, Ysolde Vey: the boss at the bottom of the Archive, in the
-- Hall of Record. She carries the last page of the Ledger of Waters.
--
-- She does not attack. She talks (on_greet, with waits), and a player who
-- wants the page has to start the fight. Then:
--   below 75%  she calls a warden out of the shelves to help her (it has
--              not been wound in years, and runs down after a while);
--   below 50%  she remembers the night the city fell, and from then on the
--              cistern seeps up through the floor and hurts everyone in
--              the hall, now and then, each round (on_fight);
--   below 25%  she remembers her order, and winds herself up once: she
--              heals a little, once per life;
-- and all the while she sometimes strikes along her ledger-rod for extra
-- damage. When she dies she thanks whoever did it, through a timer owned
-- by the room (her own waits end with her). While she lives, the door to
-- her cell stays shut (hall_leave and hall_command, on the room).

function archivist_here(room)
	return mob_here(room, "archive:archivist")
end

-- before_leave of the Hall of Record: while she lives, not through her door.
function hall_leave(room, ch, dir)
	if dir == "south" and ch.is_player and archivist_here(room) then
		return "The Archivist's eyes follow you to the little door, and the door does not open under them."
	end
end

-- before_command of the Hall of Record: nor may her door be opened.
function hall_command(room, ch, line)
	if not ch.is_player or not archivist_here(room) then
		return
	end
	local verb = line:lower():match("^%s*(%a+)")
	if verb == "open" or verb == "unlock" then
		return "The Archivist looks at your hand, and it stops of its own accord. Not while she is watching."
	end
end

function archivist_speech(mob, ch)
	local m = ch:memory()
	local first = not m.met_archivist
	m.met_archivist = true
	mob.vars.spoke_at = now()
	if not first then
		mob:emote("looks up. \"Reader. You came back.\"")
		wait(2)
		if not mob.fighting then
			mob:say("The page is still here. So am I. We are both very good at that.")
		end
		return
	end
	mob:emote("lifts her head. The two green flames where her eyes were find you, and narrow.")
	wait(2)
	mob:say("Reader. The Archive is closed.")
	wait(2)
	if mob.fighting then return end
	mob:say("It has been closed since the Festival of Lamps. I closed it.")
	wait(3)
	if mob.fighting then return end
	if ch:has("ledger_page_1") or ch:has("ledger_page_2") then
		mob:say("You have been reading the Ledger. Then you know what I know.")
	else
		mob:say("You will have come for the Ledger. Everyone does, in the end, even the ones who say they came for the silver.")
	end
	wait(3)
	if mob.fighting then return end
	mob:say("I cannot give you the last page. I was told to keep it. I was told to keep everything, and I have kept everything, and I am so very tired of keeping it.")
	wait(3)
	if mob.fighting then return end
	mob:emote("folds her old, ink-stained hands on the desk.")
	mob:say("If you want it, you will have to take it. I will not make that easy. I have forgotten how to make anything easy.")
end

mob "archivist" {
	keywords = "archivist ysolde vey woman brass",
	short = "the Archivist",
	long = "The Archivist sits behind the stone desk, upright, as she has sat for three hundred years.",
	desc = [[A woman, or most of one. Her hands are her own, ink-stained and very old; the rest of her has been replaced, piece by piece, with brass and glass and the green light of the Archive's lamps, by wardens that were told to keep the records and counted her among them. Her eyes are two small green flames now, and she has put her spectacles away somewhere, since she no longer needs them. She remembers the night the city fell, and she would like very much to be allowed to stop.]],
	level = 10, hp = 170, mana = 200, move = 0,
	damage = { 2, 6 }, armor = 3, gold = 120,
	flags = { "sentinel" },

	on_greet = function(mob, ch)
		if not ch.is_player or mob.fighting then
			return
		end
		if now() - (mob.vars.spoke_at or -1000) < 20 then
			return
		end
		wait(1)
		archivist_speech(mob, ch)
	end,

	on_attacked = function(mob, ch)
		if not mob.vars.roused then
			mob.vars.roused = true
			mob:emote("rises from behind the desk, taller than you expected, with a long black rod in her hand.")
			mob:say("Very well.")
		end
	end,

	on_fight = function(mob, enemy)
		if mob.vars.flooding and chance(25) then
			mob.room:echo("{bBlack water wells up between the stones and drags at your legs, cold enough to stop the heart.{x")
			for _, p in ipairs(mob.room:players()) do
				p:damage(random(3, 6), mob)
			end
		elseif chance(15) and enemy:valid() then
			mob:emote("measures " .. enemy.name .. " along the ledger-rod, once, and strikes along the line.")
			enemy:damage(random(4, 8), mob)
		end
	end,

	on_hp_below = {
		[75] = function(mob, enemy)
			mob:say("WARDENS.")
			wait(1)
			mob:say("A reader is damaging the collection.")
			local w = spawn_mob("warden", mob.room)
			if w then
				w:emote("steps out from between the shelves, ticking, slowly.")
				if enemy and enemy:valid() and enemy.room == mob.room then
					w:attack(enemy)
				end
				-- Nobody has wound it in a long time: it runs down.
				after(w, 24, function(ward)
					ward:emote("ticks slower, and slower, and stops with one arm raised, run down.")
					ward:destroy()
				end)
			end
		end,
		[50] = function(mob)
			mob.vars.flooding = true
			mob:say("I heard it first in the reading room. A hum, under the floor, like a bell struck under water.")
			wait(3)
			mob.room:echo("The lamps gutter. Somewhere beneath the hall something vast shifts its weight, and black water begins to seep up between the stones.")
			wait(3)
			mob:say("Then the lamps went out in the Upper City, one street at a time, from the river inward. I watched them go out from the dome.")
		end,
		[25] = function(mob)
			if mob.vars.wound then
				mob:say("That was my order.")
				return
			end
			mob.vars.wound = true
			mob:say("The wardens held the doors. That was my order. So that the records would remain.")
			wait(2)
			mob:emote("reaches into her own chest and turns the key there, once, hard. The green flames flare.")
			mob:heal(30)
			wait(2)
			mob:say("That was my order.")
		end,
	},

	on_kill = function(mob, victim)
		mob:emote("looks down at " .. victim.name .. " for a long moment. \"Remain,\" she says, not unkindly, and sits down again.")
	end,

	before_death = function(mob, killer)
		local room = mob.room
		room:echo("The Archivist sets her ledger-rod down on the desk, very precisely, parallel to the edge.")
		area_state.archivist_rests = (area_state.archivist_rests or 0) + 1
		if killer and killer.is_player then
			killer:memory().archivist = true
		end
		after(room, 2, function(r)
			r:echo("\"Thank you,\" she says. \"I may stop now.\"")
			wait(3)
			r:echo("The green light goes out of her eyes, and what is left of her is only very old, and very still, and at last asleep.")
			wait(3)
			r:echo("Far above, in the reading hall, every drowned lamp goes out at once.")
		end)
	end,
}
