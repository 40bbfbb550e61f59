# Arbor — a small Xen paravirtual guest kernel for ARM.
#
#   make [ARCH=arm64|arm32]    build build/<arch>/arbor.img (and arbor.elf)
#   make run                   boot it on Xen under QEMU (see `make help` for the knobs)
#   make test                  host unit tests + the boot matrix on real Xen
#
# Every platform fact comes from the device tree at run time; nothing here names an address.

ARCH     ?= arm64
APP      ?= apps/selftest
ROLE     ?= domU
GIC      ?= 3
MEM      ?= 128M
CPUS     ?= 1
VPL011   ?= 1
ICOUNT   ?= 0
EL2      ?= 0
DTB      ?=
BOOTARGS ?=
TIMEOUT  ?= 60
V        ?= 0
GDB_PORT ?= 1234

ARBOR_CACHE ?= $(HOME)/.cache/arbor
LIBFDT_SRC  ?= $(ARBOR_CACHE)/libfdt
XEN_INCLUDE ?= /usr/include/xen
export ARBOR_CACHE

ifeq ($(filter $(ARCH),arm64 arm32),)
$(error ARCH must be arm64 or arm32, not '$(ARCH)')
endif

# The C library: picolibc on both architectures, or newlib on arm32 (LIBC=newlib), the
# library the seed used. A newlib build goes to build/arm32-newlib/ so both coexist.
LIBC ?= picolibc
ifeq ($(filter $(LIBC),picolibc newlib),)
$(error LIBC must be picolibc or newlib, not '$(LIBC)')
endif
ifeq ($(LIBC)-$(ARCH),newlib-arm64)
$(error LIBC=newlib is for ARCH=arm32 only)
endif

ifeq ($(V),1)
Q :=
quiet = @:
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

# ---- set-up first, then the build in a make of its own ----
# GNU make reads a directory once and keeps what it saw, and this Makefile computes paths
# from what exists (libfdt's sources in $(ARBOR_CACHE), the DTS catalogue) while it is read.
# Sources that set-up fetches during the same invocation would be invisible to the rules,
# so every goal that needs set-up runs tools/deps.sh in this outer make and then itself in a
# fresh make (ARBOR_SETUP_DONE=1), which reads the file system as set-up left it. Recursive
# makes and tools that call make inherit ARBOR_SETUP_DONE through MAKEFLAGS.
SETUP_GOALS := all kernel host run debug test host-test boot-test bench soak fuzz fuzz-fg \
	fuzz-smoke fuzz-corpus check-boards check-fresh check-size check-exercises check-svgs \
	docs-svgs
.PHONY: $(SETUP_GOALS) setup deps clean help FORCE

ifneq ($(ARBOR_SETUP_DONE),1)

.DEFAULT_GOAL := all
$(SETUP_GOALS): setup
	+@$(MAKE) --no-print-directory ARBOR_SETUP_DONE=1 $@

setup:
	@tools/deps.sh --check >/dev/null 2>&1 || tools/deps.sh

# A file goal (make build/arm64/arbor.elf) takes the same path; the makefiles themselves are
# not goals.
$(MAKEFILE_LIST): ;
%:: setup
	+@$(MAKE) --no-print-directory ARBOR_SETUP_DONE=1 $@

else

include boot/$(ARCH)/arch.mk

CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
AR      := $(CROSS_COMPILE)gcc-ar
CPP     := $(CROSS_COMPILE)cpp
HOSTCC  ?= gcc

B       := build/$(ARCH)$(if $(filter newlib,$(LIBC)),-newlib)
OBJ     := $(B)/obj
# Where the image goes: build/<arch>/ for the default application (the self-tests),
# build/<arch>/apps/<name>/ for any other, so that images of different apps coexist.
ifeq ($(APP),apps/selftest)
IMG     := $(B)
else
IMG     := $(B)/apps/$(notdir $(APP))
endif

# libfdt's sources: a directory holding fdt.c, or a dtc checkout holding libfdt/fdt.c.
LIBFDT_DIR := $(if $(wildcard $(LIBFDT_SRC)/libfdt/fdt.c),$(LIBFDT_SRC)/libfdt,$(LIBFDT_SRC))
LIBFDT_C   := fdt.c fdt_ro.c fdt_strerror.c fdt_addresses.c

