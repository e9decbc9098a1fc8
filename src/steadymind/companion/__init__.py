"""The companion's mind, without storage or interfaces: flows, free talk, thinking traps.

Everything here is deterministic and needs no model beyond the shipped ones. It reads only text
that already passed the text seam (``steadymind.screen``): the companion feature screens each
turn first and calls in here only when the verdict lets the flow go on. Nothing here logs,
stores or sends a person's words; the state it keeps is handed back to the caller, who seals it.

- :mod:`.registry`: the registry of guided flows, one TOML file each (words and steps together, so
  one reviewed file holds everything a flow says).
- :mod:`.engine`: one turn in, one reply out, over a JSON-ready state.
- :mod:`.talk`: free talk that listens (reflections, open questions, affirmations, summaries).
- :mod:`.traps`: the thinking-trap detector (a stable interface).
"""
