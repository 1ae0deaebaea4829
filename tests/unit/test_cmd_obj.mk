T_cmd_obj := $(GAME_SRC) $(BASE_SRC)
