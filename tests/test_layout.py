"""The layout tells its own story: imports point one way (documents ->
workgroups -> home; nothing imports platforma), no two modules import each
other even through a function-level import, and no module or function grows
past what a reader can hold (docs/architecture.md#apps-and-the-dependency-rule)."""

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Higher imports lower, never the other way; platforma wires them together.
RANK = {"home": 0, "workgroups": 1, "documents": 2, "platforma": 3}
APPS = ("home", "workgroups", "documents")
CODE_DIRECTORIES = (*RANK, "bench", "deploy", "tests")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def is_migration(path):
    return "migrations" in path.parts


def source_files(directories):
    for directory in directories:
        for path in sorted((ROOT / directory).rglob("*.py")):
            if "__pycache__" not in path.parts:
                yield path


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def project_modules():
    return {module_name(path): path for path in source_files(RANK)}


def resolve(name):
    """The project module an import reaches: the longest known prefix, so
    that ``from workgroups.models import WorkingGroup`` reaches the package
    and ``from workgroups.models import meetings`` the submodule."""
    modules = project_modules()
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(path):
    """Every project module ``path`` imports, at any depth of the file."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(filter(None, [*anchor, base]))
            names = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(filter(None, map(resolve, names)))
    found.discard(module)
    return found


@cache
def import_graph():
    return {module_name(path): imports_of(path) for path in source_files(RANK)}


def app_of(module):
    return module.partition(".")[0]


def test_imports_point_from_documents_to_workgroups_to_home():
    against = sorted(
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        for target in targets
        if RANK[app_of(target)] > RANK[app_of(module)]
    )
    assert against == []


def strongly_connected(graph):
    """Tarjan's components of more than one module: the import cycles."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_no_two_modules_import_each_other():
    assert strongly_connected(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(graph) == [["a", "b", "c"]]


def test_no_module_of_app_code_is_over_500_lines():
    long = sorted(
        f"{path.relative_to(ROOT)}: {lines}"
        for path in source_files(APPS)
        if not is_migration(path)
        and (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    )
    assert long == []


def test_no_function_is_over_60_lines():
    long = []
    for path in source_files(CODE_DIRECTORIES):
        if is_migration(path):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(
                        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} {lines}"
                    )
    assert sorted(long) == []
