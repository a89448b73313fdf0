"""The import layering docs/architecture.md states holds for every module.

A module may import modules of its own layer or of lower layers, never a
higher one, and no two modules import each other at load time (imports
inside functions are lazy and may close a loop, but still only downwards
between layers).
"""

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "keras_grurcn"


def declared_layers():
    """`{top-level package or module: layer number}` from the docs' list."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    block = re.search(r"<!-- layers:.*?-->(.*?)<!-- /layers -->", text, re.S).group(1)
    layers = {}
    for number, line in re.findall(r"^(\d+)\. (.*?):", block, re.M):
        for name in re.findall(r"`(\w+)`", line):
            layers[name] = int(number)
    return layers


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path):
    """`[(imported module, at load time)]` of one file."""
    tree = ast.parse(path.read_text())
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if name.startswith("keras_grurcn."):
                found.append((name, id(node) in top_level))
    return found


def layer_of(module, layers):
    parts = module.split(".")
    return layers.get(parts[1]) if len(parts) > 1 else None


def package_modules():
    return {
        module_name(path): path
        for path in PACKAGE.rglob("*.py")
        if "__pycache__" not in path.parts
    }


def test_every_top_level_part_of_the_package_has_a_layer():
    layers = declared_layers()
    parts = {
        path.stem if path.is_file() else path.name
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists()))
        and path.name not in ("__init__.py", "__main__.py")
    }
    assert parts == set(layers), parts ^ set(layers)


def test_no_module_imports_a_higher_layer():
    layers = declared_layers()
    modules = package_modules()
    violations = []
    for module, path in modules.items():
        own = layer_of(module, layers)
        if own is None:  # the package's __init__ and __main__ sit on top
            continue
        for imported, _ in imports(path):
            other = layer_of(imported, layers)
            if other is not None and other > own:
                violations.append(
                    f"{module} (layer {own}) imports {imported} ({other})"
                )
    assert not violations, "\n".join(violations)


def test_no_import_cycles_at_load_time():
    modules = package_modules()
    graph = {module: set() for module in modules}
    for module, path in modules.items():
        for imported, at_load_time in imports(path):
            if not at_load_time:
                continue
            # `from a.b import c` names a.b.c (a module) or a.b's attribute.
            target = imported if imported in modules else imported.rsplit(".", 1)[0]
            if target in modules and target != module:
                graph[module].add(target)
    # A package's __init__ re-exports its modules: an edge into a package is
    # an edge into whatever the package imports, which a cycle search follows.
    seen, stack, cycles = set(), [], []

    def visit(node):
        if node in stack:
            cycles.append(stack[stack.index(node) :] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        stack.append(node)
        for child in sorted(graph[node]):
            visit(child)
        stack.pop()

    for module in sorted(graph):
        visit(module)
    # A package importing its own submodules, and a submodule importing a
    # sibling through the package, is how packages work, not a cycle.
    real = [
        cycle
        for cycle in cycles
        if not all(
            other.startswith(cycle[0] + ".")
            or cycle[0].startswith(other + ".")
            or other == cycle[0]
            for other in cycle
        )
    ]
    assert not real, "\n".join(" -> ".join(cycle) for cycle in real)
