"""The sample site compared with golden files; `make golden` rewrites them."""

from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
SUFFIXES = {".html", ".json", ".xml", ".txt"}


def built_files(public: Path) -> dict[str, bytes]:
    return {
        p.relative_to(public).as_posix(): p.read_bytes()
        for p in sorted(public.rglob("*"))
        if p.is_file() and p.suffix in SUFFIXES and "pagefind" not in p.parts
    }


def test_sample_site_matches_golden(sample_site, request):
    built = built_files(sample_site)
    if request.config.getoption("--update-golden"):
        for old in GOLDEN.rglob("*"):
            if old.is_file():
                old.unlink()
        for name, data in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
        pytest.skip("golden files rewritten")
    golden = built_files(GOLDEN)
    assert golden, "no golden files: run `make golden`"
    assert sorted(built) == sorted(golden), "the site's files differ from the golden set"
    for name, data in golden.items():
        assert built[name].decode("utf-8") == data.decode("utf-8"), f"{name} differs from golden"
