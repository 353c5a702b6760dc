"""Run nbdev_test on every notebook, two at a time (the longest first), time each, count notebooks.

Most of a tiny test is single-threaded Python (imports, decode loops, subprocesses), so two notebooks
side by side, one torch thread each (OMP_NUM_THREADS=1 unless set), use a 2-core machine about twice as
well as one. `NBTEST_WORKERS=1` runs them one by one."""
import concurrent.futures, os, subprocess, sys, time
from pathlib import Path

BIN = Path(sys.executable).parent
LONGEST = ['13_reliability', '11_loop', '07_train', 'star_smol', 'star_11_rounds', '03_generate', '02_model', '09_tts']
nbs = sorted(p for p in Path('nbs').rglob('*.ipynb') if not p.name.startswith('_') and '.ipynb_checkpoints' not in p.parts)
if len(sys.argv) > 1: nbs = [Path(a) for a in sys.argv[1:]]
nbs.sort(key=lambda p: LONGEST.index(p.stem) if p.stem in LONGEST else len(LONGEST))

def test(nb: Path):
    t = time.time()
    r = subprocess.run([str(BIN/'nbdev_test'), '--path', str(nb), '--n_workers', '0', '--do_print'], capture_output=True, text=True,
                       env={'OMP_NUM_THREADS': '1', **os.environ})
    ok = r.returncode == 0
    print(f"{'ok  ' if ok else 'FAIL'} {nb} ({time.time()-t:.0f}s)", flush=True)
    if not ok: print((r.stdout + r.stderr)[-6000:], flush=True)
    return ok

t0 = time.time()
with concurrent.futures.ThreadPoolExecutor(int(os.environ.get('NBTEST_WORKERS', 2))) as pool: oks = list(pool.map(test, nbs))
print(f"total {time.time()-t0:.0f}s")
print(f"nbdev_test: {sum(oks)} passed, {len(oks) - sum(oks)} failed")
sys.exit(0 if all(oks) else 1)
