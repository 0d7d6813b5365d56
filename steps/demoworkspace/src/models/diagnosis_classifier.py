"""A small image classifier for the demo Diagnosis labels."""


def train(epochs: int, learning_rate: float, batch_size: int, ml_instance=None, execution=None):
    """Train on the execution's datasets and write metrics through the execution."""
    raise NotImplementedError("the demo trainer is bundled with cyclezero")
