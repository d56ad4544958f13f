package dev.trailguard.trail;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trail as an event names it: a bare name or a full trail ARN, validated against CloudTrail's naming rules so that
 * nothing unvalidated reaches a runbook parameter or a notification.
 *
 * @param value     the name or ARN exactly as validated
 * @param name      the trail's name (the last part of an ARN)
 * @param partition the ARN's partition, empty for a bare name
 * @param region    the ARN's region, empty for a bare name
 * @param accountId the ARN's account, empty for a bare name
 */
public record TrailRef(String value, String name, Optional<String> partition, Optional<String> region,
                       Optional<String> accountId) {

    // CloudTrail: 3-128 chars of letters, digits, '.', '_', '-'; starts and ends alphanumeric; no two adjacent
    // separators; not an IPv4 address.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?![._-])){1,126}[A-Za-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):cloudtrail:"
                    + "([a-z]{2}(?:-[a-z]+)+-\\d{1,2}):(\\d{12}):trail/(.+)");

    /** Parses a name or ARN; throws {@link InvalidTrailReferenceException} for anything CloudTrail would reject. */
    public static TrailRef parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidTrailReferenceException("no trail name or ARN in the event");
        }
        if (raw.length() > 256) {
            throw new InvalidTrailReferenceException("trail name or ARN longer than 256 characters");
        }
        if (raw.startsWith("arn:")) {
            Matcher m = ARN.matcher(raw);
            if (!m.matches() || !validName(m.group(4))) {
                throw new InvalidTrailReferenceException("not a CloudTrail trail ARN");
            }
            return new TrailRef(raw, m.group(4), Optional.of(m.group(1)), Optional.of(m.group(2)),
                    Optional.of(m.group(3)));
        }
        if (!validName(raw)) {
            throw new InvalidTrailReferenceException("not a valid CloudTrail trail name");
        }
        return new TrailRef(raw, raw, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** True if {@link #parse(String)} would accept the value. */
    public static boolean isValid(String raw) {
        try {
            parse(raw);
            return true;
        } catch (InvalidTrailReferenceException e) {
            return false;
        }
    }

    /** True if this reference is a full ARN. */
    public boolean isArn() {
        return partition.isPresent();
    }

    /** True if the ARN or name denotes the same trail as the given ARN. */
    public boolean matches(String trailArn) {
        if (isArn()) {
            return value.equals(trailArn);
        }
        return trailArn != null && trailArn.endsWith(":trail/" + name);
    }

    private static boolean validName(String name) {
        return NAME.matcher(name).matches() && !IPV4.matcher(name).matches();
    }
}
