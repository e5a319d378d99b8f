# pexpress runtime bootstrap (stdlib only, Python >= 3.9).
#
# The build prepends one line, `PEX_INFO = {...}`, so the warm path needs no json import and no read
# of the archive's directory. Warm path: one small read per archive (the zip comment names its
# pex_hash) plus one read of the extracted tree's `.pexpress-paths`; no hashing, no listing.

# Every PEX_* variable this bootstrap reads: (name, type, default, help). docs/environment.md is
# generated from this literal (npm run docs reads it with ast.literal_eval); keep it a literal.
ENV_VARS = (
    ("PEX_ROOT", "path", "~/.cache/pex", "Where archives are extracted (under <PEX_ROOT>/pexpress), once per archive hash."),
    ("PEX_PATH", "paths", "", "Other archives (deps.pex) to add, separated by ':'; source.pex otherwise finds deps.pex next to itself."),
    ("PEX_INHERIT_PATH", "choice", "false", "false: only the archives' code (the host's site-packages are scrubbed); prefer / fallback: the host's sys.path before / after them."),
    ("PEX_INTERPRETER", "boolean", "false", "1 or true: start the Python prompt (or run the script given as an argument) with the archives on sys.path, ignoring the entry point."),
    ("PEX_SCRIPT", "string", "", "Run this console script of a wheel in deps.pex instead of the entry point."),
    ("PEX_MODULE", "string", "", "Run this MODULE or MODULE:FUNCTION instead of the entry point the archive was built with."),
    ("PEX_VERBOSE", "boolean", "false", "Print what the bootstrap does (extraction, paths) on stderr."),
)

import os
import sys

_LAYOUT = 1
_PATHS_FILE = ".pexpress-paths"
_MACHINES = {"x86_64": "linux_x86_64", "amd64": "linux_x86_64", "aarch64": "linux_aarch64", "arm64": "linux_aarch64"}
_VERBOSE = bool(os.environ.get("PEX_VERBOSE"))


class _Fatal(Exception):
    """A condition the user must fix: reported as one line, never as a traceback."""


def _debug(msg):
    if _VERBOSE:
        sys.stderr.write("pexpress: " + msg + "\n")


def _host_platform():
    if not sys.platform.startswith("linux"):
        return sys.platform
    return _MACHINES.get(os.uname().machine, "linux_" + os.uname().machine)


def _check_interpreter(name, python, platform, check_platform):
    have = "%d.%d" % sys.version_info[:2]
    host = _host_platform()
    if sys.implementation.name == "cpython" and have == python and (not check_platform or host == platform):
        return
    raise _Fatal(
        "%s was built for CPython %s on %s but this is %s %s on %s (%s): run it with python%s on %s, "
        "or rebuild with --python %s"
        % (name, python, platform, sys.implementation.name, sys.version.split()[0], host, sys.executable,
           python, platform, have)
    )


def _pex_root():
    root = os.environ.get("PEX_ROOT") or os.path.join(os.path.expanduser("~"), ".cache", "pex")
    return os.path.join(root, "pexpress")


def _read_comment(path):
    """(kind, pex_hash) from the zip comment at the end of the file, or None for a foreign file."""
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
    if len(parts) != 4 or parts[0] != "pexpress" or parts[1] != str(_LAYOUT):
        return None
    return parts[2], parts[3]


def _unsafe(name):
    return (
        name.startswith("/") or "\\" in name or (len(name) > 1 and name[1] == ":")
        or any(part == ".." for part in name.split("/"))
    )


