"""Copy the front-end files the page imports from node_modules into static/vendor/.

The page and the API docs import a handful of built files from npm packages (dagre,
uPlot, Swagger UI, ReDoc). They are kept in the repository under static/vendor/, at the
same paths as in node_modules, so that `pip install .` serves them with no Node.js, no npm
and no network. package.json and package-lock.json are the one source of the pinned
versions: `make vendor` runs `npm ci` (which checks every package against the lock file's
integrity hashes), then this script copies FILES and writes static/vendor/manifest.json
with each package's version and each file's sha256. `check()` (run by the tests) fails
when a copy differs from the manifest or the manifest from the lock file.

    python tools/vendor.py          copy from node_modules, write the manifest
    python tools/vendor.py --check  verify static/vendor against the manifest and the lock
"""

import hashlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
MANIFEST = VENDOR / "manifest.json"
LOCK = ROOT / "package-lock.json"

# package -> the files of it the page or the docs load (and its licence).
FILES = {
    "@dagrejs/dagre": ["dist/dagre.esm.js", "LICENSE"],
    "uplot": ["dist/uPlot.esm.js", "dist/uPlot.min.css", "LICENSE"],
    "swagger-ui-dist": ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"],
    "redoc": ["bundles/redoc.standalone.js", "LICENSE"],
}


def locked_versions():
    packages = json.loads(LOCK.read_text())["packages"]
    return {name: packages[f"node_modules/{name}"]["version"] for name in FILES}


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_from(node_modules):
    """Copy FILES into static/vendor and write the manifest (versions as installed)."""
    manifest = {}
    for name, files in FILES.items():
        package = node_modules / name
        version = json.loads((package / "package.json").read_text())["version"]
        entry = manifest[name] = {"version": version, "files": {}}
        for rel in files:
            target = VENDOR / name / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(package / rel, target)
            entry["files"][rel] = sha256(target)
    MANIFEST.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def check():
    """Problems with static/vendor, as sentences (none when it matches the lock file)."""
    manifest = json.loads(MANIFEST.read_text())
    problems = []
    for name, version in locked_versions().items():
        entry = manifest.get(name)
        if entry is None or entry["version"] != version:
            problems.append(f"{name}: the lock file pins {version}, static/vendor holds "
                            f"{entry and entry['version']}: run `make vendor`")
            continue
        for rel in FILES[name]:
            path = VENDOR / name / rel
            if not path.is_file() or sha256(path) != entry["files"].get(rel):
                problems.append(f"{name}/{rel} differs from the manifest: run `make vendor`")
    return problems


def served_paths():
    """The URL paths under /vendor that the app serves: exactly the vendored files."""
    return {f"{name}/{rel}" for name, files in FILES.items() for rel in files}


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        found = check()
        print("\n".join(found) or "static/vendor matches package-lock.json")
        sys.exit(1 if found else 0)
    node_modules = ROOT / "node_modules"
    installed = {name: json.loads((node_modules / name / "package.json").read_text())["version"]
                 for name in FILES}
    mismatched = {n: v for n, v in installed.items() if v != locked_versions()[n]}
    if mismatched:  # checked before copying, so static/vendor is never left half-updated
        sys.exit(f"node_modules does not match package-lock.json: {mismatched}; run `npm ci`")
    copy_from(node_modules)
    print(f"copied {sum(len(f) for f in FILES.values())} files into {VENDOR.relative_to(ROOT)}")
