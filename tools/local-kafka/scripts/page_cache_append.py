"""Kernel CPU per MB appended to a log, the way a Kafka broker appends: 1 MB writes into fixed-size segment files at
a steady rate, the oldest segments deleted beyond a size limit at a fixed check interval.

On a VM whose balloon driver reports free memory to its host, pages that sat free are unbacked, and the first write
into them traps to the host; pages freed a moment ago are reused while still backed. BENCHMARKS.md (issue 16,
session 12) has the figures this gave and why LocalKafkaBroker checks retention every second.

    /usr/bin/python3 page_cache_append.py DIR RATE_MB_S SECONDS KEEP_MB CHECK_S SEGMENT_MB
    e.g. page_cache_append.py /tmp/pc 75 30 256 1 64      (standard library only)
"""
import os
import resource
import sys
import time


def main(directory, rate, seconds, keep_mb, check_s, segment_mb):
    os.makedirs(directory, exist_ok=True)
    chunk = os.urandom(1 << 20)
    segments, fd, written, created = [], None, 0, 0
    start = last_check = time.time()
    before = resource.getrusage(resource.RUSAGE_SELF)
    while time.time() - start < seconds:
        if fd is None or written % segment_mb == 0:
            if fd is not None:
                os.close(fd)
            path = os.path.join(directory, "seg%06d" % created)
            created += 1
            segments.append(path)
            fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND)
        os.write(fd, chunk)
        written += 1
        now = time.time()
        if now - last_check >= check_s:
            last_check = now
            while len(segments) * segment_mb > keep_mb:
                os.unlink(segments.pop(0))
        due = start + written / rate
        if due > now:
            time.sleep(due - now)
    os.close(fd)
    after = resource.getrusage(resource.RUSAGE_SELF)
    print("%s keep=%d MB check=%.1f s: %d MB, kernel %.2f ms/MB, user %.2f ms/MB" % (
        directory, keep_mb, check_s, written, (after.ru_stime - before.ru_stime) * 1000 / written,
        (after.ru_utime - before.ru_utime) * 1000 / written))
    for path in segments:
        os.unlink(path)


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    a = sys.argv[1:]
    main(a[0], float(a[1]), float(a[2]), int(a[3]), float(a[4]), int(a[5]))
