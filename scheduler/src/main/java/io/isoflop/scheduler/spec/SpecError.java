package io.isoflop.scheduler.spec;

/**
 * One problem with a budget spec.
 *
 * @param path the field it concerns, e.g. {@code budgets.flops[2]} or {@code optimizer.lr}; empty for the
 *     document as a whole (a YAML syntax error, an unreadable file)
 * @param message what was expected and what was found
 */
public record SpecError(String path, String message) {

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
