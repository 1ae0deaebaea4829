T_act := $(GAME_SRC) $(BASE_SRC)
