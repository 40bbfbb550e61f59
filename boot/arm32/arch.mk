# arm32 build settings, included by the top-level Makefile.
CROSS_COMPILE ?= arm-none-eabi-
PICOLIBC_TRIPLE := arm-none-eabi
# ARMv7-A with the virtualization extensions (for hvc), ARM state, soft float. Before the MMU
# is on memory is Strongly-ordered, where unaligned accesses fault, hence -mno-unaligned-access.
ARCH_CFLAGS := -march=armv7ve -marm -mfloat-abi=soft -mno-unaligned-access -mabi=aapcs
ARCH_LDFLAGS := -m armelf
# picolibc's and libgcc's multilib for this ABI (v7-a, no FP).
LIBGCC_FLAGS := -march=armv7-a -mfloat-abi=soft
# Xen learns a zImage's extent from the header's end offset and puts the DTB right after it,
# so the file must include .bss (as zeros) or the DTB would land where .bss is cleared.
IMAGE_OBJCOPY_FLAGS := --set-section-flags .bss=alloc,load,contents
# picolibc's default printf: its integer-only variant has no long long on a 32-bit target
# (%lld), and soft-float code can pass doubles, which applications may format.
PICOLIBC_LDFLAGS :=
