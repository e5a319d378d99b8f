# pexpress runtime bootstrap (stdlib only, Python >= 3.9).
#
# The build prepends `PEX_INFO = {...}` (so the warm path needs no json import and no read of the
# archive's directory) and `_COLD_SOURCE = "..."` (runtime/cold.py, compiled only on the cold
# path). Warm path, per archive: one small read of its tail (the zip comment
# names its archive hash) and one read of $PEX_ROOT/pexpress/archives/<hash>; no hashing, no listing.
# It runs either from the zip (`python3 source.pex`) or, started as `./source.pex`, compiled under
# $PEX_ROOT/pexpress/boot/ by the shell preamble (archive/preamble.ts) with -sS: no site at all.
# The cold path hashes every byte it extracts, and only a tree whose bytes hash to H is ever stored
# under H (docs/runtime.md states the whole security model).
import os
import sys

# Every PEX_* variable the bootstrap reads: (name, type, default, help). docs/environment.md is
# generated from this literal (ast.literal_eval), so keep it a plain tuple of string tuples.
ENV_VARS = (
    ("PEX_ROOT", "path", "~/.cache/pex",
     "Where archives are extracted (under pexpress/). Relative paths and ~ are made absolute. When it "
     "cannot be written and lacks the extraction, a private temporary directory is used (one warning) "
     "and removed at exit."),
    ("PEX_PATH", "paths", "",
     "Deps archives to compose with this one, separated by ':'. Without it, source.pex uses the "
     "deps.pex next to its real file (symlinks resolved)."),
    ("PEX_MODULE", "string", "",
     "Run this module (`pkg.mod`) or function (`pkg.mod:func`) instead of the archive's entry point."),
    ("PEX_SCRIPT", "string", "",
     "Run this console script (or a file in a wheel's .data/scripts) of the dependencies."),
    ("PEX_INTERPRETER", "bool", "false",
     "Behave like python (REPL, -c, -m, a script) with the archive's sys.path, ignoring the entry point."),
    ("PEX_INHERIT_PATH", "choice:false,prefer,fallback", "false",
     "Whether the host's site-packages stay importable: false (isolated), prefer (before the "
     "archive's), fallback (after)."),
    ("PEX_EXTRA_SYS_PATH", "paths", "",
     "Directories appended to sys.path after the archive's own entries, separated by ':'."),
    ("PEX_PYTHON", "string", "",
     "The interpreter to run under: a name on PATH (python3.11) or a path. The bootstrap re-executes "
     "itself with it when it is not the running one."),
    ("PEX_PYTHON_PATH", "paths", "",
     "Where to look for PEX_PYTHON or the target's pythonX.Y (':'-separated); defaults to PATH."),
    ("PEX_VERBOSE", "int", "0", "Debug output on stderr when above 0."),
    ("PEX_EMIT_WARNINGS", "bool", "true", "Set to false to silence the runtime's warnings."),
    ("PEX_IGNORE_RCFILES", "bool", "false", "Accepted for pex compatibility: pexpress reads no rc files."),
    ("PEX_UNZIP", "bool", "true", "Accepted for pex compatibility: pexpress always extracts (false is refused)."),
    ("PEX_ALWAYS_CACHE", "bool", "true", "Accepted for pex compatibility: pexpress always extracts (false is refused)."),
    ("PEX_FORCE_LOCAL", "bool", "true", "Accepted for pex compatibility: pexpress always extracts (false is refused)."),
    ("PEX_VENV", "unsupported", "", "pex's venv mode; pexpress archives always run from their extraction: unset it."),
    ("PEX_VENV_BIN_PATH", "unsupported", "", "Only meaningful with PEX_VENV: unset it."),
    ("PEX_TOOLS", "unsupported", "", "pex-tools is not part of pexpress archives: unset it."),
    ("PEX_PROFILE", "unsupported", "", "Not supported: run `python -m cProfile` inside PEX_INTERPRETER=1 instead."),
    ("PEX_PROFILE_FILENAME", "unsupported", "", "Not supported (see PEX_PROFILE): unset it."),
    ("PEX_PROFILE_SORT", "unsupported", "", "Not supported (see PEX_PROFILE): unset it."),
    ("PEX_COVERAGE", "unsupported", "", "Not supported: run coverage inside PEX_INTERPRETER=1 instead."),
    ("PEX_COVERAGE_FILENAME", "unsupported", "", "Not supported (see PEX_COVERAGE): unset it."),
    ("PEX_IGNORE_ERRORS", "unsupported", "", "pexpress resolves at build time; there is nothing to ignore: unset it."),
    ("PEX_DISABLE_VARIABLES", "unsupported", "", "Not supported: unset the variables instead."),
    ("PEX_INTERPRETER_HISTORY", "unsupported", "", "Not supported: the REPL uses python's own history."),
    ("PEX_INTERPRETER_HISTORY_FILE", "unsupported", "", "Not supported: the REPL uses python's own history."),
    ("PEX_MAX_INSTALL_JOBS", "unsupported", "", "Not supported: extraction is a single sequential pass."),
)

