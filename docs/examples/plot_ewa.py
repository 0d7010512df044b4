r"""
Exponentially weighted averages, with and without bias correction
=================================================================

The lecture's year of daily temperatures in London, averaged with
:math:`v_t = \beta v_{t-1} + (1 - \beta)\,\theta_t` for :math:`\beta = 0.5`, 0.9 and 0.98.
A larger :math:`\beta` averages over more days, about :math:`1 / (1 - \beta)`, so its curve is
smoother and lags behind. Starting from :math:`v_0 = 0` the early averages are far too low;
dividing by :math:`1 - \beta^t` corrects them.
"""

import numpy as np

import landscape as ls

theta = ls.london_temperature()
for beta in (0.5, 0.9, 0.98):
    print(f"beta = {beta}: about {ls.effective_window(beta):.0f} days")

fig = ls.plot.ewa_temperature(theta)

# %%
# The first days, in numbers: without correction the 0.98 average starts near zero.

plain = ls.ewa(theta, beta=0.98)
corrected = ls.ewa(theta, beta=0.98, bias_correction=True)
np.set_printoptions(precision=1, suppress=True)
print("temperature:", theta[:5])
print("v_t        :", plain[:5])
print("corrected  :", corrected[:5])
