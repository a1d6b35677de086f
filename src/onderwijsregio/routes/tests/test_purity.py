"""The engine stays pure Python: importing it loads no Django (import-linter checks the same in CI)."""

import os
import subprocess
import sys
from pathlib import Path

import onderwijsregio


def test_engine_imports_without_django():
    code = (
        "import sys; import onderwijsregio.routes.engine as e; "
        "e.advise(e.CandidateProfile(), e.default_ruleset(), e.default_offers()); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    src = str(Path(onderwijsregio.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
