"""The package's shape, read from its source with ``ast`` (nothing is imported): library modules never import an
entry point, intra-package imports form no cycle and sit at the top of their module, and no module keeps a
mutable cache at module level (STYLE.md point 12: no global state)."""
import ast
import os
from typing import Dict, List, Set

import pytest

PACKAGE = "depthstream_trainer"
ROOT = os.path.join(os.path.dirname(__file__), "..", PACKAGE)

# The command-line modules (`python3 -m depthstream_trainer.NAME`, trainer/README.md). Pinned so that a parser
# that misses them cannot make the checks below pass vacuously.
ENTRY_POINTS = {"train_fast", "train_sr", "train_focal", "evaluate_shards", "evaluate_focal", "export", "real_data",
                "bench_onnx", "evaluate_sensor", "quantize_int8", "train_refine"}

MUTATORS = {"append", "extend", "insert", "update", "setdefault", "add", "pop", "popitem", "clear", "remove",
            "discard", "__setitem__", "__delitem__", "sort", "reverse"}
CONTAINER_CALLS = {"dict", "list", "set", "bytearray", "defaultdict", "OrderedDict", "Counter", "deque",
                   "WeakValueDictionary", "WeakKeyDictionary", "WeakSet"}
CACHE_DECORATORS = {"lru_cache", "cache"}


def sources() -> Dict[str, str]:
    return {name[:-3]: open(os.path.join(ROOT, name)).read()
            for name in sorted(os.listdir(ROOT)) if name.endswith(".py") and name != "__init__.py"}


def intra_imports(module: str, tree: ast.Module, modules: Set[str]) -> List[ast.stmt]:
    """Every import statement (at any depth) that names a module of the package."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level == 1 or base == PACKAGE or base.startswith(PACKAGE + "."):
                found.append(node)
        elif isinstance(node, ast.Import) and any(a.name.split(".")[0] == PACKAGE for a in node.names):
            found.append(node)
    return found


def imported_modules(node: ast.stmt, modules: Set[str]) -> Set[str]:
    if isinstance(node, ast.Import):
        return {a.name.split(".")[1] for a in node.names if a.name.count(".") >= 1}
    base = node.module or ""
    base = base[len(PACKAGE):].lstrip(".") if base.startswith(PACKAGE) else base
    if base:
        return {base.split(".")[0]}
    return {a.name for a in node.names if a.name in modules}   # from . import x


def import_graph(srcs: Dict[str, str]) -> Dict[str, Set[str]]:
    modules = set(srcs)
    return {m: set().union(*[imported_modules(n, modules) for n in intra_imports(m, ast.parse(s), modules)])
            for m, s in srcs.items()}


def has_main_block(tree: ast.Module) -> bool:
    return any(isinstance(n, ast.If) and isinstance(n.test, ast.Compare) and isinstance(n.test.left, ast.Name)
               and n.test.left.id == "__name__" for n in tree.body)


def entry_points(srcs: Dict[str, str]) -> Set[str]:
    """Modules with an ``if __name__ == "__main__"`` block or a top-level ``main`` function."""
    found = set()
    for m, s in srcs.items():
        tree = ast.parse(s)
        if has_main_block(tree) or any(isinstance(n, ast.FunctionDef) and n.name == "main" for n in tree.body):
            found.add(m)
    return found


def find_cycle(graph: Dict[str, Set[str]]) -> List[str]:
    """One import cycle as [a, b, ..., a], or [] when the graph is acyclic (depth-first search)."""
    state: Dict[str, int] = {}     # 1 = on the current path, 2 = done
    path: List[str] = []

    def visit(m: str) -> List[str]:
        state[m] = 1
        path.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return path[path.index(n):] + [n]
            if n not in state:
                cycle = visit(n)
                if cycle:
                    return cycle
        path.pop()
        state[m] = 2
        return []

    for m in sorted(graph):
        if m not in state:
            cycle = visit(m)
            if cycle:
                return cycle
    return []


def _name(node: ast.AST) -> str:
    """The last name of ``a``, ``a.b``, or of a call of either (``lru_cache(maxsize=8)``)."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _is_container(value: ast.AST) -> bool:
    return (isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp))
            or (isinstance(value, ast.Call) and _name(value.func) in CONTAINER_CALLS))


