package io.ledgerflow.testdata.check;

import java.util.List;

/**
 * The verdict of a check: PASS when every finding passed.
 *
 * @param runId the run checked
 * @param findings one per property checked, each with its evidence
 */
public record CheckResult(String runId, List<Finding> findings) {

    /** One checked property. */
    public record Finding(String property, boolean passed, String evidence) {}

    public CheckResult {
        findings = List.copyOf(findings);
    }

    public boolean passed() {
        return !findings.isEmpty() && findings.stream().allMatch(Finding::passed);
    }

    /** The failed findings. */
    public List<Finding> failures() {
        return findings.stream().filter(f -> !f.passed()).toList();
    }

    /** A clear verdict line, then one line per finding with its evidence. */
    public String render() {
        StringBuilder s = new StringBuilder();
        s.append(passed() ? "PASS" : "FAIL")
                .append(": run ")
                .append(runId)
                .append(", ")
                .append(findings.size() - failures().size())
                .append(" of ")
                .append(findings.size())
                .append(" checks passed\n");
        for (Finding f : findings) {
            s.append(f.passed() ? "  PASS  " : "  FAIL  ")
                    .append(f.property())
                    .append("\n        ")
                    .append(f.evidence())
                    .append('\n');
        }
        return s.toString();
    }
}
