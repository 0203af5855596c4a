# The README's two commands: `make run` and `make test`. Everything else here helps them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test install syslibs messages compilemessages lint format demo worker beat clean constraints

run: install compilemessages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	PORTAL_BASE_URL=$${PORTAL_BASE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/python manage.py serve 127.0.0.1:$(PORT)

test: install compilemessages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP) syslibs

# constraints.txt holds the versions the suite last passed with, so a fresh machine installs
# what was tested rather than whatever was released since.
$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]" -c constraints.txt
	touch $(STAMP)

# After changing dependencies in pyproject.toml: install without the old pins, run the suite,
# then keep what passed.
constraints:
	$(BIN)/python -m pip install --quiet --upgrade -e ".[test]"
	{ head -n 2 constraints.txt; $(BIN)/python -m pip freeze --exclude-editable; } > constraints.new
	mv constraints.new constraints.txt

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
