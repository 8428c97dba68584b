# The two commands of the README, and the benchmarks.
.PHONY: serve test bench
serve:
	bash scripts/serve.sh
test:
	bash scripts/test.sh
bench:
	cargo bench --no-default-features
	python3 -m pip install --quiet 'simpy==4.1.1'
	python3 scripts/bench_simpy.py
	bash scripts/setup.sh --browser
	PATH="$$PWD/node_modules/.bin:$$PATH" trunk build --release --offline
	bash scripts/bundle-size.sh
	node scripts/bench-browser.mjs
