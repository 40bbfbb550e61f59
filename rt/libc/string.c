/*
 * memset and memcpy for the kernel, in place of the C library's.
 *
 * picolibc is built for size, and its memset and memcpy move one byte a turn of a
 * four-instruction loop: clearing struct platform (11 KiB) at every boot cost ~55,000
 * instructions, zeroing the interrupt handler table ~40,000. These move a machine word a
 * time, eight (memset) or four (memcpy) words a turn, and fall back to bytes only for the unaligned ends (memcpy: when
 * the two pointers are not equally aligned). The build's -fno-tree-loop-distribute-patterns
 * keeps the compiler from turning these loops back into calls to themselves.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef unsigned long __attribute__((may_alias)) word_t;

#define WORD  sizeof(word_t)

void *memset(void *dst, int c, size_t n)
{
	unsigned char *p = dst;
	word_t w = (unsigned char)c * (~(word_t)0 / 0xff);

	for (; n && (uintptr_t)p % WORD; n--)
		*p++ = (unsigned char)c;
	word_t *q = (word_t *)p;
	for (; n >= 8 * WORD; n -= 8 * WORD, q += 8)
		q[0] = q[1] = q[2] = q[3] = q[4] = q[5] = q[6] = q[7] = w;
	for (; n >= WORD; n -= WORD)
		*q++ = w;
	for (p = (unsigned char *)q; n; n--)
		*p++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)d % WORD == (uintptr_t)s % WORD) {
		for (; n && (uintptr_t)d % WORD; n--)
			*d++ = *s++;
		word_t *dw = (word_t *)d;
		const word_t *sw = (const word_t *)s;
		for (; n >= 4 * WORD; n -= 4 * WORD, dw += 4, sw += 4) {
			word_t a = sw[0], b = sw[1], e = sw[2], f = sw[3];
			dw[0] = a;
			dw[1] = b;
			dw[2] = e;
			dw[3] = f;
		}
		for (; n >= WORD; n -= WORD)
			*dw++ = *sw++;
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}
