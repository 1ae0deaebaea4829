T_fuzz_console := tests/fuzz/fuzz_console.c tui/client.c tui/model.c tui/pages.c $(BASE_SRC)
