"""Billing practice's pure core: the claim, the scrubber, the demo payer, and the
grading of claims, denial work and appeals. No Django, no I/O: reference data
reaches it through `billing.engine.reference.Reference`."""
