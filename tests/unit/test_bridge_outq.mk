T_bridge_outq := bridge/outq.c src/base/xalloc.c
