#!/usr/bin/env python3
"""Lists import circles between the modules of each crate (a module = one file; the crate
root, which only declares modules and holds shared state, is left out). Exit status 1 when
a circle exists. Usage: .ci/import-cycles.py [crates/NAME ...]"""
import os, re, sys

def modules(src):
    mods = {}
    for dirpath, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), src)[:-3].split(os.sep)
            if rel[-1] == "mod":
                rel = rel[:-1]
            if rel in (["lib"], ["main"]):
                continue
            mods["::".join(rel)] = os.path.join(dirpath, f)
    return mods

def strip(text):
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'"(\\.|[^"\\])*"', '""', text)
    # test modules may import anything
    cut = re.search(r"#\[cfg\(test\)\]\s*mod tests", text)
    return text[: cut.start()] if cut else text

def edges(mods):
    names = sorted(mods, key=lambda m: -m.count("::"))
    out = {m: set() for m in mods}
    for m, path in mods.items():
        text = strip(open(path, encoding="utf-8").read())
        refs = re.findall(r"\bcrate::((?:\w+::)*\w+)", text)
        # grouped imports: use crate::{a::b, c}
        for group in re.findall(r"\bcrate::\{([^}]*)\}", text):
            refs += [g.strip() for g in group.split(",") if g.strip()]
        parent = m.rsplit("::", 1)[0] if "::" in m else ""
        for sup in re.findall(r"\bsuper::((?:\w+::)*\w+)", text):
            refs.append((parent + "::" + sup) if parent else sup)
        for r in refs:
            target = next((n for n in names if r == n or r.startswith(n + "::")), None)
            if target and target != m:
                out[m].add(target)
    return out

def cycles(graph):
    index, low, stack, on, res, n = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            if len(comp) > 1: res.append(sorted(comp))
    sys.setrecursionlimit(10000)
    for v in graph:
        if v not in index: visit(v)
    return res

crates = sys.argv[1:] or ["crates/domain", "crates/store", "crates/web", "crates/demo", "crates/pioneer"]
bad = 0
for c in crates:
    g = edges(modules(os.path.join(c, "src")))
    for comp in cycles(g):
        bad += 1
        print(f"{c}: import circle: " + ", ".join(comp))
        for m in comp:
            print(f"    {m} -> " + ", ".join(sorted(t for t in g[m] if t in comp)))
if bad:
    sys.exit(1)
print("no import circles in " + ", ".join(crates))
