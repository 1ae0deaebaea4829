T_fuzz_bridge_tnc := tests/fuzz/fuzz_bridge_tnc.c bridge/tnc.c bridge/wsout.c src/base/buf.c src/base/utf8.c src/base/xalloc.c
