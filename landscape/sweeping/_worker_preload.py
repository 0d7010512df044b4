"""A Dask preload for the workers of a sweep's local cluster: Ctrl-C is the sweep's to handle.

The terminal sends Ctrl-C to every process of the command; the sweep's own
process stops and closes the cluster, which stops its workers in order.
"""

import signal
import threading

if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
