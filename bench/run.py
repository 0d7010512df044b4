"""Run every benchmark script in bench/ in turn: python bench/run.py [--quick]."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).parent
for script in sorted(here.glob("bench_*.py")):
    print(f"\n=== {script.name} ===", flush=True)
    subprocess.run([sys.executable, str(script), *sys.argv[1:]], check=True, cwd=here)
