T_cmd_build := $(GAME_SRC) $(BASE_SRC)
