"""Shared by tests that count an API request's queries."""

# The API throttle's count of a request in the shared cache, when that cache is the
# database's table (on SQLite: read, a short lock wait, cull check, write in a savepoint).
THROTTLE_QUERIES = 9
