"""Run nbdev_test one notebook at a time (2 cores: no parallel workers), time each, count notebooks."""
import subprocess, sys, time
from pathlib import Path

BIN = Path(sys.executable).parent
nbs = sorted(p for p in Path('nbs').rglob('*.ipynb') if not p.name.startswith('_') and '.ipynb_checkpoints' not in p.parts)
if len(sys.argv) > 1: nbs = [Path(a) for a in sys.argv[1:]]
passed, failed, t0 = [], [], time.time()
for nb in nbs:
    t = time.time()
    r = subprocess.run([str(BIN/'nbdev_test'), '--path', str(nb), '--n_workers', '0', '--do_print'], capture_output=True, text=True)
    ok = r.returncode == 0
    (passed if ok else failed).append(nb)
    print(f"{'ok  ' if ok else 'FAIL'} {nb} ({time.time()-t:.0f}s)", flush=True)
    if not ok: print((r.stdout + r.stderr)[-6000:], flush=True)
print(f"total {time.time()-t0:.0f}s")
print(f"nbdev_test: {len(passed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
