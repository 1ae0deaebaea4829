T_loop := src/net/loop.c src/net/loop_select.c src/net/loop_epoll.c $(BASE_SRC)
