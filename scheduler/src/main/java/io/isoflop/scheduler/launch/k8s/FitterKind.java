package io.isoflop.scheduler.launch.k8s;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.util.List;
import java.util.Optional;

/** How the fitter runs on the cluster: a Job (Spark in local mode in one pod), or a Spark operator application. */
interface FitterKind {

    /** One fitter attempt of the sweep as found on the API server; {@code exitCode} empty while it runs. */
    record Attempt(String name, int number, Optional<Integer> exitCode) {}

    /** The sweep's fitter attempts. */
    List<Attempt> attempts() throws ApiException;

    /** Creates attempt {@code number} (idempotent: an existing one of that name is kept); returns its name. */
    String create(int number, List<String> arguments, V1OwnerReference owner) throws ApiException;

    /** The attempt's exit code once it ended; empty while it runs (an ApiException with 404 when it is gone). */
    Optional<Integer> outcome(String name) throws ApiException;

    void delete(String name);
}
