"""What machine a bench ran on: the int8 models' scores and speed depend on the CPU."""

from __future__ import annotations

import platform
from pathlib import Path


def cpu_description() -> str:
    """The CPU model and the vector extensions onnxruntime's int8 kernels depend on."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or platform.machine()
    model = next(
        (ln.split(":", 1)[1].strip() for ln in info.splitlines() if "model name" in ln), ""
    )
    flags = set(
        next(
            (ln.split(":", 1)[1].split() for ln in info.splitlines() if ln.startswith("flags")), []
        )
    )
    isa = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8") if f in flags]
    return f"{model or platform.machine()} ({', '.join(isa) or 'no AVX2'})"
