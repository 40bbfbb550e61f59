/*
 * Common includes for the host unit tests. cmocka.h uses va_list, size_t, jmp_buf and the
 * fixed-width integer types without including their headers itself, so they come first and
 * in this order; every test includes this file before anything else.
 */
#ifndef ARBOR_TESTS_HOST_H
#define ARBOR_TESTS_HOST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#endif
