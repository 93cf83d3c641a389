"""Fetch the Data Docs' static files (vendor/data_docs.lock.json) into vendor/data_docs/: run by `make`.

Great Expectations' pages load Bootstrap, jQuery, Popper, Font Awesome and bootstrap-table from
public CDNs, which the machines that open devzone's Data Docs cannot reach. The same files, at the
CDNs' exact versions, come from the npm registry once, at set-up time (`npm pack NAME@VERSION`),
each tarball checked against the sha512 integrity pinned in the lock file before anything is
unpacked; only the files the lock lists are kept, under `<package>-<version>/` (the package's own
paths, so that a stylesheet's relative links to its fonts hold). Nothing is fetched at run time:
devzone/quality/offline_site.py copies this folder into each home's site.

Usage: python3 vendor/fetch.py   (stdlib only; needs npm, e.g. `apt-get install npm`)
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
LOCK = HERE / "data_docs.lock.json"
TARGET = HERE / "data_docs"
STAMP = ".complete"  # the lock's sha256, written last: the folder is whole and matches the lock


class FetchError(RuntimeError):
    pass


def lock_digest(lock: Path = LOCK) -> str:
    return hashlib.sha256(lock.read_bytes()).hexdigest()


def folder_name(package: dict) -> str:
    """`@fortawesome/fontawesome-free` 6.6.0 -> `fontawesome-free-6.6.0`."""
    return f"{package['name'].rsplit('/', 1)[-1]}-{package['version']}"


def integrity(path: Path) -> str:
    """npm's integrity string (Subresource Integrity form) of a tarball."""
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode("ascii")


def npm_pack(specs: list[str], destination: Path) -> dict[str, Path]:
    """The registry tarballs of `specs` (NAME@VERSION) in `destination`, by spec."""
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError(
            "npm is needed once to fetch the Data Docs' static files from the npm registry "
            "(apt-get install npm), then run make again"
        )
    env = {**os.environ, "npm_config_update_notifier": "false", "npm_config_fund": "false"}
    done = subprocess.run(
        [npm, "pack", "--json", "--ignore-scripts", "--loglevel=error", "--pack-destination", str(destination), *specs],
        capture_output=True,
        text=True,
        env=env,
        cwd=destination,
    )
    if done.returncode != 0:
        raise FetchError(f"npm pack failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    packed = json.loads(done.stdout)
    return {f"{p['name']}@{p['version']}": destination / p["filename"] for p in packed}


def unpack(tarball: Path, files: list[str], into: Path) -> None:
    """Only `files` (paths inside the package) out of an npm tarball, each a regular file."""
    with tarfile.open(tarball, "r:gz") as tar:
        for name in files:
            relative = PurePosixPath(name)
            if relative.is_absolute() or ".." in relative.parts:
                raise FetchError(f"{tarball.name}: refusing the path {name!r}")
            try:
                member = tar.getmember(f"package/{name}")
            except KeyError:
                raise FetchError(f"{tarball.name} has no file {name}") from None
            source = tar.extractfile(member) if member.isfile() else None
            if source is None:
                raise FetchError(f"{tarball.name}: {name} is not a regular file")
            target = into.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read())


def fetch(lock: Path = LOCK, target: Path = TARGET) -> Path:
    spec = json.loads(lock.read_text(encoding="utf-8"))
    packages = spec["packages"]
    staging = target.with_name(f"{target.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with tempfile.TemporaryDirectory(prefix="devzone-vendor-") as tmp:
            tarballs = npm_pack([f"{p['name']}@{p['version']}" for p in packages], Path(tmp))
            for package in packages:
                key = f"{package['name']}@{package['version']}"
                tarball = tarballs.get(key)
                if tarball is None or not tarball.is_file():
                    raise FetchError(f"npm pack gave no tarball for {key}")
                found = integrity(tarball)
                if found != package["integrity"]:
                    raise FetchError(f"{key}: integrity {found} differs from the lock's {package['integrity']}")
                unpack(tarball, package["files"], staging / folder_name(package))
        unpacked = {p.relative_to(staging).as_posix() for p in staging.rglob("*")}
        missing = sorted(set(spec["urls"].values()) - unpacked)
        if missing:
            raise FetchError(f"the lock's urls name files no package provides: {missing}")
        (staging / STAMP).write_text(lock_digest(lock) + "\n", encoding="ascii")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def main() -> int:
    try:
        target = fetch()
    except FetchError as error:
        print(f"vendor/fetch.py: {error}", file=sys.stderr)
        return 1
    files = [p for p in target.rglob("*") if p.is_file() and p.name != STAMP]
    size = sum(p.stat().st_size for p in files)
    print(f"vendored {len(files)} files ({size / 1024:.0f} KiB) into {target.relative_to(HERE.parent)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
