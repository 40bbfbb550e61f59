# arm64 build settings, included by the top-level Makefile.
CROSS_COMPILE ?= aarch64-linux-gnu-
PICOLIBC_TRIPLE := aarch64-linux-gnu
# Kernel code uses only general registers; everything before the MMU is on must also avoid
# unaligned accesses (memory is Device-nGnRnE then), so strict alignment is used throughout.
# No frame pointer (nothing walks frame records; 1 KiB less text in apps/hello), and no
# unwind tables, so that -g's call-frame information goes to .debug_frame, which gdb reads
# and the image does not carry (.eh_frame is discarded by linker.ld).
# The tiny code model: one ADR (+-1 MiB) reaches a symbol where the small model needs
# ADRP+ADD (apps/hello's .text 67,008 -> 62,912 bytes with LTO). Every image, .bss included,
# is well inside 1 MiB (the self-test image 400 KiB); one that is not fails to link
# ("relocation truncated to fit"), it cannot run wrong.
# Atomics inline (LDAXR/STLXR loops, include/arbor/spinlock.h): the outline helpers in libgcc
# choose LSE instructions from a flag that a C library's start-up sets, which Arbor has not.
ARCH_CFLAGS := -march=armv8-a -mgeneral-regs-only -mstrict-align -fomit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -mcmodel=tiny -mno-outline-atomics
ARCH_LDFLAGS := -m aarch64elf
LIBGCC_FLAGS := $(ARCH_CFLAGS)
# The Image header's image_size covers .bss, so the file need not carry it.
IMAGE_OBJCOPY_FLAGS :=
# printf's conversions: rt/libc/picolibc/arm64/vfprintf.c replaces picolibc's vfprintf with
# the kernel's formatter.
PICOLIBC_LDFLAGS :=
