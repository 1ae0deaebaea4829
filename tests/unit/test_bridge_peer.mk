T_bridge_peer := bridge/peer.c src/base/buf.c src/base/str.c src/base/xalloc.c
