area { id = "wrong", name = "Other" }

room "start" {
	name = "Start", desc = "The start.", flags = { "start" },
	exits = { north = "oops:hal", south = "nowhere:room", east = "typo:start",
		  west = "oops:square", up = "oops:Bad" },
}
