package dev.avatarfleet.common.store;

/**
 * The Lua scripts of the task store. Each runs atomically in Redis, so any number of API nodes
 * and workers can admit, claim, stop and end tasks at once without losing an update.
 *
 * <p>Keys, all under the prefix {@code p}: {@code task:<id>} (hash), {@code tasks} (zset, by
 * creation ms), {@code active} (set of pending and running ids), {@code terminal} (zset, by end
 * ms), {@code dedup:<len>:<room>|<identity>[|<tenant>]} (the active task of a room and avatar, of a tenant),
 * {@code workers} (zset, by heartbeat ms), {@code worker:<id>} (hash), {@code worker:<id>:tasks}
 * (set), channel {@code stop:<worker id>}; per tenant {@code tenant:<t>:tasks} (zset, the tenant's
 * tasks scored as in {@code tasks}) and {@code tenant:<t>:active} (set, its pending and running
 * ids; ended ones leave lazily, at the tenant's next admission).
 */
final class TaskScripts {

    private TaskScripts() {
    }

    private static final String PRELUDE = """
            local function dedup_key(p, room, identity, tenant)
              room = room or ''
              identity = identity or ''
              local k = p .. 'dedup:' .. string.len(room) .. ':' .. room .. '|' .. identity
              -- why: two tenants' rooms of one name are two rooms (their own LiveKit servers); each repeat finds its own
              if tenant and tenant ~= '' then k = k .. '|' .. tenant end
              return k
            end
            local function drop(p, id)
              local tenant = redis.call('HGET', p .. 'task:' .. id, 'tenant')
              if tenant then redis.call('ZREM', p .. 'tenant:' .. tenant .. ':tasks', id) end
              redis.call('DEL', p .. 'task:' .. id)
              redis.call('ZREM', p .. 'tasks', id)
              redis.call('ZREM', p .. 'terminal', id)
            end
            local function enforce_cap(p, cap)
              local n = redis.call('ZCARD', p .. 'terminal')
              local dropped = 0
              if n > cap then
                local old = redis.call('ZRANGE', p .. 'terminal', 0, n - cap - 1)
                for _, o in ipairs(old) do drop(p, o); dropped = dropped + 1 end
              end
              return dropped
            end
            local function finish(p, id, status, now, err, reason, retention_ms, cap)
              local k = p .. 'task:' .. id
              local t = redis.call('HMGET', k, 'room_name', 'avatar_identity', 'worker_id', 'tenant')
              redis.call('HSET', k, 'status', status, 'completed_at', now)
              if err ~= '' then redis.call('HSET', k, 'error', err) end
              if reason ~= '' then redis.call('HSET', k, 'end_reason', reason) end
              redis.call('SREM', p .. 'active', id)
              redis.call('ZADD', p .. 'terminal', now, id)
              local dk = dedup_key(p, t[1], t[2], t[4])
              if redis.call('GET', dk) == id then redis.call('DEL', dk) end
              if t[3] then redis.call('SREM', p .. 'worker:' .. t[3] .. ':tasks', id) end
              -- why: a backstop so Redis frees the record even when no pruning duty runs
              redis.call('PEXPIRE', k, retention_ms)
              enforce_cap(p, cap)
            end
            local legal = {
              pending = {running = true, failed = true, cancelled = true},
              running = {completed = true, failed = true, cancelled = true}
            }
            """;

