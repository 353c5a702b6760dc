"""The import graph of qtr1/ from every import statement (nested ones included): fail on a cycle, or on a qtr1 import inside a function."""
import ast, sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent/'qtr1'
mods = {p.stem: p for p in sorted(PKG.glob('*.py')) if p.stem not in ('__init__', '_modidx')}
LAZY = {'cli': 'each command imports the stage it runs when it runs, so `qtr1 --help` and a wrong flag answer at once'}

def targets(node):
    "The qtr1 modules an import statement names."
    if isinstance(node, ast.ImportFrom):
        base = node.module or ''
        if node.level == 1: base = f'qtr1.{base}' if base else 'qtr1'
        if base == 'qtr1': return [f'qtr1.{a.name}' for a in node.names]
        return [base]
    return [a.name for a in node.names]

graph, nested = {m: set() for m in mods}, []
for m, path in mods.items():
    tree = ast.parse(path.read_text())
    top = {id(n) for n in tree.body} | {id(n) for s in tree.body if isinstance(s, (ast.If, ast.Try)) for n in ast.walk(s)}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)): continue
        deps = [t.split('.')[1] for t in targets(node) if t.startswith('qtr1.') and t.split('.')[1] in mods]
        graph[m].update(d for d in deps if d != m)
        if deps and id(node) not in top and m not in LAZY: nested.append(f'{path.name}:{node.lineno}: imports {", ".join(deps)} inside a function')

def cycles(g):
    "The strongly connected components with more than one module (Tarjan)."
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
        for w in sorted(g[v]):
            if w not in index: visit(w); low[v] = min(low[v], low[w])
            elif w in on: low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            if len(comp) > 1: out.append(sorted(comp))
    for v in sorted(g):
        if v not in index: visit(v)
    return out

def layers(g):
    "Modules by depth: each imports only modules of lower layers."
    depth = {}
    def d(v, seen=()):
        if v not in depth: depth[v] = 1 + max((d(w, seen + (v,)) for w in g[v] if w not in seen), default=-1)
        return depth[v]
    for v in g: d(v)
    return [sorted(v for v in g if depth[v] == k) for k in range(max(depth.values()) + 1)]

cyc = cycles(graph)
if '-v' in sys.argv or cyc or nested:
    for m in sorted(graph): print(f'{m:12} -> {", ".join(sorted(graph[m])) or "-"}')
for c in cyc: print('cycle:', ' <-> '.join(c))
for line in nested: print(line)
if cyc or nested: sys.exit(1)
print(f'import graph: {len(graph)} modules, {sum(map(len, graph.values()))} edges, no cycle; no qtr1 import inside a function '
      f'({", ".join(f"{m}: {why}" for m, why in LAZY.items())}); '
      f'layers: {" | ".join(" ".join(l) for l in layers(graph))}')
