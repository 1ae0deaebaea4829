T_bridge_session := bridge/session.c bridge/session_write.c bridge/loop.c bridge/tnc.c \
	bridge/wsout.c bridge/wsframe.c bridge/wsin.c bridge/outq.c bridge/peer.c bridge/settings.c \
	src/base/buf.c src/base/str.c src/base/utf8.c src/base/xalloc.c src/base/log.c \
	src/base/map.c src/base/rate.c src/base/clock.c
T_bridge_session_PKGS := libuv libtelnet jansson libsodium zlib
