# arm32 build settings, included by the top-level Makefile.
CROSS_COMPILE ?= arm-none-eabi-
PICOLIBC_TRIPLE := arm-none-eabi
# ARMv7-A with the virtualization extensions (for hvc), soft float. Before the MMU is on memory
# is Strongly-ordered, where unaligned accesses fault, hence -mno-unaligned-access.
# C is Thumb-2 (-mthumb): apps/hello's .text 62 -> 43 KiB, and under -icount boot_to_app_main
# 1.866 -> 1.841 ms, the other apps/bench rows equal. The .S files stay Arm state (.arm):
# exceptions are taken in Arm state (SCTLR.TE clear), the linker turns their BLs into C into
# BLX, C reaches them through BLX or a veneer, and they return with BX, as picolibc's Thumb
# multilib and newlib's Arm-state one do too.
ARCH_CFLAGS := -march=armv7ve -mthumb -mfloat-abi=soft -mno-unaligned-access -mabi=aapcs
ARCH_LDFLAGS := -m armelf
# picolibc's and libgcc's multilib for this ABI (v7-a, no FP).
LIBGCC_FLAGS := -march=armv7-a -mfloat-abi=soft
# Xen learns a zImage's extent from the header's end offset and puts the DTB right after it,
# so the file must include .bss (as zeros) or the DTB would land where .bss is cleared.
IMAGE_OBJCOPY_FLAGS := --set-section-flags .bss=alloc,load,contents
# picolibc's default printf: its integer-only variant has no long long on a 32-bit target
# (%lld), and soft-float code can pass doubles, which applications may format.
PICOLIBC_LDFLAGS :=
