#!/usr/bin/env python3
"""Allocations per extra step between two mprobe.c dumps (a short and a long run of the same
command): prints the total per step, the same split by origin (the first library on the stack
that is not the allocator or the Swift runtime), then each call stack that allocated more in the
long run, with its count per step and its frames (innermost first), symbols resolved with
addr2line and demangled with `swift demangle`.

usage: mprobe-diff.py SHORT.txt LONG.txt EXTRA_STEPS [--top N]
"""
import argparse, collections, os, re, subprocess


def load(path):
    counts = collections.Counter()
    with open(path) as f:
        for line in f:
            count, _, stack = line.strip().partition(' ')
            counts[stack] += int(count)
    return counts


_resolved = {}
# Libraries that only pass an allocation through: the origin is the first frame outside them.
RUNTIME = ('libc.so', 'libswiftCore.so', 'libstdc++.so', 'ld-linux', 'libgcc_s.so')


def frame_object(frame):
    """The library or executable of a frame ('symbol@/path' or '/path+hex')."""
    m = re.fullmatch(r'[^@]+@(.+)', frame) or re.fullmatch(r'(.+)\+[0-9a-f]+', frame)
    return os.path.basename(m.group(1)) if m else '?'


def origin(stack):
    objects = [frame_object(p.strip()) for p in stack.split('|') if p.strip()]
    for o in objects:
        if not o.startswith(RUNTIME) and o != '?':
            return o
    return objects[0] if objects else '?'


def resolve(frame):
    """'symbol@/path' -> symbol; '/path/obj+hex' -> function name via addr2line when the
    object has symbols."""
    if re.fullmatch(r'[^@]+@.+', frame):
        return frame.split('@', 1)[0]
    m = re.fullmatch(r'(.+)\+([0-9a-f]+)', frame)
    if not m or not os.path.exists(m.group(1)):
        return frame
    if frame not in _resolved:
        out = subprocess.run(['addr2line', '-f', '-e', m.group(1), '0x' + m.group(2)],
                             capture_output=True, text=True).stdout.split('\n')[0]
        _resolved[frame] = out if out and out != '??' else os.path.basename(m.group(1)) + '+' + m.group(2)
    return _resolved[frame]


def demangle(names):
    try:
        out = subprocess.run(['swift', 'demangle', '--simplified'], input='\n'.join(names),
                             capture_output=True, text=True).stdout.split('\n')
        return out[:len(names)] if len(out) >= len(names) else names
    except FileNotFoundError:
        return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('short'); ap.add_argument('long'); ap.add_argument('extra_steps', type=int)
    ap.add_argument('--top', type=int, default=12)
    a = ap.parse_args()
    short, long = load(a.short), load(a.long)
    total_short, total_long = sum(short.values()), sum(long.values())
    print(f"allocations: {total_short} (short run), {total_long} (long run), "
          f"{(total_long - total_short) / a.extra_steps:.1f} per extra step")
    by_origin = collections.Counter()
    for stack in set(short) | set(long):
        by_origin[origin(stack)] += long[stack] - short[stack]
    print("per extra step by origin: " + ", ".join(
        f"{name} {count / a.extra_steps:.1f}" for name, count in by_origin.most_common() if count != 0))
    grown = sorted(((long[k] - short[k], k) for k in set(short) | set(long) if long[k] > short[k]), reverse=True)
    for extra, stack in grown[:a.top]:
        frames = [resolve(p.strip()) for p in stack.split('|') if p.strip()]
        names = [n[:90] for n in demangle(frames)]
        print(f"{extra / a.extra_steps:6.1f}/step  " + ' <- '.join(names[:8]))
    if len(grown) > a.top:
        print(f"({len(grown) - a.top} more stacks)")


if __name__ == '__main__':
    main()
