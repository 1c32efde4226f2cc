package io.lvscp.dataplane;

/**
 * Something besides the configuration generation that shapes a node's plan (health check
 * results): its version moves whenever what it contributes changes, and the node agent
 * reconciles at its next poll.
 */
@FunctionalInterface
public interface PlanInputsVersion {
    long current();
}
