from energy_model.cli import entry_point

entry_point()
