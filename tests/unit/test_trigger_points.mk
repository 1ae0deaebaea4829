T_trigger_points := $(GAME_SRC) $(BASE_SRC)
