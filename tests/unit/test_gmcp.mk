T_gmcp := $(GAME_SRC) $(BASE_SRC)