_LAYOUT = 2
_MACHINES = {"x86_64": "linux_x86_64", "amd64": "linux_x86_64", "aarch64": "linux_aarch64", "arm64": "linux_aarch64"}
_HEX = "0123456789abcdef"
# Carries this run's PEX_* settings to a child only when the child runs this same archive file.
_CARRY = "__PEXPRESS_ENV__"
_REEXEC = "__PEXPRESS_REEXEC__"
_VERBOSE = 0
_WARN = True
_ROOTS = []


class _Fatal(Exception):
    """A condition the user must fix: reported as one line, never as a traceback."""


def _debug(msg):
    if _VERBOSE:
        sys.stderr.write("pexpress: " + msg + "\n")


def _warn(msg):
    if _WARN:
        sys.stderr.write("pexpress: warning: " + msg + "\n")


def _consume_env(self_path):
    """Reads every PEX_* variable once and removes it from os.environ, as pex does, so that a child
    process (another archive, a tool) never inherits this run's composition. A child that runs this
    same archive file again gets the same settings back through _CARRY."""
    env = os.environ
    raw = {}
    for key in [k for k in env if k.startswith("PEX_")]:
        raw[key] = env.pop(key)
    carried = env.pop(_CARRY, None)
    if carried:
        lines = carried.split("\x1f")
        if lines[0] == self_path:
            for line in lines[1:]:
                key, _, value = line.partition("=")
                raw.setdefault(key, value)
    env["PEX"] = self_path
    if raw:
        # Paths travel absolute: the child may start in another working directory.
        carry = dict(raw)
        for key in ("PEX_ROOT", "PEX_PATH", "PEX_EXTRA_SYS_PATH", "PEX_PYTHON_PATH"):
            if carry.get(key):
                carry[key] = os.pathsep.join(os.path.abspath(os.path.expanduser(p)) if p else p
                                             for p in carry[key].split(os.pathsep))
        items = ["%s=%s" % kv for kv in sorted(carry.items()) if "\x1f" not in kv[1]]
        env[_CARRY] = "\x1f".join([self_path] + items)
    return _parse_env(raw)


def _parse_env(raw):
    """Strict like pex: a malformed value is one error line naming the variable, never a guess."""
    table = {}
    for name, kind, default, help_ in ENV_VARS:
        table[name] = (kind, default)
    settings = {}
    for name, value in raw.items():
        if name not in table or value == "":
            continue
        kind, default = table[name]
        if kind == "bool":
            low = value.lower()
            if low in ("1", "true"):
                parsed = True
            elif low in ("0", "false"):
                parsed = False
            else:
                raise _Fatal("%s=%s is not a boolean: use 1, 0, true or false" % (name, value))
            if default == "true" and name in ("PEX_UNZIP", "PEX_ALWAYS_CACHE", "PEX_FORCE_LOCAL") and not parsed:
                raise _Fatal("%s=%s is not supported: pexpress always extracts archives; unset it" % (name, value))
            settings[name] = parsed
        elif kind == "int":
            try:
                settings[name] = int(value)
            except ValueError:
                raise _Fatal("%s=%s is not an integer: use 0 (off) or a level such as 1" % (name, value))
        elif kind.startswith("choice:"):
            choices = kind[7:].split(",")
            if value not in choices:
                raise _Fatal("%s=%s is not one of %s" % (name, value, ", ".join(choices)))
            settings[name] = value
        elif kind == "unsupported":
            help_ = [h for n, _, _, h in ENV_VARS if n == name][0]
            raise _Fatal("%s is set but pexpress does not support it: %s" % (name, help_))
        else:
            settings[name] = value
    return settings


def _host_platform():
    if not sys.platform.startswith("linux"):
        return sys.platform
    return _MACHINES.get(os.uname().machine, "linux_" + os.uname().machine)


