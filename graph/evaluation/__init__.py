"""Measuring the extractor: precision and recall of its proposals per kind, per report.

``evaluate`` runs the extractor over the bundled report (against its curated file, with a
gazetteer built without that file) and over the test corpus (against its gold files, tuned and
held-out reports apart); ``habitat-kg evaluate`` prints the result (command.py, tables.py).
"""
