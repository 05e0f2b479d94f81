#!/usr/bin/env python3
"""Write the hand-made seeds of every fuzz corpus (tests/fuzz/corpus/TARGET/).

Run from anywhere: python3 tests/fuzz/make_seeds.py. Files are named
seed-*, so seeds are told apart from inputs a fuzzer adds. Re-running
rewrites the seeds and leaves other files alone.
"""
import gzip
import io
import json
import os
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- Containerfile
CONTAINERFILES = {
    "simple": "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nCMD [\"curl\", \"--version\"]\n",
    "multistage": """# syntax=docker/dockerfile:1
ARG BASE=alpine:3.19
FROM ${BASE} AS build
ARG A
ENV P=/opt/app N=${A:-none}
WORKDIR $P
COPY --chown=1:1 --chmod=0755 src/ ./
RUN --mount=type=cache,target=/root/.cache make
FROM scratch
COPY --from=build /opt/app/bin /bin
ENTRYPOINT ["/bin/app"]
""",
    "heredoc": "FROM busybox\nRUN <<EOF\necho hi\necho ${X:+set}\nEOF\nCOPY <<-'A' <<B /dst/\n\tone\n\tA\ntwo\nB\n",
    "escape": "# escape=`\nFROM mcr/windows\nRUN dir `\n  c:\\ `\n  && echo \"`\"\"\nLABEL a=\"b c\" d=e\n",
    "everything": """FROM --platform=$TARGETARCH img AS base
MAINTAINER someone
LABEL org.x="1" \\
      y=2
EXPOSE 80/tcp 53/udp 8080
VOLUME ["/data", "/logs"]
USER 1000:1000
HEALTHCHECK --interval=30s --timeout=5s --start-period=1m30s --retries=3 CMD curl -f http://localhost/ || exit 1
STOPSIGNAL SIGTERM
SHELL ["/bin/bash", "-c"]
ONBUILD RUN echo built
ENV A=${B:-x} C="${D#pre}" E=${F%suf} G=${H/a/b}
ADD --checksum=sha256:0000000000000000000000000000000000000000000000000000000000000000 http://x/y /z
FROM base AS build
COPY --from=base /a /b
RUN --mount=type=bind,from=base,source=/s,target=/t true
""",
    "errors": "RUN before from\nFROM\nFROM a AS a\nCOPY --from=later x y\nFROM b AS later\nHEALTHCHECK --interval=x CMD y\nENV\nARG =\nUNKNOWN x\n",
    "continuations": "FROM a\nRUN a \\\n\n  # comment\n  b \\\n  c\\\n",
    "nested-vars": "ARG X=${Y:-${Z:-${W:?required}}}\nFROM a\nARG X\nRUN echo ${X} $X \\$X '${X}' \"${X}\" ${X:0:1}\n",
}

# ---------------------------------------------------------------- references
REFERENCES = [
    "debian",
    "debian:12",
    "library/debian:12-slim",
    "docker.io/debian",
    "docker.io/library/debian:latest",
    "quay.io/org/app:v1.2.3",
    "localhost/img",
    "localhost:5000/a/b/c:t",
    "127.0.0.1:5000/x@sha256:" + "a" * 64,
    "[::1]:5000/x:tag@sha256:" + "0" * 64,
    "registry.example.com/a__b/c-d/e.f:_tag",
    "Upper/case",
    "a//b",
    "a:",
    ":tag",
    "@sha256:" + "a" * 64,
    "a@sha256:" + "A" * 64,
    "a@sha512:" + "a" * 128,
    "a:" + "t" * 129,
    "reg.io/",
    "a/b:c:d",
    "a/-b",
    "x/y@",
]

# ---------------------------------------------------------------- digests
DIGESTS = [
    "sha256:" + "0123456789abcdef" * 4,
    "sha256:" + "0123456789ABCDEF" * 4,
    "sha256:" + "a" * 63,
    "sha256:" + "a" * 65,
    "sha256:../../../../etc/passwd" + "a" * 40,
    "sha512:" + "a" * 128,
    "sha256:",
    "",
    "sha256:" + "a" * 63 + "\u00e9",
]

