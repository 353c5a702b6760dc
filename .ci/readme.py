"""Write README.md from nbs/index.ipynb offline (nbdev_readme needs Quarto). Usage: readme.py NB OUT [--check]"""
import json, re, sys
from pathlib import Path

def _src(cell): return ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']

def _outputs(cell):
    out = []
    for o in cell.get('outputs', []):
        if o.get('output_type') == 'stream': out.append(''.join(o['text']))
        elif 'data' in o and 'text/markdown' in o['data']: out.append(('md', ''.join(o['data']['text/markdown'])))
        elif 'data' in o and 'text/plain' in o['data']: out.append(''.join(o['data']['text/plain']))
    return out

def render(nb_path):
    nb = json.loads(Path(nb_path).read_text(encoding='utf-8'))
    parts = []
    for cell in nb['cells']:
        src = _src(cell)
        if cell['cell_type'] == 'markdown': parts.append(src.strip()); continue
        if cell['cell_type'] != 'code' or re.search(r'^#\|\s*hide\b', src, re.M): continue
        code = '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip()
        if code: parts.append(f"```python\n{code}\n```")
        for o in _outputs(cell):
            if isinstance(o, tuple): parts.append(o[1].strip())
            elif o.strip(): parts.append(f"    " + o.rstrip().replace('\n', '\n    '))
    return '<!-- generated from nbs/index.ipynb by `make readme`: edit the notebook, not this file -->\n\n' + '\n\n'.join(p for p in parts if p) + '\n'

if __name__ == '__main__':
    nb, out = sys.argv[1], Path(sys.argv[2])
    text = render(nb)
    if '--check' in sys.argv:
        if not out.exists() or out.read_text(encoding='utf-8') != text:
            sys.exit(f"{out} differs from {nb}: run `make readme` and commit both")
    else: out.write_text(text, encoding='utf-8')
