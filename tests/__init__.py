"""The project's tests: a package, so that test modules share tests/reliability.py."""
