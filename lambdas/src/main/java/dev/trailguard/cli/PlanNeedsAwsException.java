package dev.trailguard.cli;

/** The offline plan reached a step that only AWS can answer; the local invoke reports it instead of guessing. */
final class PlanNeedsAwsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PlanNeedsAwsException(String message) {
        super(message);
    }
}
