T_color := src/base/color.c src/base/buf.c src/base/utf8.c src/base/xalloc.c
