"""Rebuilding the shipped models: outside the runtime package, never installed with it.

Run from the repository root in the training environment (``pip install -e '.[train]'``):
``python -m training.<script>`` writes an artefact to ``build/models/<name>/``, then
``make promote MODEL=<name>`` (``python -m training.promote <name>``) copies it into
``src/steadymind/models/<name>/`` with its manifest. Data comes from ``../shared/data``
(``STEADYMIND_SHARED_DATA`` overrides it), the project's own lists from ``training/data/`` and the
evaluation sets from ``bench/data/``.

Layers: scripts (the modules with a ``main``) import the shared helpers (``paths``,
``datasets``, ``softmax``, ``minilm``, ``artefacts``, ``emotions_export``) and ``steadymind``;
helpers import only helpers and ``steadymind``; no script imports another script
(``tests/training/test_layout.py``).
"""
