package io.isoflop.fitter.spark;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.isoflop.fitter.fit.RunResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables for {@code isoflop fit --table} made wrong in every way a generator can think of, from a valid one:
 * columns dropped, doubled or renamed, cells replaced by junk (empty, words, zero, negative, NaN, infinities,
 * overflowing exponents, control characters), rows doubled, cut short or padded, the text cut, garbled or
 * emptied. Each table is read on a real local Spark and must be accepted with every run's N, D, C and loss
 * positive and finite, or rejected with a {@link TableException} that names the file and the column, row or
 * defect; none may crash or take over 10 s. {@code -Disoflop.tableCount=N} sets how many (CI: 300; bench/chaos.sh
 * more), {@code -Disoflop.tableSeed=S} replays one.
 */
class GeneratedBadTablesIT {
    private static final String[] JUNK = {"", " ", "abc", "-1", "0", "-0", "NaN", "nan", "Infinity", "-Infinity",
        "1e400", "-1e400", "1e-400", "0x10", "1,5", "\"3\"", "1e", "١٢", "\u0000", "\t", "9".repeat(400), "true",
        "2147483648", "9223372036854775808", "1.0e15.0", "'", "\"unterminated"};
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSessions.start("isoflop-generated-tables-it", "local[2]");
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void noGeneratedTableCrashesHangsOrIsRejectedWithoutNamingWhatIsWrong(@TempDir Path dir) throws Exception {
        int count = Integer.getInteger("isoflop.tableCount", 300);
        long seed = Long.getLong("isoflop.tableSeed", System.nanoTime());
        System.out.println("GeneratedBadTablesIT seed " + seed);
        Random random = new Random(seed);
        TableReader reader = new TableReader(spark);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < count; i++) {
            List<List<String>> rows = validTable(random);
            String text = i % 6 == 5 ? garble(csv(rows), random) : csv(mutate(rows, random));
            Path table = dir.resolve("t" + i + ".csv");
            Files.write(table, text.getBytes(StandardCharsets.UTF_8));
            int index = i;
            boolean ok = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> check(reader, table, text, index,
                    seed), () -> "table " + index + " (seed " + seed + ") took over 10 s:\n" + text);
            if (ok) {
                accepted++;
            } else {
                rejected++;
            }
        }
        System.out.printf("GeneratedBadTablesIT: %d tables, %d accepted, %d rejected naming what is wrong, "
                + "0 crashes, 0 hangs%n", count, accepted, rejected);
        assertTrue(rejected > count / 2, "most generated tables are wrong: " + rejected + " of " + count
                + " rejected");
    }

    /** True when the table was accepted (and every value is usable); false when rejected as it should be. */
    private static boolean check(TableReader reader, Path table, String text, int index, long seed) {
        try {
            SweepMetrics metrics = reader.read(table);
            for (RunResult run : metrics.runs()) {
                boolean usable = run.parameters() > 0 && run.tokens() > 0 && positiveFinite(run.flops())
                        && positiveFinite(run.finalLoss()) && positiveFinite(run.budgetFlops());
                if (!usable) {
                    fail("table " + index + " (seed " + seed + ") accepted an unusable run " + run + ":\n" + text);
                }
            }
            return true;
        } catch (TableException e) {
            String message = e.getMessage();
            boolean named = message != null && message.contains(table.toString())
                    && (message.contains("column") || message.contains("row") || message.contains("no data rows")
                    || message.contains("header"));
            if (!named) {
                fail("table " + index + " (seed " + seed + ") rejected without naming what is wrong: " + message
                        + "\n" + text);
            }
            return false;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("table " + index + " (seed " + seed + ") crashed: " + e + "\n" + text, e);
        }
    }

    private static boolean positiveFinite(double value) {
        return value > 0 && Double.isFinite(value);
    }

    /** A small valid IsoFLOP table: 2–4 budgets × 3–5 sizes, with or without C and run_id. */
    private static List<List<String>> validTable(Random random) {
        boolean withCompute = random.nextBoolean();
        boolean withRunId = random.nextBoolean();
        List<String> header = new ArrayList<>(List.of("N", "D", "loss"));
        if (withCompute) {
            header.add("C");
        }
        if (withRunId) {
            header.add(0, "run_id");
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        int budgets = 2 + random.nextInt(3);
        int sizes = 3 + random.nextInt(3);
        for (int b = 0; b < budgets; b++) {
            double flops = 1e17 * Math.pow(10, b);
            for (int s = 0; s < sizes; s++) {
                double n = 1e6 * Math.pow(3, s + b);
                double d = flops / (6 * n);
                double loss = 2 + 1.5 / Math.pow(n / 1e6, 0.3) + 1.5 / Math.pow(d / 1e8, 0.3);
                List<String> row = new ArrayList<>(List.of(Long.toString((long) n), Long.toString((long) d),
                        Double.toString(loss)));
                if (withCompute) {
                    row.add(Double.toString(flops));
                }
                if (withRunId) {
                    row.add(0, "r" + b + "-" + s);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<List<String>> mutate(List<List<String>> table, Random random) {
        List<List<String>> rows = new ArrayList<>();
        table.forEach(r -> rows.add(new ArrayList<>(r)));
        int changes = 1 + random.nextInt(3);
        for (int c = 0; c < changes; c++) {
            List<String> header = rows.get(0);
            int column = random.nextInt(header.size());
            int row = 1 + random.nextInt(Math.max(1, rows.size() - 1));
            switch (random.nextInt(9)) {
                case 0 -> rows.forEach(r -> {
                    if (column < r.size()) {
                        r.remove(column); // a column dropped
                    }
                });
                case 1 -> header.add(header.get(column).toUpperCase(java.util.Locale.ROOT)); // a column twice
                case 2 -> header.set(column, JUNK[random.nextInt(JUNK.length)]); // a header renamed
                case 3, 4, 5 -> {
                    if (row < rows.size() && column < rows.get(row).size()) {
                        rows.get(row).set(column, JUNK[random.nextInt(JUNK.length)]); // a cell of junk
                    }
                }
                case 6 -> {
                    if (row < rows.size()) {
                        rows.add(new ArrayList<>(rows.get(row))); // a row twice
                    }
                }
                case 7 -> {
                    if (row < rows.size() && !rows.get(row).isEmpty()) {
                        rows.get(row).remove(rows.get(row).size() - 1); // a row cut short
                    } else if (row < rows.size()) {
                        rows.get(row).add("extra");
                    }
                }
                default -> {
                    if (random.nextBoolean()) {
                        rows.subList(1, rows.size()).clear(); // no data rows
                    } else {
                        Collections.shuffle(rows.subList(1, rows.size()), random);
                    }
                }
            }
        }
        return rows;
    }

    private static String csv(List<List<String>> rows) {
        StringBuilder text = new StringBuilder();
        rows.forEach(r -> text.append(String.join(",", r)).append('\n'));
        return text.toString();
    }

    /** The text cut short, a byte range overwritten with noise, its separators changed, or emptied. */
    private static String garble(String text, Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> text.substring(0, random.nextInt(text.length()));
            case 1 -> {
                char[] chars = text.toCharArray();
                int from = random.nextInt(chars.length);
                for (int i = from; i < Math.min(chars.length, from + 1 + random.nextInt(20)); i++) {
                    chars[i] = (char) random.nextInt(0x3000);
                }
                yield new String(chars);
            }
            case 2 -> text.replace(',', ';');
            case 3 -> text.replace("\n", "\r\n");
            case 4 -> "\uFEFF" + text;
            default -> "";
        };
    }
}
