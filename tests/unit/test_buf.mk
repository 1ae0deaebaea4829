T_buf := src/base/buf.c src/base/xalloc.c
