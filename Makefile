# wangge — one plain Makefile.  make | make deps | make test | make demo | make bench
# Objects go to build/<variant>/; the sanitizer build is build/asan/.

CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libsodium libcurl libpq libzip expat \
           cairo-pdf pangocairo pangoft2 fontconfig xlsxwriter
GEOS_CFLAGS := $(shell geos-config --cflags 2>/dev/null)
GEOS_LIBS   := $(shell geos-config --clibs 2>/dev/null)
PKG_CFLAGS  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla \
           -Wno-format-nonliteral -Wno-format-truncation
OPT     ?= -O2 -g
CFLAGS_ALL = $(WARN) $(OPT) -pthread -Isrc -include src/core/prelude.h $(PKG_CFLAGS) $(GEOS_CFLAGS) \
             -MMD -MP $(EXTRA_CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) $(GEOS_LIBS) -lcsv -lm -pthread

VARIANT ?= release
B       := build/$(VARIANT)
ifeq ($(VARIANT),asan)
  OPT := -O1 -g -fno-omit-frame-pointer
  EXTRA_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=undefined
  EXTRA_LDFLAGS += -fsanitize=address,undefined
endif

# every .c below src/, at any depth, but the entry point
LIB_SRC  := $(filter-out src/cli/main.c,$(shell find src -name '*.c' | sort))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
BENCH_SRC := $(wildcard bench/*/main.c)
BENCH_BIN := $(BENCH_SRC:bench/%/main.c=$(B)/bench/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

.PHONY: all deps test unit e2e web-test demo bench fuzz clean format format-check asan web
all: $(B)/wangge
ifeq ($(VARIANT),release)
all: wangge
wangge: $(B)/wangge
	cp -f $< $@
endif

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -DWG_BAN_RAW_ALLOC -c $< -o $@

$(B)/libwangge.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/wangge: $(B)/src/cli/main.o $(B)/libwangge.a
	@echo "  LINK    $@"
	@$(CC) $(EXTRA_LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(B)/tests/%: tests/unit/%.c tests/unit/t.h $(B)/libwangge.a
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -Itests/unit $(EXTRA_LDFLAGS) -o $@ $< $(B)/libwangge.a $(LDLIBS_ALL)

$(B)/bench/%: bench/%/main.c $(B)/libwangge.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(EXTRA_LDFLAGS) -o $@ $< $(B)/libwangge.a $(LDLIBS_ALL)

deps:
	scripts/deps.sh

# The pkg-config packages the build links, for scripts that build beside it (fuzz.sh).
print-pkgs:
	@echo $(PKGS)
.PHONY: print-pkgs

# The console (web/): npm ci when the lock file changed, vite build when a source did.
WEB_SRC := $(shell find web/src web/m web/public -type f 2>/dev/null) web/index.html \
           web/vite.config.js web/package.json
web: web/dist/index.html
web/node_modules/.ci-stamp: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@
web/dist/index.html: web/node_modules/.ci-stamp $(WEB_SRC)
	cd web && npx vite build
	touch $@

unit-bins: $(UNIT_BIN)
.PHONY: unit-bins

# The whole suite: release build, then the sanitizer build, unit + end-to-end on both.
test:
	scripts/deps.sh test
	$(MAKE) format-check
	$(MAKE) VARIANT=release all unit-bins
	$(MAKE) VARIANT=asan build/asan/wangge unit-bins
	$(MAKE) web
	scripts/npm-packages.sh
	scripts/run-tests.sh
	scripts/fuzz.sh --check

demo:
	scripts/deps.sh
	$(MAKE) VARIANT=release all
	$(MAKE) web
	./wangge demo --data demo-data
	./wangge serve --data demo-data --listen 127.0.0.1:8080

bench:
	$(MAKE) VARIANT=release all $(BENCH_BIN)
	scripts/run-bench.sh

fuzz:
	scripts/fuzz.sh

C_FILES = $(shell find src tests/unit tests/fuzz bench -name '*.[ch]' | sort)
format:
	clang-format -i $(C_FILES)

# The tree as .clang-format writes it, and files and functions of a length a person reads
# (scripts/check-shape.py); part of make test, so CI fails on either.
format-check:
	@clang-format --dry-run --Werror $(C_FILES)
	@python3 scripts/check-shape.py

clean:
	rm -rf build wangge web/dist

-include $(LIB_OBJ:.o=.d) $(B)/src/cli/main.d $(UNIT_BIN:=.d) $(BENCH_BIN:=.d)
