"""Module and function sizes of a source tree, for reviews that ask whether code grew or
shrank: median and 90th percentile of module lines and function lines, and the longest
functions. Migrations are left out (they are generated).

    python scripts/code_sizes.py [SRC_DIR] [--top N]
"""

from __future__ import annotations

import argparse
import ast
import statistics
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Function:
    where: str
    name: str
    lines: int


def python_files(root: Path) -> list[Path]:
    """Every hand-written Python file below root."""
    return sorted(p for p in root.rglob("*.py") if "migrations" not in p.parts)


def functions_in(path: Path, root: Path) -> list[Function]:
    """Each function or method with its length from `def` to its last line (decorators
    and docstring included, as a reader scrolls them)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            found.append(Function(f"{path.relative_to(root)}:{node.lineno}", node.name, lines))
    return found


def percentile(values: list[int], share: float) -> int:
    """The nearest-rank percentile: the smallest value with `share` of the values at or
    below it."""
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))
    return ordered[rank - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", nargs="?", default="src", type=Path)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    files = python_files(args.root)
    module_lines = [len(p.read_text(encoding="utf-8").splitlines()) for p in files]
    functions = [f for p in files for f in functions_in(p, args.root)]
    sizes = [f.lines for f in functions]
    print(f"modules: {len(files)}  lines: {sum(module_lines)}")
    print(
        f"module lines: median {statistics.median(module_lines):g}, "
        f"p90 {percentile(module_lines, 0.9)}, max {max(module_lines)}"
    )
    print(
        f"functions: {len(functions)}  lines: median {statistics.median(sizes):g}, "
        f"p90 {percentile(sizes, 0.9)}, max {max(sizes)}"
    )
    print(f"the {args.top} longest functions:")
    for f in sorted(functions, key=lambda f: (-f.lines, f.where))[: args.top]:
        print(f"  {f.lines:4d}  {f.name}  {f.where}")


if __name__ == "__main__":
    main()
