/*
 * Included before every kernel source (the Makefile's -include): every declaration that
 * follows, the C library's included, has hidden visibility. Arbor is one static,
 * position-independent executable, so no symbol can come from anywhere else; saying so lets
 * the compiler reach an external symbol (another file's variable, a linker-script symbol such
 * as _end or a table's bounds) PC-relative, where -fvisibility=hidden alone covers only
 * definitions and leaves declarations to a GOT entry, which costs a word and an
 * R_*_RELATIVE relocation each.
 */
#pragma GCC visibility push(hidden)
