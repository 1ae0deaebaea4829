-- Tamsin's store: her greeting, the list, buying (gold and goods change
-- hands, not enough gold is refused), selling what she buys and refusing
-- what she does not; Mother Ama's healing for ten coins; Odile's beer.

local p = test.player("Shopper", { room = "market_lane", gold = 30 })
p:cmd("east")
test.wait(2)
local out = test.output(p)
expect(p.room.id == "emberfall:store", "the store is east of Market Lane")
expect(out:find("Buying or selling", 1, true), "Tamsin greets a new customer")

p:cmd("east")
p:cmd("west")
p:cmd("east")
test.wait(2)
expect(not test.output(p):find("Buying or selling", 1, true), "but only once")

p:cmd("list")
out = test.output(p)
expect(out:find("hooded lantern", 1, true), "the list shows the lantern")
expect(out:find("pitch torch", 1, true), "and the burners' torches")

p:cmd("buy lantern")
expect(p:has("lantern"), "buying a lantern gives one")
expect(p.gold == 30 - 19, "for its price, value 15 with a quarter on top")
p:cmd("buy satchel")
p:cmd("buy lantern")
expect(test.output(p):find("costs 19 gold; you have 3", 1, true), "not enough gold is refused")

p:give("thornwood:wolf_pelt")
p:cmd("value pelt")
expect(test.output(p):find("would give you 6 gold", 1, true), "she values a pelt at half its worth")
p:cmd("sell pelt")
expect(p.gold == 3 + 6 and not p:has("thornwood:wolf_pelt"), "and buys it")
p:cmd("sell lantern")
expect(test.output(p):find("does not buy things like", 1, true), "she does not buy lights")
expect(p:has("lantern"), "and the lantern stays")

-- Mother Ama heals for ten coins.
local h = test.player("Patient", { room = "shrine", gold = 12, level = 5 })
h:damage(20)
h:cmd("heal")
expect(h.hp == h.max_hp and h.gold == 2, "Mother Ama heals for ten coins")
h:damage(5)
h:cmd("heal")
expect(h.hp < h.max_hp and test.output(h):find("asks 10 gold", 1, true), "and not for less")

-- Odile sells the beer Tobin drinks.
local d = test.player("Thirsty", { room = "inn", gold = 5 })
d:cmd("buy beer")
expect(d:has("small_beer"), "Odile sells small beer")
