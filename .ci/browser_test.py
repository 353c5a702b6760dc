"""Real-browser test of the trace inspector: the inspector notebook run in a headless JupyterLab, driven in Debian's Chromium by Playwright.

Installs what it needs (Debian `chromium` with apt-get, `jupyterlab`/`playwright` with pip) and skips, exit 0 with a
`skipped: ...` line, only where Chromium cannot be installed. Every wait is bounded; the whole test stays under 3 minutes.
"""
import json, os, re, secrets, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT/'nbs'/'10_inspector.ipynb'
FIXTURE = ROOT/'nbs'/'fixtures'/'inspector_run'
SHOT = ROOT/'runs'/'browser'/'inspector.png'
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--disable-quic']
BUDGET_S = 180
T0 = time.time()

def log(msg): print(f'[{time.time() - T0:5.1f}s] {msg}', flush=True)

class Failed(Exception): pass

def check(cond, msg):
    if not cond: raise Failed(msg)

def ensure_chromium():
    "Debian's chromium at /usr/bin/chromium, installed with apt-get when missing; skip the test where that cannot be done."
    if Path(CHROMIUM).exists(): return
    if not shutil.which('apt-get'): skip('no /usr/bin/chromium and no apt-get to install it')
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    for cmd, limit in ((['apt-get', 'update'], 90), (['apt-get', 'install', '-y', '--no-install-recommends', 'chromium'], 150)):
        log(' '.join(cmd))
        try: r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=limit)
        except (subprocess.TimeoutExpired, OSError) as e: skip(f'Chromium cannot be installed: {" ".join(cmd)}: {e}')
        if r.returncode != 0: skip(f'Chromium cannot be installed: {" ".join(cmd)} exited {r.returncode}: {(r.stderr or r.stdout).strip()[-300:]}')
    if not Path(CHROMIUM).exists(): skip(f'apt-get installed chromium but {CHROMIUM} is missing')

def skip(msg):
    print(f'skipped: {msg}', flush=True); sys.exit(0)

def ensure_python_packages():
    "jupyterlab, playwright and ipykernel in this interpreter (they are in the dev extras; pip-installed when missing)."
    missing = []
    for mod, pkg in (('jupyterlab', 'jupyterlab'), ('playwright', 'playwright'), ('ipykernel', 'ipykernel')):
        try: __import__(mod)
        except ImportError: missing.append(pkg)
    if missing:
        log(f'pip install {" ".join(missing)}')
        subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', *missing], check=True, timeout=150)

def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def expected_from_files():
    "What the inspector must show, read straight from the fixture files (not through qtr1.inspector)."
    rows = lambda p: [json.loads(l) for l in p.read_text().splitlines() if l.strip()] if p.exists() else []
    direct, counts, n_rat = [], {}, 0
    for rdir in sorted((FIXTURE/'rounds').iterdir()):
        samples, verdicts = rows(rdir/'samples.jsonl'), rows(rdir/'verdicts.jsonl')
        for i, s in enumerate(samples):
            reason = verdicts[i]['reason'] if i < len(verdicts) else 'unverified'
            direct.append((s['id'], reason)); counts[reason] = counts.get(reason, 0) + 1
        rat = rows(rdir/'rationalized.jsonl'); n_rat += len(rat)
        if rat: counts['ok'] = counts.get('ok', 0) + len(rat)  # rationalized examples are kept because they verified
    wrong = [i for i, r in direct if r == 'wrong_answer']
    return dict(total=len(direct) + n_rat, first=direct[0][0], second=direct[1][0], counts=counts, wrong=wrong)

