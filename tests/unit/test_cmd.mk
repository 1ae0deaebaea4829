T_cmd := $(GAME_SRC) $(BASE_SRC)
