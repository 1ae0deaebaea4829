T_fuzz_bridge_wsin := tests/fuzz/fuzz_bridge_wsin.c bridge/wsin.c bridge/tnc.c bridge/wsout.c src/base/buf.c src/base/utf8.c src/base/xalloc.c
