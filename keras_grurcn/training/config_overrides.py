"""Config trees: YAML files, dotted `KEY=VALUE` overrides and typed sections.

The machinery under `ExperimentConfig`, in the manner of Model Garden's
`--params_override` and MMAction2's `--cfg-options`: a config is a tree of
plain dicts (what a YAML file holds); `KEY=VALUE` overrides address its
leaves with dotted keys (`model.hidden_maps=[16,32]`), their values written
in YAML; a section becomes a dataclass whose annotations type-check the
values. Every error names the dotted key and, for an unknown key, lists the
valid ones.
"""

import dataclasses
import os
import types
import typing


class ConfigError(ValueError):
    """A config value or key that is not valid; the message names it.

    Examples:

    ```python
    try:
        keras_grurcn.training.ExperimentConfig.resolve(
            preset="ucf101_grurcn", overrides=["train.epoch=5"]
        )
    except keras_grurcn.training.ConfigError as error:
        print(error)  # unknown key train.epoch; the valid keys of train are: ...
    ```
    """


def load_config_file(path):
    """The tree a YAML (or JSON) config file holds.

    Args:
        path: the file.

    Returns:
        A dict (an empty file is an empty dict).

    Raises:
        FileNotFoundError: naming the file.
        ConfigError: naming the file (and the line of a syntax error).
    """
    import yaml

    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"--config {path!r}: no such file.")
    try:
        with open(path, encoding="utf-8") as file:
            tree = yaml.safe_load(file)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        problem = getattr(error, "problem", None) or error
        raise ConfigError(f"{path}: not valid YAML{line}: {problem}.") from None
    if tree is None:
        return {}
    if not isinstance(tree, dict):
        raise ConfigError(
            f"{path}: expected a mapping of sections (model:, train:, ...); "
            f"got a {type(tree).__name__}."
        )
    return tree


def parse_override(text):
    """`"a.b=VALUE"` -> `("a.b", value)`, the value read as YAML.

    `[16,32]` is a list, `5` an int, `true` a bool, `null` None; anything
    else that YAML reads as text stays text (`1e-3` too: the typed
    sections turn it into the float a float field expects).
    """
    import yaml

    key, separator, value = text.partition("=")
    key = key.strip()
    if not separator or not key or any(not part for part in key.split(".")):
        raise ConfigError(
            f"--set {text!r}: expected KEY=VALUE with a dotted key, e.g. "
            "train.epochs=5 or model.hidden_maps=[16,32]."
        )
    try:
        return key, yaml.safe_load(value) if value.strip() else None
    except yaml.YAMLError:
        raise ConfigError(
            f"--set {key}: {value!r} is not a YAML value (quote text, write "
            "lists as [a, b])."
        ) from None


def merge_trees(base, update):
    """`base` with `update` laid over it: mappings merge, other values replace."""
    merged = dict(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_trees(merged[key], value)
        else:
            merged[key] = value
    return merged


def set_dotted(tree, key, value):
    """A copy of `tree` with the leaf at dotted `key` set to `value`."""
    head, _, rest = key.partition(".")
    tree = dict(tree)
    if not rest:
        tree[head] = value
        return tree
    child = tree.get(head)
    if child is None:
        child = {}
    if not isinstance(child, dict):
        raise ConfigError(f"--set {key}: {head!r} is a value, not a section.")
    tree[head] = set_dotted(child, rest, value)
    return tree


def check_keys(section, values, valid):
    """Raises a `ConfigError` for a key of `values` not in `valid`.

    Args:
        section: the section's dotted name (`""`: the top of the tree).
        values: the section's dict.
        valid: its valid keys.
    """
    where = section or "the experiment"
    if not isinstance(values, dict):
        raise ConfigError(
            f"{where}: expected a mapping of keys; got {type(values).__name__} "
            f"{values!r}."
        )
    unknown = sorted(set(values) - set(valid))
    if unknown:
        prefix = f"{section}." if section else ""
        raise ConfigError(
            f"unknown key {', '.join(prefix + name for name in unknown)}; the "
            f"valid keys of {where} are: "
            f"{', '.join(prefix + name for name in valid)}."
        )


def section_from_tree(cls, section, values):
    """The dataclass `cls` from a section's values, each checked by type.

    Args:
        cls: a dataclass whose field annotations are `int`, `float`, `str`,
            `bool`, `list`, their `X | None`, or `typing.Any`.
        section: the section's dotted name, for the messages.
        values: the section's dict (missing keys keep their defaults).

    Returns:
        An instance of `cls`.
    """
    values = {} if values is None else values
    fields = {field.name: field for field in dataclasses.fields(cls)}
    check_keys(section, values, list(fields))
    hints = typing.get_type_hints(cls)
    typed = {
        name: typed_value(f"{section}.{name}", value, hints[name])
        for name, value in values.items()
    }
    return cls(**typed)


def typed_value(key, value, annotation):
    """`value` as `annotation` wants it, or a `ConfigError` naming `key`.

    Ints are accepted for floats, and text that reads as a number for a
    number (YAML reads `1e-3` as text).
    """
    if annotation is typing.Any:
        return value
    choices = _union_members(annotation)
    if value is None:
        if type(None) in choices:
            return None
        raise ConfigError(f"{key}: expected {_describe(choices)}; got null.")
    for choice in choices:
        converted = _as(value, choice)
        if converted is not _NO:
            return converted
    raise ConfigError(
        f"{key}: expected {_describe(choices)}; got {type(value).__name__} {value!r}."
    )


_NO = object()


def _union_members(annotation):
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is (
        typing.Union
    ):
        return typing.get_args(annotation)
    return (annotation,)


def _as(value, kind):
    origin = typing.get_origin(kind) or kind
    if kind is type(None):
        return _NO
    if kind is bool:
        return value if isinstance(value, bool) else _NO
    if isinstance(value, bool):  # YAML's true is no number and no text.
        return _NO
    if kind is int:
        return value if isinstance(value, int) else _NO
    if kind is float:
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                return _NO
        return _NO
    if kind is str:
        return value if isinstance(value, str) else _NO
    if origin in (list, tuple):
        return list(value) if isinstance(value, list | tuple) else _NO
    return value if isinstance(value, origin) else _NO


def _describe(choices):
    names = {
        bool: "true or false",
        int: "an integer",
        float: "a number",
        str: "text",
        type(None): "null",
    }
    described = [
        names.get(
            choice,
            f"a {getattr(typing.get_origin(choice) or choice, '__name__', choice)}",
        )
        for choice in choices
    ]
    return " or ".join(described)
