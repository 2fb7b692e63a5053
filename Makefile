# Tern: a minimal x86-64 paravirtualizing hypervisor.
#
#   make            build build/hypervisor.elf (multiboot2)
#   make image      build build/hypervisor.iso, a hybrid GRUB image (BIOS and
#                   UEFI; CD, USB stick or disk) with the toy guest as domain 0
#   make usb DEV=/dev/sdX   write that image to a USB stick (tools/write-usb.sh)
#   make run        install what is missing, build, boot the hypervisor and the
#                   demo guest under QEMU (serial on the terminal)
#   make test       install what is missing, run host unit tests and QEMU scenarios
#   make unit       host unit tests only (cmocka, ASan + UBSan)
#   make linux      fetch Debian 12's Linux kernel and build a busybox initramfs
#                   (build/linux/, for the linux-dom0 and linux-domu scenarios)
#   make run-linux  boot that kernel as unprivileged domain 1 under QEMU
#   make bench      instructions per hypercall, Tern next to real Xen 4.17
#                   (tools/bench.py; QEMU -icount; not part of make test)
#
# Two flag sets: HV_* for the freestanding ring-0 image, HOST_* for the unit
# tests, which compile the same pure sources against cmocka with sanitizers.

CROSS_COMPILE ?=
CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
NM      := $(CROSS_COMPILE)nm
HOSTCC  ?= gcc

# V=1 shows the full commands.
V ?= 0
ifeq ($(V),0)
Q := @
else
Q :=
endif

BUILD := build
HV_BUILD := $(BUILD)/hv
UNIT_BUILD := $(BUILD)/unit

WARN := -Wall -Wextra -Werror -Wshadow -Wconversion -Wsign-conversion \
        -Wstrict-prototypes -Wmissing-prototypes -Wundef -Wvla -Wpointer-arith

# The hypervisor's folders that hold headers (hypervisor/arch/x86/include
# holds <asm/...>), and the public ABI.
HV_INCLUDES := $(addprefix -I,$(sort $(patsubst %/,%,$(dir $(shell find hypervisor \
                   -path hypervisor/arch/x86/include -prune -o -name '*.h' -print))))) \
               -Ihypervisor/arch/x86/include -Iinclude

# The image runs at 0xffff82d040000000, outside the top 2 GiB, so it is built
# position-independent (as Xen is) with hidden visibility and linked static:
# every symbol reference is RIP-relative and no GOT or PLT survives the link.
HV_CFLAGS := -std=gnu11 -O2 -g $(WARN) \
        -ffreestanding -fno-builtin -nostdinc -fno-stack-protector \
        -fno-stack-clash-protection -fcf-protection=none \
        -mno-red-zone -mgeneral-regs-only -mno-mmx -mno-sse -mno-sse2 \
        -fpic -fvisibility=hidden -include hypervisor/include/visibility.h \
        -fno-omit-frame-pointer -fno-optimize-sibling-calls \
        -fno-asynchronous-unwind-tables -fno-jump-tables \
        -isystem $(shell $(CC) -print-file-name=include) \
        $(HV_INCLUDES) -MMD -MP
HV_ASFLAGS := $(filter-out -std=gnu11,$(HV_CFLAGS)) -D__ASSEMBLY__
HV_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
        --no-dynamic-linker --build-id=none -T linker.ld

# Every source under hypervisor/, whatever the folder: a subsystem's
# folder holds its sources and its headers, and each folder with headers
# is on the include path (names are unique across the tree), so a file
# moving between folders changes no #include line.
HV_SRCS := $(sort $(shell find hypervisor -name '*.c' -o -name '*.S'))
HV_C_SRCS := $(filter %.c,$(HV_SRCS))
HV_HEADERS := $(sort $(shell find hypervisor include/public -name '*.h' -o -name '*.def'))
HV_OBJS := $(patsubst %,$(HV_BUILD)/%.o,$(HV_SRCS))

# The framebuffer console's font, generated from one of Debian's console
# fonts (package console-setup-linux) by tools/psf2c.py; see font.h.
CONSOLE_FONT ?= /usr/share/consolefonts/Lat15-Fixed16.psf.gz
GEN_FONT := $(BUILD)/gen/console_font.c
HV_OBJS += $(HV_BUILD)/$(GEN_FONT).o

