"""Worker access files: the worker's address, id and key, as ``WorkerAccess.export`` writes them.

The file is a Java ``.properties`` text with ``format=rpc-parallel-worker-access-1``; this reads
the subset such files use (``key=value`` lines, ``#`` comments, backslash escapes).
"""

import base64
import os
import stat


class Access:
    """What a client needs to reach one worker: where it listens, its id, and its key."""

    def __init__(self, worker_type, worker_id, name, address, key):
        self.worker_type = worker_type
        self.worker_id = worker_id
        self.name = name
        self.address = address
        self.key = key

    def __repr__(self):
        return "Access(worker %r, id %s, at %s)" % (self.name, self.worker_id, self.address)


FORMAT = "rpc-parallel-worker-access-1"


def load_access(path):
    """Reads an access file; refuses one that other users can read, as the Java runtime does."""
    mode = os.stat(path).st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValueError("The worker access file %s has mode %o: other users could have read its key, so it is"
                         " not used. Export the access again; keep the file mode 0600." % (path, mode & 0o777))
    with open(path, encoding="iso-8859-1") as f:
        properties = _parse_properties(f.read())
    if properties.get("format") != FORMAT:
        raise ValueError("The file %s is not an rpc-parallel worker access: its format is %r, not %r"
                         % (path, properties.get("format"), FORMAT))
    for required in ("workerType", "id", "name", "address", "key"):
        if not properties.get(required):
            raise ValueError("The file %s is not an rpc-parallel worker access: it has no %s" % (path, required))
    return Access(properties["workerType"], properties["id"], properties["name"], properties["address"],
                  base64.b64decode(properties["key"]))


def _parse_properties(text):
    properties = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].lstrip()
        i += 1
        if not line or line[0] in "#!":
            continue
        while _ends_with_continuation(line) and i < len(lines):
            line = line[:-1] + lines[i].lstrip()
            i += 1
        key, value = _split(line)
        properties[_unescape(key)] = _unescape(value)
    return properties


def _ends_with_continuation(line):
    backslashes = len(line) - len(line.rstrip("\\"))
    return backslashes % 2 == 1


def _split(line):
    escaped = False
    for index, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "=: \t":
            rest = line[index + 1:].lstrip(" \t")
            if char in " \t" and rest[:1] in ("=", ":"):
                rest = rest[1:].lstrip(" \t")
            return line[:index], rest
    return line, ""


def _unescape(text):
    out = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "u" and i + 6 <= len(text):
                out.append(chr(int(text[i + 2:i + 6], 16)))
                i += 6
                continue
            out.append({"t": "\t", "n": "\n", "r": "\r", "f": "\f"}.get(nxt, nxt))
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)
