# pexpress runtime: the cold path (stdlib only, Python >= 3.9).
#
# Extraction, console scripts, re-execution and interpreter options: the build embeds this file in
# the bootstrap as a string, compiled only when one of these is needed (see _cold() there), so a
# warm start of an entry point never pays for compiling it. It runs in the bootstrap's namespace:
# _Fatal, _debug, _warn, _ROOTS, _LAYOUT, _ORIG_ARGV, _REEXEC, _REEXECED, _pex_root, _call and
# _check_interpreter come from bootstrap.py.
import os
import sys

def _private_root():
    import atexit
    import shutil
    import tempfile

    path = tempfile.mkdtemp(prefix="pexpress-")
    atexit.register(shutil.rmtree, path, True)
    root = os.path.join(path, "pexpress")
    _ROOTS.append(root)
    return root


def _prepare_root(root):
    """Creates the cache layout and takes the extraction lock. Returns the lock fd, or None when the
    root cannot be written (read-only container, foreign owner): the caller falls back."""
    import errno

    try:
        for sub in ("archives", "wheels", "code"):
            os.makedirs(os.path.join(root, sub), exist_ok=True)
        fd = os.open(os.path.join(root, ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR):
            return None, e
        raise _Fatal("cannot create %s (%s): set PEX_ROOT to a writable directory" % (root, e.strerror))
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)
    except (ImportError, OSError):
        pass  # no locking here (some network filesystems): extractions still never corrupt each other
    return fd, None


def _clean_stale(root):
    """Removes temp trees of extractions whose process is gone (killed mid-way)."""
    import shutil

    for sub in ("wheels", "code", "archives", "boot"):
        d = os.path.join(root, sub)
        try:
            names = os.listdir(d)
        except OSError:
            continue
        for name in names:
            if not (name.startswith(".") and name.endswith(".tmp")):
                continue
            try:
                pid = int(name.split(".")[1])
                os.kill(pid, 0)
                continue
            except ProcessLookupError:
                pass
            except (ValueError, IndexError, PermissionError):
                continue
            _debug("removing %s left by a killed extraction" % name)
            path = os.path.join(d, name)
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    os.unlink(path)
                except OSError:
                    pass


def _extract(archive, archive_hash, settings):
    """Cold path: verifies and extracts under the lock, falling back to a private root when the
    configured one cannot be written. Returns (root, marker text)."""
    import errno

    root = _ROOTS[0] if _ROOTS else _pex_root(settings)
    if len(_ROOTS) > 1:
        root = _ROOTS[-1]
    fd, why = _prepare_root(root)
    if fd is None:
        _warn("%s is not writable (%s): extracting to a private temporary directory, removed at exit; set PEX_ROOT "
              "to a writable directory to extract once" % (root, why.strerror))
        root = _private_root()
        fd, why = _prepare_root(root)
        if fd is None:
            raise _Fatal("cannot create %s (%s): set TMPDIR or PEX_ROOT to a writable directory" % (root, why.strerror))
    try:
        marker = os.path.join(root, "archives", archive_hash)
        if os.path.isfile(marker):
            with open(marker) as f:
                _debug("another process extracted %s first" % archive)
                return root, f.read()
        _clean_stale(root)
        _debug("extracting %s to %s" % (archive, root))
        tmp = os.path.join(root, "archives", ".%d.%s.tmp" % (os.getpid(), os.urandom(4).hex()))
        try:
            extraction = _Extraction(archive, archive_hash, root, settings)
            text = extraction.run()
            with open(tmp, "w") as f:
                f.write(text)
            os.replace(tmp, marker)
        except OSError as e:
            if os.path.exists(tmp):
                os.unlink(tmp)
            if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM):
                raise _Fatal("cannot extract %s into %s (%s): free space there or set PEX_ROOT to a larger, writable "
                             "directory" % (os.path.basename(archive), root, e.strerror))
            raise _Fatal("cannot extract %s into %s (%s)" % (os.path.basename(archive), root, e))
        if extraction.main is not None and root == _ROOTS[0]:
            _save_boot_source(root, archive_hash, extraction.main)
        return root, text
    finally:
        os.close(fd)


