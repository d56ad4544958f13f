package dev.trailguard.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The organization hub's fire drills in its member accounts (issue 16 item 5): every member account has a canary trail
 * {@value dev.trailguard.contract.Environment#CANARY_TRAIL_NAME} in {@code canaryRegion} and a drill role
 * {@code roleName} that only the hub's FireDrill role may assume and that may only stop that canary. A StopLogging in a
 * member account is a drill only when both match for that account: exactly that role of that account, exactly that
 * account's canary.
 *
 * @param roleName       the member drill role's name (no path), the same in every member account
 * @param canaryRegion   the home region of every member's canary (the hub region)
 * @param accountsPerDay how many accounts the daily drill picks
 * @param parentIds      the guarded OUs or root whose active accounts the drill rotates over
 */
public record MemberDrills(String roleName, String canaryRegion, int accountsPerDay, List<String> parentIds) {

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");

    public MemberDrills {
        parentIds = List.copyOf(parentIds);
    }

    /** The drill role of {@code account}: the only principal whose StopLogging of its canary is a drill. */
    public String drillRoleArn(String partition, String account) {
        return "arn:" + check(PARTITION, partition, "partition") + ":iam::" + check(ACCOUNT, account, "account id")
                + ":role/" + roleName;
    }

    /** The canary trail of {@code account}. */
    public String canaryArn(String partition, String account) {
        return "arn:" + check(PARTITION, partition, "partition") + ":cloudtrail:" + canaryRegion + ":"
                + check(ACCOUNT, account, "account id") + ":trail/" + dev.trailguard.contract.Environment.CANARY_TRAIL_NAME;
    }

    private static String check(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("not a " + what + ": " + value);
        }
        return value;
    }
}
