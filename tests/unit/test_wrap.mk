T_wrap := src/base/wrap.c src/base/buf.c src/base/xalloc.c
