# cnn-book: two commands.
#   make book   set up .venv, make the data available, build the HTML book into _build/html
#   make test   the same set-up, then every test: unit tests, every notebook under nbval, the book build
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready

# Every notebook and test finds the data in one place, whatever its working directory.
export CNNLIB_DATA ?= $(CURDIR)/data

.PHONY: book test unit notebooks html data lab bench clean

book: data html

test: data unit notebooks html

$(READY): requirements.txt pyproject.toml scripts/make-venv.sh
	scripts/make-venv.sh "$(PYTHON)" "$(VENV)"
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-deps -e .
	touch $@

# Fashion-MNIST: ./data, Debian's package, or torchvision's download (see cnnlib/data.py).
# A failure prints the fix and does not stop the book build, which needs no data.
data: $(READY)
	-$(BIN)/python -m cnnlib.data fashion-mnist

html: $(READY)
	$(BIN)/jupyter-book build . --warningiserror --keep-going

unit: $(READY)
	$(BIN)/python -m pytest tests

notebooks: $(READY)
	$(BIN)/python -m pytest --nbval book

lab: $(READY) data
	$(BIN)/jupyter lab book

bench: $(READY) data
	$(BIN)/python bench/train_speed.py

clean:
	rm -rf _build
