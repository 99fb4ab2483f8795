"""YAML in and out: the safe loader only, with line numbers for every error, stable dumps."""

from __future__ import annotations

import yaml

from .errors import InputError, Problem

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(text: str, path: str) -> tuple[object, dict[str, int]]:
    """Parse YAML safely; return the data and the line of each top-level key."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[str, int] = {}
        if isinstance(node, yaml.MappingNode):
            for key, _ in node.value:
                name = str(key.value)
                if name in lines:
                    raise InputError(Problem(path, key.start_mark.line + 1,
                                             f"the key '{name}' appears twice (first on line {lines[name]}); "
                                             "keep one", key.start_mark.column + 1))
                lines[name] = key.start_mark.line + 1
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = err.problem or "invalid YAML"
        if "could not determine a constructor" in what:
            what = f"the tag {what.split('tag', 1)[-1].strip()} is not allowed; content holds plain text, numbers and lists"
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise InputError(Problem(path, line, f"YAML syntax error: {what}", col)) from None
    except yaml.YAMLError as err:
        raise InputError(Problem(path, 0, f"YAML error: {err}")) from None
    finally:
        loader.dispose()


def dump(data: dict) -> str:
    """Block-style YAML in the dict's own key order; strings that look like other types stay quoted."""
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