# ---------------------------------------------------------------- manifests
D = lambda c: "sha256:" + c * 64
OCI_M = "application/vnd.oci.image.manifest.v1+json"
OCI_I = "application/vnd.oci.image.index.v1+json"
DOCKER_M = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_L = "application/vnd.docker.distribution.manifest.list.v2+json"
image_manifest = {
    "schemaVersion": 2,
    "mediaType": OCI_M,
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": D("a"), "size": 100},
    "layers": [
        {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": D("b"), "size": 1000},
        {"mediaType": "application/vnd.oci.image.layer.nondistributable.v1.tar", "digest": D("c"), "size": 1},
    ],
}
index = {
    "schemaVersion": 2,
    "mediaType": OCI_I,
    "manifests": [
        {"mediaType": OCI_M, "digest": D("d"), "size": 500, "platform": {"os": "linux", "architecture": "amd64"}},
        {"mediaType": OCI_M, "digest": D("e"), "size": 500, "platform": {"os": "linux", "architecture": "arm", "variant": "v7"}},
        {"mediaType": OCI_M, "digest": D("f"), "size": 500},
    ],
}
MANIFESTS = {
    "oci-image": json.dumps(image_manifest),
    "oci-index": json.dumps(index),
    "docker-v2-with-ctype": DOCKER_M + "\n" + json.dumps({**image_manifest, "mediaType": None}).replace('"mediaType": null, ', ""),
    "docker-list-ctype-only": DOCKER_L + "; charset=utf-8\n" + json.dumps({k: v for k, v in index.items() if k != "mediaType"}),
    "ambiguous": json.dumps({**image_manifest, "manifests": index["manifests"]}),
    "mediatype-mismatch": json.dumps({**index, "mediaType": OCI_M}),
    "schema1": json.dumps({"schemaVersion": 1, "name": "x", "fsLayers": []}),
    "bad-digest": json.dumps({**image_manifest, "config": {"mediaType": "x", "digest": "sha256:../../x", "size": 1}}),
    "negative-size": json.dumps({**image_manifest, "config": {"mediaType": "x", "digest": D("a"), "size": -1}}),
    "huge-size": json.dumps(image_manifest).replace("1000", "18446744073709551616"),
    "empty-object": "{}",
    "not-json": "<html>",
    "nulls": json.dumps({"schemaVersion": None, "layers": None, "config": None}),
}

# ---------------------------------------------------------------- image configs
config = {
    "architecture": "amd64",
    "os": "linux",
    "created": "2024-01-01T00:00:00Z",
    "config": {"Env": ["PATH=/bin"], "Cmd": ["sh"], "Labels": {"a": "b"}, "ExposedPorts": {"80/tcp": {}}},
    "rootfs": {"type": "layers", "diff_ids": [D("1"), D("2")]},
    "history": [{"created_by": "x", "empty_layer": True}],
}
CONFIGS = {
    "full": json.dumps(config),
    "no-rootfs": json.dumps({k: v for k, v in config.items() if k != "rootfs"}),
    "bad-diff-id": json.dumps({**config, "rootfs": {"type": "layers", "diff_ids": ["sha256:x", 5, None]}}),
    "diff-ids-not-list": json.dumps({**config, "rootfs": {"diff_ids": {"a": 1}}}),
    "minimal": json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}),
    "array": "[1,2]",
}

# ---------------------------------------------------------------- /etc/subuid
SUBUIDS = {
    "normal": "u 1000\nu:100000:65536\n",
    "by-id": "u 1000\n1000:100000:65536\nother:200000:65536\n",
    "several": "u 1000\nu:100000:1000\n# comment\n\nu:300000:64536\n",
    "own-inside": "u 1000\nu:0:65536\n",
    "overlap": "u 1000\nu:100000:65536\nu:120000:65536\n",
    "top-of-range": "u 4294967294\nu:4294901760:65535\n",
    "overflow": "u 1000\nu:4294967295:2\n",
    "huge-count": "u 1000\nu:1:4294967295\nu:2:4294967295\n",
    "malformed": "u 1000\nu:100000\nu:x:1\nu:1:0\n:::\n",
    "crlf": "u 1000\r\nu:100000:65536\r\n",
}

