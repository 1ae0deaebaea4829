T_log := src/base/log.c src/base/buf.c src/base/xalloc.c
