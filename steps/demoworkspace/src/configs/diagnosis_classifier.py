"""model_config group for the diagnosis classifier."""
from hydra_zen import builds, store

from models.diagnosis_classifier import train

default_model = builds(train, epochs=10, learning_rate=1e-3, batch_size=32,
                       populate_full_signature=True, zen_partial=True)
store(default_model, group="model_config", name="default_model")
store(builds(train, epochs=2, learning_rate=1e-3, batch_size=16,
             populate_full_signature=True, zen_partial=True),
      group="model_config", name="quick")
