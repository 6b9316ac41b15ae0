package io.isoflop.contracts;

/**
 * The columns of a metric Parquet file. Every row carries the run's constants too, so a fit needs nothing
 * but the metric files. A row is one optimiser step; eval columns are set only where an evaluation ran.
 * The row with {@code is_final = true} is the run's summary: its eval loss is measured on the larger final
 * evaluation set after the last step.
 */
public final class MetricsSchema {
    private MetricsSchema() {}

    public static final String RUN_ID = "run_id";
    public static final String SWEEP = "sweep";
    /** Epoch milliseconds at which this attempt of the run started; a restarted run writes a larger value. */
    public static final String ATTEMPT = "attempt";
    public static final String STEP = "step";
    public static final String TOKENS = "tokens";
    /** Training FLOPs so far under the run's declared convention. */
    public static final String FLOPS = "flops";
    public static final String TRAIN_LOSS = "train_loss";
    /** Held-out cross-entropy in nats per token (byte); null on rows without an evaluation. */
    public static final String EVAL_LOSS = "eval_loss";
    public static final String LEARNING_RATE = "learning_rate";
    public static final String WALL_SECONDS = "wall_seconds";
    public static final String TOKENS_PER_SECOND = "tokens_per_second";
    public static final String IS_FINAL = "is_final";
    public static final String BUDGET_FLOPS = "budget_flops";
    public static final String FLOP_CONVENTION = "flop_convention";
    /** N as the run's parameter count declares (non-embedding or total). */
    public static final String N_PARAMS = "n_params";
    public static final String N_PARAMS_TOTAL = "n_params_total";
    public static final String N_PARAMS_NON_EMBEDDING = "n_params_non_embedding";
    public static final String PLANNED_TOKENS = "planned_tokens";
    /** Passes over the run's training data so far (above 1: data repeated, the data-constrained regime). */
    public static final String EPOCHS = "epochs";
    /** Training FLOPs per token under the run's declared convention ({@link #FLOPS} / {@link #TOKENS}). */
    public static final String FLOPS_PER_TOKEN = "flops_per_token";
    /** 6·N with N as the run declares it, for comparison with the declared convention. */
    public static final String FLOPS_PER_TOKEN_6N = "flops_per_token_6n";
    /** Counted from the architecture ({@link ArchitectureFlops#perToken}): layers, attention, output head. */
    public static final String FLOPS_PER_TOKEN_MODEL = "flops_per_token_model";
    /** The embedding's count, kept apart ({@link ArchitectureFlops#embeddingPerToken}). */
    public static final String FLOPS_PER_TOKEN_EMBEDDING = "flops_per_token_embedding";
    /** What the run trained on: {@code cpu} or {@code gpu}. */
    public static final String DEVICE_TYPE = "device_type";
    /** The processor's or GPU's product name, e.g. "NVIDIA H200". */
    public static final String DEVICE_NAME = "device_name";
    /** How many of them (GPUs; 1 for the CPU). */
    public static final String DEVICE_COUNT = "device_count";
    /** The arithmetic: {@code fp32}, or {@code fp16-mixed} (fp16 weights and activations, fp32 master weights). */
    public static final String PRECISION = "precision";

    /** The Parquet schema, in Parquet's message syntax (parsed by the writer, so the module needs no Parquet). */
    public static final String PARQUET_MESSAGE = """
            message isoflop_metrics {
              required binary run_id (STRING);
              required binary sweep (STRING);
              required int64 attempt;
              required int64 step;
              required int64 tokens;
              required double flops;
              optional double train_loss;
              optional double eval_loss;
              required double learning_rate;
              required double wall_seconds;
              required double tokens_per_second;
              required boolean is_final;
              required double budget_flops;
              required binary flop_convention (STRING);
              required int64 n_params;
              required int64 n_params_total;
              required int64 n_params_non_embedding;
              required int64 planned_tokens;
              optional double epochs;
              optional double flops_per_token;
              optional double flops_per_token_6n;
              optional double flops_per_token_model;
              optional double flops_per_token_embedding;
              optional binary device_type (STRING);
              optional binary device_name (STRING);
              optional int32 device_count;
              optional binary precision (STRING);
            }
            """;
}
