T_loader := $(SCRIPT_SRC) $(GAME_SRC) $(BASE_SRC)
