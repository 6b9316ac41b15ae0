package io.isoflop.worker.model;

/** Trainable parameters counted from a built model. Non-embedding = total − embeddings − output projection. */
public record ParameterCounts(long total, long nonEmbedding, long embedding, long output) {}
