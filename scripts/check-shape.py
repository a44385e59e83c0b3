#!/usr/bin/env python3
"""The tree's shape, checked in CI (make format-check): no C source over 1,000 lines and no
function over 120 lines, unless the file's opening comment, or the comment just above the
function, says why with "Long:" (a table or an algorithm that is naturally that long).

Usage: scripts/check-shape.py [DIR...]   (default: src tests/unit tests/fuzz bench)
Prints each offender as file:line and exits 1 when there is one."""
import os
import re
import sys

MAX_FILE, MAX_FUNC = 1000, 120


def strip(line):
    """A line without its strings, characters and comments, for counting braces."""
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])*'", "''", line)
    line = re.sub(r'/\*.*?\*/', '', line)
    return re.sub(r'//.*', '', line)


def comment_above(lines, i):
    """The comment block that ends right above line i (a function's head), as text."""
    j = i - 1
    while j >= 0 and lines[j].strip() and not lines[j].rstrip().endswith('*/'):
        j -= 1  # the function's own signature lines
    if j < 0 or not lines[j].rstrip().endswith('*/'):
        return ''
    k = j
    while k >= 0 and '/*' not in lines[k]:
        k -= 1
    return '\n'.join(lines[max(k, 0):j + 1])


def functions(lines):
    """(name, first line index, line count) of each function defined at the top level."""
    depth, start, in_comment = 0, None, False
    for i, raw in enumerate(lines):
        line = raw
        if in_comment:
            if '*/' not in line:
                continue
            line, in_comment = line[line.index('*/') + 2:], False
        if '/*' in strip(line.replace('*/', '')) and '*/' not in line[line.index('/*'):]:
            in_comment = True
        s = strip(line)
        if depth == 0 and '{' in s and start is None:
            # a function body opens at depth 0 after a line with a parameter list
            head = ' '.join(lines[max(0, i - 4):i + 1])
            m = re.search(r'(\w+)\s*\([^;{]*\)\s*(__attribute__\(\(.*\)\)\s*)?\{', head, re.S)
            if m and not re.match(r'\s*(struct|enum|union|static const|const)\b[^(]*=', raw):
                sig = i
                while sig > 0 and lines[sig - 1].strip() and not lines[sig - 1].rstrip().endswith(
                        ('*/', ';', '}')) and not lines[sig - 1].startswith('#'):
                    sig -= 1
                start = (m.group(1), sig)
        depth += s.count('{') - s.count('}')
        if depth == 0 and start is not None:
            yield start[0], start[1], i - start[1] + 1
            start = None


def check(path):
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    bad = []
    head = '\n'.join(lines[:12])
    if len(lines) > MAX_FILE and 'Long:' not in head:
        bad.append(f'{path}:1: {len(lines)} lines, over {MAX_FILE}, and its opening comment '
                   f'does not say why (Long: ...)')
    for name, at, n in functions(lines):
        if n > MAX_FUNC and 'Long:' not in comment_above(lines, at):
            bad.append(f'{path}:{at + 1}: function {name} is {n} lines, over {MAX_FUNC}, and '
                       f'the comment above it does not say why (Long: ...)')
    return bad


def main(argv):
    roots = argv or ['src', 'tests/unit', 'tests/fuzz', 'bench']
    bad = []
    for root in roots:
        for d, _, files in os.walk(root):
            for f in sorted(files):
                if f.endswith(('.c', '.h')):
                    bad += check(os.path.join(d, f))
    for b in bad:
        print(b)
    print(f'shape: {len(bad)} file{"s" if len(bad) != 1 else ""} or functions too long')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
