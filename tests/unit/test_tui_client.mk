T_tui_client := tui/client.c tui/model.c $(BASE_SRC)
