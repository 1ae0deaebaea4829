T_fuzz_area := tests/fuzz/fuzz_area.c $(SCRIPT_SRC) $(GAME_SRC) $(BASE_SRC)