def _extract(archive, pex_hash, root):
    """Extracts once, atomically: a private temp dir renamed into place; losers of a race use the winner."""
    import json
    import shutil
    import stat
    import zipfile
    import zlib

    final = os.path.join(root, pex_hash)
    try:
        os.makedirs(root, exist_ok=True)
    except OSError as e:
        raise _Fatal("cannot create %s (%s): set PEX_ROOT to a writable directory" % (root, e.strerror))
    tmp = os.path.join(root, ".%s.%d.%s.tmp" % (pex_hash, os.getpid(), os.urandom(4).hex()))
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            for zi in infos:
                mode = zi.external_attr >> 16
                if _unsafe(zi.filename) or stat.S_ISLNK(mode):
                    raise _Fatal(
                        "refusing to extract %s: entry '%s' escapes the extraction directory (corrupt or "
                        "malicious archive)" % (archive, zi.filename)
                    )
            info = json.loads(zf.read("PEX-INFO").decode("utf-8"))
            meta = info["pexpress"]
            _check_interpreter(os.path.basename(archive), meta["python"], meta["platform"], meta["kind"] == "deps")
            os.mkdir(tmp)
            for zi in infos:
                dest = os.path.join(tmp, *zi.filename.rstrip("/").split("/"))
                if zi.filename.endswith("/"):
                    os.makedirs(dest, exist_ok=True)
                    continue
                parent = os.path.dirname(dest)
                if not os.path.isdir(parent):
                    os.makedirs(parent, exist_ok=True)
                with zf.open(zi) as src, open(dest, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
                if (zi.external_attr >> 16) & 0o111:
                    os.chmod(dest, 0o755)
            names = set(zf.namelist())
        lines = ["pexpress-paths %d %s %s %s" % (_LAYOUT, meta["kind"], meta["python"], meta["platform"])]
        if meta["kind"] == "deps":
            for wheel in sorted(info.get("distributions", {})):
                prefix = ".deps/%s/" % wheel
                has_pth = any(n.startswith(prefix) and n.endswith(".pth") and "/" not in n[len(prefix):] for n in names)
                lines.append("%s %s" % ("p" if has_pth else "-", prefix.rstrip("/")))
        else:
            lines.append("- .")
        # The marker is written last: a tree without it was never completed.
        with open(os.path.join(tmp, _PATHS_FILE), "w") as f:
            f.write("\n".join(lines) + "\n")
        try:
            os.rename(tmp, final)
        except OSError:
            if not os.path.isfile(os.path.join(final, _PATHS_FILE)):
                raise
            shutil.rmtree(tmp, ignore_errors=True)
            _debug("another process extracted %s first" % pex_hash)
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError) as e:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
        raise _Fatal("%s is corrupt (%s): fetch it again (pexpress fetch SHA256 -o FILE verifies it)" % (archive, e))
    except BaseException:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _activate(archive, pex_hash):
    """Returns (kind, python, platform, [(dir, has_pth)]) for an archive, extracting it on first use."""
    root = _pex_root()
    final = os.path.join(root, pex_hash)
    marker = os.path.join(final, _PATHS_FILE)
    try:
        with open(marker) as f:
            text = f.read()
    except FileNotFoundError:
        if os.path.isdir(final):
            raise _Fatal("cache entry %s is incomplete or corrupt: delete it (rm -rf %s) and run again" % (final, final))
        _debug("extracting %s to %s" % (archive, final))
        _extract(archive, pex_hash, root)
        with open(marker) as f:
            text = f.read()
    lines = text.splitlines()
    head = lines[0].split()
    if len(head) != 5 or head[0] != "pexpress-paths":
        raise _Fatal("cache entry %s is corrupt: delete it (rm -rf %s) and run again" % (final, final))
    entries = []
    for line in lines[1:]:
        flag, rel = line.split(" ", 1)
        entries.append((final if rel == "." else os.path.join(final, rel), flag == "p"))
    return head[2], head[3], head[4], entries


def _deps_archives(self_path, kind):
    spec = os.environ.get("PEX_PATH", "")
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
    got = _read_comment(sibling)
    if got is None or got[1] != deps["pex_hash"]:
        raise _Fatal(
            "%s next to %s is from a different build (it was built against deps.pex sha256 %s...): fetch the "
            "matching one with: %s, or set PEX_PATH" % (sibling, os.path.basename(self_path), deps["sha256"][:12], fetch)
        )
    return [sibling]


def _stdlib_dirs():
    lib = os.path.dirname(os.__file__)
    return lib, os.path.join(lib, "lib-dynload")


def _split_host_path(self_path):
    """Splits sys.path into the interpreter's own stdlib entries and what the host added."""
    lib, dynload = _stdlib_dirs()
    zipname = "python%d%d.zip" % sys.version_info[:2]
    keep, host = [], []
    for entry in sys.path:
        absolute = os.path.abspath(entry) if entry else os.getcwd()
        if absolute == self_path:
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
        f = getattr(mod, "__file__", None)
        if f and os.path.abspath(f).startswith(prefixes):
            del sys.modules[name]
            gone.add(name)
    if gone:
        sys.meta_path[:] = [f for f in sys.meta_path if getattr(type(f), "__module__", None) not in gone
                            and getattr(f, "__module__", None) not in gone]
    for h in host:
        sys.path_importer_cache.pop(h, None)


def _setup_sys_path(self_path, source_dirs, wheel_dirs):
    inherit = os.environ.get("PEX_INHERIT_PATH") or PEX_INFO.get("inherit_path") or "false"
    if inherit not in ("false", "prefer", "fallback"):
        raise _Fatal("PEX_INHERIT_PATH=%s is not one of false, prefer, fallback" % inherit)
    keep, host = _split_host_path(self_path)
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


def _call(spec):
    module, _, attr = spec.partition(":")
    import importlib

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


