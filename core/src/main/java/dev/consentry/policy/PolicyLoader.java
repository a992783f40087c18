package dev.consentry.policy;

import dev.consentry.canary.CanaryKind;
import dev.consentry.consent.Purposes;
import dev.consentry.profile.YamlMapping;
import org.yaml.snakeyaml.nodes.Node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code policies/<name>.yaml} on SnakeYAML's node API, like device profiles, so every mistake comes back as
 * file:line:column: field.path: message, all of a file's mistakes at once. See README "Consent policies" for the
 * format.
 */
public final class PolicyLoader {
    static final String SUFFIX = ".yaml";
    /** What {@code always:} may list; "cleartext" is the only always-rule so far. */
    public static final String CLEARTEXT = "cleartext";

    private static final Set<String> TOP = ordered("description", "purposes", "categories", "destinations", "rules",
            "always", "necessary");
    private static final Set<String> DESTINATION = ordered("party", "hosts", "opaqueExempt");
    private static final Map<String, Party> PARTIES = parties();

    private PolicyLoader() {
    }

    /** @throws PolicyException listing every problem found in the file */
    public static Policy load(Path file) {
        String where = file.toString();
        String fileName = file.getFileName().toString();
        if (!fileName.endsWith(SUFFIX) || fileName.length() == SUFFIX.length()) {
            throw new PolicyException(List.of(where + ": a policy is a <name>" + SUFFIX + " file"));
        }
        Node root = YamlMapping.compose(file, "a policy mapping", PolicyException::new);
        List<YamlMapping.Problem> problems = new ArrayList<>();
        Optional<Policy> policy = read(root, where, problems, fileName.substring(0, fileName.length() - SUFFIX.length()));
        if (!problems.isEmpty() || policy.isEmpty()) {
            throw new PolicyException(problems.stream().sorted(YamlMapping.Problem.IN_FILE_ORDER)
                    .map(YamlMapping.Problem::text).distinct().toList());
        }
        return policy.get();
    }

    /** {@code policies/<name>.yaml} under {@code dir}, or a file path as given when it ends in .yaml. */
    public static Policy load(Path dir, String nameOrFile) {
        Path p = nameOrFile.endsWith(SUFFIX) ? Path.of(nameOrFile) : dir.resolve(nameOrFile + SUFFIX);
        if (!Files.isRegularFile(p)) {
            throw new PolicyException(List.of(p + ": no such policy file"));
        }
        return load(p);
    }

