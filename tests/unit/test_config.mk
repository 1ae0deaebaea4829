T_config := src/config.c $(BASE_SRC)
