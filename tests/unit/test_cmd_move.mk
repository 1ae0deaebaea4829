T_cmd_move := $(GAME_SRC) $(BASE_SRC)
