T_lines := src/base/lines.c src/base/buf.c src/base/xalloc.c