# Pure modules: no port I/O, no privileged instruction, no global hardware
# state. Each is compiled into the image and, unchanged, into its unit test.
PURE := cmdline cmdline_options parse multiboot2 frame_alloc acpi_tables heap guest_memory elf_loader domain_layout hypercall page_types acpi_madt time_calc kbd_decode bounce insn_decode evtchn time_scale module_options
PURE += fbcon
PURE += frame_list ioport deadline debug_trap console_filter console_budget iocap gnttab
PURE += multicall_batch unimpl_seen cpuid_policy iomem vmce exchange_plan extable pirq
PURE += platform_rules wallclock xenpmu vpit2
PURE += runq timerq
PURE += softint
TEST_DEPS_debug_trap := bounce
TEST_DEPS_pirq := evtchn
TEST_DEPS_ioport := vpit2
TEST_DEPS_acpi_madt := acpi_tables
TEST_DEPS_cmdline := parse
TEST_DEPS_module_options := cmdline parse
TEST_DEPS_cmdline_options := cmdline parse
HOST_BASE_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Wno-missing-prototypes \
        -fsanitize=address,undefined -fno-sanitize-recover=all \
        -fno-omit-frame-pointer -DHOST_TEST
HOST_CFLAGS := $(HOST_BASE_CFLAGS) $(HV_INCLUDES)
HOST_LDLIBS := -lcmocka
UNIT_TESTS := $(patsubst tests/unit/%.c,$(UNIT_BUILD)/%,$(wildcard tests/unit/test_*.c))

QEMU_MEM ?= 256M

.PHONY: all image run test unit scenarios deps clean
all: $(BUILD)/hypervisor.elf

# Two links: the first gives the addresses for the backtrace symbol table,
# the second adds that table after all code, so no function moves (checked).
$(BUILD)/hypervisor.elf: $(HV_OBJS) linker.ld tools/gen-symbols.sh
	@echo "  LD      $@"
	$(Q)tools/gen-symbols.sh --empty $(HV_BUILD)/symbols-empty.S
	$(Q)$(CC) $(HV_ASFLAGS) -c $(HV_BUILD)/symbols-empty.S -o $(HV_BUILD)/symbols-empty.o
	$(Q)$(LD) $(HV_LDFLAGS) -o $(HV_BUILD)/pass1.elf $(HV_OBJS) $(HV_BUILD)/symbols-empty.o
	$(Q)NM=$(NM) tools/gen-symbols.sh $(HV_BUILD)/pass1.elf $(HV_BUILD)/symbols.S
	$(Q)$(CC) $(HV_ASFLAGS) -c $(HV_BUILD)/symbols.S -o $(HV_BUILD)/symbols.o
	$(Q)$(LD) $(HV_LDFLAGS) -o $@ $(HV_OBJS) $(HV_BUILD)/symbols.o
	$(Q)NM=$(NM) tools/gen-symbols.sh --check $(HV_BUILD)/pass1.elf $@
	$(Q)tools/check-image.sh $@

$(HV_BUILD)/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(HV_CFLAGS) -c $< -o $@

$(HV_BUILD)/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(HV_ASFLAGS) -c $< -o $@

$(GEN_FONT): tools/psf2c.py $(wildcard $(CONSOLE_FONT))
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)test -f $(CONSOLE_FONT) || { echo "$(CONSOLE_FONT) is missing: run" \
		"tools/install-deps.sh (package console-setup-linux)" >&2; exit 1; }
	$(Q)python3 tools/psf2c.py $(CONSOLE_FONT) > $@.tmp && mv $@.tmp $@

image: $(BUILD)/hypervisor.iso
# The demo: the toy guest three times, side by side. Domain 0 'ping' and
# domain 1 'pong' each run the user-process demo, then bounce 1000 events
# over an interdomain event channel (guest-kernel/demo/pingpong.c); then ping
# serves the others as a driver domain (guest-kernel/backend/): domain 2
# 'web' prints only into its console ring, checks its PV disk (blk-check on
# 1 MiB of RUN_DISK, served by ping's blkback) and its xenstore (xs-check)
# until the toolstack asks it to power off (shutdown=2); ping waits for the
# others and powers the machine off. The other modules are copies of the ELF
# under other names, because mkimage.sh refuses two modules with one name.
# GUEST_ARGS: instead, one guest with that command line (e.g. GUEST_ARGS=test=all).
GUEST_ARGS ?=
DEMO_PEER_ELF := $(BUILD)/guest/guest-pong.elf
DEMO_WEB_ELF := $(BUILD)/guest/guest-web.elf
ifeq ($(strip $(GUEST_ARGS)),)
IMAGE_MODULES = --module $(BUILD)/guest/guest.elf \
                    "name=ping -- demo pingpong=serve:1 driver-domain shutdown=2 \
                    disk.web=phy:ide0:2048+2048,xvda,w vif.pong=ip=10.0.2.16 \
                    vif.web=ip=10.0.2.15" \
                --module $(DEMO_PEER_ELF) \
                    "name=pong -- demo pingpong=connect:0:1 netfront=10000 ping=10.0.2.2:3" \
                --module $(DEMO_WEB_ELF) \
                    "name=web -- console=ring blk-check xs-check=1 netfront ping=10.0.2.16:5:500 \
                    xs-shutdown"