class _Extraction(object):
    """One sequential pass over the archive's bytes: everything read is hashed, and what is extracted
    is exactly what was hashed (a file rewritten while we read it cannot slip other bytes in). Each
    unit (a wheel of a deps archive, the code of a source archive) lands in a directory named by the
    hash of its extracted content; the archive's marker is written only when the whole archive
    hashes to the hash its comment names."""

    def __init__(self, archive, archive_hash, root, settings):
        self.archive = archive
        self.name = os.path.basename(archive)
        self.hash = archive_hash
        self.root = root
        self.settings = settings

    main = None  # a source archive's __main__.py, once the whole archive is verified

    def refuse(self, why):
        raise _Fatal("refusing to extract %s: %s (corrupt or malicious archive; fetch it again)" % (self.archive, why))

    def run(self):
        import shutil

        self.temps = []
        try:
            with open(self.archive, "rb") as f:
                return self._run(f)
        finally:
            for t in self.temps:
                shutil.rmtree(t, ignore_errors=True)

    def _run(self, f):
        import hashlib
        import json
        import stat
        import struct
        import zlib

        size = os.fstat(f.fileno()).st_size
        n = min(size, (1 << 16) + 22)
        f.seek(size - n)
        tail = f.read(n)
        comment = ("pexpress:%d:" % _LAYOUT).encode()
        eocd = tail.rfind(b"PK\x05\x06")
        if eocd < 0 or eocd + 22 > len(tail):
            self.refuse("no zip directory")
        clen = struct.unpack("<H", tail[eocd + 20:eocd + 22])[0]
        if eocd + 22 + clen != len(tail) or not tail[eocd + 22:].startswith(comment):
            self.refuse("its zip comment is not the last thing in the file")
        if tail[eocd + 22:].decode("ascii", "replace").split(":")[-1] != self.hash:
            self.refuse("its comment changed while it was read")
        body_end = size - clen
        count, cd_size, cd_off = struct.unpack("<HII", tail[eocd + 10:eocd + 20])
        cd_end = size - n + eocd
        if count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_off == 0xFFFFFFFF:
            loc = eocd - 20
            if loc < 0 or tail[loc:loc + 4] != b"PK\x06\x07":
                self.refuse("a zip64 directory without its locator")
            rec = struct.unpack("<Q", tail[loc + 8:loc + 16])[0]
            f.seek(rec)
            z64 = f.read(56)
            if len(z64) != 56 or z64[:4] != b"PK\x06\x06":
                self.refuse("a damaged zip64 directory")
            count, _, cd_size, cd_off = struct.unpack("<QQQQ", z64[24:56])
            cd_end = rec
        if cd_off + cd_size != cd_end or cd_end > body_end:
            self.refuse("its zip directory is not where its end record says")
        f.seek(cd_off)
        directory = f.read(body_end - cd_off)
        if len(directory) != body_end - cd_off:
            self.refuse("it is truncated")

        # The central directory decides what is extracted; every check happens before any write.
        entries = []
        names = set()
        files = set()
        pos = 0
        for _ in range(count):
            if directory[pos:pos + 4] != b"PK\x01\x02":
                self.refuse("a damaged zip directory entry")
            (flags, method, crc, csize, usize, nlen, xlen, klen) = struct.unpack(
                "<HHxxxxIIIHHH", directory[pos + 8:pos + 34])
            attr, offset = struct.unpack("<II", directory[pos + 38:pos + 46])
            raw = directory[pos + 46:pos + 46 + nlen]
            if 0xFFFFFFFF in (csize, usize, offset):
                # Past 4 GiB (a multi-gigabyte deps archive): the real values are in the zip64 field.
                usize, csize, offset = self._zip64(raw, directory[pos + 46 + nlen:pos + 46 + nlen + xlen],
                                                   (usize, csize, offset))
            pos += 46 + nlen + xlen + klen
            try:
                name = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.refuse("an entry name that is not UTF-8")
            is_dir = name.endswith("/")
            bare = name[:-1] if is_dir else name
            parts = bare.split("/")
            if (bare == "" or name.startswith("/") or "\\" in name or (len(name) > 1 and name[1] == ":")
                    or not name.isprintable() or any(p in ("", ".", "..") for p in parts)):
                self.refuse("entry %r escapes the extraction directory or has an invalid name" % name)
            mode = attr >> 16
            if stat.S_ISLNK(mode):
                self.refuse("entry %r is a symbolic link" % name)
            if bare in names:
                self.refuse("entry %r appears twice" % name)
            names.add(bare)
            if not is_dir:
                files.add(bare)
            if flags & 0x1:
                self.refuse("entry %r is encrypted" % name)
            if flags & 0x8:
                self.refuse("entry %r uses a data descriptor (pexpress never writes one)" % name)
            if method not in (0, 8):
                self.refuse("entry %r uses compression method %d" % (name, method))
            if method == 0 and csize != usize:
                self.refuse("stored entry %r declares two sizes" % name)
            entries.append((offset, name, bare, is_dir, bool(mode & 0o111), method, crc, csize, usize, raw))
        if pos != cd_size:
            self.refuse("its zip directory has %d bytes more than its entries" % (cd_size - pos))
        for bare in names:
            parent = bare.rpartition("/")[0]
            while parent:
                if parent in files:
                    self.refuse("entry %r is both a file and a directory" % parent)
                parent = parent.rpartition("/")[0]
        entries.sort()
        for a, b in zip(entries, entries[1:]):
            if a[0] + 30 + len(a[9]) + a[7] > b[0]:
                self.refuse("entries %r and %r overlap" % (a[1], b[1]))
        if entries and entries[-1][0] + 30 + len(entries[-1][9]) + entries[-1][7] > cd_off:
            self.refuse("entry %r overlaps the zip directory" % entries[-1][1])

        info_entry = [e for e in entries if e[1] == "PEX-INFO"]
        if not info_entry:
            self.refuse("it has no PEX-INFO")
        info_bytes = self._read_member(f, info_entry[0])
        try:
            info = json.loads(info_bytes.decode("utf-8"))
            meta = info["pexpress"]
            kind, python, platform = meta["kind"], meta["python"], meta["platform"]
        except (ValueError, KeyError, TypeError):
            self.refuse("its PEX-INFO is not valid")
        if kind not in ("deps", "source"):
            self.refuse("its PEX-INFO names an unknown kind %r" % kind)
        # They end up in the marker's first line and in version checks: plain tokens only.
        if not (isinstance(python, str) and python.count(".") == 1 and python.replace(".", "").isdigit()):
            self.refuse("its PEX-INFO names an invalid python %r" % (python,))
        if not (isinstance(platform, str) and platform and platform.replace("_", "").replace(".", "").isalnum()):
            self.refuse("its PEX-INFO names an invalid platform %r" % (platform,))
        if kind == "source" or _independent(info.get("distributions") or {}, python):
            python += "+"
        _check_interpreter(self.name, python, platform, kind == "deps", self.settings)

        # Units: what is extracted where. __main__.py and PEX-INFO run from the zip, never from disk.
        units = {}
        plan = []
        for e in entries:
            name = e[1]
            if name in ("__main__.py", "PEX-INFO"):
                plan.append((e, None, None))
                continue
            if kind == "deps":
                if not name.startswith(".deps/"):
                    self.refuse("entry %r is outside .deps/ in a deps archive" % name)
                head, _, rel = name[6:].partition("/")
                if not head:
                    plan.append((e, None, None))  # the .deps/ directory itself
                    continue
                unit = head
            else:
                unit, rel = "", name
            plan.append((e, unit, rel))
            if unit not in units:
                units[unit] = [0, None, None, hashlib.sha256(), False, set(), set()]
            units[unit][0] += 1
            if rel and "/" not in rel.rstrip("/") and rel.endswith(".pth"):
                units[unit][4] = True
            top = _importable_name(rel)
            if top:
                units[unit][6].add(top)
        total = sum(e[8] for e in entries)
        try:
            st = os.statvfs(self.root)
            free = st.f_bavail * st.f_frsize
        except OSError:
            free = None
        if free is not None and total > free:
            raise _Fatal("cannot extract %s into %s: it declares %d MB and only %d MB are free; free space there or set "
                         "PEX_ROOT to a larger directory" % (self.name, self.root, total >> 20, free >> 20))

        h = hashlib.sha256()
        f.seek(0)
        at = 0
        pending_info = None
        main = None
        for e, unit, rel in plan:
            offset, name, bare, is_dir, executable, method, crc, csize, usize, raw = e
            if offset < at:
                self.refuse("entry %r overlaps another" % name)
            while at < offset:  # bytes between members (none from pexpress): hashed, never held whole
                gap = f.read(min(offset - at, 1 << 20))
                if not gap:
                    self.refuse("it is truncated before entry %r" % name)
                h.update(gap)
                at += len(gap)
            header = f.read(30)
            h.update(header)
            if len(header) != 30 or header[:4] != b"PK\x03\x04":
                self.refuse("entry %r has no local header" % name)
            lflags, lmethod, lcrc, lcsize, lusize, lnlen, lxlen = struct.unpack("<xxHHxxxxIIIHH", header[4:30])
            lname = f.read(lnlen + lxlen)
            h.update(lname)
            if 0xFFFFFFFF in (lcsize, lusize):
                lusize, lcsize = self._zip64(raw, lname[lnlen:], (0xFFFFFFFF, 0xFFFFFFFF))
            if (lflags & 0x9, lmethod, lcrc, lcsize, lusize) != (0, method, crc, csize, usize):
                self.refuse("entry %r: its local header disagrees with the directory" % name)
            if lname[:lnlen] != raw:
                self.refuse("entry %r: its local header names %r" % (name, lname[:lnlen]))
            at = offset + 30 + lnlen + lxlen + csize
            u = units.get(unit) if unit is not None else None
            out = None
            if u is not None and not is_dir:
                if u[1] is None:
                    self._start_unit(unit, u)
                u[3].update(b"%s\0%s\0%d\0" % (rel.encode("utf-8"), b"x" if executable else b"-", usize))
                path = os.path.join(u[1], *rel.split("/"))
                parent = os.path.dirname(path)
                if parent not in u[5]:
                    os.makedirs(parent, exist_ok=True)
                    u[5].add(parent)
                out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o755 if executable else 0o644)
            elif u is not None:
                if u[1] is None:
                    self._start_unit(unit, u)
                u[3].update(b"%s\0d\0" % rel.encode("utf-8"))
                if rel:
                    path = os.path.join(u[1], *rel.rstrip("/").split("/"))
                    os.makedirs(path, exist_ok=True)
                    u[5].add(path)
            keep = name == "PEX-INFO" or (name == "__main__.py" and kind == "source")
            kept = []
            z = zlib.decompressobj(-15) if method == 8 else None
            produced = 0
            check = 0
            left = csize
            try:
                while left > 0:
                    chunk = f.read(min(left, 1 << 20))
                    if not chunk:
                        self.refuse("it is truncated inside entry %r" % name)
                    left -= len(chunk)
                    h.update(chunk)
                    data = z.decompress(chunk, usize - produced + 1) if z else chunk
                    if z and z.unconsumed_tail:
                        self.refuse("entry %r inflates past its declared size %d" % (name, usize))
                    produced += len(data)
                    if produced > usize:
                        self.refuse("entry %r inflates past its declared size %d" % (name, usize))
                    check = zlib.crc32(data, check)
                    if u is not None:
                        u[3].update(data)
                    if out is not None:
                        os.write(out, data) if len(data) < 65536 else _write_all(out, data)
                    if keep:
                        kept.append(data)
                if z:
                    rest = z.flush()
                    produced += len(rest)
                    if produced > usize:
                        self.refuse("entry %r inflates past its declared size %d" % (name, usize))
                    check = zlib.crc32(rest, check)
                    if u is not None:
                        u[3].update(rest)
                    if out is not None:
                        _write_all(out, rest)
                    if keep:
                        kept.append(rest)
                    if not z.eof or z.unused_data:
                        self.refuse("entry %r is not one complete deflate stream" % name)
            except zlib.error as err:
                self.refuse("entry %r does not inflate (%s)" % (name, err))
            finally:
                if out is not None:
                    os.close(out)
            if produced != usize or check != crc:
                self.refuse("entry %r does not match its declared size and CRC" % name)
            if keep and name == "PEX-INFO":
                pending_info = b"".join(kept)
            elif keep:
                main = b"".join(kept)
            if u is not None:
                u[0] -= 1
                if u[0] == 0:
                    self._finish_unit(unit, u)
        h.update(f.read(cd_off - at))
        rest = f.read(body_end - cd_off)
        h.update(rest)
        if rest != directory:
            self.refuse("its zip directory changed while it was read")
        if pending_info != info_bytes:
            self.refuse("its PEX-INFO changed while it was read")
        if h.hexdigest() != self.hash:
            self.refuse("its bytes hash to %s, not to the %s its comment names" % (h.hexdigest()[:16], self.hash[:16]))
        if kind == "source":
            self.main = main

        lines = ["pexpress-archive %d %s %s %s" % (_LAYOUT, kind, python, platform)]
        for unit in sorted(units):
            u = units[unit]
            # The fourth field: the top-level names a wheel provides, for the bootstrap's import index.
            lines.append("%s %s %s %s" % ("p" if u[4] else "-", u[2], (unit or ".").replace(" ", "_"),
                                          ",".join(sorted(u[6])) if unit else ""))
        return "\n".join(lines) + "\n"

    def _zip64(self, raw, extra, values):
        """The zip64 extended information field (0x0001) holds, in this order, each of (uncompressed
        size, compressed size, offset) whose 32-bit field is 0xFFFFFFFF."""
        import struct

        at = 0
        while at + 4 <= len(extra):
            tag, size = struct.unpack("<HH", extra[at:at + 4])
            if tag == 0x0001:
                data = extra[at + 4:at + 4 + size]
                out = []
                for v in values:
                    if v == 0xFFFFFFFF:
                        if len(data) < 8:
                            break
                        v = struct.unpack("<Q", data[:8])[0]
                        data = data[8:]
                    out.append(v)
                else:
                    return tuple(out)
                break
            at += 4 + size
        self.refuse("entry %r declares zip64 sizes without a complete zip64 field" % raw.decode("utf-8", "replace"))

    def _start_unit(self, unit, u):
        sub = "wheels" if unit else "code"
        u[1] = os.path.join(self.root, sub, ".%d.%s.tmp" % (os.getpid(), os.urandom(4).hex()))
        os.mkdir(u[1])
        self.temps.append(u[1])
        u[5].add(u[1])

    def _finish_unit(self, unit, u):
        import shutil

        sub = "wheels" if unit else "code"
        if u[1] is None:  # a unit with directories only
            self._start_unit(unit, u)
        digest = u[3].hexdigest()
        final = os.path.join(self.root, sub, digest)
        u[2] = sub + "/" + digest
        if os.path.isdir(final):
            _debug("%s already extracted as %s" % (unit or "code", final))
            shutil.rmtree(u[1], ignore_errors=True)
        else:
            try:
                os.rename(u[1], final)
            except OSError:
                if not os.path.isdir(final):
                    raise
                shutil.rmtree(u[1], ignore_errors=True)
        self.temps.remove(u[1])

    def _read_member(self, f, e):
        import struct
        import zlib

        offset, name, bare, is_dir, executable, method, crc, csize, usize, raw = e
        f.seek(offset)
        header = f.read(30)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            self.refuse("entry %r has no local header" % name)
        lnlen, lxlen = struct.unpack("<HH", header[26:30])
        f.seek(offset + 30 + lnlen + lxlen)
        data = f.read(csize)
        try:
            if method == 8:
                z = zlib.decompressobj(-15)
                data = z.decompress(data, usize + 1)
        except zlib.error as err:
            self.refuse("entry %r does not inflate (%s)" % (name, err))
        if len(data) != usize or zlib.crc32(data) != crc:
            self.refuse("entry %r does not match its declared size and CRC" % name)
        return data


