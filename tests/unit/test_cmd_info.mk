T_cmd_info := $(GAME_SRC) $(BASE_SRC)
