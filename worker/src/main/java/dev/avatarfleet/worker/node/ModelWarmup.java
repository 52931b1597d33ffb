package dev.avatarfleet.worker.node;

/**
 * Loads and warms the avatar model. With {@code AUTO_PREWARM=true} the worker runs it before its
 * first claim and reports {@code model_ready=false} until it returns; with false the node never calls
 * it and the session factory warms itself on its first session.
 */
@FunctionalInterface
public interface ModelWarmup {

    /** Blocks until the model is loaded and warm; throws if it cannot be loaded. */
    void warmUp() throws Exception;
}
