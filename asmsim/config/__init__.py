"""Configuration: the schema, loading from Hydra YAML groups, validation."""

from asmsim.config.load import config_dir, group_options, load_config
from asmsim.config.schema import Config
from asmsim.config.validate import ConfigError, leaf_fields, set_key, validate

__all__ = ["Config", "ConfigError", "config_dir", "group_options", "leaf_fields", "load_config",
           "set_key", "validate"]