def _is_empty_container(value: ast.AST) -> bool:
    if isinstance(value, ast.Dict):
        return not value.keys
    if isinstance(value, (ast.List, ast.Set)):
        return not value.elts
    if not (isinstance(value, ast.Call) and _name(value.func) in CONTAINER_CALLS) or value.keywords:
        return False
    return len(value.args) <= (1 if _name(value.func) == "defaultdict" else 0)   # defaultdict(list) is empty


def _root_name(node: ast.AST) -> str:
    """``X`` of ``X``, ``X[k]``, ``X.attr``, ``mod.X[k]`` (the name nearest the subscript / attribute)."""
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        inner = node.value
        if isinstance(node, ast.Subscript) and isinstance(inner, ast.Attribute):
            return inner.attr     # mod.X[k]
        node = inner
    return node.id if isinstance(node, ast.Name) else ""


def module_state_problems(srcs: Dict[str, str]) -> List[str]:
    """Module-level mutable state: ``global`` statements; ``lru_cache`` / ``cache`` decorators; mutable default
    arguments; module-level names bound to an empty container (a cache waiting to be filled); and module-level
    containers written to anywhere in the package (item assignment or deletion, augmented assignment, a
    mutating method call). Constant lookup tables (filled where they are defined, never written) pass."""
    problems = []
    containers: Dict[str, str] = {}   # module-level container name -> module
    classes = {n.name for s in srcs.values() for n in ast.walk(ast.parse(s)) if isinstance(n, ast.ClassDef)}
    for m, s in srcs.items():
        for node in ast.parse(s).body:
            value = getattr(node, "value", None)
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(value, ast.Call) \
                    and _name(value.func) in classes:
                problems.append(f"{m}:{node.lineno}: module-level instance of {_name(value.func)} (shared state)")
            targets = (node.targets if isinstance(node, ast.Assign) else
                       [node.target] if isinstance(node, ast.AnnAssign) and node.value is not None else [])
            for t in targets:
                if isinstance(t, ast.Name) and _is_container(node.value):
                    containers[t.id] = m
                    if _is_empty_container(node.value):
                        problems.append(f"{m}: module-level {t.id} starts as an empty container (a cache?)")
    for m, s in srcs.items():
        for node in ast.walk(ast.parse(s)):
            if isinstance(node, ast.Global):
                problems.append(f"{m}:{node.lineno}: global {', '.join(node.names)}")
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for d in node.decorator_list:
                    if _name(d) in CACHE_DECORATORS:
                        problems.append(f"{m}:{node.lineno}: @{_name(d)} on {node.name} (a process-wide cache)")
                for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
                    if _is_container(default):
                        problems.append(f"{m}:{node.lineno}: mutable default argument of {node.name}")
            written = []
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
                targets = (node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target])
                written = [t for t in targets if isinstance(t, (ast.Subscript, ast.Attribute))]
                if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                    written.append(node.target)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in MUTATORS):
                written = [node.func.value]
            for t in written:
                name = t.id if isinstance(t, ast.Name) else _root_name(t)
                if name in containers and not _shadowed(name, s, node):
                    problems.append(f"{m}:{node.lineno}: writes module-level {name} of {containers[name]}")
    return problems


def _shadowed(name: str, source: str, at: ast.AST) -> bool:
    """True when ``name`` at ``at`` is a local of the function around it (assigned or a parameter there), not
    the module-level container of the same name."""
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if not (fn.lineno <= at.lineno <= getattr(fn, "end_lineno", fn.lineno)):
            continue
        params = {a.arg for a in fn.args.args + fn.args.kwonlyargs + fn.args.posonlyargs}
        local = {t.id for n in ast.walk(fn) if isinstance(n, (ast.Assign, ast.AnnAssign, ast.For, ast.With))
                 for t in ast.walk(n) if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}
        if name in params | local:
            return True
    return False


# --- the package ----------------------------------------------------------------------------------------------

def test_entry_points_are_the_command_line_modules():
    srcs = sources()
    assert entry_points(srcs) == ENTRY_POINTS
    for m in ENTRY_POINTS:
        assert has_main_block(ast.parse(srcs[m])), f"{m} has main() but no __main__ block"


