"""judge_py: runs one case of a Python solution to a function problem (the bank's kind).

The judge starts it in a fresh box for every case, with the interpreter's own flags
(no site, no environment, no user folders):

    python -I -S -B judge_py.pyc <program dir> <packages dir> <signature>

<program dir> holds what the judge's compile box made of the candidate's file:
`solution.marshal` (its code object, compiled once, so a case never parses the source
again) and `source.py` (the text, read only to show a traceback). <packages dir> is where
numpy and pandas live (the judge's virtual environment, or the system's). <signature> is
the problem's signature as JSON, types written as the judge's `Ty` (`build::python`).

Protocol, as `judge_rt.rs`: the case's arguments arrive on stdin as a JSON array; the answer
leaves as one JSON value on file descriptor 3, so whatever the solution prints never
corrupts it. A returned value that does not fit the return type is answered with
`{"$wrong_type": "<what was expected, what came>"}`, which is no value of any type (record
fields are identifiers), so the judge's verdict is WA with that message. An exception is
printed as Python prints it (the harness's own frames left out) and ends the run with
code 1 (RE); a MemoryError aborts with the words the judge reads as MLE.

Start-up is most of a small case's cost, so nothing is imported that the case does not
need: numpy only when an argument is an array (the solution's own `import numpy` pays for
itself otherwise), dataclasses only for record types, `_json`'s C scanner instead of the
`json` package (which compiles regular expressions on import).
"""

import marshal
import os
import sys

# The harness's own failures (an unreadable case, an answer it cannot write): code 86, as
# judge_rt's HARNESS_FAILURE. In a solution's run only the solution can cause them.
HARNESS_FAILURE = 86
ANSWER_FD = 3


class WrongType(Exception):
    """A returned value that does not fit the return type; `path` says where inside it."""

    def __init__(self, expected, got):
        super().__init__()
        self.expected = expected
        self.got = got
        self.path = []

    def words(self):
        where = "".join(reversed(self.path))
        at = f" at {where}" if where else ""
        return f"expected {self.expected}{at}, got {self.got}"


def what(x):
    """A returned value's kind in a few words, for a WrongType message."""
    if x is None:
        return "None"
    np = sys.modules.get("numpy")
    if np is not None and isinstance(x, np.ndarray):
        return f"a numpy array of dtype {x.dtype} and shape {x.shape}"
    name = type(x).__name__
    if type(x).__module__ == "numpy":
        return f"numpy.{name}"
    plain = {"int", "float", "str", "bool", "list", "tuple", "dict", "set", "frozenset"}
    return name if name in plain else f"a {name[:40]}"


def python_name(ty, records):
    """How a type reads in Python (`list[int]`), for messages and stubs alike."""
    if isinstance(ty, str):
        return {
            "bool": "bool",
            "f64": "float",
            "str": "str",
            "array1": "1-D float array",
            "array2": "2-D float array",
        }[ty]
    kind, inner = ty
    if kind == "int":
        return f"int ({inner})"
    if kind == "vec":
        return f"list[{python_name(inner, records)}]"
    if kind == "option":
        return f"{python_name(inner, records)} or None"
    if kind == "tuple":
        return "tuple[" + ", ".join(python_name(t, records) for t in inner) + "]"
    return inner


# ---- reading the case ----------------------------------------------------------------


