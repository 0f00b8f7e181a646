"""Imports flow forecast -> staffing -> schedule -> evaluate, with no back-edges (STYLE.md section 3)."""

import ast
import importlib
import types
from pathlib import Path

import wfm

ROOT = Path(wfm.__file__).parent
FOUNDATION = {"_validation", "_clock_checks", "_option_words", "_version", "_atomic", "_results", "_clock_text", "_calendar_days", "calendar", "metrics", "logs", "datasets", "erlang", "executors"}
ALLOWED = {
    "forecast": FOUNDATION,
    "staffing": FOUNDATION | {"forecast"},
    "schedule": FOUNDATION | {"forecast", "staffing"},
    "capacity": FOUNDATION | {"forecast", "staffing"},
    "roster": FOUNDATION | {"forecast", "staffing", "schedule"},
    "intraday": FOUNDATION | {"forecast", "staffing", "schedule", "roster"},
    "evaluate": FOUNDATION | {"forecast", "staffing", "schedule", "roster"},
    "headline": FOUNDATION | {"forecast", "staffing", "schedule", "roster"},
    "simulation": FOUNDATION | {"forecast", "staffing", "schedule", "roster"},
    "skills": FOUNDATION | {"forecast", "staffing", "schedule", "simulation"},
    "channels": FOUNDATION | {"forecast", "staffing", "schedule", "simulation"},
    "report": FOUNDATION | {"headline", "forecast", "staffing", "schedule", "roster", "capacity", "intraday", "evaluate",
                            "simulation", "skills", "channels"},
    "scenario": FOUNDATION | {"headline", "forecast", "staffing", "schedule", "roster", "capacity", "intraday", "evaluate",
                              "simulation", "skills", "channels", "report"},
    "cli": FOUNDATION | {"headline", "forecast", "staffing", "schedule", "roster", "capacity", "intraday", "evaluate",
                         "simulation", "skills", "channels", "report", "scenario"},
}


def _wfm_imports(path):
    """Top-level wfm modules that ``path`` imports, relative imports resolved."""
    package = ["wfm", *path.relative_to(ROOT).with_suffix("").parts[:-1]]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1] + (node.module.split(".") if node.module else [])
            else:
                base = node.module.split(".") if node.module else []
            if base[:1] != ["wfm"]:
                continue
            if len(base) > 1:
                yield base[1]
            else:  # from wfm import X: X is a module only if the package holds one by that name
                yield from (a.name for a in node.names if (ROOT / a.name).is_dir() or (ROOT / f"{a.name}.py").is_file())
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "wfm" and len(parts) > 1:
                    yield parts[1]


def test_no_back_edges():
    offences = []
    for path in ROOT.rglob("*.py"):
        layer = path.relative_to(ROOT).parts[0].removesuffix(".py")
        if layer in ("__init__", "__main__"):
            continue
        allowed = ALLOWED.get(layer, FOUNDATION)
        for target in _wfm_imports(path):
            if target != layer and target not in allowed:
                offences.append(f"{path.relative_to(ROOT)} imports {target}")
    assert not offences, offences


def test_foundation_has_no_cycle_into_upper_layers():
    for name in FOUNDATION:
        paths = [ROOT / f"{name}.py"] if (ROOT / f"{name}.py").is_file() else list((ROOT / name).rglob("*.py"))
        assert paths, name
        upper = {t for path in paths for t in _wfm_imports(path)} - FOUNDATION
        assert not upper, f"{name} imports {upper}"


def test_every_submodule_is_what_its_dotted_path_names():
    """No function shadows a module: wfm.x.y, imported, is the module wfm/x/y(.py), also as an attribute."""
    offences = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(("wfm", *parts))
        module = importlib.import_module(name)
        if not isinstance(module, types.ModuleType) or module.__name__ != name:
            offences.append(f"{name} imports as {module!r}")
            continue
        parent = importlib.import_module(name.rpartition(".")[0]) if parts else None
        if parent is not None and getattr(parent, parts[-1], module) is not module:
            offences.append(f"{name}: the attribute {parts[-1]!r} of {parent.__name__} is "
                            f"{getattr(parent, parts[-1])!r}, not the module")
    assert not offences, offences


def test_the_page_names_the_base_variant_as_the_runner_does():
    """report/ sits below scenario/, so the page keeps its own copy of the base variant's name: the same one."""
    from wfm.report import scenario_page
    from wfm.scenario.grid import BASE

    assert scenario_page.BASE == BASE


def test_the_package_docstring_names_every_public_module():
    """The entrance is true: each public module and package of wfm is named in wfm's docstring, and only those."""
    import re

    public = {p.name.removesuffix(".py") for p in ROOT.iterdir()
              if not p.name.startswith("_") and (p.suffix == ".py" or (p / "__init__.py").is_file())}
    named = set(re.findall(r":mod:`wfm\.([a-z]\w*)`", wfm.__doc__))
    assert named == public
