#!/usr/bin/env python3
"""Copies the photos of tools/pristine/photos.tsv out of the installed Debian packages and checks each sha256.

Usage: gather.py MANIFEST OUT [ROOT]

ROOT (default /) is where the packages' files are: / once they are installed, or a folder that `dpkg-deb -x` unpacked
them into.

A row's `path` is a file of an installed package; with a `member`, the path is a Qt resource bundle (.rcc, as
gcompris-qt-data ships its images) and the member is the resource inside it. Every photo lands in OUT/images/ under a
name made of its package and file name, and OUT/CREDITS.tsv lists each with its licence, author and where the licence
is stated. A missing file or a sha256 that differs fails the run (exit 1) after every row has been tried; nothing is
written for a photo that does not match.
"""
import hashlib
import os
import struct
import sys
import zlib


def rcc_member(bundle, member):
    """The bytes of one resource of a Qt .rcc bundle (format versions 1-3; zlib-compressed entries unpacked)."""
    data = open(bundle, 'rb').read()
    if data[:4] != b'qres':
        raise ValueError(f'{bundle} is not a Qt resource bundle')
    version, tree, payload, names = struct.unpack('>IIII', data[4:20])
    entry_size = 22 if version >= 2 else 14

    def name(offset):
        length = struct.unpack('>H', data[names + offset:names + offset + 2])[0]
        return data[names + offset + 6:names + offset + 6 + length * 2].decode('utf-16-be')

    wanted = [p for p in member.strip('/').split('/') if p]
    node = 0
    for depth, part in enumerate(wanted):
        at = tree + node * entry_size
        flags = struct.unpack('>H', data[at + 4:at + 6])[0]
        if not flags & 2:
            raise KeyError(member)
        count, first = struct.unpack('>II', data[at + 6:at + 14])
        for child in range(first, first + count):
            if name(struct.unpack('>I', data[tree + child * entry_size:tree + child * entry_size + 4])[0]) == part:
                node = child
                break
        else:
            raise KeyError(member)
    at = tree + node * entry_size
    flags = struct.unpack('>H', data[at + 4:at + 6])[0]
    if flags & 2:
        raise KeyError(f'{member} is a folder')
    offset = struct.unpack('>I', data[at + 10:at + 14])[0]
    start = payload + offset
    length = struct.unpack('>I', data[start:start + 4])[0]
    raw = data[start + 4:start + 4 + length]
    if flags & 1:
        raw = zlib.decompress(raw[4:])  # a 4-byte uncompressed size, then zlib
    elif flags & 4:
        raise ValueError(f'{member}: zstd-compressed resources are not supported')
    return raw


def output_name(row):
    inner = row['member'] or row['path']
    parts = [p for p in inner.split('/') if p]
    return f"{row['package']}-{'-'.join(parts[-2:])}"


def main():
    manifest, out = sys.argv[1], sys.argv[2]
    root = sys.argv[3] if len(sys.argv) > 3 else '/'
    with open(manifest, encoding='utf-8') as f:
        lines = [line.rstrip('\n') for line in f if not line.startswith('#') and line.strip()]
    header = lines[0].split('\t')
    rows = [dict(zip(header, line.split('\t'))) for line in lines[1:]]
    os.makedirs(os.path.join(out, 'images'), exist_ok=True)
    problems, credits, names = [], [], set()
    for row in rows:
        name = output_name(row)
        if name in names:
            problems.append(f'{name}: two rows give the same file name')
            continue
        names.add(name)
        path = os.path.join(root, row['path'].lstrip('/'))
        try:
            data = rcc_member(path, row['member']) if row['member'] else open(path, 'rb').read()
        except (OSError, KeyError, ValueError) as e:
            problems.append(f"{row['package']} {row['path']} {row['member']}: {e}")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != row['sha256']:
            problems.append(f"{name}: sha256 {digest}, the manifest says {row['sha256']} (package version {row['version']}?)")
            continue
        with open(os.path.join(out, 'images', name), 'wb') as f:
            f.write(data)
        credits.append([name, row['licence'], row['author'], f"{row['package']} {row['version']}", row['stated_in']])
    with open(os.path.join(out, 'CREDITS.tsv'), 'w', encoding='utf-8') as f:
        f.write('file\tlicence\tauthor\tpackage\tstated_in\n')
        for c in credits:
            f.write('\t'.join(c) + '\n')
    print(f'{len(credits)} of {len(rows)} photos in {out}/images (credits: {out}/CREDITS.tsv)')
    for p in problems:
        print(f'error: {p}', file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
