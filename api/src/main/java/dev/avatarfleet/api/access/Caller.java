package dev.avatarfleet.api.access;

import java.util.Objects;

/**
 * Who a request is from, once its key was checked: the key's id and tenant and whether it is an operator's, or
 * anyone at all on a node that runs open. Put in the request's context by {@link AccessFilter}.
 *
 * @param keyId         the key's id; null on an open node
 * @param tenant        the tenant whose tasks it sees; null on an open node
 * @param operator      sees every tenant's tasks (an operator key, or an open node)
 * @param limits        the key's own limits
 * @param clientAddress the client's address (through trusted proxies)
 */
public record Caller(String keyId, String tenant, boolean operator, ApiKey.KeyLimits limits, String clientAddress) {

    /** Anyone, on a node without keys. */
    public static Caller open(String clientAddress) {
        return new Caller(null, null, true, ApiKey.KeyLimits.DEFAULTS, clientAddress);
    }

    static Caller of(ApiKey key, String clientAddress) {
        return new Caller(key.id(), key.tenant(), key.operator(), key.limits(), clientAddress);
    }

    /** Whether this caller may see (stop, replay) a task of {@code taskTenant} (null: launched on an open node). */
    public boolean sees(String taskTenant) {
        return operator || (tenant != null && Objects.equals(tenant, taskTenant));
    }

    /** The tenant whose tasks {@code /tasks} lists: null for every task (an operator, an open node). */
    public String listedTenant() {
        return operator ? null : tenant;
    }

    /** The launch rate bucket: the key's, or on an open node the client address's. */
    String rateBucket() {
        return keyId != null ? "key:" + keyId : "addr:" + clientAddress;
    }
}