# ---------------------------------------------------------------- -p
PUBLISH = [
    "80", "8080:80", "8080:80/udp", "127.0.0.1:8080:80", "127.0.0.1::80",
    "[::1]:8080:80/tcp", "8080-8081:80-81", "80-81", "8080-8082:80-81",
    "65535:65535", "65535-65536:1-2", "0:80", "1:0", "80/sctp", "80/tcp,udp",
    "::80", "a:b:c:d", "[::1]8080:80", "-1:80", "1-0:1-0", "99999:80",
]

# ---------------------------------------------------------------- -v, --mount, --tmpfs
MOUNTS = [
    "/host:/ctr", "/host:/ctr:ro,z", "/host:/ctr:rw,Z,U,rshared,nosuid,nodev,noexec",
    "vol:/data", "vol:/data:O", "/ctr", "/", "/a:/", "relative:/x", "/a:relative",
    "type=bind,src=/a,dst=/b,readonly", "type=bind,source=/a,target=/b,bind-propagation=rslave",
    "type=volume,source=v,destination=/v,ro=true", "type=tmpfs,dst=/t,tmpfs-size=64m,tmpfs-mode=1777",
    "type=tmpfs,target=/t,tmpfs-size=-1", "type=image,source=x,dst=/y", "type=bind,dst=/b",
    "/t:size=1g,mode=0700,noexec", "/t:uid=1,gid=2", "type=bind,src=/a,dst=/b,src=/c",
    "/a/../..:/b/../..", "~/x:/y", ":", "::", "type=", "=,=",
]

# ---------------------------------------------------------------- --format
FORMATS = [
    "json", "table", "{{json .}}", "{{.ID}}", "table {{.ID}}\\t{{.Names}}",
    "{{range .Names}}{{.}} {{end}}", "{{range $i, $v := .L}}{{$i}}={{$v}}{{end}}",
    "{{index .Labels \"k\"}}", "{{index .L 1}}", "{{index .L 99}}",
    "{{if .B}}yes{{else}}no{{end}}", "{{if .N}}{{else if .B}}b{{end}}",
    "{{join .Names \",\"}}", "{{printf \"%s-%d-%v-%q\" .ID .Size .F .N}}",
    "{{- .ID -}} x {{- .Size}}", "{{.Labels.k}}", "{{.Missing.Deeper}}",
    "{{json .Labels}}", "{{range .E}}never{{else}}empty{{end}}", "{{", "}}", "{{.}}",
    "{{range .ID}}{{end}}", "{{printf}}", "{{printf \"%*d\" 1 2}}", "{{end}}", "{{else}}",
]


# ---------------------------------------------------------------- layers
def info(name, kind=tarfile.REGTYPE, data=b"", link="", mode=0o644, uid=0, gid=0, pax=None):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.mode = mode
    ti.uid = uid
    ti.gid = gid
    ti.mtime = 1700000000
    ti.linkname = link
    ti.size = len(data) if kind in (tarfile.REGTYPE, tarfile.AREGTYPE) else 0
    if pax:
        ti.pax_headers = pax
    return ti, data


def tar(entries, fmt=tarfile.PAX_FORMAT):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for ti, data in entries:
            t.addfile(ti, io.BytesIO(data) if ti.size else None)
    return buf.getvalue()


