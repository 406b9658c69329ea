"""A Sphinx extension that drops repeated inline scripts from pages.

jupyter-book 1.x sets up sphinx-thebe twice, so every page declares `const THEBE_JS_URL`
twice and the browser reports a JavaScript error. Keeping the first copy of each inline
script removes the error and changes nothing else.
"""


def dedupe(app, pagename, templatename, context, doctree):
    """Keep one copy of each inline script of the page."""
    seen, kept = set(), []
    for script in context.get("script_files", []):
        body = getattr(script, "attributes", {}).get("body")
        if body:
            if body in seen:
                continue
            seen.add(body)
        kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", dedupe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
