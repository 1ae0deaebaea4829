T_script := $(SCRIPT_SRC) $(GAME_SRC) $(BASE_SRC)
