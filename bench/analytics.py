"""Benchmark of ecosystem analytics, on synthetic data made here and kept nowhere.

1. Regional specialisation: a synthetic Eurostat TSV of 250 NUTS 2 regions × 90 NACE
   divisions × 1 year (about 2 % confidential cells), parsed, then LQs and both node rules,
   by division and by ecosystem (target ≤ 2 s).
2. The relatedness network at scale: 10,000 organisations, 5,000 clusters, fields and
   100,000 links built in memory as the graph builder shapes them; Louvain communities and
   betweenness sampled from `--sources` sources (target ≤ 60 s, memory ≤ 1 GB: peak RSS).
3. The network page for one ecosystem, served by the Django test client from a throwaway
   database (temporary SQLite, or BENCH_DATABASE_URL) with the reference data and
   `--organisations` synthetic organisations counted as real there only (target ≤ 300 ms).

    .venv/bin/python bench/analytics.py [--sources 200] [--organisations 2000]
"""

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.clusters_directory import configure, drop, timed  # noqa: E402

SEED = 7


def synthetic_tsv(regions: int, divisions: int) -> bytes:
    rng = random.Random(SEED)
    countries = [f"{a}{b}" for a in "ABCDEFGHIJ" for b in "ABCDE"][: max(1, regions // 5)]
    geos = [
        f"{countries[i % len(countries)]}{i // len(countries) + 1:X}{i % 10}"
        for i in range(regions)
    ]
    sections = "ABCDEFGHIJKLMNOPQRS"
    codes = [f"{sections[i % len(sections)]}{10 + i:02d}" for i in range(divisions)]
    lines = ["freq,nace_r2,indic_sb,geo\\TIME_PERIOD\t2021 "]
    for code in codes:
        for geo in geos:
            roll = rng.random()
            cell = ": c" if roll < 0.02 else f"{rng.randint(0, 50_000)} "
            lines.append(f"A,{code},V16110,{geo[:4]}\t{cell}")
    return ("\n".join(lines) + "\n").encode()


def bench_specialisation(regions: int, divisions: int) -> None:
    from clusterbridge.analytics import eurostat, specialisation

    raw = synthetic_tsv(regions, divisions)
    start = time.perf_counter()
    parsed = eurostat.parse(raw)
    parse_s = time.perf_counter() - start
    cells = [specialisation.Cell(o.geo, o.industry, o.value, o.flags) for o in parsed.observations]
    start = time.perf_counter()
    analysis = specialisation.analyse(cells)
    lq_s = time.perf_counter() - start
    codes = sorted({c.industry for c in cells})
    groups = {f"eco{i}": codes[i::14] for i in range(14)}
    start = time.perf_counter()
    by_eco = specialisation.analyse(cells, groups)
    eco_s = time.perf_counter() - start
    print(
        f"specialisation: {len({c.geo for c in cells})} regions × {len(codes)} divisions = "
        f"{len(cells)} cells ({analysis.unknown_cells} confidential; {len(parsed.errors)} errors)"
    )
    print(
        f"  parse TSV {parse_s:.2f} s; LQ + nodes {lq_s:.2f} s ({len(analysis.nodes())} nodes); "
        f"by 14 ecosystems {eco_s:.2f} s ({len(by_eco.nodes())} nodes); "
        f"total {parse_s + lq_s + eco_s:.2f} s (target ≤ 2 s)"
    )


def synthetic_graph(organisations: int, clusters: int, links: int):
    import networkx as nx

    from clusterbridge.analytics import network

    rng = random.Random(SEED)
    graph = nx.Graph()
    fields = [f"ecosystem:e{i}" for i in range(14)] + [f"feature:f{i}" for i in range(60)]
    for f in fields:
        graph.add_node(f, kind=f.split(":")[0], label=f, url="", country="")
    orgs = [f"organisation:{i}" for i in range(organisations)]
    cls = [f"cluster:{i}" for i in range(clusters)]
    for node in orgs + cls:
        graph.add_node(node, kind=node.split(":")[0], label=node, url="", country="")
    # Agents lean to one "home" group of fields, so that communities exist.
    home = {node: rng.randrange(14) for node in orgs + cls}
    made = 0  # graph.number_of_edges() counts every time: keep our own count
    while made < links:
        roll = rng.random()
        agent = rng.choice(orgs) if roll < 0.7 else rng.choice(cls)
        if roll < 0.35:
            other = rng.choice(cls)
            kind = "member of cluster"
            if home[other] != home[agent] and rng.random() < 0.8:
                continue
        else:
            group = home[agent] if rng.random() < 0.85 else rng.randrange(14)
            other = rng.choice([fields[group]] + fields[14 + group * 4 : 18 + group * 4])
            kind = "ecosystem" if other.startswith("ecosystem") else "feature"
        if agent != other and not graph.has_edge(agent, other):
            network.add_link(graph, agent, other, "synthetic", kind)
            made += 1
    return graph


def bench_network(sources: int) -> None:
    from clusterbridge.analytics import network

    start = time.perf_counter()
    graph = synthetic_graph(10_000, 5_000, 100_000)
    build_s = time.perf_counter() - start
    network.SAMPLE_SOURCES = sources
    start, cpu = time.perf_counter(), time.process_time()
    analysis = network.analyse(graph)
    analyse_s, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"network: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} links "
        f"(synthetic, in memory) built in {build_s:.1f} s"
    )
    print(
        f"  Louvain communities + betweenness sampled from {analysis.sampled} sources: "
        f"{analyse_s:.1f} s wall, {cpu:.1f} s CPU (target ≤ 60 s); "
        f"{len(analysis.communities)} communities, "
        f"{len(analysis.keystones)} keystones; peak memory {peak_mb:.0f} MB (target ≤ 1024)"
    )


def bench_page(organisations: int, requests: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from clusterbridge.organisations.models import OrganisationQuerySet

    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0, stdout=devnull)
        call_command("load_reference", verbosity=0, stdout=devnull)
        call_command("generate_organisations", str(organisations), stdout=devnull)
    # Throwaway database only: the network sees the synthetic organisations.
    OrganisationQuerySet.real = lambda self: self
    client = Client()
    print(f"network page on {connection.vendor}, {organisations} synthetic organisations:")
    for url in ("/analytics/network/?ecosystem=digital", "/analytics/network/?ecosystem=health"):
        first, _queries = timed(client, url, 1)
        times, queries = timed(client, url, requests)
        print(
            f"  {url}: first request (computes) {first[0]:.0f} ms; then median "
            f"{statistics.median(times):.0f} ms, max {max(times):.0f} ms, {queries} queries "
            "(target ≤ 300 ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbridge.settings")
    with tempfile.TemporaryDirectory() as workdir:
        database = configure(workdir)
        try:
            import django

            django.setup()
            bench_specialisation(250, 90)
            bench_network(args.sources)
            bench_page(args.organisations, args.requests)
        finally:
            if database:
                from django.db import connections

                connections.close_all()
                drop(database)


if __name__ == "__main__":
    main()
