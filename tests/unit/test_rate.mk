T_rate := src/base/rate.c
