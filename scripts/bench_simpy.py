"""The simulator benchmark's network in SimPy, for comparison (run by `make bench`).

Five stations of 16 servers in series, exponential service of mean 1.1 ms, Poisson
arrivals at 10 000 req/s: the scenario of benches/simulate.rs. Events are counted the way
ArchSim counts them (one per arrival, one per service completion), so the rates compare.
Prints events per second and, when benches/simulate.rs has written its figure, the ratio.
"""

import json
import random
import sys
import time

import simpy

RATE = 10_000.0
HOPS = 5
SERVERS = 16
MEAN_SERVICE = 0.0011


def run(seconds, seed=1):
    env = simpy.Environment()
    rng = random.Random(seed)
    stations = [simpy.Resource(env, capacity=SERVERS) for _ in range(HOPS)]
    stats = {"events": 0, "done": 0, "sojourn": 0.0}

    def request(env):
        start = env.now
        for station in stations:
            with station.request() as slot:
                yield slot
                yield env.timeout(rng.expovariate(1.0 / MEAN_SERVICE))
            stats["events"] += 1
        stats["done"] += 1
        stats["sojourn"] += env.now - start

    def source(env):
        while True:
            yield env.timeout(rng.expovariate(RATE))
            stats["events"] += 1
            env.process(request(env))

    env.process(source(env))
    began = time.perf_counter()
    env.run(until=seconds)
    return stats, time.perf_counter() - began


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 6.0
    stats, wall = run(seconds)
    rate = stats["events"] / wall
    print(f"SimPy {simpy.__version__}, same 5-hop tandem, {seconds:g} s at 10 000 req/s:")
    print(f"  events {stats['events']}  wall time {wall * 1e3:.0f} ms  "
          f"events per second {rate / 1e6:.3f} M")
    print(f"  mean response {stats['sojourn'] / max(stats['done'], 1) * 1e3:.2f} ms "
          "(ArchSim's analytic core: 5.6 ms)")
    try:
        with open("target/bench-sim-native.json", encoding="utf-8") as f:
            native = json.load(f)["events_per_second"]
        print(f"  ArchSim native is {native / rate:.0f}× as fast")
    except (OSError, KeyError, ValueError):
        print("  (run cargo bench --bench simulate first for the ratio)")


if __name__ == "__main__":
    main()
