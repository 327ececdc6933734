"""Parsers of every code-set source: plain records in, no Django.

Each module reads one source (a package's bundled data or an official file layout)
and yields `CodeRecord`, `PtpRecord` or `MueRecord` values. A malformed line raises
`ParseError` naming the line number and the reason, so a loader can refuse the whole
file before it writes anything.
"""
