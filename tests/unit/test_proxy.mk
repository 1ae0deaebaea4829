T_proxy := src/net/proxy.c src/net/addr.c $(BASE_SRC)
