/*
 * utf8.h: UTF-8 decoding, repair and ASCII fallback.
 *
 * Text from a client is repaired before anyone else sees it: every invalid
 * sequence (stray continuation bytes, overlong forms, surrogates, code
 * points past U+10FFFF, truncated sequences) becomes U+FFFD. Text for a
 * client that did not announce UTF-8 is folded to ASCII.
 */
#ifndef RUIN_BASE_UTF8_H
#define RUIN_BASE_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define UTF8_REPLACEMENT 0xFFFDu

/*
 * Decodes one code point at s (n bytes available). Returns its length in
 * bytes (1-4) and stores the code point, or returns 0 if the bytes there do
 * not start a valid, complete sequence (the caller skips one byte).
 */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encodes cp (which must be valid) into out, 1-4 bytes. Returns the length. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* True if all n bytes are valid UTF-8. */
int utf8_valid(const char *s, size_t n);
/* Number of complete code points in s, counting each bad byte as one. */
size_t utf8_length(const char *s, size_t n);
/*
 * Length of the longest prefix of s that does not end inside a sequence
 * that the next bytes might still complete. Used on streams.
 */
size_t utf8_complete_prefix(const char *s, size_t n);
/* Appends s to out with invalid sequences replaced. Returns how many were replaced. */
size_t utf8_repair(struct buf *out, const char *s, size_t n);
/* Appends s to out folded to 7-bit ASCII (typographic marks mapped, the rest '?'). */
void utf8_to_ascii(struct buf *out, const char *s, size_t n);
/*
 * Appends s to out with the bytes 0x80-0xFF read as Latin-1 and encoded as
 * UTF-8 (for a client that announced that charset).
 */
void utf8_from_latin1(struct buf *out, const char *s, size_t n);

#endif
