T_bridge_wsframe := bridge/wsframe.c src/base/buf.c src/base/xalloc.c
T_bridge_wsframe_PKGS := zlib
