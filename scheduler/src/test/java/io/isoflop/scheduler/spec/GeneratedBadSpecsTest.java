package io.isoflop.scheduler.spec;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Specs made wrong in every way a generator can think of, from the fixture spec: keys removed or added, values
 * replaced by other types, huge, tiny, negative, non-finite or control characters, sections replaced by scalars,
 * and the text cut or garbled. Each one must be accepted and planned, or rejected with every error naming its
 * field (or, for YAML that cannot be read, its line); none may crash or take long. The seed is printed; set
 * {@code -Disoflop.specSeed=N} to replay one, {@code -Disoflop.specCount=N} for more (bench/chaos.sh).
 */
class GeneratedBadSpecsTest {
    private static final int SPECS = Integer.getInteger("isoflop.specCount", 1200);
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void noGeneratedSpecCrashesHangsOrIsRejectedWithoutNamingItsField() throws Exception {
        long seed = Long.getLong("isoflop.specSeed", System.nanoTime());
        System.out.println("GeneratedBadSpecsTest seed " + seed);
        Random random = new Random(seed);
        String fixture = Files.readString(Path.of("src", "test", "resources", "fixture-spec.yaml"));
        ObjectNode base = (ObjectNode) YAML.readTree(fixture);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < SPECS; i++) {
            String text = i % 5 == 4 ? garble(fixture, random) : YAML.writeValueAsString(mutate(base, random));
            if (check(text, i, seed)) {
                accepted++;
            } else {
                rejected++;
            }
        }
        System.out.printf("GeneratedBadSpecsTest: %d specs, %d accepted and planned, %d rejected%n", SPECS, accepted,
                rejected);
    }

    /** True when the spec was accepted and planned; false when rejected as it should be. */
    private static boolean check(String text, int index, long seed) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try {
                BudgetSpec spec = BudgetSpecLoader.parse(text, "generated.yaml");
                IsoFlopPlanner.plan(spec, Path.of("/tmp/isoflop-generated"));
                return true;
            } catch (SpecValidationException e) {
                for (SpecError error : e.getErrors()) {
                    boolean named = !error.path().isEmpty() || error.message().contains("line ")
                            || error.message().startsWith("the spec is empty")
                            || error.message().startsWith("expected a mapping with sections");
                    if (!named || error.message().isBlank()) {
                        fail("spec " + index + " (seed " + seed + "): an error names no field: " + error + "\n"
                                + text);
                    }
                }
                return false;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("spec " + index + " (seed " + seed + ") crashed: " + e + "\n" + text, e);
            }
        }, () -> "spec " + index + " (seed " + seed + ") took over 5 s:\n" + text);
    }

    private static ObjectNode mutate(ObjectNode base, Random random) {
        ObjectNode spec = base.deepCopy();
        int changes = 1 + random.nextInt(3);
        for (int i = 0; i < changes; i++) {
            List<Map.Entry<ObjectNode, String>> fields = new ArrayList<>();
            collect(spec, fields);
            Map.Entry<ObjectNode, String> at = fields.get(random.nextInt(fields.size()));
            switch (random.nextInt(5)) {
                case 0 -> at.getKey().remove(at.getValue());
                case 1 -> at.getKey().set("unknown_" + random.nextInt(100), junk(random));
                case 2, 3 -> at.getKey().set(at.getValue(), junk(random));
                default -> spec.set(fields.get(random.nextInt(fields.size())).getValue(), junk(random));
            }
        }
        return spec;
    }

    /** Every (object, key) pair in the tree, sections and leaves alike. */
    private static void collect(ObjectNode node, List<Map.Entry<ObjectNode, String>> into) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            into.add(Map.entry(node, field.getKey()));
            if (field.getValue() instanceof ObjectNode child) {
                collect(child, into);
            }
        }
    }

    private static JsonNode junk(Random random) {
        return switch (random.nextInt(22)) {
            case 0 -> NODES.textNode("");
            case 1 -> NODES.textNode("abc");
            case 2 -> NODES.numberNode(-1);
            case 3 -> NODES.numberNode(0);
            case 4 -> NODES.numberNode(1e300);
            case 5 -> NODES.numberNode(-1e300);
            case 6 -> NODES.numberNode(1e-300);
            case 7 -> NODES.numberNode(2147483648L);
            case 8 -> NODES.numberNode(Long.MAX_VALUE);
            case 9 -> NODES.booleanNode(random.nextBoolean());
            case 10 -> NODES.nullNode();
            case 11 -> NODES.arrayNode();
            case 12 -> NODES.objectNode();
            case 13 -> NODES.textNode("a\u0000b");
            case 14 -> NODES.textNode("x".repeat(100_000));
            case 15 -> NODES.numberNode(1.5);
            case 16 -> NODES.numberNode(1e40);
            case 17 -> NODES.textNode("1e11");
            case 18 -> {
                ArrayNode list = NODES.arrayNode();
                for (int i = 0; i < 1 + random.nextInt(2000); i++) {
                    list.add(NODES.numberNode(Math.pow(10, 9 + random.nextDouble() * 20)));
                }
                yield list;
            }
            case 19 -> NODES.numberNode(random.nextInt(2_000_000_000));
            case 20 -> NODES.numberNode(Double.MIN_VALUE);
            default -> NODES.textNode("\uD83D\uDE00/..//\t");
        };
    }

    /** The fixture's text cut, or with a stretch of characters replaced by others YAML cares about. */
    private static String garble(String text, Random random) {
        int at = random.nextInt(text.length());
        if (random.nextBoolean()) {
            return text.substring(0, at);
        }
        String noise = List.of(":", " ", "\n", "{", "[", "]", "}", "&a", "*a", "- ", "'", "\"", "\t", "#", "!!")
                .get(random.nextInt(15));
        return text.substring(0, at) + noise + text.substring(Math.min(text.length(), at + random.nextInt(4)));
    }
}
