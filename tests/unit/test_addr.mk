T_addr := src/net/addr.c $(BASE_SRC)
