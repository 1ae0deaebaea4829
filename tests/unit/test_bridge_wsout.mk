T_bridge_wsout := bridge/wsout.c src/base/buf.c src/base/utf8.c src/base/xalloc.c
