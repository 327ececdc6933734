"""Code-set data: releases, the codes of each release, and NCCI edits."""

from codesets.models.codes import Code
from codesets.models.edits import MedicallyUnlikelyEdit, PtpEdit
from codesets.models.releases import Release, ReleaseSystem

__all__ = ["Code", "MedicallyUnlikelyEdit", "PtpEdit", "Release", "ReleaseSystem"]
