"""One file per top-level command: ``<name>.py`` defines the click command ``<name>``.

The ``shopkeeper`` group finds them here by name and imports one only when it runs (or
when ``--help`` lists them), so adding a command touches no list.
"""