def _importable_name(rel):
    """The top-level module or package name an entry of a wheel provides (`pkg/x.py` -> pkg,
    `mod.cpython-311-x86_64-linux-gnu.so` -> mod), or None: metadata, scripts, data, .pth files."""
    first, sep, _ = rel.partition("/")
    if sep:
        name = first
    else:
        name, dot, suffix = first.partition(".")
        if not dot or not (suffix in ("py", "pyc", "so") or suffix.endswith(".so")):
            return None
    return name if name.isidentifier() else None


def _atomic_write(path, data):
    tmp = os.path.join(os.path.dirname(path), ".%d.%s.tmp" % (os.getpid(), os.urandom(4).hex()))
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _save_boot_source(root, archive_hash, main):
    """Keeps the verified bootstrap of a source archive as boot/<hash>.py: what _write_boot compiles.
    Only bytes that hashed to <hash> land under that name, like every other extraction."""
    try:
        os.makedirs(os.path.join(root, "boot"), exist_ok=True)
        _atomic_write(os.path.join(root, "boot", archive_hash + ".py"), main)
    except OSError as e:
        _debug("no boot entry for %s (%s)" % (archive_hash[:12], e.strerror))


def _write_boot(base):
    """boot/<hash>.pyc (the bootstrap compiled for this interpreter), then boot/<hash> (this
    interpreter's path): the shell preamble execs one with the other once the second exists."""
    import marshal
    import _frozen_importlib_external

    python = os.path.realpath(sys.executable or "")
    if not os.path.isabs(python) or "\n" in python:
        return
    try:
        with open(base + ".py", "rb") as f:
            code = compile(f.read(), "<pexpress bootstrap>", "exec", dont_inherit=True, optimize=0)
        # A pyc header with no source to check against: python runs a .pyc file given as the script
        # after checking its magic number only.
        _atomic_write(base + ".pyc", _frozen_importlib_external.MAGIC_NUMBER + b"\0" * 12 + marshal.dumps(code))
        _atomic_write(base, (python + "\n").encode("utf-8"))
        _debug("wrote %s for %s" % (base, python))
    except (OSError, SyntaxError, ValueError) as e:
        _debug("no boot entry at %s (%s)" % (base, e))


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _independent(distributions, python):
    """True when every wheel runs on any CPython minor at or above the target (py3-none-*, abi3)."""
    want = tuple(int(x) for x in python.split("."))
    for wheel in distributions:
        parts = wheel[:-4].split("-")
        if len(parts) < 5:
            return False
        pys, abis = parts[-3].split("."), parts[-2].split(".")
        if "none" in abis and any(p in ("py3", "py2.py3") or p == "py3" for p in pys):
            continue
        if "abi3" in abis and all(p.startswith("cp3") and p[3:].isdigit() and (3, int(p[3:])) <= want for p in pys):
            continue
        return False
    return True


