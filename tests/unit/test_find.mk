T_find := $(GAME_SRC) $(BASE_SRC)
