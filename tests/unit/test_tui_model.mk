T_tui_model := tui/model.c $(BASE_SRC)