else
IMAGE_MODULES = --module $(BUILD)/guest/guest.elf "$(GUEST_ARGS)"
endif
# IMAGE_TIMEOUT: seconds GRUB shows its menu before the default entry boots.
IMAGE_TIMEOUT ?= 5
$(DEMO_PEER_ELF) $(DEMO_WEB_ELF): $(BUILD)/guest/guest.elf
	$(Q)cp $< $@
$(BUILD)/hypervisor.iso: $(BUILD)/hypervisor.elf $(BUILD)/guest/guest.elf $(DEMO_PEER_ELF) \
		$(DEMO_WEB_ELF) \
		tools/mkimage.sh FORCE
	$(Q)tools/mkimage.sh --out $@ --elf $< $(IMAGE_MODULES) \
		--entries full --timeout $(IMAGE_TIMEOUT)

# make usb DEV=/dev/sdX [YES=1] [FORCE=1]: the image onto a USB stick. It
# refuses a disk that is mounted or not removable unless FORCE=1, shows what
# it will overwrite and asks unless YES=1.
.PHONY: usb
usb: image
	@test -n "$(DEV)" || { echo "usage: make usb DEV=/dev/sdX [YES=1] [FORCE=1]" >&2; exit 2; }
	FORCE="$(FORCE)" YES="$(YES)" tools/write-usb.sh --image $(BUILD)/hypervisor.iso "$(DEV)"

.PHONY: FORCE
FORCE:

deps:
	tools/install-deps.sh

# QEMU_FIRMWARE=uefi boots OVMF; QEMU_MEDIA=usb-xhci (or cdrom, usb-ehci,
# usb-uhci, disk-ide, disk-ahci) attaches the image another way.
QEMU_FIRMWARE ?= bios
QEMU_MEDIA ?= cdrom
# RUN_DISK: the IDE disk of make run (a sparse 64 MiB image, kept).
RUN_DISK ?= $(BUILD)/run-disk.img
run: deps
	$(MAKE) image IMAGE_TIMEOUT=1
	test -f $(RUN_DISK) || truncate -s 64M $(RUN_DISK)
	tools/qemu-run.py --iso $(BUILD)/hypervisor.iso --mem $(QEMU_MEM) --interactive \
		--firmware $(QEMU_FIRMWARE) --media $(QEMU_MEDIA) \
		--qemu-arg=-drive --qemu-arg=if=ide,index=0,format=raw,file=$(RUN_DISK)