def _fits(python):
    """python is "3.11" (this minor only) or "3.11+" (any minor at or above: version-independent)."""
    have = sys.version_info[:2]
    if python.endswith("+"):
        want = tuple(int(x) for x in python[:-1].split("."))
        return have[0] == want[0] and have >= want
    return "%d.%d" % have == python


def _check_interpreter(name, python, platform, check_platform, settings):
    host = _host_platform()
    if sys.implementation.name == "cpython" and _fits(python) and (not check_platform or host == platform):
        return
    want = python.rstrip("+")
    if sys.implementation.name != "cpython" or not _fits(python):
        _cold()
        _reexec(_find_python("python" + want, settings), "python" + want)
    raise _Fatal(
        "%s was built for CPython %s on %s but this is %s %s on %s (%s): run it with python%s on %s, "
        "or rebuild with --python %s"
        % (name, python, platform, sys.implementation.name, sys.version.split()[0], host, sys.executable,
           want, platform, "%d.%d" % sys.version_info[:2])
    )


def _read_comment(path):
    """(kind, archive hash) from the zip comment at the end of the file, or None for a foreign file."""
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        n = min(size, 1024)
        f.seek(size - n)
        tail = f.read(n)
    i = tail.rfind(b"PK\x05\x06")
    if i < 0 or i + 22 > len(tail):
        return None
    length = int.from_bytes(tail[i + 20:i + 22], "little")
    parts = tail[i + 22:i + 22 + length].decode("ascii", "replace").split(":")
    if len(parts) != 4 or parts[0] != "pexpress":
        return None
    if parts[1] != str(_LAYOUT):
        raise _Fatal("%s has archive layout %s but this runtime reads layout %d: rebuild it with this pexpress version"
                     % (path, parts[1], _LAYOUT))
    if len(parts[3]) != 64 or parts[3].strip(_HEX):
        # Refused before it is ever joined to a path: this name becomes a directory entry.
        raise _Fatal("%s names an invalid archive hash %r (expected 64 lowercase hex digits): the archive is corrupt "
                     "or forged; fetch it again" % (path, parts[3][:80]))
    return parts[2], parts[3]


def _pex_root(settings):
    root = settings.get("PEX_ROOT") or os.path.join("~", ".cache", "pex")
    return os.path.join(os.path.abspath(os.path.expanduser(root)), "pexpress")


def _parse_marker(root, text):
    lines = text.splitlines()
    head = lines[0].split() if lines else []
    if len(head) != 5 or head[0] != "pexpress-archive":
        return None
    entries = []
    names = []
    for line in lines[1:]:
        parts = line.split(" ")
        entries.append((os.path.join(root, parts[1]), parts[0] == "p"))
        names.append(parts[3].split(",") if len(parts) > 3 and parts[3] else [] if len(parts) > 3 else None)
    return head[2], head[3], head[4], entries, names


def _activate(archive, archive_hash, settings):
    """Returns (kind, python, platform, [(dir, has_pth)]) for an archive, extracting it on first use."""
    for root in _ROOTS:
        marker = os.path.join(root, "archives", archive_hash)
        try:
            with open(marker) as f:
                text = f.read()
        except OSError as e:
            # Missing, or unreadable/not a directory: the cold path extracts or falls back.
            _debug("no extraction at %s (%s)" % (marker, e.strerror))
            continue
        parsed = _parse_marker(root, text)
        if parsed is None:
            raise _Fatal("cache entry %s is corrupt: delete it (rm %s) and run again" % (marker, marker))
        return parsed
    _cold()
    root, text = _extract(archive, archive_hash, settings)
    return _parse_marker(root, text)


def _cold():
    """Defines the cold-path code (runtime/cold.py, embedded by the build as _COLD_SOURCE):
    extraction, console scripts, re-execution, interpreter options."""
    if "_extract" not in globals():
        exec(compile(_COLD_SOURCE, "<pexpress cold.py>", "exec"), globals())


def _ensure_boot(archive_hash):
    """Lets the next `./source.pex` start through boot/: compiles the bootstrap the cold path saved
    from this archive's verified bytes (boot/<hash>.py) for the running interpreter, once."""
    base = os.path.join(_ROOTS[0], "boot", archive_hash)
    if not os.path.exists(base) and os.path.exists(base + ".py"):
        _cold()
        _write_boot(base)