class ScanContext:
    """What `_json.make_scanner` reads from a JSONDecoder: plain types, no hooks."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = float
    memo = None


def parse_json(text):
    try:
        import _json

        scan = _json.make_scanner(ScanContext())
        value, end = scan(text, 0)
        if text[end:].strip():
            raise ValueError("trailing data")
        return value
    except ImportError:
        import json

        return json.loads(text)


def as_float(x):
    # Canonical JSON writes NaN and infinities as the strings "NaN", "inf", "-inf".
    return x if type(x) is float else float(x)


def decoder(ty, records, classes):
    """A function turning the canonical JSON of `ty` into its Python value, or None when
    the JSON value already is that value (ints, strings, booleans and lists of them)."""
    if ty == "f64":
        return as_float
    if ty in ("bool", "str"):
        return None
    if ty == "array1":
        import numpy as np

        return lambda x: np.array(x, dtype=np.float64)
    if ty == "array2":
        import numpy as np

        return lambda x: np.array(x, dtype=np.float64) if x else np.empty((0, 0))
    kind, inner = ty
    if kind == "int":
        return None
    if kind == "vec":
        if inner == "f64":
            return lambda xs: [x if type(x) is float else float(x) for x in xs]
        item = decoder(inner, records, classes)
        return None if item is None else (lambda xs: [item(x) for x in xs])
    if kind == "option":
        some = decoder(inner, records, classes)
        return None if some is None else (lambda x: None if x is None else some(x))
    if kind == "tuple":
        parts = [decoder(t, records, classes) for t in inner]
        return lambda xs: tuple(x if p is None else p(x) for p, x in zip(parts, xs))
    cls = classes[inner]
    fields = [(name, decoder(t, records, classes)) for name, t in records[inner]]
    return lambda d: cls(*[d[n] if f is None else f(d[n]) for n, f in fields])


def record_classes(records):
    """The problem's record types as dataclasses of the spec's field names, in its order."""
    if not records:
        return {}
    import dataclasses

    classes = {}
    for name, fields in records.items():
        cls = dataclasses.make_dataclass(
            name, [(f, python_name(t, records)) for f, t in fields]
        )
        cls.__module__ = "solution"
        classes[name] = cls
    return classes


# ---- writing the answer ----------------------------------------------------------------


def encode_str(s):
    import _json

    return _json.encode_basestring_ascii(s)


def float_text(x):
    if x != x:
        return '"NaN"'
    if x in (float("inf"), float("-inf")):
        return '"inf"' if x > 0 else '"-inf"'
    return float.__repr__(x)


def items_of(v, expected):
    """A returned sequence's items: lists and tuples as they are, numpy arrays and pandas
    objects through `tolist` (which gives Python scalars)."""
    t = type(v)
    if t is list or t is tuple:
        return v
    np = sys.modules.get("numpy")
    if np is not None and isinstance(v, np.ndarray):
        if v.ndim == 0:
            raise WrongType(expected, what(v))
        return v.tolist()
    if hasattr(v, "columns") and hasattr(v, "to_numpy"):
        return v.to_numpy().tolist()
    if hasattr(v, "tolist") and not isinstance(v, (str, bytes)):
        return v.tolist()
    raise WrongType(expected, what(v))


def encoder(ty, records):
    """A function writing a Python value of `ty` as canonical JSON text, or raising
    WrongType."""
    expected = python_name(ty, records)
    if ty == "bool":
        return encode_bool
    if ty == "f64":
        return encode_float
    if ty == "str":

        def encode_text(x):
            if isinstance(x, str):
                return encode_str(x)
            raise WrongType("str", what(x))

        return encode_text
    if ty == "array1":
        return list_encoder("f64", records, "1-D float array (list or numpy array)")
    if ty == "array2":
        return matrix_encoder(records)
    kind, inner = ty
    if kind == "int":
        return int_encoder(inner)
    if kind == "vec":
        return list_encoder(inner, records, expected)
    if kind == "option":
        return option_encoder(inner, records)
    if kind == "tuple":
        return tuple_encoder(inner, records, expected)
    return record_encoder(inner, records)


def encode_bool(x):
    if x is True or x is False:
        return "true" if x else "false"
    np = sys.modules.get("numpy")
    if np is not None and isinstance(x, np.bool_):
        return "true" if x else "false"
    raise WrongType("bool", what(x))


def encode_float(x):
    t = type(x)
    if t is float or (isinstance(x, float)):
        return float_text(x)
    if t is int:
        try:
            return float_text(float(x))
        except OverflowError:
            raise WrongType("float", "an int too large for a float") from None
    np = sys.modules.get("numpy")
    if np is not None and isinstance(x, (np.floating, np.integer)):
        return float_text(float(x))
    raise WrongType("float", what(x))


INT_RANGES = {
    "i32": (-(2**31), 2**31 - 1),
    "i64": (-(2**63), 2**63 - 1),
    "u8": (0, 255),
    "u32": (0, 2**32 - 1),
    "u64": (0, 2**64 - 1),
    "usize": (0, 2**64 - 1),
}


def int_encoder(kind):
    lo, hi = INT_RANGES[kind]
    expected = f"int ({kind})"

    def encode_int(x):
        if type(x) is not int:
            np = sys.modules.get("numpy")
            if np is not None and isinstance(x, np.integer):
                x = int(x)
            else:
                got = what(x)
                if type(x) is bool or isinstance(x, float):
                    got += "; convert with int(...) or .astype(int)"
                raise WrongType(expected, got)
        if lo <= x <= hi:
            return int.__repr__(x)
        raise WrongType(expected, f"an int outside {kind}'s range")

    encode_int.kind = kind
    return encode_int


def list_encoder(inner, records, expected):
    item = encoder(inner, records)
    fast = fast_list(inner, item)
    of_records = isinstance(inner, list) and inner[0] == "record"

    def encode_list(v):
        if of_records and hasattr(v, "columns") and hasattr(v, "to_dict"):
            # A pandas DataFrame returned for a list of records: its rows as dicts.
            v = v.to_dict("records")
        items = items_of(v, expected)
        if fast is not None:
            text = fast(items)
            if text is not None:
                return text
        parts = []
        for i, x in enumerate(items):
            try:
                parts.append(item(x))
            except WrongType as e:
                e.path.append(f"[{i}]")
                raise
        return "[" + ",".join(parts) + "]"

    return encode_list


def fast_list(inner, item):
    """For lists of plain ints or finite floats, one pass in C instead of a call per item;
    None where the general path must look at each item (it also names a wrong one)."""
    if inner == "f64":

        def floats(items):
            if all(type(x) is float for x in items) and abs(sum(items)) != float("inf"):
                total = sum(items)
                if total == total:
                    return "[" + ",".join(map(float.__repr__, items)) + "]"
            return None

        return floats
    if isinstance(inner, list) and inner[0] == "int":
        lo, hi = INT_RANGES[inner[1]]

        def ints(items):
            if all(type(x) is int for x in items) and (
                not items or (lo <= min(items) and max(items) <= hi)
            ):
                return "[" + ",".join(map(int.__repr__, items)) + "]"
            return None

        return ints
    return None


def matrix_encoder(records):
    row = list_encoder("f64", records, "a row of floats")
    expected = "2-D float array (list of rows or numpy array)"

    def encode_matrix(v):
        np = sys.modules.get("numpy")
        if np is not None and isinstance(v, np.ndarray) and v.ndim != 2:
            raise WrongType(expected, what(v))
        rows = items_of(v, expected)
        parts = []
        width = None
        for i, r in enumerate(rows):
            try:
                parts.append(row(r))
            except WrongType as e:
                e.path.append(f"[{i}]")
                raise
            n = len(r) if hasattr(r, "__len__") else 0
            if width is None:
                width = n
            elif n != width:
                raise WrongType(expected, f"row {i} of length {n} after rows of {width}")
        return "[" + ",".join(parts) + "]"

    return encode_matrix


def option_encoder(inner, records):
    some = encoder(inner, records)
    may_be_nan = inner == "f64"

    def encode_option(x):
        if x is None:
            return "null"
        # pandas writes a missing float as NaN (and pd.NA): both read as None here.
        if may_be_nan and isinstance(x, float) and x != x:
            return "null"
        if type(x).__name__ == "NAType":
            return "null"
        return some(x)

    return encode_option


def tuple_encoder(inner, records, expected):
    parts = [encoder(t, records) for t in inner]

    def encode_tuple(v):
        if type(v) not in (tuple, list) or len(v) != len(parts):
            got = what(v)
            if type(v) in (tuple, list):
                got = f"a {type(v).__name__} of {len(v)} values"
            raise WrongType(expected, got)
        out = []
        for i, (p, x) in enumerate(zip(parts, v)):
            try:
                out.append(p(x))
            except WrongType as e:
                e.path.append(f"[{i}]")
                raise
        return "[" + ",".join(out) + "]"

    return encode_tuple


def record_encoder(name, records):
    fields = [(f, encoder(t, records)) for f, t in records[name]]
    names = [f for f, _ in fields]
    keys = [encode_str(f) + ":" for f in names]
    expected = f"{name} (a dataclass instance or a dict with keys {', '.join(names)})"

    def encode_record(x):
        if isinstance(x, dict):
            if len(x) != len(names) or any(n not in x for n in names):
                raise WrongType(expected, f"a dict with {len(x)} keys")
            get = x.__getitem__
        elif hasattr(type(x), "__dataclass_fields__"):
            declared = type(x).__dataclass_fields__
            if len(declared) != len(names) or any(n not in declared for n in names):
                raise WrongType(expected, f"a dataclass with {len(declared)} fields")
            get = x.__getattribute__
        elif hasattr(x, "_asdict"):
            return encode_record(x._asdict())
        else:
            raise WrongType(expected, what(x))
        out = []
        for key, (n, enc) in zip(keys, fields):
            try:
                out.append(key + enc(get(n)))
            except WrongType as e:
                e.path.append(f".{n}")
                raise
        return "{" + ",".join(out) + "}"

    return encode_record


def write_answer(text):
    data = text.encode("ascii")
    while data:
        written = os.write(ANSWER_FD, data)
        data = data[written:]


def show_exception(error, source_path, file_name):
    """Prints the solution's exception as Python would, without the harness's frames."""
    import linecache
    import traceback

    try:
        with open(source_path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines(True)
        linecache.cache[file_name] = (sum(map(len, lines)), None, lines, file_name)
    except OSError:
        pass
    # The first frame is the harness's own call.
    tb = error.__traceback__.tb_next
    traceback.print_exception(type(error), error, tb, file=sys.stderr)
    sys.stderr.flush()


def out_of_memory():
    # The words the judge reads as MLE (as Rust's allocation failure says them), then an
    # abort: a MemoryError under the address-space limit leaves no other sign.
    sys.stderr.write("MemoryError: memory allocation of the solution's data failed\n")
    sys.stderr.flush()
    os.abort()


# ---- compiling (in the judge's compile box) ------------------------------------------


def top_level_names(body, found):
    """Names a module's top level binds, each with how: "def", "async def", or "other"
    (assignments, imports, classes), looking into if/try/with blocks but not into
    functions or classes. A star import binds names no one can list: "*"."""
    import ast

    for node in body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = "def"
        elif isinstance(node, ast.AsyncFunctionDef):
            found.setdefault(node.name, "async def")
        elif isinstance(node, ast.ClassDef):
            found[node.name] = "other"
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        found[name.id] = "other"
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    found["*"] = "other"
                else:
                    found[alias.asname or alias.name.split(".")[0]] = "other"
        else:
            for field in ("body", "orelse", "finalbody"):
                top_level_names(getattr(node, field, []), found)
            for handler in getattr(node, "handlers", []):
                top_level_names(handler.body, found)
            for case in getattr(node, "cases", []):
                top_level_names(case.body, found)
    return found


def compile_file(source_name, function, file_name):
    """Compiles the candidate's file to a code object in `solution.marshal`; a syntax error,
    or no top-level function of the problem's name, is a compile error (exit 1)."""
    import ast

    with open(source_name, "rb") as f:
        data = f.read()
    try:
        tree = ast.parse(data, filename=file_name)
        code = compile(tree, file_name, "exec", dont_inherit=True)
    except SyntaxError as e:
        import traceback

        sys.stderr.write("".join(traceback.format_exception_only(type(e), e)))
        return 1
    except (ValueError, RecursionError, MemoryError) as e:
        sys.stderr.write(f"{file_name}: cannot be compiled: {type(e).__name__}: {e}\n")
        return 1
    found = top_level_names(tree.body, {})
    how = found.get(function)
    if how is None and "*" not in found:
        sys.stderr.write(
            f"{file_name}: defines no top-level function `{function}` (a def at the top of "
            "the file, not inside a class or another function)\n"
        )
        return 1
    if how == "async def":
        sys.stderr.write(
            f"{file_name}: `{function}` is an `async def`; the judge calls a plain `def`\n"
        )
        return 1
    with open("solution.marshal", "wb") as f:
        marshal.dump(code, f)
    return 0