LONG = "/".join(["d" * 60] * 4) + "/file"
LAYERS = {
    "plain-tree": [
        info("./", tarfile.DIRTYPE, mode=0o755),
        info("etc/", tarfile.DIRTYPE, mode=0o755),
        info("etc/passwd", data=b"root:x:0:0::/root:/bin/sh\n"),
        info("bin/", tarfile.DIRTYPE, mode=0o755),
        info("bin/sh", data=b"\x7fELF", mode=0o4755),
        info("bin/ln", tarfile.LNKTYPE, link="bin/sh"),
        info("bin/sym", tarfile.SYMTYPE, link="/bin/sh"),
        info("home/user/", tarfile.DIRTYPE, mode=0o700, uid=1000, gid=1000),
        info("fifo", tarfile.FIFOTYPE, mode=0o600),
        info("dev/null", tarfile.CHRTYPE, mode=0o666),
    ],
    "dotdot": [info("../../../../rctl-fuzz-escape", data=b"x")],
    "dotdot-inner": [info("a/../../outside/escaped", data=b"x")],
    "absolute": [info("/tmp/rctl-fuzz-escape", data=b"x")],
    "symlink-absolute-parent": [
        info("link", tarfile.SYMTYPE, link="/tmp"),
        info("link/rctl-fuzz-escape", data=b"x"),
    ],
    "symlink-relative-parent": [
        info("up", tarfile.SYMTYPE, link="../outside"),
        info("up/escaped", data=b"x"),
    ],
    "symlink-then-dir": [
        info("d", tarfile.SYMTYPE, link="../outside"),
        info("d/sub/", tarfile.DIRTYPE, mode=0o755),
    ],
    "symlink-overwrites-victim": [
        info("up", tarfile.SYMTYPE, link="../outside"),
        info("up/victim", data=b"pwned"),
    ],
    "symlink-nested-parent": [
        info("a/", tarfile.DIRTYPE, mode=0o755),
        info("a/b", tarfile.SYMTYPE, link="../../outside"),
        info("a/b/c/d", data=b"x"),
    ],
    "hardlink-dotdot": [info("hl", tarfile.LNKTYPE, link="../outside/victim")],
    "hardlink-absolute": [info("hl", tarfile.LNKTYPE, link="/etc/passwd")],
    "hardlink-through-symlink": [
        info("s", tarfile.SYMTYPE, link="../outside"),
        info("hl", tarfile.LNKTYPE, link="s/victim"),
        info("hl", data=b"pwned"),
    ],
    "hardlink-then-write": [
        info("f", data=b"inside"),
        info("hl", tarfile.LNKTYPE, link="f"),
        info("hl", data=b"replaced"),
    ],
    "hardlink-to-dir": [
        info("d/", tarfile.DIRTYPE, mode=0o755),
        info("hl", tarfile.LNKTYPE, link="d"),
    ],
    "hardlink-to-root": [info("hl", tarfile.LNKTYPE, link=".")],
    "hardlink-to-symlink": [
        info("s", tarfile.SYMTYPE, link="../outside/victim"),
        info("hl", tarfile.LNKTYPE, link="s"),
        info("hl", data=b"pwned"),
    ],
    "whiteouts": [
        info("dir/", tarfile.DIRTYPE, mode=0o755),
        info("dir/file", data=b"x"),
        info("dir/.wh.file"),
        info("dir/.wh..wh..opq"),
        info(".wh..wh.plnk/"),
        info(".wh.gone"),
    ],
    "whiteout-bad": [info("dir/.wh."), info("dir/.wh.."), info("dir/.wh...")],
    "whiteout-dotdot-parent": [info("../.wh.outside")],
    "whiteout-through-symlink": [
        info("s", tarfile.SYMTYPE, link="../outside"),
        info("s/.wh.victim"),
    ],
    "opaque-through-symlink": [
        info("s", tarfile.SYMTYPE, link="../outside"),
        info("s/.wh..wh..opq"),
    ],
    "pax-long-name": [
        info(LONG, data=b"long"),
        info("ln-" + "x" * 120, tarfile.SYMTYPE, link="t" * 200),
    ],
    "pax-path-dotdot": [info("harmless", data=b"x", pax={"path": "../outside/pax-escaped"})],
    "pax-path-absolute": [info("harmless", data=b"x", pax={"path": "/tmp/rctl-fuzz-escape"})],
    "pax-linkpath-escape": [info("hl", tarfile.LNKTYPE, link="ok", pax={"linkpath": "../outside/victim"})],
    "pax-xattrs": [
        info("d/", tarfile.DIRTYPE, mode=0o755, pax={
            "SCHILY.xattr.user.overlay.opaque": "y",
            "SCHILY.xattr.trusted.overlay.redirect": "/x",
            "SCHILY.xattr.user.comment": "hi",
            "SCHILY.xattr.security.capability": "\x01\x00\x00\x02",
        }),
    ],
    "pax-ids-mtime": [
        info("f", data=b"x", pax={"uid": "4294967296", "gid": "-1", "mtime": "-1.999999999999"}),
        info("g", data=b"x", pax={"uid": "x", "mtime": "1e9"}),
        info("h", data=b"x", pax={"uid": "4294967295", "mtime": "5.-1"}),
        info("i", data=b"x", uid=0o7777777, gid=0o7777777),
    ],
    "replace-kinds": [
        info("x/", tarfile.DIRTYPE, mode=0o755),
        info("x/y", data=b"y"),
        info("x", data=b"file now"),
        info("x", tarfile.SYMTYPE, link="/"),
        info("x/", tarfile.DIRTYPE, mode=0o755),
    ],
    "dir-without-permissions": [
        info("locked/", tarfile.DIRTYPE, mode=0o000),
        info("locked/inner", data=b"x"),
        info("locked/sub/", tarfile.DIRTYPE, mode=0o000),
    ],
    "file-as-parent": [info("f", data=b"x"), info("f/g", data=b"y")],
    "devices": [
        info("blk", tarfile.BLKTYPE),
        info("chr", tarfile.CHRTYPE),
        info("self/", tarfile.DIRTYPE, mode=0o755),
    ],
    "nul-in-name": [info("a\x00b", data=b"x")],
}


