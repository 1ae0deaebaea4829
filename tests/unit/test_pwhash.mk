T_pwhash := src/store/pwhash.c $(BASE_SRC)
