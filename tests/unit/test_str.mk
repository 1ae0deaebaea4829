T_str := src/base/str.c src/base/buf.c src/base/xalloc.c
