package dev.trailguard.infra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Keeps the CloudFormation logical ids of resources that moved from the stack into a {@link Group} construct: a changed
 * id makes CloudFormation replace the deployed resource. Each element under a group gets the id the CDK would have
 * allocated had the group's level not been in its path (the CDK's own algorithm: the path's ids without
 * {@code Default}, the human part without {@code Resource} and repeats, plus 8 hex digits of the path's MD5), and ids
 * the CDK derives from another construct's unique id ({@code AllowEventRule<alias id>}) get that construct's old one.
 * {@code LogicalIdSnapshotTest} proves the result; overriding {@code allocateLogicalId} instead overflows jsii's stack.
 */
final class LegacyIds {

    /** A construct that only groups resources: its level is left out of their logical ids. */
    interface Group {
    }

    private LegacyIds() {
    }

    /**
     * Pins every element under the stack's groups; call once, after the last resource is added.
     *
     * @return what renames the unique ids of moved constructs back, for text the CDK derived from them (the
     *     {@code AllowEventRule<rule id>} statement ids of a dead-letter queue's policy)
     */
    static UnaryOperator<String> pin(Stack stack) {
        Map<String, String> uniqueIds = new HashMap<>();
        for (IConstruct construct : stack.getNode().findAll()) {
            List<String> current = components(stack, construct, false);
            List<String> legacy = components(stack, construct, true);
            if (!current.equals(legacy) && !legacy.isEmpty()) {
                uniqueIds.put(uniqueId(prefixed(stack, current)), uniqueId(prefixed(stack, legacy)));
            }
        }
        Map<String, String> renames = Map.copyOf(uniqueIds);
        UnaryOperator<String> legacyName = text -> {
            String renamed = text;
            for (Map.Entry<String, String> moved : renames.entrySet()) {
                renamed = renamed.replace(moved.getKey(), moved.getValue());
            }
            return renamed;
        };
        for (IConstruct construct : stack.getNode().findAll()) {
            // A function's current version already carries an id the CDK derives from the code's hash: a new id per
            // code change is how a new version gets published, so it keeps the CDK's.
            boolean version = construct instanceof software.amazon.awscdk.CfnResource resource
                    && "AWS::Lambda::Version".equals(resource.getCfnResourceType());
            if (construct instanceof CfnElement element && !version) {
                List<String> current = components(stack, construct, false);
                List<String> legacy = components(stack, construct, true).stream().map(legacyName).toList();
                if (!legacy.equals(current)) {
                    element.overrideLogicalId(uniqueId(legacy));
                }
            }
        }
        return legacyName;
    }

    private static List<String> prefixed(Stack stack, List<String> components) {
        List<String> all = new ArrayList<>(List.of(stack.getNode().getId()));
        all.addAll(components);
        return all;
    }

    /** The ids from below the stack down to the construct, with or without the levels of groups. */
    private static List<String> components(Stack stack, IConstruct construct, boolean withoutGroups) {
        List<String> ids = new ArrayList<>();
        boolean below = false;
        for (IConstruct scope : construct.getNode().getScopes()) {
            if (below && !(withoutGroups && scope instanceof Group)) {
                ids.add(scope.getNode().getId());
            }
            if (scope == stack) {
                below = true;
            }
        }
        return ids;
    }

    /** The CDK's {@code makeUniqueId} (aws-cdk-lib core/lib/private/uniqueid.ts). */
    static String uniqueId(List<String> path) {
        List<String> components = path.stream().filter(id -> !id.equals("Default")).toList();
        if (components.size() == 1) {
            String candidate = alphanumeric(components.get(0));
            if (candidate.length() <= 255) {
                return candidate;
            }
        }
        List<String> human = new ArrayList<>();
        for (String component : components) {
            if (human.isEmpty() || !human.get(human.size() - 1).endsWith(component)) {
                human.add(component);
            }
        }
        String readable = String.join("", human.stream().filter(id -> !id.equals("Resource"))
                .map(LegacyIds::alphanumeric).toList());
        return readable.substring(0, Math.min(240, readable.length())) + md5(String.join("/", components));
    }

    private static String alphanumeric(String id) {
        return id.replaceAll("[^A-Za-z0-9]", "");
    }

    private static String md5(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 8).toUpperCase(java.util.Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    /** A plain construct that groups resources without changing their ids. */
    static class GroupConstruct extends Construct implements Group {
        GroupConstruct(Construct scope, String id) {
            super(scope, id);
        }
    }
}
