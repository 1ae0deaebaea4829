T_cmd_comm := $(GAME_SRC) $(BASE_SRC)
