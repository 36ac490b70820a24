# SpaceAudit: `make run` starts it on the embedded PostgreSQL; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
BIN := .build/debug/spaceaudit
VENV := .venv

help:
	@echo "make run     install what is missing, build, start spaceaudit serve on the embedded database"
	@echo "make demo    the same with sample Spaces, events and a local OpenID provider"
	@echo "make test    install what is missing, start a throwaway PostgreSQL, run all tests"
	@echo "make build   build only"
	@echo "make bench   benchmarks (ratios against their anchors)"

deps:
	@scripts/bootstrap.sh

build: deps
	swift build

run: build
	$(BIN) serve

demo: build
	$(BIN) demo

test:
	scripts/run-tests.sh

bench: deps
	bench/run.sh

.PHONY: help deps build run demo test bench