def start_lab(work: Path):
    "JupyterLab on 127.0.0.1, a free port, a token, private config/runtime/settings folders; returns (process, base url, token)."
    port, token = free_port(), secrets.token_hex(16)
    settings = work/'.lab-settings'
    (settings/'@jupyterlab'/'notebook-extension').mkdir(parents=True)
    (settings/'@jupyterlab'/'notebook-extension'/'tracker.jupyterlab-settings').write_text(json.dumps({'windowingMode': 'none'}))
    (settings/'@jupyterlab'/'apputils-extension').mkdir(parents=True)
    (settings/'@jupyterlab'/'apputils-extension'/'notification.jupyterlab-settings').write_text(
        json.dumps({'fetchNews': 'false', 'checkForUpdates': False}))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(work/'.jupyter'), JUPYTER_RUNTIME_DIR=str(work/'.runtime'),
               JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(work/'.workspaces'),
               IPYTHONDIR=str(work/'.ipython'), PYTHONUNBUFFERED='1')
    env.pop('IN_TEST', None)
    cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--ServerApp.ip=127.0.0.1', f'--ServerApp.port={port}',
           '--ServerApp.port_retries=0', f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={work}',
           '--LabApp.expose_app_in_browser=True', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
           '--LabApp.extension_manager=readonly'] + (['--allow-root'] if os.geteuid() == 0 else [])
    logf = open(work/'jupyterlab.log', 'w')
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=logf, stderr=subprocess.STDOUT, start_new_session=True)
    base = f'http://127.0.0.1:{port}'
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None: raise Failed(f'JupyterLab exited {proc.returncode} (log below)')
        try:
            with urllib.request.urlopen(f'{base}/api/status?token={token}', timeout=2) as r:
                if r.status == 200: return proc, base, token
        except OSError: time.sleep(0.5)
    raise Failed('JupyterLab did not answer on /api/status within 60 s')

def stop_lab(proc, base, token):
    "Shut the server down (its kernels with it) through the API; terminate, then kill, the process we started if it lingers."
    if proc is None or proc.poll() is not None: return
    try:
        req = urllib.request.Request(f'{base}/api/shutdown?token={token}', method='POST')
        urllib.request.urlopen(req, timeout=5).close()
    except OSError: pass
    try: proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        try: proc.wait(timeout=10)
        except subprocess.TimeoutExpired: os.killpg(proc.pid, signal.SIGKILL); proc.wait(timeout=5)

_PROMPTS = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')).map(e => e.textContent.trim())"""
_ERRORS = """() => Array.from(document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"], .jp-OutputArea-output.jp-mod-error, .jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]')).map(e => e.innerText.slice(-1500))"""

def run_all_cells(page, limit_s=90):
    "Run every cell through JupyterLab's own command and wait until each code cell has an execution count."
    page.wait_for_function("""() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
        return k && k.status === 'idle' && document.querySelectorAll('.jp-Notebook .jp-CodeCell').length > 0; }""", timeout=60_000)
    n_cells = len(page.evaluate(_PROMPTS))
    log(f'kernel idle; running all {n_cells} code cells')
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    deadline = time.time() + limit_s
    while time.time() < deadline:
        errors = page.evaluate(_ERRORS)
        if errors: raise Failed('a notebook cell raised:\n' + errors[0])
        prompts = page.evaluate(_PROMPTS)
        if prompts and all(re.fullmatch(r'\[\d+\]:', p) for p in prompts): return n_cells
        time.sleep(0.5)
    raise Failed(f'cells not all executed after {limit_s} s: prompts {page.evaluate(_PROMPTS)}')

def chips(insp) -> dict:
    "The per-reason counts the summary bar shows."
    out = {}
    for txt in insp.locator('.qtr1-summary .qtr1-chip').all_inner_texts():
        k, v = txt.rsplit(':', 1); out[k.strip()] = int(v)
    return out

