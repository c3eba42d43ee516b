"""Studies above the pipeline: sweeps, weather and load uncertainty, pathways, the
cost-versus-self-sufficiency frontier, the tornado, the weather check, and the cache of
their computed inputs. They use only the public per-park API of
:mod:`energy_model.pipeline` (assemble, solve, evaluate, run_scenario) and draw no plots."""
