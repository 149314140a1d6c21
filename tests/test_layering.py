"""The library never prints, exits or imports the CLI toolkit; only cli.py does."""

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
        elif isinstance(node, ast.ImportFrom) and node.level == 1 and node.module == "cli":
            names.add("swaggertools.cli")
    return names


def test_there_are_library_modules() -> None:
    names = {p.relative_to(PACKAGE).as_posix() for p in MODULES}
    assert names >= {"load/__init__.py", "index.py", "rules.py", "prune.py"}


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_library_module_does_not_import_cli_toolkits(module: Path) -> None:
    imported = _imports(ast.parse(module.read_text(encoding="utf-8")))
    assert not imported & {"typer", "click", "rich", "swaggertools.cli"}, module.name


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
