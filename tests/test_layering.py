"""The library never prints, exits or imports the CLI toolkit; only the `cli` package does.

Which module may import which is the layers contract in pyproject.toml
(`[tool.importlinter]`, checked by `lint-imports` in `make lint`); these tests check what
the contract cannot: calls (print, exit) and third-party toolkits (typer, click, rich).
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "swaggertools"
MODULES = sorted(
    p
    for p in PACKAGE.rglob("*.py")
    if p.relative_to(PACKAGE).parts[0] not in ("cli", "__main__.py")
)


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_there_are_library_modules() -> None:
    names = {p.relative_to(PACKAGE).as_posix() for p in MODULES}
    assert names >= {"load/__init__.py", "index.py", "rules.py", "prune.py"}


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_library_module_does_not_import_cli_toolkits(module: Path) -> None:
    imported = _imports(ast.parse(module.read_text(encoding="utf-8")))
    assert not imported & {"typer", "click", "rich"}, module.name


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_library_module_never_prints_or_exits(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                assert func.id not in ("print", "exit", "quit"), f"{module.name}:{node.lineno}"
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                assert (func.value.id, func.attr) != ("sys", "exit"), f"{module.name}:{node.lineno}"


def test_only_cli_imports_typer() -> None:
    cli = ast.parse((PACKAGE / "cli" / "__init__.py").read_text(encoding="utf-8"))
    assert "typer" in _imports(cli)
    assert "click" not in _imports(cli)


def test_the_layers_contract_holds() -> None:
    """`lint-imports` (import-linter, installed with the dev extra) keeps every contract."""
    import subprocess
    import sys

    command = Path(sys.executable).parent / "lint-imports"
    if not command.is_file():
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    proc = subprocess.run(
        [str(command), "--no-cache"],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout
