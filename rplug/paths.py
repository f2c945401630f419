"""Where rplug keeps things: the checkout, and ``build/`` inside it."""
import os

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD_DIR = os.environ.get("RPLUG_BUILD_DIR") or os.path.join(PROJECT_ROOT, "build")
PY2_VENV = os.path.join(BUILD_DIR, "py2")
PY3_VENV = os.path.join(BUILD_DIR, "py3")
BINARY_CACHE = os.path.join(BUILD_DIR, "bin-cache")
LOG_DIR = os.path.join(BUILD_DIR, "logs")
USESSION_DIR = os.path.join(BUILD_DIR, "usession")
TRANSLATE_LOCK = os.path.join(BUILD_DIR, ".translate.lock")
