T_tui_pages := tui/pages.c tui/model.c $(BASE_SRC)
