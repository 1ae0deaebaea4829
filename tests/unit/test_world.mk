T_world := $(GAME_SRC) $(BASE_SRC)
