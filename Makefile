# The two commands of the README, and the benchmarks.
.PHONY: serve test bench
serve:
	bash scripts/serve.sh
test:
	bash scripts/test.sh
bench:
	cargo bench --no-default-features
