T_bridge_tnc := bridge/tnc.c src/base/buf.c src/base/utf8.c src/base/xalloc.c