# ---- running -----------------------------------------------------------------------------


def main():
    if sys.argv[1] == "--compile":
        return compile_file(sys.argv[2], sys.argv[3], sys.argv[4])
    program_dir, packages, signature = sys.argv[1], sys.argv[2], sys.argv[3]
    sig = parse_json(signature)
    for path in packages.split(os.pathsep):
        if path:
            sys.path.append(path)
    records = dict(sig["records"])
    classes = record_classes(records)
    source_path = os.path.join(program_dir, "source.py")
    file_name = sig["file"]
    with open(os.path.join(program_dir, "solution.marshal"), "rb") as f:
        code = marshal.load(f)
    # The file is imported as the module `solution` (so its `if __name__ == "__main__":`
    # block does not run), with the record types already in scope, as in Rust.
    module = type(sys)("solution")
    module.__file__ = file_name
    module.__dict__.update(classes)
    sys.modules["solution"] = module
    try:
        exec(code, module.__dict__)
    except MemoryError:
        out_of_memory()
    except BaseException as e:
        show_exception(e, source_path, file_name)
        return 1
    function = module.__dict__.get(sig["name"])
    if not callable(function):
        sys.stderr.write(
            f"judge: the solution defines no function `{sig['name']}` (a top-level def "
            "with the problem's function name)\n"
        )
        return 1
    try:
        args = parse_json(sys.stdin.buffer.read().decode("utf-8"))
        converted = []
        for (_, ty), value in zip(sig["args"], args):
            dec = decoder(ty, records, classes)
            converted.append(value if dec is None else dec(value))
        del args
    except MemoryError:
        out_of_memory()
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
        sys.stderr.write(f"judge: the case could not be read: {e}\n")
        return HARNESS_FAILURE
    encode = encoder(sig["ret"], records)
    try:
        result = function(*converted)
        del converted
    except MemoryError:
        out_of_memory()
    except BaseException as e:
        show_exception(e, source_path, file_name)
        return 1
    try:
        text = encode(result)
    except WrongType as e:
        text = "{" + encode_str("$wrong_type") + ":" + encode_str(e.words()[:400]) + "}"
    except MemoryError:
        out_of_memory()
    try:
        write_answer(text)
    except OSError as e:
        sys.stderr.write(f"judge: the answer could not be written: {e}\n")
        return HARNESS_FAILURE
    return 0


if __name__ == "__main__":
    sys.exit(main())
