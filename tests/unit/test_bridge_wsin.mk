T_bridge_wsin := bridge/wsin.c src/base/buf.c src/base/xalloc.c
