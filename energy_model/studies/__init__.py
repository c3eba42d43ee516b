"""Studies above the pipeline: sweeps, weather and load uncertainty, pathways, the
cost-versus-self-sufficiency frontier, the tornado, the weather check, a fixed design under
rule-based and optimal dispatch (:mod:`.fixed_design`), and the cache of
their computed inputs. They use only the public per-park API of
:mod:`energy_model.pipeline` (assemble, solve, evaluate, run_scenario) and draw no plots."""
