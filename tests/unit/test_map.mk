T_map := src/base/map.c src/base/xalloc.c
