# cnn-book: two commands.
#   make book   set up .venv, make the data available, build the HTML book into _build/html
#               (English) and _build/html/ko (the Korean edition)
#   make test   the same set-up, then every test: unit tests, every notebook under nbval, the book build,
#               and every page of the built book in a real browser (Chromium, offline)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready

# The repository address behind the launch buttons: `make book REPOSITORY=https://github.com/owner/cnn-book`
# (or repository.url in _config.yml). Unset, the book shows no launch button.
export CNN_BOOK_REPOSITORY := $(REPOSITORY)

# Every notebook and test finds the data in one place, whatever its working directory.
export CNNLIB_DATA ?= $(CURDIR)/data

.PHONY: book test unit notebooks html browser data execute lab lab-restore bench catalogs clean

book: data html

test: data unit notebooks html browser

# JupyterLab's settings for the book come with the environment (not the reader's home): widget
# state saved with the notebook, so a saved chapter keeps its explorers; a kernel shut down when
# its tab closes, so no forgotten kernel trains beside the next one.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

$(READY): requirements.txt pyproject.toml scripts/make-venv.sh scripts/jupyterlab-overrides.json
	scripts/make-venv.sh "$(PYTHON)" "$(VENV)"
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-deps -e .
	mkdir -p $(dir $(LAB_SETTINGS)) && cp scripts/jupyterlab-overrides.json $(LAB_SETTINGS)
	touch $@

# Fashion-MNIST: ./data, Debian's package, or torchvision's download (see cnnlib/data.py).
# A failure prints the fix and does not stop the book build, which needs no data.
data: $(READY)
	-$(BIN)/python -m cnnlib.data fashion-mnist

# The book serves its own scripts: the widget manager, its loader, anywidget and MathJax, from npm (package-lock.json).
ASSETS := _assets/.ready
$(ASSETS): package.json package-lock.json
	scripts/need-npm.sh
	npm ci --no-audit --no-fund --ignore-scripts
	rm -rf _assets && mkdir -p _assets/html-manager
	cp node_modules/@jupyter-widgets/html-manager/dist/embed-amd.js _assets/html-manager/
	cp node_modules/@jupyter-widgets/html-manager/dist/*.woff* _assets/html-manager/
	cp node_modules/requirejs/require.js _assets/
	mkdir -p _assets/anywidget && cp node_modules/anywidget/dist/index.js _assets/anywidget/
	mkdir -p _assets/mathjax/output/chtml/fonts
	cp node_modules/mathjax/es5/tex-mml-chtml.js _assets/mathjax/
	cp -r node_modules/mathjax/es5/output/chtml/fonts/woff-v2 _assets/mathjax/output/chtml/fonts/
	touch $@

# Both editions: English in _build/html, Korean (from locales/ko) in _build/html/ko; each page links to the other.
# The Korean edition's font is cut from Debian's Noto Sans CJK KR to the characters its text holds, before each build.
html: $(READY) $(ASSETS)
	scripts/need-noto-cjk.sh
	$(BIN)/python scripts/korean_font.py
	rm -rf _build/html _build/.doctrees _build/ko  # no pages left over from removed chapters
	$(BIN)/jupyter-book build . --warningiserror --keep-going
	CNN_BOOK_LANGUAGE=ko $(BIN)/jupyter-book build . --warningiserror --keep-going --path-output _build/ko
	mv _build/ko/_build/html _build/html/ko

unit: $(READY)
	$(BIN)/python -m pytest tests --ignore=tests/browser

# Every page of _build/html in Debian's Chromium: errors, requests, widgets, animations, math, links.
browser: $(READY)
	scripts/need-chromium.sh
	$(BIN)/python -m pytest tests/browser -rP

# nbval compares every committed output digit by digit, except the numbers that depend on the
# machine (trained accuracies, times, its device), which tests/nbval_sanitize.cfg replaces.
NBVAL := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg
# The chapters that train networks (tests/test_nbval_policy.py checks the list): they run a second
# time in the other number format, where the machine computes bfloat16 natively.
TRAINS := book/training.ipynb book/pros-and-cons.ipynb

notebooks: $(READY)
	$(BIN)/python -m pytest $(NBVAL) book
	other=$$($(BIN)/python scripts/other_precision.py) && \
	if [ -n "$$other" ]; then CNNLIB_PRECISION=$$other $(BIN)/python -m pytest $(NBVAL) $(TRAINS); fi

# Re-execute notebooks in place, one at a time: make execute NB="book/a.ipynb book/b.ipynb"
NB ?= $(wildcard book/*.ipynb)
execute: $(READY) data
	$(BIN)/python scripts/execute.py $(NB)

# A place to play: JupyterLab on lab/, a git-ignored working copy of the pages in reading order
# (scripts/make_lab.py), never on the committed book/. `make lab` makes the copies that are
# missing and keeps the rest as the reader left them; `make lab-restore COPY=03-channels-and-stride.ipynb`
# puts one back as the book has it, `make lab-restore COPY=all` every one. JupyterLab shows the
# saved widgets and explorers only in notebooks it trusts: the copies are signed first.
# scripts/lab_config.py keeps the saved widgets' state when JupyterLab saves a copy.
LAB  ?= lab
COPY ?=
lab: $(READY) data
	$(BIN)/python scripts/make_lab.py $(LAB)
	$(BIN)/jupyter trust $(LAB)/*.ipynb
	$(BIN)/jupyter lab $(LAB) --config=scripts/lab_config.py $$([ "$$(id -u)" = 0 ] && echo --allow-root)

lab-restore: $(READY)
	@[ -n "$(COPY)" ] || { echo "name the copy to restore: make lab-restore COPY=03-channels-and-stride.ipynb (or COPY=all)"; exit 2; }
	$(BIN)/python scripts/make_lab.py $(LAB) --restore $(COPY)
	$(BIN)/jupyter trust $(LAB)/*.ipynb

# The Korean edition's catalogues (locales/ko/LC_MESSAGES/book/*.po, one per page, and exercises/*.po, one per
# chapter) brought up to date with the English text: new messages get an empty translation, changed ones are
# marked fuzzy. After translating exercises, re-execute their chapters (make execute NB=...).
catalogs: $(READY)
	rm -rf _build/i18n
	$(BIN)/jupyter-book build . --builder custom --custom-builder gettext --path-output _build/i18n
	$(BIN)/sphinx-intl update -p _build/i18n/_build/gettext -l ko -d locales
	-$(BIN)/sphinx-intl stat -d locales -l ko  # counts per page; exits 1 while some are untranslated
	$(BIN)/python scripts/exercise_catalogues.py  # the exercises' texts, from the executed notebooks

bench: $(READY) data
	$(BIN)/python bench/train_speed.py
	$(BIN)/python bench/widgets.py
	$(BIN)/python bench/network.py

clean:
	rm -rf _build
