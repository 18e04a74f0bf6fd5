"""A plain, non-editable install builds a site: templates ship inside the package."""

import subprocess
import sys
import sysconfig
from pathlib import Path

from conftest import ROOT


def test_wheel_install_in_fresh_venv_builds_a_site(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The dependencies come from the test environment, so only archivist itself is installed.
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(ROOT)],
                   check=True, timeout=600)
    location = subprocess.run([str(python), "-c", "import archivist; print(archivist.__file__)"],
                              capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert location.startswith(purelib), "archivist must come from the fresh install, not the work tree"
    site = tmp_path / "site"
    subprocess.run([str(venv / "bin" / "archivist"), "new", str(site)], check=True, cwd=tmp_path)
    subprocess.run([str(venv / "bin" / "archivist"), "build", str(site), "--profile", "fast"],
                   check=True, cwd=tmp_path, timeout=600)
    assert (site / "public" / "index.html").is_file()
    assert (site / "public" / "static" / "style.css").is_file()
