area { id = "Bad_Name", name = "x" }
