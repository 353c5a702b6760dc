"""Fail when nbdev_export would change qtr1/, nbdev_clean would change nbs/, or README.md is stale."""
import hashlib, subprocess, sys
from pathlib import Path

BIN = Path(sys.executable).parent

def snapshot(*globs):
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for g in globs for p in sorted(Path('.').glob(g)) if p.is_file()}

def changed(cmd, *globs):
    before = snapshot(*globs)
    subprocess.run([str(BIN/cmd)], check=True)
    after = snapshot(*globs)
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))

errors = []
if diff := changed('nbdev_export', 'qtr1/**/*.py'): errors.append(f"nbdev_export changed {diff}: export and commit notebooks and qtr1/ together")
if diff := changed('nbdev_clean', 'nbs/**/*.ipynb'): errors.append(f"nbdev_clean changed {diff}: run nbdev_clean and commit")
r = subprocess.run([sys.executable, '.ci/readme.py', 'nbs/index.ipynb', 'README.md', '--check'], capture_output=True, text=True)
if r.returncode: errors.append(r.stderr.strip())
for e in errors: print('check-sync:', e, file=sys.stderr)
print('check-sync:', 'FAILED' if errors else 'qtr1/, nbs/ and README.md are in sync')
sys.exit(1 if errors else 0)
