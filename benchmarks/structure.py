"""The code's shape at a git revision, for a review: rooms (Python files of app/ and
training/), floors (the longest chain of imports between them), circles (modules that import
each other, directly or around a loop) and the largest file.

    python -m benchmarks.structure [REV ...]     # default: HEAD
"""

import ast
import subprocess
import sys
from collections import defaultdict
from functools import cache

ROOT_FOLDERS = ("app", "training")


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def structure(rev: str = "HEAD") -> dict:
    files = [f for f in _git("ls-tree", "-r", "--name-only", rev).split()
             if f.endswith(".py") and f.split("/")[0] in ROOT_FOLDERS]
    sources = {f: _git("show", f"{rev}:{f}") for f in files}
    modules = {f[:-3].replace("/", ".").removesuffix(".__init__"): f for f in files}
    imports = defaultdict(set)
    for module, path in modules.items():
        for node in ast.walk(ast.parse(sources[path])):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            imports[module] |= {name for name in names if name in modules and name != module}

    @cache
    def reaches(module: str) -> frozenset:
        seen, todo = set(), list(imports[module])
        while todo:
            other = todo.pop()
            if other not in seen:
                seen.add(other)
                todo.extend(imports[other])
        return frozenset(seen)

    circles = {frozenset({m, *(o for o in reaches(m) if m in reaches(o))}) for m in modules if m in reaches(m)}

    @cache
    def floor(module: str, through: frozenset = frozenset()) -> int:
        below = [floor(o, through | {module}) for o in imports[module] if o not in through | {module}]
        return 1 + max(below, default=0)

    lines = {f: source.count("\n") for f, source in sources.items()}
    largest = max(lines, key=lines.get)
    return {"rooms": len(files), "floors": max(floor(m) for m in modules), "circles": sorted(map(sorted, circles)),
            "largest": f"{largest} ({lines[largest]} lines)"}


if __name__ == "__main__":
    for rev in sys.argv[1:] or ["HEAD"]:
        print(rev, structure(rev))
