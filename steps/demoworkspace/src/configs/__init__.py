"""Hydra-zen configuration groups for deriva-ml-run."""
from deriva_ml.execution import load_configs


def load_all_configs():
    return load_configs("configs")
