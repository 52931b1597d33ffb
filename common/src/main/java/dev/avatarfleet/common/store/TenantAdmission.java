package dev.avatarfleet.common.store;

/**
 * Whose launch is admitted, and its concurrent-session quota: the task is recorded under the tenant (its own
 * index, its own active count) and refused {@code quota_exceeded} when the tenant's pending and running tasks
 * already fill {@code maxSessions}.
 *
 * @param tenant      the tenant id, or null for none (a node without keys)
 * @param maxSessions the tenant's quota, 0 for none
 */
public record TenantAdmission(String tenant, int maxSessions) {

    /** No tenant and no quota: a node that runs open. */
    public static final TenantAdmission NONE = new TenantAdmission(null, 0);

    public TenantAdmission {
        if (tenant != null && !tenant.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("a tenant id is 1-64 of A-Z a-z 0-9 . _ -, was '" + tenant + "'");
        }
        if (maxSessions < 0) {
            throw new IllegalArgumentException("maxSessions must be 0 (none) or more, was " + maxSessions);
        }
    }
}
