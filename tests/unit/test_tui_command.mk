T_tui_command := tui/command.c tui/model.c $(BASE_SRC)
