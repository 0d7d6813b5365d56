"""deriva_ml group: which catalog the runs use (the demo's local catalog)."""
from hydra_zen import store
from deriva_ml import DerivaMLConfig

store(DerivaMLConfig(hostname="localhost", catalog_id="1"), group="deriva_ml", name="default_deriva")
