T_time := $(GAME_SRC) $(BASE_SRC)
