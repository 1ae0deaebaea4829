T_fuzz_admin := tests/fuzz/fuzz_admin.c src/admin_proto.c src/stats.c $(BASE_SRC)