    /**
     * Tenants (issue 10): a task's {@code tenant} field, the tenant's task index and its active set, and its
     * session quota, checked in the same atomic step as the fleet's capacity.
     */
    private static final String TENANCY = """
            -- the tenant's active count when it is at its quota, else nil; forgets its ended tasks on the way
            local function tenant_at_quota(p, tenant, quota)
              if tenant == '' then return nil end
              local ak = p .. 'tenant:' .. tenant .. ':active'
              for _, t in ipairs(redis.call('SMEMBERS', ak)) do
                local st = redis.call('HGET', p .. 'task:' .. t, 'status')
                if st ~= 'pending' and st ~= 'running' then redis.call('SREM', ak, t) end
              end
              local n = redis.call('SCARD', ak)
              if quota > 0 and n >= quota then return n end
              return nil
            end
            local function tenant_add(p, tenant, id)
              if tenant == '' then return end
              redis.call('HSET', p .. 'task:' .. id, 'tenant', tenant)
              redis.call('SADD', p .. 'tenant:' .. tenant .. ':active', id)
              redis.call('ZADD', p .. 'tenant:' .. tenant .. ':tasks', redis.call('ZSCORE', p .. 'tasks', id), id)
            end
            """;

    /**
     * ARGV: p, id, now, live_cutoff, room, identity, avatar_id, image_hash, warnings, billing_key_id, and last
     * tenant ('' = none) and the tenant's session quota (0 = none). Returns {'admitted', id}, {'existing', id},
     * {'not_ready'|'at_capacity'|'quota_exceeded', active, max} or {'collision'}.
     */
    static final LuaScript ADMIT = new LuaScript(PRELUDE + TENANCY + """
            local p, id, now, cutoff = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
            local room, identity = ARGV[5], ARGV[6]
            -- why: read from the end, so the script's own arguments can grow in front of them
            local tenant, quota = ARGV[#ARGV - 1], tonumber(ARGV[#ARGV]) or 0
            local dk = dedup_key(p, room, identity, tenant)
            local existing = redis.call('GET', dk)
            if existing then
              local st = redis.call('HGET', p .. 'task:' .. existing, 'status')
              if st == 'pending' or st == 'running' then return {'existing', existing} end
              redis.call('DEL', dk)
            end
            local tenant_active = tenant_at_quota(p, tenant, quota)
            if tenant_active then return {'quota_exceeded', tostring(tenant_active), tostring(quota)} end
            local ids = redis.call('ZRANGEBYSCORE', p .. 'workers', cutoff, '+inf')
            local capacity, ready = 0, 0
            for _, wid in ipairs(ids) do
              local w = redis.call('HMGET', p .. 'worker:' .. wid, 'model_ready', 'draining', 'max_sessions',
                'saturated', 'active')
              if w[1] == '1' and w[2] ~= '1' then
                ready = ready + 1
                -- why: a worker whose render loop cannot keep 25 FPS takes no more sessions than it holds
                if w[4] == '1' then
                  capacity = capacity + math.min(tonumber(w[3]) or 0, tonumber(w[5]) or 0)
                else
                  capacity = capacity + (tonumber(w[3]) or 0)
                end
              elseif w[2] == '1' then
                -- why: a draining worker takes nothing new, but its sessions are in the active count until they
                -- end; the slots they hold count with them, or a drain would refuse launches the others can take
                capacity = capacity + redis.call('SCARD', p .. 'worker:' .. wid .. ':tasks')
              end
            end
            local active = redis.call('SCARD', p .. 'active')
            if ready == 0 then return {'not_ready', tostring(active), tostring(capacity)} end
            if active >= capacity then return {'at_capacity', tostring(active), tostring(capacity)} end
            local k = p .. 'task:' .. id
            if redis.call('EXISTS', k) == 1 then return {'collision'} end
            redis.call('HSET', k, 'task_id', id, 'room_name', room, 'status', 'pending', 'created_at', now,
              'avatar_identity', identity, 'attempts', 0)
            if ARGV[7] ~= '' then redis.call('HSET', k, 'avatar_id', ARGV[7]) end
            if ARGV[8] ~= '' then redis.call('HSET', k, 'image_hash', ARGV[8]) end
            if ARGV[10] ~= '' then redis.call('HSET', k, 'billing_key_id', ARGV[10]) end
            if ARGV[9] ~= '' then redis.call('HSET', k, 'warnings', ARGV[9]) end
            redis.call('ZADD', p .. 'tasks', now, id)
            redis.call('SADD', p .. 'active', id)
            redis.call('SET', dk, id)
            tenant_add(p, tenant, id)
            return {'admitted', id}
            """);

