T_store := $(STORE_SRC) $(BASE_SRC)
