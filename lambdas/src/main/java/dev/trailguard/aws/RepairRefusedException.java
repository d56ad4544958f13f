package dev.trailguard.aws;

import dev.trailguard.core.CallFailedException;

/**
 * A repair call that AWS accepted but did not carry out (a target EventBridge refused), or a deployed definition that
 * cannot be read: reported like a failed call.
 */
public final class RepairRefusedException extends CallFailedException {
    private static final long serialVersionUID = 1L;

    public RepairRefusedException(String action, String errorCode, String message, Throwable cause) {
        super(action, errorCode, action + " failed: " + errorCode + " (" + message + ")", cause);
    }
}
