package io.isoflop.scheduler.plan;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.isoflop.contracts.RunSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Run ids: {@code c<budget>-n<N>-<hash>}, e.g. {@code c3e11-n12768-1a2b3c} or {@code c2p5e11-n3312-0f9e8d}.
 * The budget is written with up to 3 significant digits ('p' for the decimal point, 'm' for a minus sign in
 * the exponent); N is the declared parameter count; the hash is the first 6 hex digits of the SHA-256 of the
 * run's canonical JSON with the id and the metrics directory blanked, so the id depends on what is trained,
 * not on where results are written or how often it is checkpointed. Ids are lowercase and use only
 * {@code [a-z0-9-]}.
 */
public final class RunIds {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addMixIn(RunSpec.class, TrainedContent.class)
            .build();

    /** What of a run spec names the run: everything but the checkpoint policy (the id and directory are blanked). */
    @JsonIgnoreProperties({"checkpoint"})
    private abstract static class TrainedContent {}

    private RunIds() {}

    public static String of(RunSpec run) {
        RunSpec content = run.withRunId("").withMetricsDir("");
        return "c" + budgetLabel(run.budgetFlops()) + "-n" + run.parameters() + "-"
                + sha256Hex(canonicalJson(content)).substring(0, 6);
    }

    /** A budget as it appears in run ids: 1e11 → {@code 1e11}, 2.5e11 → {@code 2p5e11}, 3.162e11 → {@code 3p16e11}. */
    public static String budgetLabel(double flops) {
        if (!(flops > 0) || !Double.isFinite(flops)) {
            throw new IllegalArgumentException("budget must be positive and finite, got " + flops);
        }
        BigDecimal value = new BigDecimal(flops).round(new MathContext(3)).stripTrailingZeros();
        int exponent = value.precision() - value.scale() - 1;
        String mantissa = value.movePointLeft(exponent).toPlainString().replace('.', 'p');
        return mantissa + "e" + (exponent < 0 ? "m" + -exponent : Integer.toString(exponent));
    }

    /** Compact JSON with properties in alphabetical order. */
    static String canonicalJson(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value, e);
        }
    }

    static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
