"""The incremental build: each source file's contribution kept in a ledger, so that a build
after a change reads again only what the change reaches (see ``engine.py`` for what reaches
what), and gives the dataset a build from nothing gives.

``units.py`` reads one source unit into its rows and facts; ``ledger.py`` keeps them (SQLite,
beside the build folder); ``layers.py`` says which layer each row ends in; ``engine.py`` runs
one build against the ledger; ``versions.py`` says which code the ledger's contents were made
with (a ledger made by other code is emptied).
"""
