T_utf8 := src/base/utf8.c src/base/buf.c src/base/xalloc.c
