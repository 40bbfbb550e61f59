/*
 * The memory tests of test_memory.c, built against include/arm32 (the Makefile's
 * HOST_INC_test_memory32): a 32-bit identity map, so banks at or above 4 GiB are kept but
 * unusable, with a warning. EXPECT_VA_BITS switches the expectations that differ.
 */
#define EXPECT_VA_BITS 32
#include "test_memory.c"
