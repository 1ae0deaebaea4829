T_fight := $(GAME_SRC) $(BASE_SRC)