PICOLIBC   := /usr/lib/picolibc/$(PICOLIBC_TRIPLE)
ifeq ($(LIBC),newlib)
# libnewlib-arm-none-eabi's default multilib (Arm state, soft float): it reaches data
# through literal pools, which a position-independent image can relocate, where the v7-a
# multilibs use MOVW/MOVT pairs that it cannot.
NEWLIB     := /usr/lib/arm-none-eabi
LIBC_INC   := $(NEWLIB)/include
LIBC_A      = $(NEWLIB)/lib/libc.a
else
LIBC_INC   := $(PICOLIBC)/include
LIBC_A      = $(PICOLIBC)/lib/$(shell $(CC) $(LIBGCC_FLAGS) -print-multi-directory)/libc.a
# Which of picolibc's printf variants: boot/<arch>/arch.mk says (PICOLIBC_LDFLAGS).
LIBC_LDFLAGS := $(PICOLIBC_LDFLAGS)
endif
LIBGCC_A    = $(shell $(CC) $(LIBGCC_FLAGS) -print-libgcc-file-name)

# Xen's public headers are used where libxen-dev installs them; a link under build/ lets
# <xen/...> resolve without putting the host's /usr/include on the cross compiler's path.
XEN_INC_DIR := build/xen-include

# -Os: the images are small (issue 9's targets for apps/hello). Boot cost under -icount
# (apps/bench, domU GICv3, boot_to_app_main), -O2 against -Os with libfdt's fdt.c at -O2
# (below): arm64 1,541,232 -> 1,586,832 ns (+3%), arm32 (-O2 in Arm state against -Os in
# Thumb-2) 1,510,688 -> 1,553,904 ns (+3%); the other rows (interrupt round trip, timer,
# page allocator, context switch, thread create) within noise, the allocator faster.
OPT      ?= -Os
# Link-time optimization, in one partition (the whole kernel is one unit): apps/hello's
# arm64 .text 73,424 -> 67,008 bytes, arm32 56,072 -> 54,840.
LTO      ?= -flto -flto-partition=one
COMMON_FLAGS := -std=gnu11 -ffreestanding -fno-common -fpie -fvisibility=hidden \
	-fno-stack-protector -fno-tree-loop-distribute-patterns -ffunction-sections \
	-fdata-sections -g $(OPT) $(LTO) -Wall -Wextra -Werror -MMD -MP
# picolibc's headers declare clock_gettime and CLOCK_MONOTONIC only on systems that say
# they have them: Arbor does (rt/libc/time.c).
LIBC_FEATURES := -D_POSIX_TIMERS=200809L -D_POSIX_MONOTONIC_CLOCK=200809L
CPPFLAGS := -include include/arbor/hidden.h -Iinclude -Iinclude/$(ARCH) -I$(XEN_INC_DIR) -isystem $(LIBC_INC) \
	-I$(LIBFDT_DIR) -D__XEN_INTERFACE_VERSION__=0x00040e00 $(LIBC_FEATURES)
CFLAGS   := $(COMMON_FLAGS) $(ARCH_CFLAGS) $(EXTRA_CFLAGS)
ASFLAGS  := $(ARCH_CFLAGS) -D__ASSEMBLY__ -g -MMD -MP
LDFLAGS  := $(ARCH_LDFLAGS) -pie --no-dynamic-linker -z noexecstack --gc-sections --build-id=none \
	--no-warn-rwx-segments -Map=$(IMG)/arbor.map

