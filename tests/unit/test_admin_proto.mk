T_admin_proto := src/admin_proto.c src/stats.c $(BASE_SRC)
