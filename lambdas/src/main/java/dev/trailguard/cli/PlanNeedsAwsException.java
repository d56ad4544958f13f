package dev.trailguard.cli;

import dev.trailguard.core.CallFailedException;

/**
 * The offline plan reached a call that only AWS can answer; the local invoke reports it instead of guessing. A failed
 * call to the feature code (which passes it on, as it does every call it cannot make), not a defect.
 */
final class PlanNeedsAwsException extends CallFailedException {
    private static final long serialVersionUID = 1L;

    PlanNeedsAwsException(String action, String message) {
        super(action, "NoCredentials", message, null);
    }
}
