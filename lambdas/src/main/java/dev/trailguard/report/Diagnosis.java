package dev.trailguard.report;

/**
 * Why a runbook execution did not restart logging, and what to do about it.
 *
 * @param code  machine-readable cause, for example {@code ASSUME_ROLE_FAILED}
 * @param title a few words for the subject line, for example {@code role cannot be assumed}
 * @param cause the cause, for people
 * @param fix   what to change
 */
public record Diagnosis(String code, String title, String cause, String fix) {
}
