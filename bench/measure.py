# One timed process for the benchmarks: wall time and peak RSS, with nothing else on the clock.
#
#   python3 -I -S bench/measure.py RESULT_FILE -- CMD ARGS...
#
# Spawns CMD (inheriting cwd, environment and stdio), waits for it with wait4() and writes one JSON
# line to RESULT_FILE: {"wall": seconds, "maxrss_kib": peak RSS, "status": exit code}. The clock
# runs from just before posix_spawn to the return of wait4, so this wrapper's own start-up is not
# counted. wait4's rusage is the child's and its waited-for descendants' (ru_maxrss is the largest
# single process, as GNU time's %M), so it works without /usr/bin/time. Stdlib only.
import json
import os
import shutil
import sys
import time


def main():
    result, sep, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
    if sep != "--" or not cmd:
        sys.stderr.write("usage: measure.py RESULT_FILE -- CMD ARGS...\n")
        return 2
    exe = cmd[0] if os.sep in cmd[0] else shutil.which(cmd[0])
    if exe is None:
        sys.stderr.write("measure.py: %s: not found\n" % cmd[0])
        return 127
    t0 = time.perf_counter()
    pid = os.posix_spawn(exe, cmd, os.environ)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    with open(result, "w") as f:
        f.write(json.dumps({"wall": wall, "maxrss_kib": usage.ru_maxrss, "status": code,
                            "user": usage.ru_utime, "sys": usage.ru_stime}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
