/*
 * banned.h: functions we never call (STYLE.md rule 7).
 *
 * Include it last in every .c file, after all system headers, so the macros
 * do not rewrite libc's own declarations. Any use of a banned function then
 * fails to compile with a name that says why.
 */
#ifndef RUIN_BASE_BANNED_H
#define RUIN_BASE_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_use_buf_or_str_copy

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)

#endif
