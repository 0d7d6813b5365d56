"""datasets group: each entry is a list of DatasetSpecConfig(rid, version).

cyclezero's phase 3 builds the development dataset and pins its released
version here.
"""
from hydra_zen import store

store([], group="datasets", name="default_dataset")