def main():
    for name, text in CONTAINERFILES.items():
        write("containerfile", name, text)
    for i, r in enumerate(REFERENCES):
        write("reference", f"{i:02}", r)
    for i, d in enumerate(DIGESTS):
        write("digest", f"{i:02}", d)
    for name, m in MANIFESTS.items():
        write("manifest", name, m)
    for name, c in CONFIGS.items():
        write("image_config", name, c)
    for name, s in SUBUIDS.items():
        write("subuid", name, s)
    for i, p in enumerate(PUBLISH):
        write("publish", f"{i:02}", p)
    for i, m in enumerate(MOUNTS):
        write("mountspec", f"{i:02}", m)
    for i, f in enumerate(FORMATS):
        write("format", f"{i:02}", f)
    for name, entries in LAYERS.items():
        write("layer", name + ".tar", tar(entries))
    # The same escapes through the other header formats and compressions.
    write("layer", "gnu-longname.tar", tar(LAYERS["pax-long-name"] + LAYERS["dotdot-inner"], tarfile.GNU_FORMAT))
    write("layer", "ustar-symlink-parent.tar", tar(LAYERS["symlink-relative-parent"], tarfile.USTAR_FORMAT))
    write("layer", "gzip-plain-tree.tar.gz", gzip.compress(tar(LAYERS["plain-tree"]), mtime=0))
    write("layer", "gzip-escape.tar.gz", gzip.compress(tar(LAYERS["symlink-overwrites-victim"]), mtime=0))
    write("layer", "gzip-truncated.tar.gz", gzip.compress(tar(LAYERS["plain-tree"]), mtime=0)[:200])
    write("layer", "truncated.tar", tar(LAYERS["plain-tree"])[:1000])
    write("layer", "empty.tar", b"")
    write("layer", "zstd-magic-only", b"\x28\xb5\x2f\xfd")


if __name__ == "__main__":
    main()
