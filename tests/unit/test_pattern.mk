T_pattern := src/script/vm.c src/script/sandbox.c src/script/pattern.c src/script/strlib.c src/script/tablib.c src/script/suggest.c $(BASE_SRC)
