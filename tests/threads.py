"""Functions run at the same moment, each in a thread of its own with its own
database connection, for tests that something happens exactly once."""

import threading

from django.db import connection


def in_threads(*functions):
    """Start ``functions`` together (a barrier) and return each outcome:
    "ok" or the name of the exception it raised."""
    barrier = threading.Barrier(len(functions))
    outcomes = []

    def run(function):
        barrier.wait()
        try:
            function()
            outcomes.append("ok")
        except Exception as error:  # noqa: BLE001 - counted by the caller
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
