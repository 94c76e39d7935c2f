"""A `sof` that crashes says so: `sof serve` sent SIGSEGV prints the
signal and a backtrace on stderr, then dies of the signal as before (exit
status and core dump unchanged). Sanitizer builds keep their own handler
(their reports are better), so there the line must not appear.

    cli_crash_report_test.py SOF
"""
import os
import signal
import subprocess
import sys
import tempfile

from cli_common import INSTRUMENTED, check, scaled


def main(sof):
    with tempfile.TemporaryDirectory() as d:
        proc = subprocess.Popen([sof, "serve", "--port", "0", "--data", os.path.join(d, "data")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = proc.stdout.readline()
        check(first.startswith("sof: listening on"), f"server did not start: {first!r}")
        proc.send_signal(signal.SIGSEGV)
        _, err = proc.communicate(timeout=scaled(30))
        if INSTRUMENTED:  # ASan reports the SEGV itself and exits 1
            check(proc.returncode != 0 and "sof: fatal signal" not in err,
                  f"sanitizer build: rc={proc.returncode}, our handler ran:\n{err[-2000:]}")
            print(f"sanitizer build: its own handler reported the signal (rc={proc.returncode})")
            return
        check(proc.returncode == -signal.SIGSEGV, f"exit status {proc.returncode}\n{err[-2000:]}")
        lines = err.splitlines()
        at = [i for i, l in enumerate(lines) if l == "sof: fatal signal 11"]
        check(at, f"no 'sof: fatal signal 11' line:\n{err[-2000:]}")
        frames = [l for l in lines[at[0] + 2:] if "(" in l and "[0x" in l]
        check(len(frames) >= 3 and any("sof(" in f for f in frames),
              f"no backtrace of sof frames:\n{err[-2000:]}")
        print(f"crash reported with {len(frames)} frames, exit status {proc.returncode}")


if __name__ == "__main__":
    main(sys.argv[1])