# Each unit test links its own test file with the pure module it names
# (test_frame_alloc.c tests hypervisor/mm/frame_alloc.c) plus the shared stubs.
# The sources of the pure modules named, wherever they sit under hypervisor/.
pure_sources = $(foreach m,$(filter $(PURE),$(1)),$(filter %/$(m).c,$(HV_C_SRCS)))
# gcc writes one .d for several sources, so the headers are listed here.
$(UNIT_BUILD)/test_%: tests/unit/test_%.c $(HV_C_SRCS) $(HV_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(call pure_sources,$(TEST_DEPS_$*) $*) $(HOST_LDLIBS)

# The guest kernel's pure parts join the host tests the same way:
# tests/unit/test_gk_NAME.c links guest-kernel/.../NAME.c, built with the
# guest's own include path (no hypervisor header), against stubs the test
# provides for what the module calls outside itself.
GK_C_SRCS := $(sort $(shell find guest-kernel -path guest-kernel/user -prune -o -name '*.c' -print))
GK_HEADERS := $(sort $(shell find guest-kernel include/public tests/guest/lib -name '*.h'))
GK_HOST_CFLAGS := $(HOST_BASE_CFLAGS) -Iguest-kernel -Iinclude
# The other guest sources a module's test links (the xenstore core's layers).
GK_TEST_DEPS_cons_ring := byte_ring
GK_TEST_DEPS_xl_config := net_text
GK_XS_CORE := xs_path xs_perms xs_pool xs_tree xs_store xs_commit xs_tx xs_watch xs_domain xs_msg xs_msg_admin
GK_TEST_DEPS_xs_perms := xs_path
GK_TEST_DEPS_xs_store := xs_path xs_perms xs_pool xs_tree
GK_TEST_DEPS_xs_tx := xs_path xs_perms xs_pool xs_tree xs_store xs_commit
GK_TEST_DEPS_xs_watch := xs_path xs_perms
GK_TEST_DEPS_xs_msg := $(GK_XS_CORE)
GK_TEST_DEPS_xs_domain := $(GK_XS_CORE)
GK_TEST_DEPS_xs_msg_tx := $(GK_XS_CORE)
GK_TEST_DEPS_ata_prd := ata_cmd
GK_TEST_DEPS_ipv4 := inet_csum
GK_TEST_DEPS_icmp := inet_csum
GK_TEST_DEPS_udp := inet_csum
GK_TEST_DEPS_csum_fill := inet_csum
$(UNIT_BUILD)/test_gk_%: tests/unit/test_gk_%.c $(GK_C_SRCS) $(GK_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(GK_HOST_CFLAGS) -o $@ $< \
		$(foreach m,$(sort $(GK_TEST_DEPS_$*) $*),$(filter %/$(m).c,$(GK_C_SRCS))) $(HOST_LDLIBS)

unit: $(UNIT_TESTS)
	tests/run-unit.sh $(UNIT_TESTS)

scenarios: image
	tests/scenarios/run.py

# The hybrid image on the emulated hardware matrix (BIOS/UEFI, CD/USB/disk,
# old and new CPUs, pc/q35, 64 MiB-4 GiB, 1-2 CPUs).
.PHONY: boot-matrix
boot-matrix: image
	tests/scenarios/boot-matrix

test: deps
	$(MAKE) all
	tests/run-all.sh

# Debian 12's own Linux kernel (its ELF, unwrapped from vmlinuz) and a busybox
# initramfs, fetched with apt-get download into build/linux/ (kept across
# make clean; tools/fetch-linux.sh). The linux-dom0 scenario boots them.
.PHONY: linux
linux: deps
	tools/fetch-linux.sh

# make run-linux: that kernel as unprivileged domain 1 (128 MiB of a 256 MiB
# max_mem; its hvc0 printed by domain 0 as "(d0) (d1) ...") under the toy
# kernel as driver domain 0, as the linux-domu-io scenario boots it, with its
# disk and network (tools/linux-io.py): xvda is the IDE disk, an ext4 file
# system made on $(LINUX_DISK) when that file is missing (kept, so what Linux
# wrote is there next time); eth0 (10.0.2.15) joins domain 0's bridge with
# the toy domain "peer" (10.0.2.16) and QEMU's e1000 (gateway 10.0.2.2).
# Its /init mounts xvda, reads and writes a file, pings both and powers off;
# domain 0 then powers the machine off once the peer has ended too.
LINUX_DOMU_ISO := $(BUILD)/linux-domu.iso
LINUX_DISK ?= $(BUILD)/run-linux-disk.img
.PHONY: run-linux
run-linux: linux
	$(MAKE) all guest
	tools/linux-io.py initramfs
	test -f $(LINUX_DISK) || { truncate -s 64M $(LINUX_DISK) && tools/linux-io.py disk $(LINUX_DISK); }
	cp $(BUILD)/guest/guest.elf $(BUILD)/guest/guest-peer.elf
	tools/mkimage.sh --out $(LINUX_DOMU_ISO) --elf $(BUILD)/hypervisor.elf \
		--cmdline "console=com1,vga" --timeout 1 \
		--module $(BUILD)/guest/guest.elf "-- driver-domain disk.linux=phy:ide0,xvda,w vif.linux=ip=10.0.2.15 vif.peer=ip=10.0.2.16" \
		--module $(BUILD)/linux/vmlinux "name=linux mem=128M max_mem=256M -- console=hvc0 tern_ip=10.0.2.15/24 tern_ping=10.0.2.16,10.0.2.2" \
		--module $(BUILD)/linux/initramfs-io.cpio "initramfs" \
		--module $(BUILD)/guest/guest-peer.elf "name=peer -- netfront=60000"
	tools/qemu-run.py --iso $(LINUX_DOMU_ISO) --mem 1G --interactive \
		--qemu-arg=-drive --qemu-arg=if=ide,index=0,format=raw,file=$(LINUX_DISK) \
		--qemu-arg=-nic --qemu-arg=user,model=e1000

# The guest kernel's benchmark mode on Tern and on Xen, under -icount.
.PHONY: bench
bench: deps
	tools/bench.py

clean:
	rm -rf $(HV_BUILD) $(UNIT_BUILD) $(BUILD)/*.elf $(BUILD)/*.iso $(BUILD)/scenarios $(BUILD)/gen

# --- guest kernel ---
# build/guest/guest.elf: the bundled toy PV guest (guest-kernel/) with its
# built-in tests (tests/guest/), an ELF64 with Xen notes linked at
# 0xffffffff80000000 (guest-kernel/kernel/guest.ld). It runs in ring 3 on
# Tern and, as dom0, on real Xen (tools/xen-run.py). Every .c and .S under
# guest-kernel/ is part of it (one directory per part: kernel/, xen/, demo/,
# hostile/, bench/), except user/, which is built apart below. Its files
# include each other by path from guest-kernel/ ("kernel/mm.h"); the -I list
# names only guest-kernel/, tests/guest/lib and include/ (for <public/...>):
# no hypervisor header reaches it.
GUEST_BUILD := $(BUILD)/guest
GUEST_CFLAGS := -std=gnu11 -O2 -g $(WARN) \
        -ffreestanding -fno-builtin -nostdinc -fno-stack-protector \
        -fno-stack-clash-protection -fcf-protection=none \
        -mno-red-zone -mgeneral-regs-only -mno-mmx -mno-sse -mno-sse2 \
        -mcmodel=kernel -fno-pic -fno-pie \
        -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
        -isystem $(shell $(CC) -print-file-name=include) \
        -Iguest-kernel -Itests/guest/lib -Iinclude \
        -MMD -MP
GUEST_ASFLAGS := $(filter-out -std=gnu11,$(GUEST_CFLAGS)) -D__ASSEMBLY__
GUEST_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
        --no-dynamic-linker --build-id=none -T guest-kernel/kernel/guest.ld

GUEST_SRCS := $(sort $(filter-out guest-kernel/user/%, \
                $(shell find guest-kernel -name '*.c' -o -name '*.S'))) \
              $(wildcard tests/guest/lib/*.c tests/guest/*.c)
GUEST_OBJS := $(patsubst %,$(GUEST_BUILD)/%.o,$(GUEST_SRCS))

# The built-in user programs (guest-kernel/user/) run in user mode at another
# address than they are linked at: position-independent, no jump tables, no
# calls into the kernel (no implicit memset/memcpy), every section renamed
# .user.* so that guest.ld puts them on pages of their own.
GUEST_USER_SRCS := $(wildcard guest-kernel/user/*.c)
GUEST_USER_OBJS := $(patsubst %,$(GUEST_BUILD)/%.o,$(GUEST_USER_SRCS))
GUEST_USER_CFLAGS := $(filter-out -mcmodel=kernel -fno-pic -fno-pie,$(GUEST_CFLAGS)) \
        -fpie -fvisibility=hidden -fno-jump-tables -fno-tree-loop-distribute-patterns \
        -Iguest-kernel/user
GUEST_OBJS += $(GUEST_USER_OBJS)

.PHONY: guest clean-guest
guest: $(GUEST_BUILD)/guest.elf

$(GUEST_BUILD)/guest.elf: $(GUEST_OBJS) guest-kernel/kernel/guest.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(GUEST_LDFLAGS) -o $@ $(GUEST_OBJS)

$(GUEST_BUILD)/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_BUILD)/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(GUEST_ASFLAGS) -c $< -o $@

$(GUEST_BUILD)/guest-kernel/user/%.c.o: guest-kernel/user/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (user)"
	$(Q)$(CC) $(GUEST_USER_CFLAGS) -MF $(@:.o=.d) -MT $@ -c $< -o $@.pie
	$(Q)$(OBJCOPY) --prefix-alloc-sections=.user $@.pie $@

clean: clean-guest
clean-guest:
	rm -rf $(GUEST_BUILD) $(BUILD)/bench
# --- end of guest kernel ---

# (The unit tests list their prerequisites in full instead: one .d cannot
# hold a multi-source compile's dependencies.)
-include $(shell find $(BUILD) -path $(UNIT_BUILD) -prune -o -name '*.d' -type f -print 2>/dev/null)
