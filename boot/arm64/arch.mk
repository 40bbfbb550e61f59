# arm64 build settings, included by the top-level Makefile.
CROSS_COMPILE ?= aarch64-linux-gnu-
PICOLIBC_TRIPLE := aarch64-linux-gnu
# Kernel code uses only general registers; everything before the MMU is on must also avoid
# unaligned accesses (memory is Device-nGnRnE then), so strict alignment is used throughout.
ARCH_CFLAGS := -march=armv8-a -mgeneral-regs-only -mstrict-align
ARCH_LDFLAGS := -m aarch64elf
LIBGCC_FLAGS := $(ARCH_CFLAGS)
# The Image header's image_size covers .bss, so the file need not carry it.
IMAGE_OBJCOPY_FLAGS :=
