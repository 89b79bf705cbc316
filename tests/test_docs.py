"""The documents stand on their own: every relative link in README.md and
docs/ leads to a file of the repository (and an ``#anchor`` to a heading of
it), every document the code cites exists, and every test, path and
checklist id the documents name is real."""

import os
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
# What a clone holds besides the source: never scanned.
SKIPPED_DIRECTORIES = {
    ".git",
    ".venv",
    "node_modules",
    "staticfiles",
    "media",
    "locale",
    "build",
    "__pycache__",
    ".hypothesis",
    ".pytest_cache",
}
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".js", ".css", ".sh", ".toml", ".conf"}
SOURCE_NAMES = {"Makefile", "run"}  # .ci/run

FENCE = re.compile(r"^ *```.*?^ *```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} +(.+?) *#*$", re.MULTILINE)
# A document named in source text: docs/security.md, docs/testing.md#the-access-sweep.
MENTION = re.compile(r"(?<![\w./-])([\w./-]+\.md)(#[\w-]+)?\b")
CHECKLIST_ID = re.compile(r"\b(?:AC|IN|AU|HD|DU|PR)-\d{2}\b")
TEST_REFERENCE = re.compile(r"(tests/[\w/]+\.py)(?:::(\w+))?|\b(test_\w+)(\.py)?\b")
TEST_DEFINITION = re.compile(r"^\s*(?:async\s+)?def (test_\w+)", re.MULTILINE)
REPO_PATH = re.compile(r"[\w.-]+(?:/[\w.-]+)+/?")
# A line that starts a new block: names after it no longer follow the file
# named before it.
NEW_BLOCK = re.compile(r"^\s*($|[-*] |\d+\. |\||#)")


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces
    to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


@cache
def anchors(path):
    seen, found = {}, set()
    for heading in HEADING.findall(FENCE.sub("", path.read_text())):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def prose(path):
    """The text of a Markdown file without its code blocks and code spans,
    where links are links."""
    return CODE_SPAN.sub("", FENCE.sub("", path.read_text()))


def relative(path):
    return path.relative_to(ROOT).as_posix()


def source_files():
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = [
            name
            for name in subdirectories
            if name not in SKIPPED_DIRECTORIES and not name.endswith(".egg-info")
        ]
        for name in files:
            path = Path(directory) / name
            if path.suffix in SOURCE_SUFFIXES or name in SOURCE_NAMES:
                yield path


def broken_target(directory, target, *, default=None):
    """Why ``target`` (``path#anchor``, relative to ``directory``) leads
    nowhere, or None. Without a path it is ``default``'s anchor."""
    address, _, anchor = target.partition("#")
    path = (directory / address).resolve() if address else default
    if ROOT not in path.parents and path != ROOT:
        return "outside the repository"
    if not path.exists():
        return "no such file"
    if anchor and path.suffix == ".md" and anchor not in anchors(path):
        return f"no heading #{anchor} in {relative(path)}"
    return None


@pytest.mark.parametrize("document", DOCUMENTS, ids=relative)
def test_every_relative_link_resolves(document):
    broken = []
    for target in LINK.findall(prose(document)):
        if re.match(r"[a-z][a-z+.-]*:|//", target):
            continue  # another site, or mail
        if problem := broken_target(document.parent, target, default=document):
            broken.append(f"{target}: {problem}")

    assert not broken, "\n".join(broken)


def test_every_document_cited_in_the_source_exists():
    missing = []
    for path in source_files():
        for number, line in enumerate(path.read_text(errors="replace").splitlines()):
            for name, anchor in MENTION.findall(line):
                # From the repository's root, or from the citing file.
                if all(
                    broken_target(directory, name + anchor)
                    for directory in (ROOT, path.parent)
                ):
                    missing.append(f"{relative(path)}:{number + 1}: {name}{anchor}")

    assert not missing, "\n".join(missing)


def test_every_checklist_id_cited_is_an_item_of_docs_security():
    security = ROOT / "docs/security.md"
    items = {slug(heading)[:5].upper() for heading in HEADING.findall(prose(security))}
    unknown = [
        f"{relative(path)}: {item}"
        for path in [*source_files(), *DOCUMENTS]
        for item in sorted(set(CHECKLIST_ID.findall(path.read_text(errors="replace"))))
        if item not in items
    ]

    assert not unknown, "\n".join(unknown)


@cache
def defined_tests(path):
    return set(TEST_DEFINITION.findall((ROOT / path).read_text()))


def _unknown_tests(lines):
    """Test files and test names that do not exist. A name without a file
    belongs to the last file named before it in the same block, or, if none
    was, to any test file."""
    every_file = sorted(relative(path) for path in (ROOT / "tests").rglob("test_*.py"))
    unknown, current = [], None
    for line in lines:
        if NEW_BLOCK.match(line):
            current = None
        for path, name, bare, is_file in TEST_REFERENCE.findall(line):
            if path:
                if not (ROOT / path).is_file():
                    unknown.append(path)
                    continue
                current = path
                name = name or None
            elif is_file:
                if not any(each.endswith(f"/{bare}.py") for each in every_file):
                    unknown.append(f"{bare}.py")
                continue
            else:
                name = bare
            if name is None:
                continue
            files = [current or path] if (current or path) else every_file
            if not any(name in defined_tests(each) for each in files):
                unknown.append(f"{files[0] if len(files) == 1 else 'tests'}::{name}")
    return unknown


@pytest.mark.parametrize("document", DOCUMENTS, ids=relative)
def test_every_test_a_document_names_exists(document):
    unknown = _unknown_tests(document.read_text().splitlines())

    assert not unknown, "\n".join(unknown)


@pytest.mark.parametrize("document", DOCUMENTS, ids=relative)
def test_every_repository_path_a_document_names_exists(document):
    """Paths in code spans that start with a directory of the repository
    (``home/cache.py``, ``deploy/nginx.conf``) name something that exists."""
    top = {path.name for path in ROOT.iterdir() if path.is_dir()}
    missing = [
        span
        for span in re.findall(r"`([^`\n]+)`", document.read_text())
        if REPO_PATH.fullmatch(span)
        and span.split("/")[0] in top
        and not (ROOT / span).exists()
    ]

    assert not missing, "\n".join(missing)
