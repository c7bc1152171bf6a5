"""The fault and abuse suite (issue 13, R1-R12): every safety claim as a figure.

Each claim is proved by pytest tests (some here, most where their module keeps them) that
record their figures with ``figures.figure``; ``python -m tests.reliability`` (``make
reliability``) runs them at full scale, prints one table and writes
``bench/results/reliability.json``. Inside ``make test`` the same tests run at the short
scale (``SHOPKEEPER_RELIABILITY_SCALE``, docs/reliability.md).
"""
