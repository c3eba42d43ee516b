"""Reference mirrors and synthetic inputs used only by tests and benchmarks.

No product module imports this package: PySAM's Windpower mirror (:mod:`.pysam_wind`), the
PyPSA mirror of the sizing LP (:mod:`.pypsa_mirror`) and synthetic parks (:mod:`.synthetic`).
"""
