T_fuzz_proxy := tests/fuzz/fuzz_proxy.c src/net/proxy.c src/net/addr.c $(BASE_SRC)