def _run_script(name, wheel_dirs):
    """A console script from a dependency's entry points, or a file it ships in .data/scripts."""
    found = {}
    for d, _ in wheel_dirs:
        for entry in sorted(os.listdir(d)):
            if entry.endswith(".dist-info"):
                eps = os.path.join(d, entry, "entry_points.txt")
                if not os.path.isfile(eps):
                    continue
                section = None
                with open(eps, encoding="utf-8") as f:
                    for line in f:
                        line = line.strip()
                        if line.startswith("["):
                            section = line.strip("[]").strip()
                        elif "=" in line and section in ("console_scripts", "gui_scripts"):
                            key, value = line.split("=", 1)
                            found.setdefault(key.strip(), ("entry", value.split("[")[0].strip()))
            elif entry.endswith(".data"):
                scripts = os.path.join(d, entry, "scripts")
                if os.path.isdir(scripts):
                    for s in os.listdir(scripts):
                        found.setdefault(s, ("file", os.path.join(scripts, s)))
    if name not in found:
        raise _Fatal("PEX_SCRIPT=%s: no such script in the deps archives; available: %s"
                     % (name, ", ".join(sorted(found)) or "none"))
    how, target = found[name]
    sys.argv[0] = name
    if how == "entry":
        _call(target)
    with open(target, "rb") as f:
        first = f.readline()
    if first.startswith(b"#!") and b"python" not in first:
        os.execv(target, [target] + sys.argv[1:])
    import runpy

    runpy.run_path(target, run_name="__main__")


def _exec_main(code, filename):
    import types

    main = types.ModuleType("__main__")
    main.__dict__["__builtins__"] = __builtins__
    main.__file__ = filename if filename not in ("<string>", "<stdin>") else None
    if main.__file__ is None:
        del main.__file__
    sys.modules["__main__"] = main
    exec(compile(code, filename, "exec"), main.__dict__)


def _interpreter(args):
    """Behaves like `python3 [ -c CODE | -m MOD | SCRIPT | - ] ARGS` (or a REPL) with our sys.path."""
    if not args:
        if sys.stdin.isatty():
            import code

            sys.argv = [""]
            code.interact(banner="Python %s (pexpress %s)" % (sys.version.split()[0], PEX_INFO["pexpress"]["kind"]), exitmsg="")
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
    elif first.startswith("-"):
        raise _Fatal("interpreter option %s is not supported here: pass it to python itself (python3 %s ARCHIVE)" % (first, first))
    else:
        import runpy

        sys.argv = list(args)
        sys.path.insert(0, os.path.dirname(os.path.abspath(first)))
        runpy.run_path(first, run_name="__main__")


def _self_archive():
    archive = getattr(globals().get("__loader__"), "archive", None)
    return os.path.abspath(archive or sys.argv[0])


def _boot():
    meta = PEX_INFO["pexpress"]
    kind = meta["kind"]
    self_path = _self_archive()
    _check_interpreter(os.path.basename(self_path), meta["python"], meta["platform"], kind == "deps")
    source_dirs, wheel_dirs = [], []
    if kind == "source":
        source_dirs = [d for d, _ in _activate(self_path, PEX_INFO["pex_hash"])[3]]
    for archive in _deps_archives(self_path, kind):
        archive = os.path.abspath(archive)
        if archive == self_path:
            ident = ("deps", PEX_INFO["pex_hash"])
        else:
            if not os.path.isfile(archive):
                raise _Fatal("PEX_PATH entry %s does not exist: fix PEX_PATH (fetch it with pexpress fetch SHA256 -o FILE)" % archive)
            ident = _read_comment(archive)
            if ident is None:
                raise _Fatal("PEX_PATH entry %s is not a pexpress archive (or is truncated): rebuild or fetch it again" % archive)
            if ident[0] != "deps":
                raise _Fatal("PEX_PATH entry %s is a %s archive, not a deps archive" % (archive, ident[0]))
        kind_, python, platform, entries = _activate(archive, ident[1])
        _check_interpreter(os.path.basename(archive), python, platform, True)
        wheel_dirs.extend(entries)
    _setup_sys_path(self_path, source_dirs, wheel_dirs)

    args = sys.argv[1:]
    if os.environ.get("PEX_INTERPRETER", "").lower() in ("1", "true"):
        return _interpreter(args)
    script = os.environ.get("PEX_SCRIPT")
    if script:
        # The project's own console scripts too (its *.dist-info is in source.pex).
        return _run_script(script, [(d, None) for d in source_dirs] + wheel_dirs)
    module = os.environ.get("PEX_MODULE") or PEX_INFO.get("entry_point")
    if module:
        return _run_module(module)
    return _interpreter(args)


def _main():
    try:
        _boot()
    except _Fatal as e:
        sys.stderr.write("pexpress: %s\n" % e)
        sys.exit(1)


if __name__ == "__main__":
    _main()
