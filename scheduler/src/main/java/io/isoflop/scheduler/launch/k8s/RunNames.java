package io.isoflop.scheduler.launch.k8s;

import io.isoflop.contracts.RunSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Every Kubernetes name and label isoflop uses, in one place. Names are DNS-1123 labels (at most 63 lowercase
 * alphanumerics or '-', starting and ending alphanumeric) derived deterministically from the sweep and run ids;
 * user strings are sanitised, and a name that would be too long keeps a hash of the whole so it stays unique.
 */
public final class RunNames {
    public static final String LABEL_APP = "app.kubernetes.io/name";
    public static final String LABEL_SWEEP = "isoflop.io/sweep";
    public static final String LABEL_RUN = "isoflop.io/run";
    public static final String LABEL_BUDGET = "isoflop.io/budget";
    public static final String LABEL_PARAMETERS = "isoflop.io/n";
    public static final String LABEL_ROLE = "isoflop.io/role";
    public static final String LABEL_ATTEMPT = "isoflop.io/attempt";
    public static final String KUEUE_QUEUE_LABEL = "kueue.x-k8s.io/queue-name";
    static final int MAX_NAME = 63;

    private RunNames() {}

    /** The Job of a run's first attempt. */
    public static String jobName(String sweep, String runId) {
        return dnsLabel("isoflop-" + sweep + "-" + runId);
    }

    /** The Job of one attempt: the first attempt has the run's name, later ones add {@code -a<n>}. */
    public static String attemptJobName(String sweep, String runId, int attempt) {
        return attempt <= 1 ? jobName(sweep, runId) : dnsLabel("isoflop-" + sweep + "-" + runId + "-a" + attempt);
    }

    /** The per-sweep object every Job is owned by: deleting it deletes the sweep's Jobs. */
    public static String sweepObjectName(String sweep) {
        return dnsLabel("isoflop-sweep-" + sweep);
    }

    /** The fitter Job of one attempt: {@code isoflop-fit-<sweep>}, then {@code -a<n>}. */
    public static String fitterJobName(String sweep, int attempt) {
        return dnsLabel("isoflop-fit-" + sweep + (attempt <= 1 ? "" : "-a" + attempt));
    }

    public static Map<String, String> fitterLabels(String sweep, int attempt) {
        return Map.of(LABEL_APP, "isoflop", LABEL_ROLE, "fitter", LABEL_SWEEP, labelValue(sweep),
                LABEL_ATTEMPT, Integer.toString(attempt));
    }

    /** A selector for the fitter Jobs of a sweep. */
    public static String fitterSelector(String sweep) {
        return LABEL_SWEEP + "=" + labelValue(sweep) + "," + LABEL_ROLE + "=fitter";
    }

    public static Map<String, String> runLabels(RunSpec spec) {
        return Map.of(
                LABEL_APP, "isoflop",
                LABEL_ROLE, "worker",
                LABEL_SWEEP, labelValue(spec.sweep()),
                LABEL_RUN, labelValue(spec.runId()),
                LABEL_BUDGET, labelValue(String.format(Locale.ROOT, "%.3e", spec.budgetFlops()).replace("+", "")),
                LABEL_PARAMETERS, Long.toString(spec.parameters()));
    }

    public static Map<String, String> sweepLabels(String sweep) {
        return Map.of(LABEL_APP, "isoflop", LABEL_SWEEP, labelValue(sweep));
    }

    /** A selector for every Job of a sweep: workers and fitters. */
    public static String jobsSelector(String sweep) {
        return LABEL_SWEEP + "=" + labelValue(sweep);
    }

    /** A selector for every worker Job of a sweep. */
    public static String sweepSelector(String sweep) {
        return LABEL_SWEEP + "=" + labelValue(sweep) + "," + LABEL_ROLE + "=worker";
    }

    /** The attempt number a Job (or other object) of isoflop carries in its labels; 1 when it has none. */
    public static int attemptOf(V1ObjectMeta metadata) {
        String value = metadata.getLabels() == null ? null : metadata.getLabels().get(LABEL_ATTEMPT);
        return value == null ? 1 : Integer.parseInt(value);
    }

    /** Lowercase, runs of other characters collapsed to '-', trimmed, at most 63 (hash-suffixed if cut). */
    static String dnsLabel(String raw) {
        String cleaned = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (cleaned.isEmpty()) {
            cleaned = "x";
        }
        if (cleaned.length() <= MAX_NAME) {
            return cleaned;
        }
        String hash = shortHash(raw);
        String head = cleaned.substring(0, MAX_NAME - hash.length() - 1).replaceAll("-+$", "");
        return head + "-" + hash;
    }

    /** Label values: at most 63 of [A-Za-z0-9._-], starting and ending alphanumeric (empty allowed). */
    static String labelValue(String raw) {
        String cleaned = raw.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
        if (cleaned.length() <= MAX_NAME) {
            return cleaned;
        }
        String hash = shortHash(raw);
        return cleaned.substring(0, MAX_NAME - hash.length() - 1).replaceAll("[^A-Za-z0-9]+$", "") + "-" + hash;
    }

    private static String shortHash(String raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