def _find_python(name, settings):
    if os.sep in name:
        return name if os.access(name, os.X_OK) else None
    search = settings.get("PEX_PYTHON_PATH") or os.environ.get("PATH", "")
    for d in search.split(os.pathsep):
        candidate = os.path.join(d, name)
        if d and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
        if os.path.isfile(d) and os.path.basename(d) == name and os.access(d, os.X_OK):
            return d
    return None


def _reexec(python, what):
    """Runs this archive again under another interpreter, once (a loop would be a bug, not a fix)."""
    if not python or _REEXECED:
        return
    _debug("re-executing with %s (%s)" % (python, what))
    os.environ[_REEXEC] = python
    argv = [python] + list(_ORIG_ARGV)
    try:
        os.execv(python, argv)
    except OSError as e:
        raise _Fatal("cannot run %s (%s): fix PEX_PYTHON or PATH" % (python, e.strerror))


def _run_script(name, wheel_dirs, source_dirs):
    """A console script of the project itself (its *.dist-info is in source.pex) or of a dependency
    (its entry points, or a file it ships in .data/scripts)."""
    found = {}
    for d, _ in [(s, None) for s in source_dirs] + list(wheel_dirs):
        if not os.path.isdir(d):
            continue
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
        raise _Fatal("PEX_SCRIPT=%s: no such script in the archives; available: %s"
                     % (name, ", ".join(sorted(found)) or "none"))
    how, target = found[name]
    # sys.path[0] of a console script is its own directory; tools such as dagster drop it before
    # importing the user's code. As with pex, the user's code stays on sys.path after that drop.
    if source_dirs:
        sys.path.insert(0, source_dirs[0])
    if how == "entry":
        # As for a console script in a venv: argv[0] is a file that runs the same thing again.
        sys.argv[0] = _ORIG_ARGV[0]
        _call(target)
    with open(target, "rb") as f:
        first = f.readline()
    if not (first.startswith(b"#!") and b"python" in first):
        # A binary (uwsgi) or a non-Python script: exec it with the composed environment, and
        # the archive's sys.path as PYTHONPATH for an interpreter it may embed.
        composed = [p for p in sys.path[1:] if p]
        old = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = os.pathsep.join(composed + ([old] if old else []))
        try:
            os.execv(target, [target] + sys.argv[1:])
        except OSError as e:
            raise _Fatal("cannot run script %s (%s)" % (target, e.strerror))
    import runpy

    sys.argv[0] = target
    runpy.run_path(target, run_name="__main__")