def _deps_archives(self_path, kind, settings):
    spec = settings.get("PEX_PATH", "")
    paths = [p for p in spec.split(os.pathsep) if p]
    paths += [p for p in PEX_INFO.get("pex_path") or [] if p]
    if kind == "deps":
        paths.insert(0, self_path)
    if paths or kind == "deps":
        return paths
    deps = PEX_INFO["pexpress"].get("deps")
    if not deps:
        return []
    sibling = os.path.join(os.path.dirname(self_path), "deps.pex")
    fetch = "pexpress fetch %s -o deps.pex" % deps["sha256"]
    if not os.path.exists(sibling):
        raise _Fatal(
            "%s needs its deps archive (sha256 %s...): put deps.pex next to it or set "
            "PEX_PATH=/path/to/deps.pex (fetch it with: %s)" % (os.path.basename(self_path), deps["sha256"][:12], fetch)
        )
    try:
        got = _read_comment(sibling)
    except _Fatal:
        got = None
    if got is None or got[1] != deps["archive_hash"]:
        raise _Fatal(
            "%s next to %s is from a different build (it was built against deps.pex sha256 %s...): fetch the "
            "matching one with: %s, or set PEX_PATH" % (sibling, os.path.basename(self_path), deps["sha256"][:12], fetch)
        )
    return [sibling]


def _stdlib_dirs():
    lib = os.path.dirname(os.__file__)
    return lib, os.path.join(lib, "lib-dynload")


def _split_host_path(self_paths):
    """Splits sys.path into the interpreter's own stdlib entries and what the host added."""
    lib, dynload = _stdlib_dirs()
    zipname = "python%d%d.zip" % sys.version_info[:2]
    keep, host = [], []
    for entry in sys.path:
        absolute = os.path.abspath(entry) if entry else os.getcwd()
        if absolute in self_paths:
            continue
        in_stdlib = absolute in (lib, dynload) or absolute.endswith(os.sep + zipname)
        if in_stdlib and "site-packages" not in absolute and "dist-packages" not in absolute:
            keep.append(entry)
        elif entry not in host:
            host.append(entry)
    return keep, host


def _scrub_modules(host):
    """Forgets modules that .pth files of the host's site-packages imported (e.g. _distutils_hack)."""
    prefixes = tuple(os.path.abspath(h) + os.sep for h in host if h)
    if not prefixes:
        return
    gone = set()
    for name, mod in list(sys.modules.items()):
        if name == "__main__":
            continue  # the running bootstrap (its file is under $PEX_ROOT when started through boot/)
        f = getattr(mod, "__file__", None)
        if f and os.path.abspath(f).startswith(prefixes):
            del sys.modules[name]
            gone.add(name)
    if gone:
        sys.meta_path[:] = [f for f in sys.meta_path if getattr(type(f), "__module__", None) not in gone
                            and getattr(f, "__module__", None) not in gone]
    for h in host:
        sys.path_importer_cache.pop(h, None)


def _setup_sys_path(self_paths, source_dirs, wheel_dirs, settings):
    inherit = settings.get("PEX_INHERIT_PATH") or PEX_INFO.get("inherit_path") or "false"
    if inherit not in ("false", "prefer", "fallback"):
        raise _Fatal("PEX_INHERIT_PATH=%s is not one of false, prefer, fallback" % inherit)
    keep, host = _split_host_path(self_paths)
    if inherit == "false":
        _scrub_modules(host)
    new = list(source_dirs) + keep
    if inherit == "prefer":
        new += host
    sys.path[:] = new
    needs_site = [d for d, pth in wheel_dirs if pth]
    if needs_site:
        import site
    for d, pth in wheel_dirs:
        if pth:
            site.addsitedir(d)
        else:
            sys.path.append(d)
    if inherit == "fallback":
        sys.path.extend(h for h in host if h not in sys.path)
    if sys.flags.no_site:
        # Started through boot/ (-S): what site would have added besides site-packages, which
        # applications use (exit() in a script, help() in the REPL).
        import site

        site.setquit()
        site.setcopyright()
        site.sethelper()
    extra = settings.get("PEX_EXTRA_SYS_PATH")
    if extra:
        sys.path.extend(os.path.abspath(p) for p in extra.split(os.pathsep) if p)


