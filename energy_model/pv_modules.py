"""Module electrical parameters: pvlib's bundled CEC library and PVWatts v8's built-in modules.

The CEC library (``sam-library-cec-modules-2019-03-05.csv``, shipped with pvlib) is read
offline, once, on first use (about 1 s).
"""

from __future__ import annotations

import difflib
import functools
import re

from energy_model.errors import ScenarioError

#: Single-diode (CEC 6-parameter) parameters PVWatts v8 uses for its "standard" module
#: type: Canadian Solar CS1H-320MS, as hard-coded in NREL SSC ``cmod_pvwattsv8.cpp``
#: (SAM 2020.2.29 fit). Units: A_c [m²], I [A], V [V], alpha_sc [A/°C], a_ref [V], R [Ω],
#: Adjust [%].
PVWATTS_V8_STANDARD_MODULE: dict[str, float] = {
    "A_c": 1.6864, "V_mp_ref": 35.8, "I_mp_ref": 9.01, "V_oc_ref": 43.3, "I_sc_ref": 9.51,
    "alpha_sc": 0.004755, "beta_oc": -0.12557, "a_ref": 1.65916, "I_L_ref": 9.51393,
    "I_o_ref": 4.37813e-11, "R_s": 0.269953, "R_sh_ref": 654.059, "Adjust": 5.79586,
}

_KEYS = ("A_c", "V_mp_ref", "I_mp_ref", "alpha_sc", "a_ref", "I_L_ref", "I_o_ref", "R_s",
         "R_sh_ref", "Adjust", "STC", "Technology")


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


@functools.lru_cache(maxsize=1)
def _cec_library() -> dict[str, dict]:
    # imported here: pvlib takes ~1.4 s to import (measured), and the scenario schema
    # imports this module; only a scenario naming a CEC module pays for it
    import pvlib

    table = pvlib.pvsystem.retrieve_sam("CECMod").loc[list(_KEYS)].T
    return {_norm(name): {"name": name, **row}
            for name, row in table.to_dict(orient="index").items()}


def cec_module(name: str) -> dict:
    """CEC single-diode parameters of a module of pvlib's bundled library.

    Parameters
    ----------
    name : str
        Module name as in the SAM/CEC library (``"Canadian Solar Inc. CS6K-275M"``) or
        pvlib's spelling with underscores; case and punctuation are ignored.

    Returns
    -------
    dict
        ``A_c`` [m²], ``V_mp_ref`` [V], ``I_mp_ref`` [A], ``alpha_sc`` [A/°C], ``a_ref``
        [V], ``I_L_ref`` [A], ``I_o_ref`` [A], ``R_s`` [Ω], ``R_sh_ref`` [Ω], ``Adjust``
        [%], ``STC`` [W], ``Technology`` and the library ``name``.

    Raises
    ------
    ScenarioError
        When the module is not in the library (with the closest names).
    """
    lib = _cec_library()
    key = _norm(name)
    if key in lib:
        return dict(lib[key])
    maker = key.split("_")[0]  # compare within the same maker first: difflib is slow
    pool = [k for k in lib if k.startswith(maker)] or list(lib)
    close = difflib.get_close_matches(key, pool, n=3, cutoff=0.6)
    hint = ("; closest: " + ", ".join(lib[c]["name"] for c in close)) if close else ""
    raise ScenarioError(f"PV module {name!r} is not in pvlib's CEC module library{hint}")
