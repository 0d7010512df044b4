"""
Exponentially weighted averages, with and without bias correction
=================================================================

The lecture's temperature example.
"""

import landscape as ls

fig = ls.plot.ewa_temperature()
