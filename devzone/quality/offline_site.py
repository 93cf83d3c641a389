"""Data Docs that open offline, from file://, and ask nothing of the internet.

Great Expectations renders its pages with Bootstrap, jQuery, Popper, Font Awesome and
bootstrap-table loaded from public CDNs, its logo from S3 and a newsletter link in the footer. The
machines that open devzone's Data Docs have no internet: the pages came up unstyled, and each page
opened asked a dozen outside addresses. After GX has rendered a run's pages, `make_offline`:

- copies the vendored files (`vendor/data_docs/`: the CDNs' files at their exact versions, fetched
  and checked against the lock file by `make`, never at run time) into the site's `static/vendor/`,
  once per home (again when the lock changes; older copies stay, for the pages that link them);
- rewrites the pages rendered in the run (on the first copy, every page of the site, so that a home
  built before keeps no outside link): each CDN address becomes the vendored file's path relative
  to the page (a result page lies three folders deeper than a suite page); scripts no page uses
  are dropped (vega, vega-lite and vega-embed draw charts, and devzone's suites render none;
  bootstrap-table's filter-control extension and bootstrap-datepicker serve filter controls no
  table has); the S3 logo becomes a text link home, the newsletter footer goes, any other outside
  link keeps only its text; `integrity`/`crossorigin` go too (a page opened from file:// cannot
  make the CORS request they ask for; the files were checked when fetched); the Home link, which
  GX points at its own index (devzone does not build it), points at devzone's index, and the
  favicon at its file (GX's path is one folder short on result pages).

Plain string work, a few milliseconds a page; the same page gives the same output, and a page
already rewritten is left as it is.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from devzone import settings

VENDOR_LOCK = settings.PROJECT_ROOT / "vendor" / "data_docs.lock.json"
VENDOR_DIR = settings.PROJECT_ROOT / "vendor" / "data_docs"
STAMP = ".complete"  # vendor/fetch.py writes it last: the sha256 of the lock the folder matches
SITE_VENDOR = ("static", "vendor")
HOME_LABEL = "devzone · 数据质量"

log = logging.getLogger(__name__)

# The outside addresses of GX's page templates that are dropped, not vendored (with the logo and the
# newsletter, whatever else is outside is dropped too; tests/test_data_docs.py fails on an address
# of GX's templates in neither list, so that a GX upgrade's new file is vendored, not lost).
DROPPED = (
    "https://cdn.jsdelivr.net/npm/vega@",  # charts: devzone's suites render none
    "https://cdn.jsdelivr.net/npm/vega-lite@",
    "https://cdn.jsdelivr.net/npm/vega-embed@",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/",  # no table has filter controls
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/",  # the filter controls' date picker
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/",  # GX's logo: a text link home
    "https://greatexpectations.io",  # the newsletter footer, GX's own links
)

# GX's templates write tags and attributes in lower case; every pattern starts with a literal (fast).
_OUTSIDE = r"(?:https?:)?//[^\"'\s>]*"  # http(s):// and protocol-relative addresses
_QUOTED_OUTSIDE = rf"(?P<q>[\"'])(?P<url>{_OUTSIDE})(?P=q)"
SCRIPT = re.compile(rf"<script\b[^>]*?\bsrc={_QUOTED_OUTSIDE}[^>]*>\s*</script>[ \t]*\n?")
LINK = re.compile(rf"<link\b[^>]*?\bhref={_QUOTED_OUTSIDE}[^>]*>[ \t]*\n?")
IMAGE = re.compile(rf"<img\b[^>]*?\bsrc={_QUOTED_OUTSIDE}[^>]*>")
ALT = re.compile(r"\balt=([\"'])(?P<alt>[^\"']*)\1")
ANCHOR = re.compile(rf"<a\b[^>]*?\bhref={_QUOTED_OUTSIDE}[^>]*>(?P<text>.*?)</a>", re.S)
FOOTER = re.compile(r"<footer\b[^>]*>(?:(?!</footer>).)*?newsletter(?:(?!</footer>).)*</footer>[ \t]*\n?", re.S)
CSS_URL = re.compile(rf"url\(\s*([\"']?){_OUTSIDE}\1\s*\)")
SUBRESOURCE_INTEGRITY = re.compile(r"\s+(?:integrity|crossorigin)=([\"'])[^\"']*\1")
HOME = re.compile(r"href=\"(?:\.\./)*index\.html\"")
FAVICON = re.compile(r"href=\"(?:\.\./)*static/images/favicon\.ico\"")
LEFTOVER_SRC = re.compile(rf"src={_QUOTED_OUTSIDE}")
LEFTOVER_HREF = re.compile(rf"href={_QUOTED_OUTSIDE}")


@functools.cache
def vendored_urls(lock: Path = VENDOR_LOCK) -> dict[str, str]:
    """Each CDN address GX's pages name, and its file under vendor/data_docs/ (the lock's `urls`)."""
    return dict(json.loads(lock.read_text(encoding="utf-8"))["urls"])


def relative(target: Path, page: Path) -> str:
    return Path(os.path.relpath(target, page.parent)).as_posix()


def offline_html(text: str, page: Path, site: Path, index: Path) -> str:
    """A page of the site (`page`, under `site`) without outside addresses, linking `index` as Home."""
    urls = vendored_urls()
    vendor = site.joinpath(*SITE_VENDOR)

    def local_or_drop(match: re.Match[str]) -> str:
        local = urls.get(match["url"])
        if local is None:
            return ""
        tag = SUBRESOURCE_INTEGRITY.sub("", match[0])
        return tag.replace(match["url"], relative(vendor / local, page), 1)

    def image(match: re.Match[str]) -> str:
        if "great-expectations" in match["url"]:  # GX's logo, inside the Home link
            return f'<span class="navbar-text">{html.escape(HOME_LABEL)}</span>'
        alt = ALT.search(match[0])
        return f"<span>{alt['alt']}</span>" if alt else ""

    text = FOOTER.sub("", text)
    text = SCRIPT.sub(local_or_drop, text)
    text = LINK.sub(local_or_drop, text)
    text = IMAGE.sub(image, text)
    text = ANCHOR.sub(lambda m: m["text"], text)
    text = CSS_URL.sub("none", text)
    text = HOME.sub(f'href="{relative(index, page)}"', text)
    text = FAVICON.sub(f'href="{relative(site / "static" / "images" / "favicon.ico", page)}"', text)
    # Whatever else a newer GX may name: no request leaves the machine (tests/test_data_docs.py
    # fails on any such address in the pages, so that a new file gets vendored).
    text = LEFTOVER_SRC.sub("", text)
    return LEFTOVER_HREF.sub('href="#"', text)


def lock_digest(lock: Path = VENDOR_LOCK) -> str:
    return hashlib.sha256(lock.read_bytes()).hexdigest()


def install_static(site: Path, source: Path = VENDOR_DIR) -> bool:
    """Copy the vendored files into `site`/static/vendor/ unless this lock's copy is there; True
    when it copied."""
    stamp = source / STAMP
    if not stamp.is_file():
        log.warning("%s is missing (`make` fetches it): the Data Docs pages will lack their styles", source)
        return False
    wanted = stamp.read_text(encoding="ascii").strip()
    if wanted != lock_digest():
        log.warning("%s is older than %s: run `make` to fetch the files again", source, VENDOR_LOCK.name)
    target = site.joinpath(*SITE_VENDOR)
    copied = target / STAMP
    if copied.is_file() and copied.read_text(encoding="ascii").strip() == wanted:
        return False
    shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(STAMP))
    copied.write_text(wanted + "\n", encoding="ascii")
    return True


def make_offline(site: Path, pages: Iterable[Path], index: Path) -> list[Path]:
    """Install the static files in `site` and rewrite `pages` (every page of the site when the
    files were just installed) to open offline; returns the pages rewritten."""
    site = Path(site)
    todo = sorted(site.rglob("*.html")) if install_static(site) else sorted(set(pages))
    written = []
    for page in todo:
        if not page.is_file():
            continue
        text = page.read_text(encoding="utf-8")
        offline = offline_html(text, page, site, index)
        if offline != text:
            page.write_text(offline, encoding="utf-8")
            written.append(page)
    return written
