# The README's two commands: `make run` and `make test`. Everything else here helps them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install syslibs messages compilemessages lint format demo worker beat clean

run: install compilemessages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install compilemessages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP) syslibs

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# WeasyPrint needs Pango from the system: say which package, install it when we can.
syslibs: $(STAMP)
	$(BIN)/python scripts/ensure_system_libraries.py

compilemessages: $(STAMP)
	$(BIN)/python manage.py compiletranslations

# Refresh the catalogues after changing strings (needs GNU gettext), then translate sv.
messages: $(STAMP)
	$(BIN)/python manage.py updatetranslations

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: install
	$(BIN)/celery -A portal worker --loglevel=INFO --concurrency=2

beat: install
	$(BIN)/celery -A portal beat --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