def test_no_module_imports_an_entry_point():
    graph = import_graph(sources())
    assert sum(len(v) for v in graph.values()) > 20      # the parser sees the package's imports
    offending = {m: sorted(deps & ENTRY_POINTS) for m, deps in graph.items() if deps & ENTRY_POINTS}
    assert offending == {}, f"entry-point modules imported by: {offending}; move the shared code to a library"


def test_the_import_graph_has_no_cycle():
    assert find_cycle(import_graph(sources())) == []


def test_intra_package_imports_are_at_module_top_level():
    """Imports inside functions are how the old cycles hid; every module's dependencies show at its top."""
    srcs = sources()
    for m, s in srcs.items():
        tree = ast.parse(s)
        top = set(map(id, tree.body))
        nested = [n.lineno for n in intra_imports(m, tree, set(srcs)) if id(n) not in top]
        assert nested == [], f"{m}: intra-package imports inside functions at lines {nested}"


def test_no_module_level_mutable_cache():
    assert module_state_problems(sources()) == []


# --- the checks themselves catch what they are for --------------------------------------------------------------

def test_cycle_and_entry_point_checks_catch_the_old_layout():
    old = {"evaluate_shards": ("from .export import build_model\n\n"
                               "def main():\n    from .train_sr import make_low_res\n"),
           "real_data": "from .evaluate_shards import load_checkpoint_model\n",
           "train_sr": "from .real_data import resize_matrix\nfrom depthstream_trainer import losses\n",
           "export": "def main():\n    pass\n\nif __name__ == '__main__':\n    main()\n",
           "model_card": "def f():\n    from .export import macs_input\n",
           "losses": "import torch\n"}
    graph = import_graph(old)
    assert graph["evaluate_shards"] == {"export", "train_sr"} and graph["train_sr"] == {"real_data", "losses"}
    cycle = find_cycle(graph)
    assert cycle[0] == cycle[-1] and set(cycle) == {"evaluate_shards", "real_data", "train_sr"}
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert entry_points(old) == {"evaluate_shards", "export"}


@pytest.mark.parametrize("source", [
    "from typing import Dict\n_MATRICES: Dict[tuple, tuple] = {}\n\ndef f(k):\n    if k not in _MATRICES:\n"
    "        _MATRICES[k] = k\n    return _MATRICES[k]\n",                  # the cache train_sr had
    "_SEEN = []\n",                                                           # empty, to be filled
    "TABLE = {'a': 1}\n\ndef f(k, v):\n    TABLE.setdefault(k, v)\n",       # a filled table written to
    "TABLE = {'a': 1}\n\ndef f(k, v):\n    TABLE[k] += v\n",
    "import functools\n\n@functools.lru_cache(maxsize=None)\ndef f(n):\n    return n\n",
    "from functools import cache\n\n@cache\ndef f(n):\n    return n\n",
    "class A:\n    @functools.lru_cache()\n    def f(self):\n        return 1\n",
    "def f(n, memo={}):\n    return memo.setdefault(n, n)\n",
    "X = None\n\ndef f():\n    global X\n    X = 1\n",
    "import collections\n_C = collections.defaultdict(list)\n",
    "class Matrices:\n    def __init__(self):\n        self.made = {}\n\nSHARED = Matrices()\n",  # one for all
])
def test_state_check_catches_module_caches(source):
    assert module_state_problems({"m": source}) != []


def test_state_check_passes_tables_and_instance_caches():
    source = ("KINDS = {'fast': 1, 'sr': 2}\nCOLUMNS = ['rmse', 'mae']\n\n"
              "class Cache:\n    def __init__(self):\n        self._made = {}\n\n"
              "    def get(self, k):\n        if k not in self._made:\n            self._made[k] = KINDS[k]\n"
              "        return self._made[k]\n\n"
              "def f(rows):\n    COLUMNS = []\n    COLUMNS.append(1)\n    KINDS = dict(rows)\n    KINDS['x'] = 1\n"
              "    return COLUMNS, KINDS\n")
    assert module_state_problems({"m": source}) == []