# Interpreter options python accepts before the script; those after the archive are applied by
# running the archive again with them in front (they change how the interpreter starts).
_PY_FLAGS = "bBdEiIOPqRsSuv"
_PY_FLAGS_WITH_ARG = "WX"


def _split_flags(args):
    """Splits leading interpreter options (`-u -O`, `-uO`, `-W error`) from what follows them."""
    flags = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            return flags, args[i + 1:]
        if not a.startswith("-") or a in ("-", "-c", "-m") or a.startswith("--"):
            break
        for j in range(1, len(a)):
            ch = a[j]
            if ch in "cm":
                rest = [a[j + 1:]] if a[j + 1:] else []
                return flags, ["-" + ch] + rest + args[i + 1:]
            if ch in _PY_FLAGS_WITH_ARG:
                value = a[j + 1:]
                if not value:
                    i += 1
                    if i >= len(args):
                        raise _Fatal("interpreter option -%s needs an argument" % ch)
                    value = args[i]
                flags.extend(["-" + ch, value])
                break
            if ch not in _PY_FLAGS:
                raise _Fatal("interpreter option %s is not supported here: pass it to python before the archive "
                             "(python3 %s ARCHIVE)" % (a, a))
            flags.append("-" + ch)
        i += 1
    return flags, args[i:]
