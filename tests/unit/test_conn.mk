T_conn := src/net/conn.c src/net/ids.c src/net/uring.c src/net/listen.c src/net/loop.c src/net/loop_select.c src/net/loop_epoll.c src/net/proxy.c src/net/addr.c $(BASE_SRC)
