T_unix := src/net/unix.c $(BASE_SRC)