    /** ARGV: p, id, worker_id, attempt, now, retention_ms, cap. */
    static final LuaScript CLAIM = new LuaScript(PRELUDE + """
            local p, id, wid, attempt, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
            local k = p .. 'task:' .. id
            local t = redis.call('HMGET', k, 'status', 'attempts', 'stop_requested_at')
            if not t[1] then return 'unknown' end
            if t[1] ~= 'pending' then return 'not_pending' end
            if (tonumber(t[2]) or 0) >= attempt then return 'duplicate' end
            if t[3] then
              finish(p, id, 'cancelled', now, '', 'stopped before start', tonumber(ARGV[6]), tonumber(ARGV[7]))
              return 'cancelled'
            end
            redis.call('HSET', k, 'worker_id', wid, 'attempts', attempt, 'claimed_at', now)
            redis.call('SADD', p .. 'worker:' .. wid .. ':tasks', id)
            return 'claimed'
            """);

    /** ARGV: p, id, worker_id, now. */
    static final LuaScript RUNNING = new LuaScript(PRELUDE + """
            local p, id, wid, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
            local k = p .. 'task:' .. id
            local t = redis.call('HMGET', k, 'status', 'worker_id', 'stop_requested_at')
            if not t[1] then return 'not_found' end
            if t[2] ~= wid then return 'not_owner' end
            if t[1] ~= 'pending' then return 'illegal' end
            redis.call('HSET', k, 'status', 'running', 'running_at', now)
            if t[3] then return 'done_stop_requested' end
            return 'done'
            """);

    /** ARGV: p, id, status, now, error, reason, retention_ms, cap, worker_id ('' = any). */
    static final LuaScript FINISH = new LuaScript(PRELUDE + """
            local p, id, status = ARGV[1], ARGV[2], ARGV[3]
            local k = p .. 'task:' .. id
            local t = redis.call('HMGET', k, 'status', 'worker_id')
            if not t[1] then return 'not_found' end
            if ARGV[9] ~= '' and t[2] ~= ARGV[9] then return 'not_owner' end
            if not (legal[t[1]] and legal[t[1]][status]) then return 'illegal' end
            finish(p, id, status, ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8]))
            return 'done'
            """);

    /** ARGV: p, id, now, reason, retention_ms, cap. Returns {outcome, worker_id}. */
    static final LuaScript STOP = new LuaScript(PRELUDE + """
            local p, id, now = ARGV[1], ARGV[2], ARGV[3]
            local k = p .. 'task:' .. id
            local t = redis.call('HMGET', k, 'status', 'worker_id', 'stop_requested_at')
            if not t[1] then return {'not_found', ''} end
            if t[1] ~= 'pending' and t[1] ~= 'running' then return {'ended', t[2] or ''} end
            if t[1] == 'pending' and not t[2] then
              finish(p, id, 'cancelled', now, '', ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]))
              return {'cancelled', ''}
            end
            if not t[3] then redis.call('HSET', k, 'stop_requested_at', now) end
            redis.call('PUBLISH', p .. 'stop:' .. t[2], id)
            return {'signalled', t[2]}
            """);