# Kernel sources: every common subsystem, the architecture's own directories and the
# application. An application's app.mk, if it has one, says what else it needs:
# APP_SELFTESTS := 1 links the in-guest self-tests (tests/kernel/) and their runner
# (lib/selftest.c), which no other image carries.
SUBSYS   := boot fdt platform irq time xen mm sched smp lib rt/libc rt/libc/$(LIBC) console
APP_SELFTESTS :=
# APP_EXPLAIN := 1 links probe=explain's node-by-node explanations (platform/explain.c); an
# image without them links platform/absent/explain.c, which says so when asked. The default
# image (apps/selftest) has them; apps/hello stays small.
APP_EXPLAIN :=
-include $(APP)/app.mk
SELFTEST_SRCS := lib/selftest.c $(wildcard tests/kernel/*.c)
EXPLAIN_SRCS := $(if $(APP_EXPLAIN),,platform/explain.c)
SRCS     := $(filter-out $(SELFTEST_SRCS) $(EXPLAIN_SRCS),$(wildcard $(addsuffix /*.c,$(SUBSYS)) \
	$(addsuffix /$(ARCH)/*.c,$(SUBSYS)) $(addsuffix /$(ARCH)/*.S,$(SUBSYS)))) \
	$(if $(APP_SELFTESTS),$(SELFTEST_SRCS)) $(wildcard $(APP)/*.c) \
	$(if $(APP_EXPLAIN),,platform/absent/explain.c)
OBJS     := $(patsubst %,$(OBJ)/%.o,$(basename $(SRCS)))
# How the image links what it uses. The objects that must always be in it are linked as
# objects: boot/ (the entry, kernel_main), platform/ (its drivers are reached only through
# the driver table), rt/libc/ (it replaces members of the C library, sbrk, the locks, the
# stdio streams, which the C library's own archive would otherwise provide first), the
# application and the self-tests (their table). Every other kernel
# object goes into libarbor.a, from which the linker takes a member only when something
# already linked needs one of its symbols; so an optional service (grant tables, xenstore:
# include/arbor/service.h) is in the image, and started, only when the application or
# another linked part calls into it. --gc-sections then drops unused functions as before.
ARCHIVE_SRCS := $(filter-out boot/% platform/% rt/libc/% $(SELFTEST_SRCS) $(APP)/%,$(SRCS))
ARCHIVE_OBJS := $(patsubst %,$(OBJ)/%.o,$(basename $(ARCHIVE_SRCS)))
LINK_OBJS    := $(filter-out $(ARCHIVE_OBJS),$(OBJS))
FDT_OBJS := $(patsubst %.c,$(B)/libfdt/%.o,$(LIBFDT_C))

# A failed link must not leave an output behind that looks up to date.
.DELETE_ON_ERROR:
.DEFAULT_GOAL := all

all: kernel host

kernel: $(IMG)/arbor.img compile_commands.json

# The image Xen is given: the raw bytes from offset 0, header included (boot/<arch>/head.S).
# boot/<arch>/arch.mk says what else goes in (arm32 carries its .bss, see there).
$(IMG)/arbor.img: $(IMG)/arbor.elf
	$(quiet) OBJCOPY $@
	$(Q)$(OBJCOPY) -O binary $(IMAGE_OBJCOPY_FLAGS) $< $@

# The link goes through the compiler driver, which runs the link-time optimizer over the
# LTO objects (see COMMON_FLAGS) and hands the result to ld with these options.
comma := ,
wl = $(foreach f,$(1),-Wl$(comma)$(f))
# The archives are one group: the C library's calls into Arbor (sbrk, _exit, the locks) can
# pull members of libarbor.a after it was first scanned.
$(IMG)/arbor.elf: $(LINK_OBJS) $(B)/libarbor.a $(B)/libfdt.a $(B)/linker.lds
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -nostdlib -nostartfiles $(call wl,$(LDFLAGS) $(LIBC_LDFLAGS)) \
		-T $(B)/linker.lds -o $@ $(LINK_OBJS) -Wl,--start-group $(B)/libarbor.a \
		$(B)/libfdt.a $(LIBC_A) $(LIBGCC_A) -Wl,--end-group

$(B)/libarbor.a: $(ARCHIVE_OBJS)
	$(quiet) AR $@
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(B)/linker.lds: linker.ld
	$(quiet) LDS $@
	@mkdir -p $(@D)
	$(Q)$(CPP) -P -MMD -MP -MT $@ -Iinclude -Iinclude/$(ARCH) -D__ASSEMBLY__ -D__LINKER__ $< -o $@

# Objects depend on the flags they were built with, so changing CFLAGS rebuilds them.
FLAGS_NOW := $(CC) $(CPPFLAGS) $(CFLAGS) | $(ASFLAGS) | $(foreach f,$(LIBFDT_C),$(call LIBFDT_FLAGS,$(basename $(f))))
$(B)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FLAGS_NOW)' | cmp -s - $@ || echo '$(FLAGS_NOW)' > $@

$(OBJ)/%.o: %.c $(B)/flags | $(XEN_INC_DIR)/xen $(XEN_INC_DIR)/public
	$(quiet) CC $*.o
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@
	@printf '{"directory":"%s","file":"%s","command":"%s"}' "$(CURDIR)" "$<" \
		"$(subst ",\",$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@)" > $@.json

$(OBJ)/%.o: %.S $(B)/flags
	$(quiet) AS $*.o
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(ASFLAGS) -c $< -o $@

# libfdt, compiled for the target from its own sources (never copied into this tree). fdt.c
# (the structure-block walker, fdt_next_tag) is the boot's hot path and stays at -O2: at -Os
# it calls fdt_offset_ptr once per byte of every node name, and boot_to_app_main (apps/bench,
# arm64, -icount) went from 1,570,224 ns (libfdt at -O2) to 1,913,776; with fdt.c alone at
# -O2 it is 1,601,520, for 624 bytes of text.
LIBFDT_OPT_fdt ?= -O2
LIBFDT_FLAGS = $(or $(LIBFDT_OPT_$(1)),$(OPT))
$(B)/libfdt/%.o: $(LIBFDT_DIR)/%.c $(B)/flags
	$(quiet) CC libfdt/$*.o
	@mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -ffreestanding -fpie -fvisibility=hidden -fno-stack-protector \
		-fno-tree-loop-distribute-patterns $(call LIBFDT_FLAGS,$*) -g -isystem $(LIBC_INC) \
		-I$(LIBFDT_DIR) $(ARCH_CFLAGS) -c $< -o $@

$(B)/libfdt.a: $(FDT_OBJS)
	$(quiet) AR $@
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(XEN_INC_DIR)/xen:
	@mkdir -p $(XEN_INC_DIR)
	@test -f $(XEN_INCLUDE)/xen.h || { echo "Xen public headers not found in $(XEN_INCLUDE): run 'make deps'"; exit 1; }
	$(Q)ln -sfn $(XEN_INCLUDE) $@

# Xen's arch-arm/smccc.h includes "public/xen.h", its path inside Xen's own source tree.
$(XEN_INC_DIR)/public: | $(XEN_INC_DIR)/xen
	$(Q)ln -sfn $(XEN_INCLUDE) $@

compile_commands.json: $(OBJS)
	@{ echo '['; first=1; for f in $(addsuffix .json,$(filter %.o,$(patsubst %.S,,$(OBJS)))); do \
		[ -f $$f ] || continue; [ $$first = 1 ] || echo ','; first=0; cat $$f; done; echo ']'; } > $@

# ---- host side: unit tests (cmocka), built with the host compiler from the same sources ----

HOST_B      := build/host
HOST_DTB    := $(CURDIR)/$(HOST_B)/dtb
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Iinclude -Itests/host -DARBOR_HOST \
	-fsanitize=address,undefined -fno-omit-frame-pointer -DHOST_DTB_DIR=\"$(HOST_DTB)\"
HOST_TESTS  := $(patsubst tests/host/%.c,$(HOST_B)/%,$(wildcard tests/host/test_*.c))
# Which kernel sources each host test links against.
HOST_SRCS_test_format   := lib/format.c
HOST_SRCS_test_bootargs := lib/bootargs.c
HOST_SRCS_test_memory   := platform/memory.c platform/chosen.c platform/report.c platform/why.c \
	$(wildcard fdt/*.c) lib/format.c lib/printk.c tests/host/host_printk.c tests/host/dtb_builder.c
HOST_SRCS_test_dt       := $(wildcard fdt/*.c) tests/host/dtb_builder.c
HOST_SRCS_test_pgtable  := mm/pgtable.c
HOST_SRCS_test_page_alloc := mm/page_alloc.c lib/format.c lib/printk.c tests/host/host_printk.c
HOST_SRCS_test_time     := time/convert.c
HOST_SRCS_test_sched_queue := sched/queue.c
HOST_SRCS_test_evtchn   := xen/evtchn_2l.c
HOST_SRCS_test_gnttab   := xen/gnttab_v1.c
HOST_SRCS_test_xencons  := console/xencons_ring.c
HOST_SRCS_test_xenstore := xen/xenstore_ring.c tests/kernel/xenstore_tree.c lib/format.c \
	lib/printk.c tests/host/host_printk.c
HOST_SRCS_test_console  := console/console.c $(wildcard fdt/*.c platform/*.c) lib/format.c \
	lib/bootargs.c lib/printk.c tests/host/host_printk.c tests/host/dtb_builder.c
HOST_SRCS_test_gic      := irq/gic.c irq/irq.c lib/format.c lib/printk.c tests/host/host_printk.c \
	tests/host/fake_page_alloc.c
HOST_SRCS_test_samples  := $(wildcard fdt/*.c platform/*.c) lib/format.c lib/bootargs.c lib/printk.c tests/host/host_printk.c \
	tests/host/dtb_builder.c
# The same tests built for arm32 (test_X32.c includes test_X.c); HOST_INC_test_X picks the
# arch headers (include/arm64 unless set), HOST_DEPS_test_X names extra files it is built from.
HOST_SRCS_test_memory32  := $(HOST_SRCS_test_memory)
HOST_INC_test_memory32   := -Iinclude/arm32
HOST_DEPS_test_memory32  := tests/host/test_memory.c
HOST_SRCS_test_pgtable32 := $(HOST_SRCS_test_pgtable)
HOST_INC_test_pgtable32  := -Iinclude/arm32
HOST_DEPS_test_pgtable32 := tests/host/test_pgtable.c
# test_console runs console/console.c with a hypercall that fails (its Xen calls are faked).
HOST_INC_test_console    := -Itests/host/fake -Iinclude/arm64
HOST_DEPS_test_console   := tests/host/fake/arch/hypercall.h
# test_sched_queue needs an arch_context layout for struct thread; arm64's does.
HOST_INC_test_sched_queue := -Iinclude/arm64
# test_gic runs irq/irq.c on a fake architecture whose IRQ mask is a variable.
HOST_INC_test_gic        := -Itests/host/fake
HOST_INC_test_spinlock   := -Itests/host/fake
HOST_INC_test_page_alloc := -Itests/host/fake -Iinclude/arm64
HOST_DEPS_test_gic       := tests/host/fake/arch/irq.h tests/host/fake/arch/smp.h
# Device-tree fixtures: dts/**/*.dts compiled to $(HOST_DTB)/**/*.dtb for the tests to load.
HOST_DTBS   := $(patsubst dts/%.dts,$(HOST_B)/dtb/%.dtb,$(shell find dts -name '*.dts' 2>/dev/null))
# The drawings in docs/images/, each named after the DTB it is drawn from (check-svgs, below).
DOC_SVGS    := $(wildcard docs/images/*.svg)
HOST_SVGS   := $(patsubst docs/images/%,$(HOST_B)/svg/%,$(DOC_SVGS))
# Malformed DTBs a .dts cannot express (bad header, broken structure block), made from a good
# one by tools/dts-corrupt.py into $(HOST_DTB)/malformed/, one per corruption it lists.
HOST_CORRUPT_SRC  := $(HOST_B)/dtb/xen/domU-dom0less-gicv3.dtb
HOST_CORRUPT_DTBS := $(patsubst %,$(HOST_B)/dtb/malformed/%.dtb,\
	$(shell python3 tools/dts-corrupt.py --list 2>/dev/null))

host: $(HOST_TESTS) $(HOST_DTBS) $(HOST_CORRUPT_DTBS) $(HOST_B)/dtprobe $(HOST_SVGS)

# -q: the Xen captures are kept exactly as Xen produced them, warnings included.
$(HOST_B)/dtb/%.dtb: dts/%.dts
	$(quiet) DTC $@
	@mkdir -p $(@D)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

$(HOST_CORRUPT_DTBS): $(HOST_B)/dtb/malformed/%.dtb: tools/dts-corrupt.py $(HOST_CORRUPT_SRC)
	$(quiet) CORRUPT $@
	@mkdir -p $(@D)
	$(Q)python3 tools/dts-corrupt.py $* $(HOST_CORRUPT_SRC) $@


.SECONDEXPANSION:
$(HOST_B)/test_%: tests/host/test_%.c $$(HOST_SRCS_test_%) $$(HOST_DEPS_test_%) \
		$(wildcard include/arbor/*.h include/*/arch/*.h tests/host/*.h)
	$(quiet) HOSTCC $@
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(or $(HOST_INC_test_$*),-Iinclude/arm64) -o $@ $< \
		$(HOST_SRCS_test_$*) -lcmocka -lfdt

host-test: host check-includes check-literals
	@set -e; for t in $(HOST_TESTS); do echo "  TEST    $$t"; (cd tests/host && ../../$$t); done

# ---- dtprobe: the kernel's fdt/ and platform/ sources built for the host (tools/dtprobe/) ----
# The installed tool is built without sanitizers; the fuzz target below runs the same sources
# under ASan and UBSan. Every platform/*.c is taken, so a new driver file needs no edit here;
# GNU ld provides the driver table's __start_/__stop_arbor_drivers as it does in the kernel.
# Linked with -z now: the C library's symbols are bound before main(), not at their first call
# inside it, where the loader's lookups cost more than probing a small DTB
# (tools/bench-host.py counts the instructions inside main()).
DTPROBE_SRCS := $(wildcard tools/dtprobe/*.c fdt/*.c platform/*.c) lib/format.c lib/bootargs.c \
	lib/printk.c

$(HOST_B)/dtprobe: $(DTPROBE_SRCS) $(wildcard include/arbor/*.h include/arm64/arch/*.h tools/dtprobe/*.h)
	$(quiet) HOSTCC $@
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -std=gnu11 -g -O2 -Wall -Wextra -Werror -Iinclude -Iinclude/arm64 -o $@ \
		$(DTPROBE_SRCS) -lfdt -lm -Wl,-z,now

# ---- fuzzing (tests/fuzz/): one libFuzzer target per layer of DTB handling ----
#   fuzz_check  the validator alone (dt_check, dt_index agreeing; libfdt's readers after it)
#   fuzz_index  the index's every answer against libfdt's (names, parents, paths, phandles...)
#   fuzz_probe  dt_index, then platform_probe and both reports
# libFuzzer with ASan and UBSan (clang). libfdt is compiled in from its sources so that its
# own reads are checked too. Each target keeps its corpus in build/fuzz/corpus-<target>,
# seeded from every DTB under build/host/dtb and the boards'; crashes go to
# build/fuzz/<target>-crash-*. Reproducers worth keeping go in tests/fuzz/regressions/, which
# fuzz-smoke replays through every target first.
FUZZ_B             := build/fuzz
FUZZ_TARGETS       := check index probe
FUZZ_SECONDS       ?= 3600
FUZZ_SMOKE_SECONDS ?= 8
FUZZ_CC            ?= clang
FUZZ_LIBFDT        := $(addprefix $(LIBFDT_DIR)/,fdt.c fdt_ro.c fdt_rw.c fdt_sw.c fdt_wip.c \
	fdt_strerror.c fdt_addresses.c)
FUZZ_COMMON        := tests/fuzz/fuzz_printk.c $(wildcard fdt/*.c) lib/format.c lib/printk.c
FUZZ_SRCS_check    := tests/fuzz/fuzz_check.c
FUZZ_SRCS_index    := tests/fuzz/fuzz_index.c tests/fuzz/mutator.c
FUZZ_SRCS_probe    := tests/fuzz/fuzz_probe.c tests/fuzz/mutator.c $(wildcard platform/*.c) \
	lib/bootargs.c
FUZZ_BINS          := $(addprefix $(FUZZ_B)/fuzz_,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-fg fuzz-report fuzz-smoke fuzz-corpus check-boards check-includes check-literals \
	check-exercises check-svgs docs-svgs

# ---- the layering of includes (tools/check-includes.py holds the table; part of host-test) ----
check-includes:
	@python3 tools/check-includes.py

# ---- no Xen guest-map address in kernel sources (tools/check-literals.py; part of host-test) ----
check-literals:
	@python3 tools/check-literals.py --header $(XEN_INCLUDE)/arch-arm.h

$(FUZZ_B)/fuzz_%: $$(FUZZ_SRCS_%) $(FUZZ_COMMON) $(wildcard include/arbor/*.h tests/fuzz/*.h)
	$(quiet) FUZZCC $@
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -std=gnu11 -g -O1 -Wall -Wextra -Werror -Iinclude \
		-Iinclude/arm64 -I$(LIBFDT_DIR) -o $@ $(FUZZ_SRCS_$*) $(FUZZ_COMMON) $(FUZZ_LIBFDT)

# Real boards' DTBs join the seeds once make check-boards has compiled them, re-packed by dtc
# (QEMU pads its dumps to 1 MiB, beyond the fuzzer's input size).
fuzz-corpus: $(HOST_DTBS) $(HOST_CORRUPT_DTBS)
	@for t in $(FUZZ_TARGETS); do mkdir -p $(FUZZ_B)/corpus-$$t; \
	(cd $(HOST_B)/dtb && for f in $$(find . -name '*.dtb'); do \
		cp -n $$f ../../../$(FUZZ_B)/corpus-$$t/seed-$$(echo $${f#./} | tr / -); done); \
	for f in $(wildcard $(ARBOR_CACHE)/boards/dtb/*.dtb); do \
		s=$(FUZZ_B)/corpus-$$t/seed-board-$$(basename $$f); \
		[ -f $$s ] || dtc -q -I dtb -O dtb -o $$s $$f || rm -f $$s; done; done

# The long runs: every target for FUZZ_SECONDS (default an hour), side by side, in the
# background (tools/fuzz.sh); make fuzz-report says how far they got and what they found.
# make fuzz-fg runs the same in the foreground and prints the report at the end.
fuzz: $(FUZZ_BINS) fuzz-corpus
	@FUZZ_B=$(FUZZ_B) tools/fuzz.sh --background --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-fg: $(FUZZ_BINS) fuzz-corpus
	@FUZZ_B=$(FUZZ_B) tools/fuzz.sh --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-report:
	@FUZZ_B=$(FUZZ_B) tools/fuzz.sh --report $(FUZZ_TARGETS)

# For make test: the saved reproducers through every target, then a short run of each;
# libFuzzer's chatter goes to logs that are shown only when something was found.
fuzz-smoke: $(FUZZ_BINS) fuzz-corpus
	@FUZZ_B=$(FUZZ_B) tools/fuzz.sh --smoke --seconds $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

# ---- the teaching material checked: docs/exercises/ (tools/check-exercises.py: each
# exercise's dtprobe --explain against its .expected, offsets and bytes against fdtdump -d and
# the file) and the SVG maps in docs/images/ (regenerated, then compared) ----
check-exercises: $(HOST_B)/dtprobe
	@python3 tools/check-exercises.py --dtprobe $(HOST_B)/dtprobe

# docs/images/NAME.svg is dtprobe --svg of dts/*/NAME.dts, drawn again by every make host into
# build/host/svg/. check-svgs fails on any difference; after reviewing one (look at both
# pictures), make docs-svgs copies the new drawings into docs/images/.
$(HOST_B)/svg/%.svg: $(HOST_B)/dtprobe $(HOST_DTBS)
	$(quiet) SVG $@
	@mkdir -p $(@D)
	$(Q)$(HOST_B)/dtprobe --svg $@ $(firstword $(wildcard $(HOST_B)/dtb/*/$*.dtb)) >/dev/null

check-svgs: $(HOST_SVGS)
	@fail=0; for f in $(DOC_SVGS); do \
		cmp -s $$f $(HOST_B)/svg/$$(basename $$f) && continue; fail=1; \
		echo "check-svgs: $$f differs from what dtprobe draws now ($(HOST_B)/svg/$$(basename $$f));" \
		"look at both, then make docs-svgs"; done; \
	[ $$fail = 0 ] && echo "svgs: $(words $(DOC_SVGS)) up to date"

docs-svgs: $(HOST_SVGS)
	cp $(HOST_SVGS) docs/images/

# ---- real boards' DTBs against an independent decoder (tools/check-boards.py) ----
# The boards' Linux DTS sources are extracted by tools/deps.sh (set-up), with libfdt's.
check-boards: $(HOST_B)/dtprobe
	@python3 tools/check-boards.py --dtprobe $(HOST_B)/dtprobe

# ---- running and testing on real Xen ----

RUN_ARGS = --arch $(ARCH) --role $(ROLE) --gic $(GIC) --mem $(MEM) --cpus $(CPUS) \
	--vpl011 $(VPL011) --icount $(ICOUNT) --timeout $(TIMEOUT) --kernel $(IMG)/arbor.img \
	--app $(APP) \
	$(if $(BOOTARGS),--bootargs "$(BOOTARGS)") \
	$(if $(filter 1,$(EL2)),--el2) $(if $(DTB),--dtb $(DTB))

run: kernel
	@python3 tools/run.py $(RUN_ARGS)

# Like run, with QEMU's gdb stub waiting: prints the gdb-multiarch command that attaches with
# arbor.elf's symbols at the address Xen puts the image (README, "Debugging").
debug: kernel
	@python3 tools/run.py $(RUN_ARGS) --debug --gdb-port $(GDB_PORT)

boot-test:
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 kernel
	$(Q)$(MAKE) --no-print-directory ARCH=arm32 kernel
	@python3 tools/matrix.py

test:
	$(Q)$(MAKE) --no-print-directory host-test
	$(Q)$(MAKE) --no-print-directory check-exercises check-svgs
	$(Q)$(MAKE) --no-print-directory check-size
	$(Q)$(MAKE) --no-print-directory check-boards
	$(Q)$(MAKE) --no-print-directory check-fresh
	$(Q)$(MAKE) --no-print-directory fuzz-smoke
	$(Q)$(MAKE) --no-print-directory boot-test

# Long runs, not part of test (tools/soak.py): the boot matrix SOAK_ROUNDS times, then a soak
# boot of role pair per arch with the self-tests' long counts; figures and soak: N passed.
SOAK_ROUNDS ?= 5
soak:
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 kernel
	$(Q)$(MAKE) --no-print-directory ARCH=arm32 kernel
	$(Q)$(MAKE) --no-print-directory host
	@python3 tools/soak.py --rounds $(SOAK_ROUNDS)

# What a brand-new machine does, from an empty cache, for both architectures.
check-fresh:
	@tools/check-fresh.sh

# apps/hello's images, both arches: no self-test code in them, and no bigger than the
# ceilings (bytes). The issue's targets are 64 KiB (arm64 Image) and 128 KiB (arm32 zImage
# file, .bss included). arm32's is met, arm64's not (the DT index, the bare boot with its
# rescue path, the errors that teach and SMP's hooks came after the cuts; docs/boot.md, "What
# the image holds"); the ceilings are sizes the images reached, so they cannot grow back;
# tools/image_size.py prints every image against the targets.
HELLO_MAX_ARM64 ?= 84864
HELLO_MAX_ARM32 ?= 122880
check-size:
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 APP=apps/hello kernel
	$(Q)$(MAKE) --no-print-directory ARCH=arm32 APP=apps/hello kernel
	@python3 tools/image_size.py --check --max-arm64 $(HELLO_MAX_ARM64) \
		--max-arm32 $(HELLO_MAX_ARM32)

# Benchmarks (apps/bench) under -icount, arm64 and arm32, GICv2 and GICv3: one table. The
# event-channel rows boot role pair with the default (self-test) images, built here too; the
# image-size rows need apps/hello's images, the host rows dtprobe and check-boards' DTBs.
bench:
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 APP=apps/bench kernel
	$(Q)$(MAKE) --no-print-directory ARCH=arm32 APP=apps/bench kernel
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 kernel
	$(Q)$(MAKE) --no-print-directory ARCH=arm32 kernel
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 APP=apps/hello kernel
	$(Q)$(MAKE) --no-print-directory ARCH=arm32 APP=apps/hello kernel
	$(Q)$(MAKE) --no-print-directory check-boards
	@python3 tools/bench.py

-include $(OBJS:.o=.d) $(B)/linker.d

endif  # ARBOR_SETUP_DONE

# ---- goals that need no set-up ----

deps:
	tools/deps.sh

clean:
	rm -rf build compile_commands.json

help:
	@echo 'Arbor — Xen paravirtual guest kernel for ARM'
	@echo
	@echo 'Targets:'
	@echo '  all (default)  kernel image for ARCH and the host unit tests'
	@echo '  kernel         build/<ARCH>/arbor.img (bootable) and arbor.elf (with symbols)'
	@echo '  host           host unit tests and build/host/dtprobe (DTB -> platform summary, JSON, SVG map)'
	@echo '  run            boot the image on Xen under QEMU and show its output'
	@echo '  debug          like run, with QEMU waiting for gdb; prints the gdb-multiarch command to attach'
	@echo '  test           host-test, check-exercises/-svgs/-size/-boards/-fresh, fuzz-smoke, then the boot matrix (Xen, bare, hostile DTBs)'
	@echo '  host-test      host unit tests, the include-layering and guest-map-literal checks'
	@echo '  check-size     apps/hello has no self-test code and is within its size ceilings (part of test)'
	@echo '  boot-test      boot matrix only'
	@echo '  bench          benchmarks under -icount (apps/bench, both arches, GICv2/v3; role pair for the event channel): one table'
	@echo '  soak           the boot matrix SOAK_ROUNDS times, then role pair with selftest.soak (long counts): figures'
	@echo '  fuzz           fuzz each layer (validator, index, probe) FUZZ_SECONDS in the background (build/fuzz/)'
	@echo '  fuzz-fg        the same in the foreground, then the report'
	@echo '  fuzz-report    executions, coverage and crashes of the last make fuzz'
	@echo '  fuzz-smoke     replay tests/fuzz/regressions, then fuzz each target FUZZ_SMOKE_SECONDS (part of test)'
	@echo '  check-includes every #include against the layering table in tools/check-includes.py (part of host-test)'
	@echo '  check-exercises docs/exercises: dtprobe --explain of each against its .expected (part of test)'
	@echo '  check-svgs     docs/images/*.svg regenerated by dtprobe --svg and compared (part of test)'
	@echo '  docs-svgs      copy the regenerated drawings into docs/images/ (after looking at them)'
	@echo '  check-boards   dtprobe on real boards (Linux 6.1 DTS, QEMU virt) vs an independent decoder (part of test)'
	@echo '  check-fresh    make run for both arches from an empty ARBOR_CACHE, as on a new machine (part of test)'
	@echo '  deps           install what this machine lacks (Debian 12 packages, Xen, libfdt and board DTS sources)'
	@echo '  clean          remove build/'
	@echo
	@echo 'Variables (default):'
	@echo '  ARCH=arm64|arm32      target architecture ($(ARCH))'
	@echo '  APP=apps/<name>       application linked in ($(APP))'
	@echo '  LIBC=picolibc|newlib  C library; newlib on arm32 only, built in build/arm32-newlib/ ($(LIBC))'
	@echo '  ROLE=domU|dom0|pair|bare  how Arbor runs: Xen dom0less domU, dom0, dom0 + enhanced domU, or bare QEMU virt, no Xen ($(ROLE))'
	@echo '  GIC=2|3               GIC version QEMU emulates ($(GIC))'
	@echo '  MEM=<size>            memory of the Arbor guest, e.g. 128M, 4G ($(MEM))'
	@echo '  CPUS=<n>              vCPUs of the domU ($(CPUS))'
	@echo '  VPL011=0|1            give the domU an emulated PL011 ($(VPL011))'
	@echo '  ICOUNT=0|1            QEMU -icount for repeatable timing ($(ICOUNT))'
	@echo '  EL2=0|1               ROLE=bare: enter Arbor at EL2/HYP (QEMU virtualization=on) ($(EL2))'
	@echo '  DTB=<file>            ROLE=bare: boot with this DTB instead of QEMU'"'"'s own'
	@echo '  BOOTARGS="..."        extra guest bootargs: quiet, probe=json[,dtb]|explain, selftest.fault=data|exec|text-write|undef|stack, selftest.idle=N, selftest.soak'
	@echo '  TIMEOUT=<s>           seconds before the run harness gives up ($(TIMEOUT))'
	@echo '  GDB_PORT=<n>          TCP port of QEMU'"'"'s gdb stub for make debug ($(GDB_PORT))'
	@echo '  SOAK_ROUNDS=<n>       how many times make soak runs the boot matrix ($(SOAK_ROUNDS))'
	@echo '  FUZZ_SECONDS=<s>      how long make fuzz runs each target ($(FUZZ_SECONDS))'
	@echo '  V=1                   show full build commands'
	@echo '  ARBOR_CACHE=<dir>     where deps keeps Xen, libfdt and board DTS sources ($(ARBOR_CACHE))'
	@echo '  ARBOR_ARCHIVES=<dir>  Debian archives deps takes before downloading ($$ARBOR_CACHE/archives)'
	@echo '  LIBFDT_SRC=<dir>      libfdt sources: a dtc checkout or its libfdt/ ($(LIBFDT_SRC))'
	@echo '  XEN_INCLUDE=<dir>     Xen public headers ($(XEN_INCLUDE))'

