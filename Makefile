# lsrun: build, test, demo, benchmarks, install.
# `make` builds ./lsrun; `make test` runs every spec; `make demo` runs the
# Python SDK tutorial in Lua against a local Label Studio.

PREFIX ?= /usr/local
CC ?= cc
PKGS = lua5.4 libcurl
WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) -Isrc -Ibuild \
             $$(pkg-config --cflags $(PKGS))
LIBS = $$(pkg-config --libs $(PKGS)) -lm
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer \
      -fno-sanitize-recover=undefined

SRC = $(wildcard src/*.c)
HDR = $(wildcard src/*.h)
LUA_SRC = $(shell find lua -name '*.lua' | LC_ALL=C sort)

.PHONY: all deps test demo bench bench-json install clean asan

all: lsrun

deps:
	@scripts/setup

build/embedded.c: $(LUA_SRC) scripts/embed.lua | deps
	@mkdir -p build
	lua5.4 scripts/embed.lua $@ $(LUA_SRC)

lsrun: $(SRC) $(HDR) build/embedded.c | deps
	$(CC) $(ALL_CFLAGS) -o $@ $(SRC) build/embedded.c $(LIBS)

asan: build/asan/lsrun

build/asan/lsrun: $(SRC) $(HDR) build/embedded.c | deps
	@mkdir -p build/asan
	$(CC) $(ALL_CFLAGS) -O1 $(SAN) -o $@ $(SRC) build/embedded.c $(LIBS)

test: lsrun build/asan/lsrun
	@scripts/test

demo: lsrun
	@scripts/demo

bench-json: lsrun
	@scripts/bench-json

bench: lsrun
	@scripts/bench

install: lsrun
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 lsrun $(DESTDIR)$(PREFIX)/bin/lsrun

clean:
	rm -rf lsrun build