class _WheelIndex(object):
    """Finds a top-level import in the one wheel tree that provides it, instead of asking every
    wheel tree on sys.path in turn (each a stat; 250 wheels made an import ~10x slower than one
    site-packages). Same answer as the ordinary search: the entries before the wheels (the
    script's directory, the code, the stdlib) are searched first, and anything unusual
    (namespace packages, wheels removed from sys.path) is left to the ordinary search."""

    def __init__(self, index, dirs, path_finder):
        self.index = index
        self.dirs = dirs
        self.path_finder = path_finder

    def find_spec(self, name, path=None, target=None):
        if path is not None:
            return None
        where = self.index.get(name)
        if where is None:
            return None
        head = []
        for entry in sys.path:
            if entry in self.dirs:
                break
            head.append(entry)
        else:
            return None
        spec = self.path_finder.find_spec(name, head)
        if spec is None:
            spec = self.path_finder.find_spec(name, where)
        if spec is None or spec.loader is None:
            return None
        return spec

    def invalidate_caches(self):
        pass


def _install_index(wheel_dirs, wheel_names):
    if not wheel_dirs or any(n is None for n in wheel_names):
        return  # a marker from before the index: the ordinary search
    finders = [f for f in sys.meta_path if getattr(f, "__name__", None) == "PathFinder"]
    if not finders:
        return
    index = {}
    for (d, _), names in zip(wheel_dirs, wheel_names):
        for name in names:
            index.setdefault(name, []).append(d)
    sys.meta_path.insert(sys.meta_path.index(finders[0]), _WheelIndex(index, set(d for d, _ in wheel_dirs), finders[0]))


def _call(spec):
    module, _, attr = spec.partition(":")
    import importlib

    # As for a console script in a venv: __main__ has no package, so a reloader that re-runs
    # sys.argv (werkzeug's, for flask run --reload) re-runs this archive, not `python -m <name>`.
    sys.modules["__main__"].__package__ = None

    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    sys.exit(obj())


def _run_module(spec, argv0=None):
    if ":" in spec:
        _call(spec)
    import runpy

    if argv0 is not None:
        sys.argv[0] = argv0
    runpy.run_module(spec, run_name="__main__", alter_sys=True)


def _exec_main(code, filename):
    main = type(sys)("__main__")
    main.__dict__["__builtins__"] = __builtins__
    main.__file__ = filename if filename not in ("<string>", "<stdin>") else None
    if main.__file__ is None:
        del main.__file__
    sys.modules["__main__"] = main
    exec(compile(code, filename, "exec"), main.__dict__)


def _interpreter(args, self_path):
    """Behaves like `python3 [ -c CODE | -m MOD | SCRIPT | - ] ARGS` (or a REPL) with our sys.path."""
    if args and args[0].startswith("-") and args[0] not in ("-", "-c", "-m"):
        _cold()
        flags, rest = _split_flags(args)
        if flags:
            if _REEXECED:
                raise _Fatal("interpreter options %s could not be applied" % " ".join(flags))
            os.environ[_REEXEC] = sys.executable
            os.execv(sys.executable, [sys.executable] + flags + [_ORIG_ARGV[0]] + rest)
        args = rest
    if not args:
        if sys.stdin.isatty():
            import code
            import types

            sys.argv = [""]
            # A fresh __main__ as the console's namespace: rlcompleter completes from __main__.
            main = types.ModuleType("__main__")
            main.__dict__["__builtins__"] = __builtins__
            sys.modules["__main__"] = main
            if sys.flags.no_site:
                import site

                site.enablerlcompleter()
            hook = getattr(sys, "__interactivehook__", None)
            if hook:
                try:
                    hook()  # tab completion and history, as in python's own REPL
                except Exception:
                    pass
            code.interact(banner="Python %s (pexpress %s)" % (sys.version.split()[0], PEX_INFO["pexpress"]["kind"]),
                          local=main.__dict__, exitmsg="")
            return
        args = ["-"]
    first = args[0]
    if first == "-c":
        if len(args) < 2:
            raise _Fatal("-c needs an argument (the code to run)")
        sys.argv = ["-c"] + args[2:]
        sys.path.insert(0, "")
        _exec_main(args[1], "<string>")
    elif first == "-m":
        if len(args) < 2:
            raise _Fatal("-m needs an argument (the module to run)")
        sys.argv = [args[1]] + args[2:]
        sys.path.insert(0, os.getcwd())
        _run_module(args[1])
    elif first == "-":
        sys.argv = ["-"] + args[1:]
        _exec_main(sys.stdin.read(), "<stdin>")
    else:
        import runpy

        sys.argv = list(args)
        sys.path.insert(0, os.path.dirname(os.path.abspath(first)))
        runpy.run_path(first, run_name="__main__")


