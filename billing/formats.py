"""The billing scenario file format, published with the others
(docs/formats/billing-scenario.schema.json)."""

from billing.engine.scenario import Scenario

SCHEMAS = {"billing-scenario": Scenario}
