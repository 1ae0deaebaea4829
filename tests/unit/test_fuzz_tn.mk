T_fuzz_tn := tests/fuzz/fuzz_tn.c src/net/tn.c src/net/tn_gmcp.c src/net/tn_input.c src/net/tn_opt.c src/net/tn_state.c $(BASE_SRC)
