"""Each exported cell at most 60 lines, and every exported function, class and CLI command used by a test cell of its own notebook."""
import ast, json, re, sys
from pathlib import Path

MAX_LINES = 60
nbs = Path(__file__).resolve().parent.parent/'nbs'

def names(node):
    "The names a test must mention for an exported definition: its own, or a CLI command's name as typed."
    for d in getattr(node, 'decorator_list', []):
        if isinstance(d, ast.Call) and getattr(d.func, 'attr', '') == 'command':
            cmd = d.args[0].value if d.args else node.name.rstrip('_').replace('_', '-')
            return [cmd]
    return [node.name]

bad = []
for nb in sorted(nbs.glob('*.ipynb')):
    cells = [''.join(c['source']) for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code']
    exported = [c for c in cells if re.match(r'\s*#\s*\|\s*export', c)]
    tests = '\n'.join(c for c in cells if c not in exported)
    for c in exported:
        lines = c.splitlines()
        if len(lines) > MAX_LINES: bad.append(f'{nb.name}: an exported cell of {len(lines)} lines (at most {MAX_LINES}), from {lines[1][:50]!r}')
        for node in ast.parse(c).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith('_'):
                if not any(re.search(rf'(?<![\w-]){re.escape(n)}(?![\w-])', tests) for n in names(node)):
                    bad.append(f'{nb.name}: {node.name} is exported but no test cell of the notebook uses it')
for b in bad: print(b)
if bad: print(f'{len(bad)} problems'); sys.exit(1)
print(f'notebooks: every exported cell within {MAX_LINES} lines; every exported function, class and command used by a test of its notebook')
