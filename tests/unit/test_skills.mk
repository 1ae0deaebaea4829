T_skills := $(GAME_SRC) $(BASE_SRC)
