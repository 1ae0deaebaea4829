T_stats := src/stats.c
