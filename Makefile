# Links the three shared libraries from what cargo builds, and installs them with
# the headers and pkg-config files. Rust's own cdylib link cannot carry libvirt's
# named symbol versions, so the C toolchain links libvirt.so.0 from the staticlib.
#
#   make                          build target/release/lib*.so*
#   make install PREFIX=/dir      install lib/, include/libvirt/, lib/pkgconfig/
#   make test                     the whole test suite (tools/test-all)
#   make hello                    build and run examples-c/hello on test:///default

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DESTDIR ?=

CARGO ?= cargo
RUSTC ?= rustc
CC ?= cc

# The libvirt API level ferrovirt implements, and ferrovirt's own version.
API_VERSION := 9.0.0
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)

OUT := target/release
# build.rs writes the version scripts and the forwarders' sources here.
GEN := $(OUT)/ferrovirt-link
# What `cargo rustc -- --print native-static-libs` reports for the staticlib.
NATIVE_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
LDFLAGS_SO := -shared -Wl,--no-undefined -Wl,--gc-sections -Wl,-z,relro -Wl,-z,now

LIBS := $(OUT)/libvirt.so.0 $(OUT)/libvirt-qemu.so.0 $(OUT)/libvirt-lxc.so.0

all: $(LIBS) $(LIBS:.so.0=.so)

# cargo knows when the staticlib is stale; ask it every time.
$(OUT)/libvirt.a: FORCE
	$(CARGO) build --release

$(OUT)/libvirt.so.0: $(OUT)/libvirt.a
	$(CC) $(LDFLAGS_SO) -o $@ -Wl,-soname,libvirt.so.0 -Wl,--version-script=$(GEN)/libvirt.map \
		-Wl,--whole-archive $< -Wl,--no-whole-archive $(NATIVE_LIBS)

# libvirt-qemu.so.0 and libvirt-lxc.so.0 only forward to libvirt.so.0's private node.
$(OUT)/%-forward.o: $(OUT)/libvirt.a
	$(RUSTC) --edition 2021 --crate-type lib --crate-name $*_forward --emit obj \
		-C opt-level=2 -C panic=abort -C relocation-model=pic -o $@ $(GEN)/$*-forward.rs

$(OUT)/libvirt-%.so.0: $(OUT)/%-forward.o $(OUT)/libvirt.so.0
	$(CC) $(LDFLAGS_SO) -o $@ -Wl,-soname,libvirt-$*.so.0 -Wl,--version-script=$(GEN)/libvirt-$*.map \
		$< -L$(OUT) -l:libvirt.so.0

$(OUT)/%.so: $(OUT)/%.so.0
	ln -sf $(notdir $<) $@

install: all
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/libvirt
	for lib in libvirt libvirt-qemu libvirt-lxc; do \
		install -m 755 $(OUT)/$$lib.so.0 $(DESTDIR)$(LIBDIR)/ && \
		ln -sf $$lib.so.0 $(DESTDIR)$(LIBDIR)/$$lib.so && \
		sed -e 's|@prefix@|$(PREFIX)|' -e 's|@libdir@|$(LIBDIR)|' -e 's|@includedir@|$(INCLUDEDIR)|' \
			-e 's|@api_version@|$(API_VERSION)|' -e 's|@version@|$(VERSION)|' \
			pkgconfig/$$lib.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/$$lib.pc || exit 1; \
	done
	$(if $(wildcard include/libvirt/*.h),install -m 644 include/libvirt/*.h $(DESTDIR)$(INCLUDEDIR)/libvirt/)

test:
	tools/test-all

hello:
	tools/hello

clean:
	rm -f $(LIBS) $(LIBS:.so.0=.so) $(OUT)/*-forward.o

.PHONY: all install test hello clean FORCE
.SECONDARY:
FORCE:
