T_bridge_settings := bridge/settings.c src/base/buf.c src/base/str.c src/base/xalloc.c
