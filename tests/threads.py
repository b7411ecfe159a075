"""Running calls at the same moment in threads, for the races the server must survive
(PostgreSQL only: SQLite's in-memory test database is not shared between threads)."""

import threading

from django.db import connection


def race(*calls):
    """Run each call in its own thread, all released together; their results, in the order
    they finished. Any exception fails the test (a call that expects one catches it)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def worker(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results