    /**
     * A dead worker's task: back to pending as a new attempt, or failed when the attempts are
     * spent, or cancelled when a stop was asked. ARGV: p, id, dead_worker, now, max_attempts,
     * retention_ms, cap, error. Returns {outcome, attempts}.
     */
    static final LuaScript ORPHAN = new LuaScript(PRELUDE + """
            local p, id, dead, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
            local k = p .. 'task:' .. id
            local t = redis.call('HMGET', k, 'status', 'worker_id', 'attempts', 'stop_requested_at')
            if not t[1] or (t[1] ~= 'pending' and t[1] ~= 'running') or t[2] ~= dead then
              redis.call('SREM', p .. 'worker:' .. dead .. ':tasks', id)
              return {'skip', '0'}
            end
            local attempts = tonumber(t[3]) or 0
            if t[4] then
              finish(p, id, 'cancelled', now, '', 'stopped; its worker ' .. dead .. ' died', tonumber(ARGV[6]), tonumber(ARGV[7]))
              return {'cancelled', tostring(attempts)}
            end
            if attempts >= tonumber(ARGV[5]) then
              finish(p, id, 'failed', now, ARGV[8], 'worker_died', tonumber(ARGV[6]), tonumber(ARGV[7]))
              return {'failed', tostring(attempts)}
            end
            redis.call('HSET', k, 'status', 'pending', 'requeued_at', now)
            redis.call('HDEL', k, 'worker_id', 'claimed_at', 'running_at')
            redis.call('SREM', p .. 'worker:' .. dead .. ':tasks', id)
            return {'requeued', tostring(attempts)}
            """);

    /** ARGV: p, worker_id. Forgets a worker that has no task left. */
    static final LuaScript FORGET_WORKER = new LuaScript("""
            local p, wid = ARGV[1], ARGV[2]
            if redis.call('SCARD', p .. 'worker:' .. wid .. ':tasks') > 0 then return 0 end
            redis.call('ZREM', p .. 'workers', wid)
            redis.call('DEL', p .. 'worker:' .. wid)
            return 1
            """);

    /** ARGV: p, id, warnings (newline separated). */
    static final LuaScript WARN = new LuaScript("""
            local k = ARGV[1] .. 'task:' .. ARGV[2]
            if redis.call('EXISTS', k) == 0 then return 0 end
            local w = redis.call('HGET', k, 'warnings')
            if w and w ~= '' then w = w .. '\\n' .. ARGV[3] else w = ARGV[3] end
            redis.call('HSET', k, 'warnings', w)
            return 1
            """);

    /** ARGV: p, id, partition, offset. */
    static final LuaScript POSITION = new LuaScript("""
            local k = ARGV[1] .. 'task:' .. ARGV[2]
            if redis.call('EXISTS', k) == 0 then return 0 end
            redis.call('HSET', k, 'kafka_partition', ARGV[3], 'kafka_offset', ARGV[4])
            return 1
            """);

    /** ARGV: p, cutoff_ms, cap. Returns how many terminal records were dropped. */
    static final LuaScript PRUNE = new LuaScript(PRELUDE + """
            local p = ARGV[1]
            local old = redis.call('ZRANGEBYSCORE', p .. 'terminal', '-inf', ARGV[2])
            for _, o in ipairs(old) do drop(p, o) end
            return #old + enforce_cap(p, tonumber(ARGV[3]))
            """);

    /**
     * ARGV: p, index ('tasks', or a tenant's 'tenant:<t>:tasks'). Every task hash of the index, newest first, as
     * flat field/value arrays (one atomic snapshot).
     */
    static final LuaScript LIST = new LuaScript("""
            local p = ARGV[1]
            local index = p .. (ARGV[2] or 'tasks')
            local ids = redis.call('ZREVRANGE', index, 0, -1)
            local out = {}
            for _, id in ipairs(ids) do
              local h = redis.call('HGETALL', p .. 'task:' .. id)
              if #h > 0 then
                out[#out + 1] = h
              else
                -- why: the record expired on its own (PEXPIRE backstop); forget its index entry
                redis.call('ZREM', p .. 'tasks', id)
                redis.call('ZREM', p .. 'terminal', id)
                redis.call('ZREM', index, id)
              end
            end
            return out
            """);

    /** Every script above, for loading them all at start. */
    static java.util.List<LuaScript> all() {
        return java.util.List.of(ADMIT, CLAIM, RUNNING, FINISH, STOP, ORPHAN, FORGET_WORKER, WARN, POSITION, PRUNE, LIST);
    }
}
