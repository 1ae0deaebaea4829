-- The drowned ledger, start to finish: the hermit is asked, the three pages
-- are given in any order, the Lark key is handed over, and it opens the
-- Archive's reading room. Then the edges: a page given twice, a lost key,
-- and a speech cut short before the reward.

local function mob_in(room, id)
	for _, m in ipairs(room:mobs()) do
		if m.id == id then
			return m
		end
	end
end

local clearing = find_room("hermit_clearing")
local hermit = mob_in(clearing, "thornwood:hermit")
expect(hermit ~= nil, "the hermit is in his clearing after a reset")

local p = test.player("Quester", { room = "hermit_clearing", level = 8, path = "scholar" })
test.wait(5)
expect(test.output(p):find("notice", 1, true), "he greets a stranger by asking about the notice")

p:cmd("say I came about the notice on the board")
test.wait(16)
local out = test.output(p)
expect(out:find("Ledger of Waters", 1, true), "he names the ledger")
expect(out:find("twelfth", 1, true), "he names the pages")
expect(p:memory().quest == "asked", "the quest is remembered as asked")

-- The pages, out of order.
local exp0, gold0 = p.exp, p.gold
p:give("archive:ledger_page_2")
p:cmd("give twelfth hermit")
test.wait(10)
out = test.output(p)
expect(out:find("Maud Lark", 1, true), "he reads the twelfth page aloud")
expect(out:find("I still want the ninth and the last", 1, true), "he says which pages are missing")
expect(p:memory().pages.twelfth == true, "the twelfth page is remembered")
expect(not p:has("archive:ledger_page_2"), "he keeps the page")

p:cmd("say what about the ledger")
test.wait(3)
expect(test.output(p):find("brought me 1 of three", 1, true), "asking again reports progress")

p:give("archive:ledger_page_1")
p:cmd("give ninth hermit")
test.wait(10)
expect(test.output(p):find("Nine thousand four hundred", 1, true), "he reads the ninth page")

-- Giving the same page twice is refused and the page handed back.
p:give("archive:ledger_page_1")
p:cmd("give ninth hermit")
test.wait(2)
expect(test.output(p):find("I have read that one", 1, true), "a page he has is refused")
expect(p:has("archive:ledger_page_1"), "and handed back")

-- Something that is not a page.
p:give("honeycomb")
p:cmd("give honeycomb hermit")
test.wait(1)
expect(p:has("honeycomb"), "he hands back what he does not want")

p:give("archive:ledger_page_3")
p:cmd("give last hermit")
test.wait(25)
out = test.output(p)
expect(out:find("chopping block", 1, true), "he reads the last page")
expect(out:find("Tell them Lark", 1, true), "he finishes his story")
expect(p:has("reading_key"), "the Lark key is the reward")
expect(p.exp >= exp0 + 600, "the reward brings experience")
expect(p.gold == gold0 + 60, "and gold")
expect(p:memory().quest == "done" and p:memory().rewarded, "the quest is remembered as done and paid")

p:cmd("say what is your name")
test.wait(1)
expect(test.output(p):find("Edric Lark", 1, true), "at the end he gives his name")

-- A lost key is replaced, once asked for.
expect(p:take("reading_key"), "the key can be lost")
p:cmd("say I lost the key")
test.wait(2)
expect(p:has("reading_key"), "he gives a second key to a player who finished")

-- The key opens the reading room.
p:teleport("archive:reading_hall")
for _, m in ipairs(p.room:mobs()) do
	m:destroy()
end
test.output(p)
p:cmd("unlock doors")
p:cmd("open doors")
p:cmd("north")
expect(p.room.id == "archive:reading_room", "the Lark key opens the reading room")
expect(test.output(p):find("first reader", 1, true), "the first visit is marked")

-- A speech cut short: the quest is done but unpaid; meeting him pays.
local q = test.player("Hasty", { room = "hermit_path", level = 8 })
local m = q:memory()
m.quest, m.pages = "done", { ninth = true, twelfth = true, last = true }
q:cmd("west")
test.wait(3)
expect(q:has("reading_key"), "an unpaid finished quest is paid at the next meeting")
expect(q:memory().rewarded, "and remembered as paid")