def drive(page, exp, work):
    "Click next and a reason filter in the displayed inspector; check what it shows against the fixture files."
    from playwright.sync_api import expect
    insp = page.locator('.qtr1-inspector').first
    insp.scroll_into_view_if_needed(timeout=15_000)
    pos = insp.locator('.qtr1-position .qtr1-position-body')
    head = insp.locator('.qtr1-trace .qtr1-trace-head')
    summary = insp.locator('.qtr1-summary .qtr1-summary-body')
    expect(pos).to_have_text(f'1 / {exp["total"]}', timeout=15_000)
    check(head.get_attribute('data-id') == exp['first'], f'first trace shows id {head.get_attribute("data-id")}, expected {exp["first"]}')
    check(summary.inner_text().startswith(f'{exp["total"]} traces'), f'summary reads {summary.inner_text()!r}')
    check(chips(insp) == exp['counts'], f'summary counts {chips(insp)} != {exp["counts"]} from the files')
    log(f'shown: 1 / {exp["total"]}, id {exp["first"]}, counts {chips(insp)}')

    insp.locator('button.qtr1-next').click(timeout=10_000)
    expect(pos).to_have_text(f'2 / {exp["total"]}', timeout=15_000)
    expect(head).to_have_attribute('data-id', exp['second'], timeout=5_000)
    log(f'after next: 2 / {exp["total"]}, id {exp["second"]}')

    insp.locator('.qtr1-reason select').select_option(label='wrong_answer', timeout=10_000)
    n = len(exp['wrong'])
    expect(pos).to_have_text(f'1 / {n}', timeout=15_000)
    expect(head).to_have_attribute('data-id', exp['wrong'][0], timeout=5_000)
    check(chips(insp) == {'wrong_answer': n}, f'after the reason filter the summary counts are {chips(insp)}')
    check(summary.inner_text().startswith(f'{n} traces'), f'summary reads {summary.inner_text()!r}')
    trace = insp.locator('.qtr1-trace').inner_text()
    check('wrong_answer' in trace and 'Final:' in trace, 'the shown trace lacks its reason or its Final: line')
    check(insp.locator('.qtr1-trace mark.qtr1-final').count() >= 1, 'the Final: line is not highlighted')
    log(f'after reason=wrong_answer: 1 / {n}, id {exp["wrong"][0]}, counts {chips(insp)}')

    insp.locator('button.qtr1-next').click(timeout=10_000)
    expect(pos).to_have_text(f'2 / {n}', timeout=15_000)
    expect(head).to_have_attribute('data-id', exp['wrong'][1], timeout=5_000)

    insp.locator('.qtr1-export-path input').fill('browser_selection.jsonl', timeout=10_000)
    insp.locator('button.qtr1-export').click(timeout=10_000)
    expect(insp.locator('.qtr1-status')).to_contain_text(f'wrote {n} traces', timeout=15_000)
    rows = [json.loads(l) for l in (work/'browser_selection.jsonl').read_text().splitlines()]
    check([r['id'] for r in rows] == exp['wrong'] and {r['reason'] for r in rows} == {'wrong_answer'},
          'the exported selection is not the filtered traces')
    log(f'export: {n} rows written by the kernel')
    insp.locator('button.qtr1-prev').click(timeout=10_000)  # back to the first wrong trace, with its rationalized version
    expect(pos).to_have_text(f'1 / {n}', timeout=15_000)

def main():
    signal.signal(signal.SIGALRM, lambda *a: (_ for _ in ()).throw(Failed(f'over the {BUDGET_S} s budget')))
    signal.alarm(BUDGET_S)
    ensure_chromium()
    ensure_python_packages()
    log(f'chromium: {subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()}')
    exp = expected_from_files()
    from playwright.sync_api import sync_playwright
    proc = base = token = None
    with tempfile.TemporaryDirectory(prefix='qtr1-browser-') as d:
        work = Path(d)
        shutil.copy(NB, work/NB.name)
        shutil.copytree(FIXTURE, work/'fixtures'/FIXTURE.name)
        try:
            proc, base, token = start_lab(work)
            log(f'JupyterLab up on {base}')
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, timeout=60_000)
                try:
                    page = browser.new_page(viewport={'width': 1400, 'height': 1100})
                    page.set_default_timeout(30_000)
                    page.goto(f'{base}/lab/tree/{NB.name}?reset&token={token}', wait_until='domcontentloaded', timeout=60_000)
                    page.wait_for_function('() => window.jupyterapp && window.jupyterapp.shell', timeout=60_000)
                    log('JupyterLab loaded in Chromium')
                    n_cells = run_all_cells(page)
                    log(f'all {n_cells} code cells ran')
                    page.evaluate('() => { const s = window.jupyterapp.shell; if (!s.leftCollapsed) s.collapseLeft(); if (!s.rightCollapsed) s.collapseRight(); }')
                    SHOT.parent.mkdir(parents=True, exist_ok=True)
                    try: drive(page, exp, work)
                    except Exception:
                        page.screenshot(path=str(SHOT.with_name('inspector_failed.png')), timeout=10_000); raise
                    page.locator('.qtr1-inspector').first.scroll_into_view_if_needed(timeout=10_000)
                    page.wait_for_timeout(300)
                    page.screenshot(path=str(SHOT), timeout=30_000)
                    log(f'screenshot: {SHOT.relative_to(ROOT)}')
                finally: browser.close()
        except Exception as e:  # Failed, or a Playwright timeout or expect() assertion
            log_tail = (work/'jupyterlab.log').read_text()[-1500:] if (work/'jupyterlab.log').exists() else ''
            print(f'browser test: FAILED: {type(e).__name__}: {e}\n--- jupyterlab.log (tail) ---\n{log_tail}', flush=True)
            stop_lab(proc, base, token)
            return 1
        finally:
            signal.alarm(0)
            stop_lab(proc, base, token)
    log('JupyterLab stopped')
    print(f'browser test: passed ({time.time() - T0:.0f}s)', flush=True)
    return 0

if __name__ == '__main__':
    sys.exit(main())
