T_uring := src/net/uring.c src/base/xalloc.c
