/*
 * The translation-table tests of test_pgtable.c, built against include/arm32 (the Makefile's
 * HOST_INC_test_pgtable32): ARMv7 LPAE, starting at level 1 with 32-bit virtual and 40-bit
 * physical addresses, and kernel text without XN. TEST_ARM32 switches what differs.
 */
#define TEST_ARM32
#include "test_pgtable.c"
