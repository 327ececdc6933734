"""Check every answer key in the database against the code sets and their notes
(docs/content-review.md); exit non-zero when anything is found."""

from django.core.management.base import BaseCommand, CommandError

from content_checks.selectors import content_findings

NO_FINDINGS = "Content checks: no findings."
FINDINGS = "Content checks: {count} finding(s)."
ACCEPTED = "{count} finding(s) accepted with a reason (content_checks.AcceptedFinding)."


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        report = content_findings()
        findings = report.findings
        if report.accepted:
            self.stdout.write(ACCEPTED.format(count=len(report.accepted)))
        for finding in findings:
            codes = ", ".join(finding.codes) or "-"
            self.stdout.write(
                f"{finding.where}: {codes}: {finding.message} "
                f"[{finding.rule.slug}; {finding.rule.source}] finding {finding.code}"
            )
        if findings:
            raise CommandError(FINDINGS.format(count=len(findings)))
        self.stdout.write(NO_FINDINGS)