def _self_archive():
    archive = getattr(globals().get("__loader__"), "archive", None)
    return os.path.abspath(archive or sys.argv[0])


if __name__ == "__main__" and sys.argv[0].endswith(".pyc") and getattr(globals().get("__loader__"), "archive", None) is None:
    # Exec'd by the shell preamble as `python -sS $PEX_ROOT/pexpress/boot/<hash>.pyc ARCHIVE ARGS...`:
    # from here on, argv is what it is when the archive runs from its zip.
    _BOOTED = sys.argv.pop(0)
else:
    _BOOTED = None
_ORIG_ARGV = list(sys.argv)
# Set by a re-execution of this archive (another interpreter, interpreter options): never twice.
_REEXECED = os.environ.pop(_REEXEC, None)


def _boot():
    global _VERBOSE, _WARN
    meta = PEX_INFO["pexpress"]
    kind = meta["kind"]
    given = _self_archive()
    # A symlinked archive (/usr/local/bin/myapp -> /opt/app/source.pex) finds deps.pex next to its real file.
    self_path = os.path.realpath(given)
    settings = _consume_env(self_path)
    _VERBOSE = settings.get("PEX_VERBOSE", 0) > 0
    _WARN = settings.get("PEX_EMIT_WARNINGS", True)
    _ROOTS[:] = [_pex_root(settings)]
    wanted = settings.get("PEX_PYTHON")
    if wanted:
        _cold()
        python = _find_python(wanted, settings)
        if not python:
            raise _Fatal("PEX_PYTHON=%s: no such interpreter on %s" % (wanted, "PEX_PYTHON_PATH" if settings.get(
                "PEX_PYTHON_PATH") else "PATH"))
        if os.path.realpath(python) != os.path.realpath(sys.executable):
            _reexec(python, "PEX_PYTHON")
    self_python = meta["python"] + ("+" if kind == "source" else "")
    _check_interpreter(os.path.basename(given), self_python, meta["platform"], kind == "deps", settings)
    source_dirs, wheel_dirs, wheel_names = [], [], []
    if kind == "source":
        ident = _read_comment(self_path)
        if ident is None:
            raise _Fatal("%s has no pexpress comment (truncated?): fetch it again" % self_path)
        source_dirs = [d for d, _ in _activate(self_path, ident[1], settings)[3]]
        if not wanted and not _BOOTED:
            _ensure_boot(ident[1])
    for archive in _deps_archives(self_path, kind, settings):
        archive = os.path.realpath(archive)
        if not os.path.isfile(archive):
            raise _Fatal("PEX_PATH entry %s does not exist: fix PEX_PATH (fetch it with pexpress fetch SHA256 -o FILE)" % archive)
        ident = _read_comment(archive)
        if ident is None:
            raise _Fatal("PEX_PATH entry %s is not a pexpress archive (or is truncated): rebuild or fetch it again" % archive)
        if ident[0] != "deps":
            raise _Fatal("PEX_PATH entry %s is a %s archive, not a deps archive" % (archive, ident[0]))
        kind_, python, platform, entries, names = _activate(archive, ident[1], settings)
        if kind_ != "deps":
            raise _Fatal("PEX_PATH entry %s is a %s archive, not a deps archive" % (archive, kind_))
        _check_interpreter(os.path.basename(archive), python, platform, True, settings)
        wheel_dirs.extend(entries)
        wheel_names.extend(names)
    # Started through boot/, sys.path[0] is that directory (python's "script directory"): ours, not the host's.
    ours = (given, self_path, os.path.dirname(os.path.abspath(_BOOTED))) if _BOOTED else (given, self_path)
    _setup_sys_path(ours, source_dirs, wheel_dirs, settings)
    _install_index(wheel_dirs, wheel_names)

    args = sys.argv[1:]
    if settings.get("PEX_INTERPRETER"):
        return _interpreter(args, self_path)
    script = settings.get("PEX_SCRIPT")
    if script:
        _cold()
        return _run_script(script, wheel_dirs, source_dirs)
    module = settings.get("PEX_MODULE") or PEX_INFO.get("entry_point")
    if module:
        return _run_module(module)
    return _interpreter(args, self_path)


def _main():
    try:
        _boot()
    except _Fatal as e:
        sys.stderr.write("pexpress: %s\n" % e)
        sys.exit(1)


if __name__ == "__main__":
    _main()
