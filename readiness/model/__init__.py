"""The readiness measurement model: pure Python, no Django (see docs/readiness.md).

`irt` estimates abilities and item difficulties (a fractional Rasch model with
Gaussian posteriors and time-decayed evidence); `exam` turns domain abilities into
a predicted exam score, a pass probability and mastery per domain; `calibrate`
re-estimates item difficulties from everyone's responses.
"""
