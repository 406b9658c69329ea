"""The working copy that `make lab` opens: the book's pages in reading order, to play with.

    python scripts/make_lab.py lab                    make the copies that are missing
    python scripts/make_lab.py lab --restore NAME     put the book's version of one copy back
    python scripts/make_lab.py lab --restore all      ... of every copy

The folder (git-ignored) gets one notebook per page of _toc.yml, numbered in reading order:
00-start.ipynb holds the introduction, its list of chapters and the notation box, and the
glossary comes last. In each copy
- every number the prose quotes is written in: the value the chapter glued, formatted as
  the book's page shows it (JupyterLab does not run myst-nb, so it would show the glue's name);
- links between pages point at the numbered copies, and links to the notation box at
  00-start.ipynb;
- the MyST label lines such as "(notation)=", which only the book's builder reads, are left out.
A copy that exists is never overwritten: what a reader changed, ran and saved stays; the
committed chapters under book/ are never written.
"""

import argparse
import ast
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
START = "00-start.ipynb"
GLUE = re.compile(r"\{glue:text\}`([\w-]+)(?::([^`]*))?`")
LINK = re.compile(r"\]\(([\w-]+)\.(?:ipynb|md)(#[^)]*)?\)")
NOTATION_LINK = re.compile(r"\]\(notation\)")
LABEL = re.compile(r"^\([\w-]+\)=\n", re.MULTILINE)


def pages(root=ROOT):
    """The book's pages in reading order, as paths: the root page, then every chapter of _toc.yml."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    found = []
    for name in files:
        path = next((root / (name + ext) for ext in (".ipynb", ".md") if (root / (name + ext)).exists()), None)
        if path is None:
            raise SystemExit(f"_toc.yml names {name}, which is neither {name}.ipynb nor {name}.md")
        found.append(path)
    return found


def copy_names(paths):
    """{page stem: the copy's file name}: 00-start for the root page, then 01-..., 02-... in reading order."""
    names = {paths[0].stem: START}
    for number, path in enumerate(paths[1:], start=1):
        names[path.stem] = f"{number:02d}-{path.stem}.ipynb"
    return names


def glued_values(notebook):
    """{glue name: value} from the glue records a chapter's executed cells saved."""
    values = {}
    for cell in notebook.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            record = out.get("data", {}).get("application/papermill.record/text/plain")
            if name and record is not None:
                values[name] = ast.literal_eval(record)
    return values


def fill_in(text, values, names, page):
    """The markdown with glued values written in and links pointing at the numbered copies."""
    def glue(match):
        name, spec = match.group(1), match.group(2) or ""
        if name not in values:
            raise SystemExit(f"{page}: the text quotes {name!r}, which no cell of the page glues; "
                             f"execute the chapter (make execute NB=book/{page})")
        return format(values[name], spec)

    def link(match):
        target = names.get(match.group(1))
        return f"]({target}{match.group(2) or ''})" if target else match.group(0)

    text = GLUE.sub(glue, text)
    text = LINK.sub(link, text)
    text = NOTATION_LINK.sub(f"]({START})", text)
    return LABEL.sub("", text)


def working_copy(path, names, metadata):
    """The copy of one page as a notebook: a chapter with its outputs, or a markdown page as one text cell.

    A markdown page gets the chapters' kernel and language metadata (`metadata`), which
    JupyterLab would otherwise add on opening, marking the copy modified.
    """
    if path.suffix == ".md":
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(path.read_text())])
        notebook.metadata.update(metadata)
    else:
        notebook = nbformat.read(path, as_version=4)
    values = glued_values(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = fill_in(cell.source, values, names, path.name)
    return notebook


def make(folder, restore=None, root=ROOT):
    """Write the missing copies into `folder` (and the restored ones); returns the names written."""
    paths = pages(root)
    names = copy_names(paths)
    by_name = {names[p.stem]: p for p in paths}
    if restore not in (None, "all") and restore not in by_name:
        raise SystemExit(f"--restore takes one of the copies' names or 'all', got {restore!r}; "
                         f"the copies: {', '.join(by_name)}")
    chapter = nbformat.read(next(p for p in paths if p.suffix == ".ipynb"), as_version=4)
    metadata = {k: chapter.metadata[k] for k in ("kernelspec", "language_info") if k in chapter.metadata}
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, path in by_name.items():
        target = folder / name
        if target.exists() and restore not in ("all", name):
            continue  # the reader's copy: kept as it is
        nbformat.write(working_copy(path, names, metadata), target)
        written.append(name)
    return written


def main(argv=None):
    """The command line: make the working copy, or restore copies in it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the working copy's folder (lab)")
    parser.add_argument("--restore", metavar="NAME", help="a copy's file name, or 'all': put the book's version back")
    args = parser.parse_args(argv)
    written = make(args.folder, args.restore)
    what = "restored" if args.restore else "made"
    print(f"{args.folder}: {len(written)} copies {what}" + (f" ({', '.join(written)})" if written else "")
          + f"; open {START} first")
    return 0


if __name__ == "__main__":
    sys.exit(main())
