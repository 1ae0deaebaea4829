T_list :=