    private static Optional<Policy> read(Node root, String where, List<YamlMapping.Problem> problems, String name) {
        YamlMapping top = YamlMapping.of(where, problems, root, "", TOP);
        String description = top.string("description", false).orElse("");

        Set<String> purposes = new LinkedHashSet<>(Purposes.BUILT_IN);
        List<String> declared = top.strings("purposes", false).orElse(List.of());
        for (int i = 0; i < declared.size(); i++) {
            String why = Purposes.invalid(declared.get(i));
            if (why != null) {
                top.problemAt("purposes", i, why + ", got \"" + declared.get(i) + "\"");
            } else if (!purposes.add(declared.get(i))) {
                top.problemAt("purposes", i, "\"" + declared.get(i) + "\" is already a purpose");
            }
        }

        List<Category> categories = categories(top);
        Set<String> categoryIds = new LinkedHashSet<>(categories.stream().map(Category::id).toList());
        List<Destination> destinations = destinations(top, where);
        List<Rule> rules = rules(top, where, purposes, categoryIds);

        boolean cleartext = true; // fail closed: a policy that does not say otherwise forbids cleartext
        Optional<List<String>> always = top.strings("always", false);
        if (always.isPresent()) {
            cleartext = false;
            for (int i = 0; i < always.get().size(); i++) {
                if (always.get().get(i).equals(CLEARTEXT)) {
                    cleartext = true;
                } else {
                    top.problemAt("always", i, "expected one of " + CLEARTEXT + ", got \"" + always.get().get(i) + "\"");
                }
            }
        }
        List<NecessaryTraffic> necessary = necessary(top, where);
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Policy(name, where, description, purposes, categories, destinations, rules, cleartext,
                necessary));
    }

    private static List<Category> categories(YamlMapping top) {
        List<Category> out = new ArrayList<>();
        Map<CanaryKind, String> claimed = new LinkedHashMap<>();
        top.open("categories", true).ifPresent(cats -> {
            for (String id : cats.keys()) {
                if (Purposes.invalid(id) != null) {
                    cats.problemAt(id, "category names are lower case with '_' (like device_identifier), got \"" + id
                            + "\"");
                    continue;
                }
                List<String> kinds = cats.strings(id, true).orElse(List.of());
                Set<CanaryKind> set = new LinkedHashSet<>();
                for (int i = 0; i < kinds.size(); i++) {
                    String k = kinds.get(i);
                    Optional<CanaryKind> kind = CanaryKind.fromId(k);
                    if (kind.isEmpty()) {
                        cats.problemAt(id, i, "unknown canary kind \"" + k + "\"; known: " + String.join(", ",
                                Arrays.stream(CanaryKind.values()).map(CanaryKind::id).toList()));
                    } else if (claimed.containsKey(kind.get())) {
                        cats.problemAt(id, i, k + " is already in category " + claimed.get(kind.get())
                                + ": a kind belongs to one category");
                    } else {
                        claimed.put(kind.get(), id);
                        set.add(kind.get());
                    }
                }
                out.add(new Category(id, set));
            }
        });
        return out;
    }

    private static List<Destination> destinations(YamlMapping top, String file) {
        List<Destination> out = new ArrayList<>();
        top.open("destinations", true).ifPresent(dests -> {
            for (String name : dests.keys()) {
                dests.mapping(name, DESTINATION, true).ifPresent(d -> {
                    Optional<Party> party = d.choice("party", PARTIES);
                    List<HostPattern> hosts = hosts(d, "hosts");
                    boolean exempt = d.bool("opaqueExempt").orElse(false);
                    party.ifPresent(p -> out.add(new Destination(name, p, hosts, exempt,
                            file + ":" + dests.line(name) + " destinations." + name)));
                });
            }
        });
        return out;
    }

    private static List<HostPattern> hosts(YamlMapping m, String key) {
        List<String> raw = m.strings(key, true).orElse(List.of());
        List<HostPattern> hosts = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String why = HostPattern.invalid(raw.get(i));
            if (why != null) {
                m.problemAt(key, i, why + ", got \"" + raw.get(i) + "\"");
            } else {
                hosts.add(new HostPattern(raw.get(i)));
            }
        }
        return hosts;
    }

    private static List<Rule> rules(YamlMapping top, String file, Set<String> purposes, Set<String> categoryIds) {
        List<Rule> out = new ArrayList<>();
        top.open("rules", true).ifPresent(rules -> {
            for (String purpose : rules.keys()) {
                if (!purposes.contains(purpose)) {
                    rules.problemAt(purpose, "unknown purpose \"" + purpose + "\"; known: " + String.join(", ",
                            purposes) + " (declare new ones under purposes:)");
                    continue;
                }
                rules.open(purpose, true).ifPresent(byParty -> {
                    for (String partyId : byParty.keys()) {
                        Optional<Party> party = Party.fromId(partyId);
                        if (party.isEmpty()) {
                            byParty.problemAt(partyId, "unknown party \"" + partyId + "\"; expected one of "
                                    + String.join(", ", PARTIES.keySet()));
                            continue;
                        }
                        List<String> cats = byParty.strings(partyId, true).orElse(List.of());
                        for (int i = 0; i < cats.size(); i++) {
                            if (!categoryIds.contains(cats.get(i))) {
                                byParty.problemAt(partyId, i, "unknown category \"" + cats.get(i) + "\"; defined: "
                                        + String.join(", ", categoryIds));
                            }
                        }
                        out.add(new Rule(purpose, party.get(), new LinkedHashSet<>(cats),
                                file + ":" + byParty.line(partyId) + " " + byParty.path(partyId)));
                    }
                });
            }
        });
        return out;
    }

    private static List<NecessaryTraffic> necessary(YamlMapping top, String file) {
        List<NecessaryTraffic> out = new ArrayList<>();
        top.open("necessary", false).ifPresent(n -> {
            for (String name : n.keys()) {
                out.add(new NecessaryTraffic(name, hosts(n, name), file + ":" + n.line(name) + " necessary." + name));
            }
        });
        return out;
    }

    private static Map<String, Party> parties() {
        Map<String, Party> m = new LinkedHashMap<>();
        for (Party p : Party.values()) {
            m.put(p.id(), p);
        }
        return Collections.unmodifiableMap(m);
    }

    private static Set<String> ordered(String... keys) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
    }
}
